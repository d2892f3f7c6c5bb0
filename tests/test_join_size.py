"""Joining the codifier with GeoNames (tracker.data.join, issue 11): a city and a same-named
village of one hromada do not share the city's GeoNames point by chance — the size class of the
codifier category against the GeoNames population / seat enters the score. A tiny join in code
(Polohy city and the village Polohy of its hromada), then the real build."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from tracker.data import join
from tracker.data.join import join_coordinates
from tracker.units import oblast_by

POLOHY = "UA23100190010032690"  # city (M), centre of the Polohy hromada
POLOHY_VILLAGE = "UA23100190160083823"  # village (C) Polohy, same hromada
_OBLAST = "UA23000000000064947"
_RAION = "UA23100000000034132"
_HROMADA = "UA23100190000020018"
#: GeoNames: the town (a seat of a district, 20,223 people), a small unnamed-population point
#: of the same name, and an unrelated village that stays unmatched
_TOWN = (696677, "Polohy", "Polohy", "Pologi,Пологи", 47.47865, 36.25463, "PPLA2", 20223)
_SMALL = (11111111, "Polohy", "Polohy", "Пологи", 47.42, 36.30, "PPL", 0)
_OTHER = (22222222, "Inshe", "Inshe", "", 47.60, 36.40, "PPL", 10)


def _join(points: list[tuple]) -> dict[str, int]:
    """katottg -> geonameid of a join of the two Polohy (the village listed first, so that
    without the size term the tie would go its way)."""
    settlements = pd.DataFrame(
        [
            (POLOHY_VILLAGE, "Пологи", "C", _OBLAST, _RAION, _HROMADA),
            (POLOHY, "Пологи", "M", _OBLAST, _RAION, _HROMADA),
        ],
        columns=["katottg", "name_uk", "category", "oblast_code", "raion_code", "hromada_code"],
    )
    gn = pd.DataFrame(
        points,
        columns=[
            "geonameid",
            "name",
            "asciiname",
            "alternatenames",
            "lat",
            "lon",
            "fcode",
            "population",
        ],
    )
    gn["admin1"] = oblast_by("UA23").fips
    gn["raion6"] = _RAION[:6]
    hromadas = gpd.GeoDataFrame(
        {"hromada_code": [_HROMADA]}, geometry=[shapely.box(36.0, 47.3, 36.5, 47.7)], crs=4326
    )
    old = pd.DataFrame(columns=["katottg", "old_name_uk"])
    located = join_coordinates(settlements, old, gn, hromadas).located
    return dict(zip(located["katottg"], located["geonameid"], strict=True))


def test_the_city_gets_the_towns_point():
    """One GeoNames point, the town's: the city gets it, the village none."""
    assert _join([_TOWN, _OTHER]) == {POLOHY: _TOWN[0]}


def test_each_gets_the_point_of_its_size():
    """Two points of the name: the town's to the city, the small one to the village (in either
    order of the GeoNames rows)."""
    expected = {POLOHY: _TOWN[0], POLOHY_VILLAGE: _SMALL[0]}
    assert _join([_TOWN, _SMALL, _OTHER]) == expected
    assert _join([_SMALL, _TOWN, _OTHER]) == expected


def test_without_the_size_term_the_village_would_take_it(monkeypatch):
    """The control: with the size weight at zero the tie goes to the first-listed village."""
    monkeypatch.setattr(join, "_SIZE_WEIGHT", 0.0)
    assert _join([_TOWN, _OTHER]) == {POLOHY_VILLAGE: _TOWN[0]}


def test_a_join_where_every_point_matches_in_the_first_pass():
    """Every GeoNames point matched at once (a small region, a test fixture)."""
    assert _join([_TOWN]) == {POLOHY: _TOWN[0]}


def test_real_build_polohy_city_has_the_towns_point(built):
    """In the data build: Polohy city has a point of its own (the town's), the village Polohy
    does not take it."""
    from tracker.gazetteer import load

    gaz = load()
    city = gaz.place(gaz.katottg_index[POLOHY])
    village = gaz.place(gaz.katottg_index[POLOHY_VILLAGE])
    assert city.lon is not None and city.lat is not None
    assert abs(city.lat - 47.479) < 0.02 and abs(city.lon - 36.255) < 0.02
    assert city.geonameid is not None and village.geonameid != city.geonameid
