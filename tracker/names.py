"""Name normalisation and transliteration variants.

Three layers, from strict to loose:

``fold``
    Lower case, apostrophes and diacritics of Latin letters removed, hyphens
    as spaces. Cyrillic letters are kept (``й`` and ``ї`` stay letters).
``latin_variants``
    The Latin spellings a Ukrainian name takes in print: the official
    KMU-2010 system, BGN/PCGN-1965 ("-iyivka", "Zorya"), British and
    Library-of-Congress styles, and for Russian forms the Russian systems.
    Transliteration tables come from ``translitua``.
``skeleton``
    A lossy key that makes those spellings collide: g/h, kh/h, y/i/e/j and
    doubled letters are merged ("Novogeorgievka", "Novoheorhiyivka" and
    "Novoheorhiivka" share one). Used only to find candidates; the final
    score always compares the full spellings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import translitua

__all__ = ["fold", "has_cyrillic", "latin_variants", "official_latin", "skeleton"]

_APOSTROPHES = "'’ʼ`´‘ʹ′\u02bb"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPACES = re.compile(r"[\s\-\u2010-\u2015_]+")
_NON_WORD = re.compile(r"[^\w ]+")
_RUSSIAN_ONLY = re.compile(r"[ыэёъ]", re.IGNORECASE)
_UKRAINIAN_ONLY = re.compile(r"[іїєґ]", re.IGNORECASE)


def has_cyrillic(text: str) -> bool:
    """Return True when *text* contains a Cyrillic letter."""
    return bool(_CYRILLIC.search(text))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Fold a name for exact comparison.

    Examples
    --------
    >>> fold("Zaporiz’ke")
    'zaporizke'
    >>> fold("Ukraïnsk")
    'ukrainsk'
    >>> fold("Знам'янка")
    'знамянка'
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _APOSTROPHES or ch == "ь" or ch == "Ь":
            continue
        if "\u0400" <= ch <= "\u04ff":
            out.append(ch.lower())
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)).lower())
    folded = _SPACES.sub(" ", "".join(out))
    return _NON_WORD.sub("", folded).strip()


@lru_cache(maxsize=200_000)
def official_latin(name_uk: str) -> str:
    """Transliterate a Ukrainian name with the official KMU-2010 system.

    Examples
    --------
    >>> official_latin("Новогеоргіївка")
    'Novoheorhiivka'
    """
    text = "".join("'" if ch in _APOSTROPHES else ch for ch in name_uk)
    return translitua.translit(text, translitua.UkrainianKMU).replace("'", "")


_UKRAINIAN_TABLES = (
    translitua.UkrainianKMU,
    translitua.UkrainianBGN,
    translitua.UkrainianBritish,
    translitua.UkrainianALALC,
    translitua.UkrainianGerman,
    translitua.UkrainianFrench,
)
_RUSSIAN_TABLES = (
    translitua.RussianInternationalPassport,
    translitua.RussianInternationalPassport1997,
    translitua.RussianALALC,
    translitua.RussianSimple,
)


def latin_variants(name: str) -> set[str]:
    """Latin spellings of a Cyrillic name, folded.

    A name with letters only Russian has (ы, э, ё, ъ) or none only Ukrainian has
    is also transliterated with the Russian systems.

    Examples
    --------
    >>> sorted(latin_variants("Зоря"))[:3]
    ['zoria', 'zorja', 'zorya']
    """
    if not has_cyrillic(name):
        return {fold(name)} - {""}
    text = name.replace("’", "'")
    tables: tuple = _UKRAINIAN_TABLES
    if _RUSSIAN_ONLY.search(text) or not _UKRAINIAN_ONLY.search(text):
        tables = tables + _RUSSIAN_TABLES
    variants = set()
    for table in tables:
        try:
            latin = translitua.translit(text, table)
        except Exception:  # a table without a rule for some letter
            continue
        folded = fold(latin)
        if folded and not has_cyrillic(folded):
            variants.add(folded)
    return variants


_SKELETON_RULES = (
    ("shch", "Q"),
    ("szcz", "Q"),
    ("sch", "Q"),
    ("zh", "Z"),
    ("rz", "Z"),
    ("kh", "h"),
    ("ch", "C"),
    ("cz", "C"),
    ("sh", "S"),
    ("sz", "S"),
    ("ts", "c"),
    ("tz", "c"),
    ("g", "h"),
    ("w", "v"),
    ("x", "ks"),
    ("q", "k"),
)
_VOWELS_I = str.maketrans({"e": "i", "y": "i", "j": "i"})
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=400_000)
def skeleton(name: str) -> str:
    """A loose key under which common spellings of one name collide.

    Examples
    --------
    >>> skeleton("Novogeorgievka") == skeleton("Novoheorhiyivka") == skeleton("Новогеоргіївка")
    True
    >>> skeleton("Zorya") == skeleton("Zoria")
    True
    """
    if has_cyrillic(name):
        if _RUSSIAN_ONLY.search(name):  # a Russian form: "Артёмовск", "Красный Лиман"
            text = translitua.translit(name, translitua.RussianInternationalPassport)
        else:
            text = official_latin(name)
    else:
        text = name
    text = fold(text).replace(" ", "")
    for old, new in _SKELETON_RULES:
        text = text.replace(old, new)
    text = text.translate(_VOWELS_I)
    return _REPEATS.sub(r"\1", text)
