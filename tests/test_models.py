"""Value types: coordinate parsing, LonLat validation, Candidate and RegionMatch."""

from __future__ import annotations

import copy
import json
import math
import pickle

import pytest

from tracker.errors import InvalidCoordinates, TrackerError
from tracker.models import Candidate, LonLat, Place, RegionMatch, parse_lonlat

# -- parse_lonlat --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lon", "lat"),
    [
        ("47.8695, 36.5699", 36.5699, 47.8695),
        ("47.8695,36.5699", 36.5699, 47.8695),
        ("47.87N 36.57E", 36.57, 47.87),
        ("36.57E 47.87N", 36.57, 47.87),  # longitude first, told by the letters
        ("36.57E, 47.87", 36.57, 47.87),
        ("47.87;36.57", 36.57, 47.87),
        ("47.87 36.57", 36.57, 47.87),
        ("  47.87 ,  36.57  ", 36.57, 47.87),
        ("47.87°N, 36.57°E", 36.57, 47.87),
        ("47.87n 36.57e", 36.57, 47.87),
        ("48, 37", 37.0, 48.0),
        ("+47.87,+36.57", 36.57, 47.87),
        ("-33.9, 151.2", 151.2, -33.9),
        ("33.9S 18.4E", 18.4, -33.9),
        ("47.87N 36.57W", -36.57, 47.87),
        ("36.57W 47.87S", -36.57, -47.87),
    ],
)
def test_parse_lonlat(text, lon, lat):
    point = parse_lonlat(text)
    assert isinstance(point, LonLat)
    assert point.lon == pytest.approx(lon)
    assert point.lat == pytest.approx(lat)


@pytest.mark.parametrize(
    "text",
    ["Zorya", "Novoheorhiivka", "", "   ", "Zorya 47", "N E"],
)
def test_parse_lonlat_not_coordinates(text):
    assert parse_lonlat(text) is None


@pytest.mark.parametrize("text", ["95,20", "-91, 36", "47.87, 200", "47, -180.5", "47,8695"])
def test_parse_lonlat_out_of_range(text):
    with pytest.raises(InvalidCoordinates) as info:
        parse_lonlat(text)
    assert "out of range" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, TrackerError)


def test_parse_lonlat_north_on_second_value_means_it_is_the_latitude():
    point = parse_lonlat("47.87, 36.57N")
    assert point == LonLat(lon=47.87, lat=36.57)


@pytest.mark.parametrize("text", ["36.57E 47.87E", "47.87N 36.57N"])
def test_parse_lonlat_rejects_two_latitudes_or_two_longitudes(text):
    try:
        point = parse_lonlat(text)
    except InvalidCoordinates:
        return
    assert point is None, f"{text!r} parsed as {point}"


# -- LonLat --------------------------------------------------------------------------------------


def test_lonlat_fields_lon_first():
    point = LonLat(36.57, 47.87)
    assert (point.lon, point.lat) == (36.57, 47.87)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(math.nan, 47.0), (36.0, math.nan), (math.inf, 47.0), (36.0, -math.inf)],
)
def test_lonlat_rejects_non_finite(lon, lat):
    with pytest.raises(InvalidCoordinates, match="not finite"):
        LonLat(lon, lat)


@pytest.mark.parametrize(
    ("lon", "lat"), [(180.01, 0.0), (-180.01, 0.0), (0.0, 90.01), (0.0, -90.01), (36.0, 470.0)]
)
def test_lonlat_rejects_out_of_range(lon, lat):
    with pytest.raises(InvalidCoordinates, match="out of range"):
        LonLat(lon, lat)


@pytest.mark.parametrize(("lon", "lat"), [(180.0, 90.0), (-180.0, -90.0), (0.0, 0.0)])
def test_lonlat_accepts_the_edges(lon, lat):
    assert LonLat(lon, lat).lat == lat


def test_lonlat_is_frozen():
    point = LonLat(36.0, 47.0)
    with pytest.raises(AttributeError):
        point.lat = 1.0  # type: ignore[misc]


# -- Candidate -----------------------------------------------------------------------------------


def _place(**overrides) -> Place:
    fields = dict(
        katottg="UA12140050080041206",
        name="Novoheorhiivka",
        name_uk="Новогеоргіївка",
        category="C",
        kind="village",
        oblast="Dnipropetrovsk",
        oblast_iso="UA-12",
        raion="Synelnykove",
        hromada="Velykomykhailivka",
        lon=36.5699,
        lat=47.8695,
        km_to_oblast_border=0.7,
        across_border="Donetsk",
    )
    fields.update(overrides)
    return Place(**fields)


def test_candidate_delegates_place_fields():
    place = _place()
    cand = Candidate(place, 0.87654321, "Novogeorgievka", ("exact name", "in oblast"))
    assert cand.oblast == "Dnipropetrovsk"
    assert cand.name_uk == "Новогеоргіївка"
    assert cand.katottg == "UA12140050080041206"
    assert cand.lon == 36.5699
    assert cand.raion_code is None
    # its own fields are not shadowed by the place
    assert cand.score == 0.87654321
    assert cand.matched == "Novogeorgievka"
    assert cand.place is place


def test_candidate_unknown_attribute_raises_attribute_error():
    cand = Candidate(_place(), 0.5, "x")
    with pytest.raises(AttributeError):
        _ = cand.no_such_field
    assert not hasattr(cand, "no_such_field")


