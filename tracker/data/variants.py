"""Searchable spellings of every place: the rows of the built ``names`` table.

One place gets its official Ukrainian name, the official Latin (KMU-2010) form, other
transliterations (BGN, ...), Russian forms ("Aleksandrovka", "Kurakhovo"), GeoNames names and
alternates (and those of its namesakes that spell the same name), former names, and for
units "<name> <level word>" forms ("Pokrovsk raion", "Donetsk oblast"). The data build and
:meth:`tracker.gazetteer.Gazetteer.from_frames` (tiny gazetteers for tests) both use these
functions, so a test gazetteer spells places exactly as the real one does.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from ..knowledge import level_words
from ..names import fold, latin_variants, official_latin, russian_forms, skeleton
from ..units import Oblast

__all__ = [
    "NAME_COLUMNS",
    "SPELLING_SIMILARITY",
    "centre_names",
    "is_spelling",
    "names_for_oblast",
    "names_for_settlement",
    "names_for_unit",
    "namesake_spellings",
    "variant_rows",
]

#: Columns of the ``names`` table.
NAME_COLUMNS = ("place", "variant", "key", "skeleton", "source")

Row = tuple[int, str, str, str, str]


def variant_rows(place_id: int, forms: Iterable[tuple[Any, str]]) -> list[Row]:
    """``(place, variant, key, skeleton, source)`` rows for *forms*, the first source of a
    folded key winning; empty and non-text forms are skipped."""
    rows, seen = [], set()
    for form, source in forms:
        if not form or not isinstance(form, str):
            continue
        form = form.strip()
        key = fold(form)
        if not key or key in seen:
            continue
        seen.add(key)
        rows.append((place_id, form, key, skeleton(form), source))
    return rows


#: An alternate name at least this similar (rapidfuzz ratio of folded forms) to one of a
#: place's own spellings with the same first two letters is a spelling of its name
#: ("Zaporozhskoye" of Запорізьке, 78); a less similar one is a former name or an error
#: ("Volnovakha" given to Vodiane, 44; "Novogeorgievka" given to a Георгіївка, 75). Chosen from
#: such pairs in GeoNames.
SPELLING_SIMILARITY = 78.0


@lru_cache(maxsize=65_536)
def _own_spellings(name_uk: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """Folded spellings of a Ukrainian name and its Russian forms, and the forms as rows."""
    forms: list[tuple[str, str]] = [(name_uk, "official"), (official_latin(name_uk), "kmu-2010")]
    forms += [(v, "transliteration") for v in sorted(latin_variants(name_uk))]
    russian, half = russian_forms(name_uk)
    for form in russian:
        forms.append((form, "russian-form"))
        forms += [(v, "russian-form") for v in sorted(latin_variants(form))]
    for form in half:
        forms += [(v, "russian-form") for v in sorted(latin_variants(form))]
    return frozenset(fold(f) for f, _ in forms), tuple(forms)


def is_spelling(alternate: str, own: frozenset[str]) -> bool:
    """Whether *alternate* spells the name whose folded spellings are *own*: it is one of them,
    or at least :data:`SPELLING_SIMILARITY` similar to one that starts with the same two
    letters ("Zaporozhskoye" of Запорізьке; not "Novogeorgievka" of Георгіївка)."""
    from rapidfuzz import fuzz

    key = fold(alternate)
    if not key:
        return False
    if key in own:
        return True
    return any(o[:2] == key[:2] and fuzz.ratio(key, o) >= SPELLING_SIMILARITY for o in own)


def namesake_spellings(
    rows: Iterable[tuple[str, Any, Any]],
) -> dict[str, tuple[str, ...]]:
    """For each official Ukrainian name, the GeoNames spellings any place of that name has.

    *rows* are ``(name_uk, gn_name, gn_alternates)`` of every settlement. Only alternates that
    are spellings of the name (:func:`is_spelling`) are shared: a Russian form GeoNames gives
    to one Zaporizke ("Zaporozhskoye") is a form of every Zaporizke's name, a former name
    ("Chapaevka" of one Stepove) is not.
    """
    by_name: dict[str, set[str]] = {}
    for name_uk, gn_name, gn_alternates in rows:
        if not isinstance(name_uk, str):
            continue
        found = by_name.setdefault(name_uk, set())
        if isinstance(gn_name, str):
            found.add(gn_name)
        if isinstance(gn_alternates, str):
            found.update(a for a in gn_alternates.split(",") if a)
    out: dict[str, tuple[str, ...]] = {}
    for name_uk, alternates in by_name.items():
        own, _ = _own_spellings(name_uk)
        shared = sorted(a for a in alternates if is_spelling(a, own))
        if shared:
            out[name_uk] = tuple(shared)
    return out


def names_for_settlement(
    pid: int,
    name_uk: str,
    old: Iterable[str] = (),
    gn_name: str | None = None,
    gn_alternates: str | None = None,
    shared: Iterable[str] = (),
) -> list[Row]:
    """Spellings of a settlement: official, KMU-2010, transliterations, Russian forms
    (``knowledge/russian_forms.toml``), GeoNames names and alternates (spellings of the name
    as "geonames", other names as "geonames-other"), the GeoNames spellings of its namesakes
    (*shared*, from :func:`namesake_spellings`), and former names."""
    own, base = _own_spellings(name_uk)
    forms = list(base)
    if isinstance(gn_name, str):
        forms.append((gn_name, "geonames" if is_spelling(gn_name, own) else "geonames-other"))
    # a settlement GeoNames does not know has NaN here, not None: only text is a spelling
    text = gn_alternates if isinstance(gn_alternates, str) else ""
    alternates = [a for a in text.split(",") if a]
    for a in alternates:
        forms.append((a, "geonames" if is_spelling(a, own) else "geonames-other"))
    forms += [(a, "geonames") for a in shared]
    for name in old:
        forms.append((name, "old-name"))
        forms.append((official_latin(name), "old-name"))
        forms += [(v, "old-name") for v in sorted(latin_variants(name))]
    return variant_rows(pid, forms)


def _build_words(level: str) -> list[str]:
    return [w.text for w in level_words("build") if w.level == level]


def names_for_unit(pid: int, level: str, adjective_uk: str, centre_uk: str | None) -> list[Row]:
    """Spellings of a raion (``level="P"``) or hromada (``"H"``): its adjective and centre's
    name with each level word ("Pokrovskyi raion", "Pokrovsk raion"), and the bare adjective."""
    words = _build_words(level)
    forms: list[tuple[Any, str]] = []
    bases = [adjective_uk, official_latin(adjective_uk)]
    if centre_uk:
        bases += [centre_uk, official_latin(centre_uk)]
    for base in bases:
        for word in words:
            forms.append((f"{base} {word}", "admin"))
    forms.append((adjective_uk, "official"))
    forms.append((official_latin(adjective_uk), "kmu-2010"))
    return variant_rows(pid, forms)


def names_for_oblast(pid: int, unit: Oblast) -> list[Row]:
    """Spellings of a first-level unit: its names, aliases, occupation names and "<name> oblast"
    forms (not for the two cities with special status)."""
    forms: list[tuple[Any, str]] = [(unit.name, "official"), (unit.name_uk, "official")]
    bases = [unit.name, *unit.aliases]
    if unit.iso not in ("UA-30", "UA-40"):
        for base in bases:
            for word in _build_words("O"):
                forms.append((f"{base} {word}", "admin"))
    forms += [(a, "alias") for a in unit.aliases]
    forms += [(a, "occupation-name") for a in unit.occupation_names]
    return variant_rows(pid, forms)


_ADJ_ENDINGS = ("ський", "цький", "зький", "ська", "цька", "зька", "ий", "а")


def _stem(adjective: str) -> str:
    low = adjective.lower()
    for ending in _ADJ_ENDINGS:
        if low.endswith(ending) and len(low) > len(ending) + 2:
            return low[: -len(ending)]
    return low


def _alternation(text: str) -> str:
    return text.replace("і", "о").replace("е", "о").replace("'", "").replace("’", "")


def centre_names(units: pd.DataFrame, settlements: pd.DataFrame, column: str) -> pd.Series:
    """The settlement each raion/hromada is named after ("Синельниківський" -> "Синельникове").

    Parameters
    ----------
    units
        Codifier rows of one level (``katottg, name_uk``).
    settlements
        Codifier settlements with the *column* naming their unit and a ``rank``
        (lower is bigger: city before village).
    """
    pools = {code: g for code, g in settlements.groupby(column)}
    out = {}
    for code, adjective in zip(units["katottg"], units["name_uk"], strict=True):
        pool = pools.get(code)
        if pool is None:
            continue
        stem = _alternation(_stem(adjective))
        best, best_score = None, 0.0
        for name, rank in zip(pool["name_uk"], pool["rank"], strict=True):
            low = _alternation(name.lower())
            head = low[: len(stem) + 1]
            score = fuzz.ratio(stem, head) - rank * 2
            if score > best_score:
                best, best_score = name, score
        if best is not None and best_score >= 80:
            out[code] = best
    return pd.Series(out, dtype=object)
