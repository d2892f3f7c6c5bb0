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
    if text.isascii():  # (what _fold_chars gives ASCII, without a call per character)
        return _collapse(text.replace("'", "").replace("`", "").lower())
    return _fold_chars(text)


def _fold_chars(text: str) -> str:
    """:func:`fold` character by character: apostrophes and soft signs dropped, Cyrillic
    lower-cased, Latin letters without their diacritics."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _APOSTROPHES or ch == "ь" or ch == "Ь":
            continue
        if "\u0400" <= ch <= "\u04ff":
            out.append(ch.lower())
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)).lower())
    return _collapse("".join(out))


def _collapse(text: str) -> str:
    """Runs of white space, hyphens and underscores as one space; other punctuation dropped."""
    return _NON_WORD.sub("", _SPACES.sub(" ", text)).strip()


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
    >>> sorted(latin_variants("Зоря"))[1:4]
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


def _russian_rules() -> list[tuple[str, str, tuple[str, ...]]]:
    from .knowledge import table

    return [(r["at"], r["from"], tuple(r["to"])) for r in table("russian_forms")["rule"]]


def _rewrite(word: str, rules: list[tuple[str, str, tuple[str, ...]]]) -> list[str]:
    forms = [word]
    for at, old, new in rules:
        out = []
        for form in forms:
            low = form.lower()
            if at == "start" and low.startswith(old.lower()):
                out += [n + form[len(old) :] for n in new]
            elif at == "end" and low.endswith(old.lower()) and len(low) > len(old) + 1:
                out += [form[: -len(old)] + n for n in new]
            elif at == "any" and old.lower() in low:
                out += [form.replace(old.lower(), n).replace(old.upper(), n.upper()) for n in new]
            else:
                out.append(form)
        forms = list(dict.fromkeys(out))
    return forms


@lru_cache(maxsize=100_000)
def russian_forms(name_uk: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Russian forms of a Ukrainian name (``knowledge/russian_forms.toml``), in Cyrillic.

    Returns ``(russian, half)``: the fully Russian spellings (every rule applied; to be
    transliterated the Russian way) and the half-Russian ones (only the rules at the start of a
    word, such as Олекс- → Алекс-; transliterated the Ukrainian way).

    Examples
    --------
    >>> russian_forms("Олексіївка")[0]
    ('Алексеевка',)
    >>> russian_forms("Курахове")[0]
    ('Курахово', 'Кураховое')
    >>> russian_forms("Новий Мир")[0]
    ('Новый Мир',)
    """
    rules = _russian_rules()
    start = [r for r in rules if r[0] == "start"]
    words = name_uk.replace("’", "'").replace("'", "").split(" ")
    full = [""]
    half = [""]
    for i, word in enumerate(words):
        parts = word.split("-")
        full_parts = [[p] for p in _expand(parts, rules)]
        half_parts = [[p] for p in _expand(parts, start)]
        sep = " " if i else ""
        full = [f + sep + p[0] for f in full for p in full_parts]
        half = [h + sep + p[0] for h in half for p in half_parts]
    russian = tuple(f for f in dict.fromkeys(full) if f != name_uk)[:4]
    halfway = tuple(h for h in dict.fromkeys(half) if h != name_uk and h not in russian)[:2]
    return russian, halfway


def _expand(parts: list[str], rules: list[tuple[str, str, tuple[str, ...]]]) -> list[str]:
    """Every combination of the rewritten forms of the hyphen-separated *parts* of a word."""
    combos = [""]
    for j, part in enumerate(parts):
        forms = _rewrite(part, rules) if part else [part]
        combos = [c + ("-" if j else "") + f for c in combos for f in forms]
    return combos