def test_candidate_to_dict():
    place = _place()
    cand = Candidate(place, 0.87654321, "Novogeorgievka", ("exact name", "in oblast"))
    out = cand.to_dict()
    assert out["score"] == 0.8765
    assert out["matched"] == "Novogeorgievka"
    assert out["evidence"] == ["exact name", "in oblast"]
    for key, value in place.to_dict().items():
        assert out[key] == value
    assert set(out) == set(place.to_dict()) | {"score", "matched", "evidence"}
    json.dumps(out, ensure_ascii=False)  # JSON-ready


def test_candidate_default_evidence_and_copy():
    cand = Candidate(_place(), 1.0, "Novoheorhiivka")
    assert cand.evidence == ()
    assert cand.to_dict()["evidence"] == []
    assert pickle.loads(pickle.dumps(cand)) == cand
    assert copy.deepcopy(cand) == cand


# -- RegionMatch ---------------------------------------------------------------------------------


def _region(**overrides) -> RegionMatch:
    fields = dict(
        lon=36.5699,
        lat=47.8695,
        oblast="Dnipropetrovsk",
        oblast_iso="UA-12",
        oblast_code="UA12",
        on_border=False,
        km_to_oblast_border=0.71234,
        across_border="Donetsk",
        borders=(("Donetsk", 0.712345), ("Zaporizhzhia", 20.1)),
        state_border=None,
        raion="Synelnykove",
        raion_code="UA12140000000022633",
        hromada="Velykomykhailivka",
        hromada_code="UA12140050000052464",
        units_generalised=True,
        nearest_settlement=_place(),
        km_to_nearest_settlement=0.05,
    )
    fields.update(overrides)
    return RegionMatch(**fields)


def test_region_match_to_dict_borders_shape():
    out = _region().to_dict()
    assert out["borders"] == [
        {"oblast": "Donetsk", "km": 0.712},
        {"oblast": "Zaporizhzhia", "km": 20.1},
    ]
    assert out["oblast"] == "Dnipropetrovsk"
    assert out["nearest_settlement"]["name"] == "Novoheorhiivka"
    assert out["nearest_settlement"]["katottg"] == "UA12140050080041206"
    assert "source" in out and out["note"] is None
    assert out["state_border"] is None
    json.dumps(out, ensure_ascii=False)


def test_region_match_to_dict_state_border():
    out = _region(state_border=("Russia", 6.43219)).to_dict()
    assert out["state_border"] == {"country": "Russia", "km": 6.432}


def test_region_match_to_dict_no_borders_no_settlement():
    out = _region(
        borders=(), nearest_settlement=None, km_to_nearest_settlement=None, note="x"
    ).to_dict()
    assert out["borders"] == []
    assert out["nearest_settlement"] is None
    assert out["note"] == "x"


@pytest.mark.parametrize(
    "text", ["47.87,", "47.87,36.57,12", "47.87 N", "1,2,3", "--5", "47.87", "47.87N"]
)
def test_parse_lonlat_malformed_numbers_raise(text):
    with pytest.raises(InvalidCoordinates, match="malformed"):
        parse_lonlat(text)


@pytest.mark.parametrize("text", ["Zorya", "72nd", "Novoheorhiivka 2", "N"])
def test_parse_lonlat_names_are_not_coordinates(text):
    assert parse_lonlat(text) is None


# -- the place object of a resolved mention --------------------------------------------------------


def test_mention_place_object_is_kept_per_place_and_copied_for_each_mention():
    from tracker.models import Mention, ResolvedMention

    place, other = _place(), _place(name="Zaporizke", hromada=None, lon=None)
    mentions = [
        ResolvedMention(Mention(0, 14, "Novoheorhiivka", "settlement"), "s", p, 0.9)
        for p in (place, place, other, place)
    ]
    objects = [r.to_dict()["place"] for r in mentions]
    assert objects[0] == {k: v for k, v in place.to_dict().items() if v is not None}
    assert objects[2] == {k: v for k, v in other.to_dict().items() if v is not None}
    assert "hromada" not in objects[2] and "lon" not in objects[2]  # None fields left out
    assert objects[0] == objects[1] == objects[3] and objects[0] is not objects[1]
    objects[0]["name"] = "changed by a caller"
    assert mentions[1].to_dict()["place"]["name"] == "Novoheorhiivka"


def test_mention_alternatives_are_kept_per_tuple_and_copied_for_each_mention():
    from tracker.models import Mention, ResolvedMention

    alternatives = ((_place(), 0.1234), (_place(name="Zaporizke", hromada=None), 0.05))
    mention = Mention(0, 14, "Novoheorhiivka", "settlement")
    first, second = (
        ResolvedMention(mention, "s", _place(), 0.8, alternatives=alternatives) for _ in range(2)
    )
    a, b = first.to_dict()["alternatives"], second.to_dict()["alternatives"]
    assert a == b == [
        {"katottg": "UA12140050080041206", "name": "Novoheorhiivka", "oblast": "Dnipropetrovsk",
         "hromada": "Velykomykhailivka", "score": 0.123},
        {"katottg": "UA12140050080041206", "name": "Zaporizke", "oblast": "Dnipropetrovsk",
         "hromada": None, "score": 0.05},
    ]  # fmt: skip
    a[0]["score"] = 1.0
    assert second.to_dict()["alternatives"][0]["score"] == 0.123
    assert ResolvedMention(mention, "s", None, 0.0).to_dict()["alternatives"] == []
