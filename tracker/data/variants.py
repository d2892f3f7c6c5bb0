"""Searchable spellings of every place: the rows of the built ``names`` table.

One place gets its official Ukrainian name, the official Latin (KMU-2010) form, other
transliterations (BGN, Russian-style), GeoNames names and alternates, former names, and for
units "<name> <level word>" forms ("Pokrovsk raion", "Donetsk oblast"). The data build and
:meth:`tracker.gazetteer.Gazetteer.from_frames` (tiny gazetteers for tests) both use these
functions, so a test gazetteer spells places exactly as the real one does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..knowledge import level_words
from ..names import fold, latin_variants, official_latin, skeleton
from ..units import Oblast

__all__ = [
    "NAME_COLUMNS",
    "names_for_oblast",
    "names_for_settlement",
    "names_for_unit",
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


def names_for_settlement(
    pid: int,
    name_uk: str,
    old: Iterable[str] = (),
    gn_name: str | None = None,
    gn_alternates: str | None = None,
) -> list[Row]:
    """Spellings of a settlement: official, KMU-2010, transliterations, GeoNames, former names."""
    forms: list[tuple[Any, str]] = [(name_uk, "official"), (official_latin(name_uk), "kmu-2010")]
    forms += [(v, "transliteration") for v in sorted(latin_variants(name_uk))]
    if isinstance(gn_name, str):
        forms.append((gn_name, "geonames"))
        forms += [(a, "geonames") for a in str(gn_alternates).split(",") if a]
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
