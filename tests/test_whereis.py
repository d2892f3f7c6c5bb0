"""tracker.whereis on the tiny gazetteer: reading the question, candidates, ranking, errors
(no data build; tests/test_where.py asks the same questions of the real build)."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import (
    DNIPRO,
    DNIPROPETROVSK_OBLAST,
    DONETSK_CITY,
    DONETSK_OBLAST,
    MEZHOVA,
    NOVOHEORHIIVKA,
    NOVOHEORHIIVKA_MYKOLAIV,
    POKROVSK,
    POKROVSK_HROMADA,
    POKROVSK_RAION,
    ZAPORIZKE,
    ZAPORIZKE_DONETSK,
    ZAPORIZKE_MEZHOVA,
    ZAPORIZKE_VM,
    ZAPORIZKE_ZAPORIZHZHIA,
    ZORIA_DONETSK,
    ZORIA_POKROVSK,
    ZORIA_UNLOCATED,
    code,
    pid,
    places_table,
    tiny,
)
from tracker import ranking
from tracker.errors import InvalidQuery, PlaceNotFound, UnknownRegion
from tracker.gazetteer import Gazetteer
from tracker.models import LonLat
from tracker.whereis import MAX_CONTEXT_CHARS, candidates, parse_query, where


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return tiny()


def _ask(gaz, name, **kwargs):
    return where(name, gazetteer=gaz, **kwargs)


def _codes(found) -> list[str]:
    return [c.katottg for c in found]


# -- parse_query ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Zaporizke", ("Zaporizke", None, None)),
        ("village of Zaporizke", ("Zaporizke", None, None)),
        ("the village of Zaporizke", ("Zaporizke", None, None)),
        ("the town of Pokrovsk", ("Pokrovsk", None, None)),
        ("urban-type settlement of Mezhova", ("Mezhova", None, None)),
        ("smt Mezhova", ("Mezhova", None, None)),
        ("с. Запорізьке", ("Запорізьке", None, None)),
        ("Pokrovsk raion", ("Pokrovsk raion", "P", None)),
        ("Pokrovskyi district", ("Pokrovskyi district", "P", None)),
        ("Pokrovska hromada", ("Pokrovska hromada", "H", None)),
        ("Pokrovska territorial community", ("Pokrovska territorial community", "H", None)),
        ("Donetsk Oblast", ("Donetsk Oblast", "O", None)),
        ("Donetsk область", ("Donetsk область", "O", None)),
        ("Donetsk City", ("Donetsk City", "S", None)),
        ("Zaporizke, Donetsk Oblast", ("Zaporizke", None, "Donetsk Oblast")),
        ("  Zaporizke  ,  near   Mezhova ", ("Zaporizke", None, "near Mezhova")),
        (
            "village of Zaporizke, Dnipropetrovsk region",
            ("Zaporizke", None, "Dnipropetrovsk region"),
        ),
    ],
)
def test_parse_query(question, expected):
    assert parse_query(question) == expected


# -- candidates -----------------------------------------------------------------------------------


def test_candidates_every_same_named_place(gaz):
    found = candidates(gaz, "Zaporizke", None)
    assert {code(p) for p in found} == set(ZAPORIZKE)
    assert all(v == (100.0, "Zaporizke", "kmu-2010") for v in found.values())


def test_candidates_variant_spelling_by_loose_key(gaz):
    found = candidates(gaz, "Novogeorgiyevka", None)  # not a spelling of its own
    assert {code(p) for p in found} == {NOVOHEORHIIVKA, NOVOHEORHIIVKA_MYKOLAIV}
    sims = {v[0] for v in found.values()}
    assert len(sims) == 1 and 75 <= sims.pop() < 100


def test_candidates_units_only_exactly_or_with_a_level_word(gaz):
    # "Pokrovsk" is the city; its hromada is "Pokrovska"
    assert {code(p) for p in candidates(gaz, "Pokrovsk", None)} == {POKROVSK}
    assert {code(p) for p in candidates(gaz, "Pokrovska", None)} == {POKROVSK_HROMADA}
    assert {code(p) for p in candidates(gaz, "Pokrovskyi raion", "P")} == {POKROVSK_RAION}
    assert {code(p) for p in candidates(gaz, "Pokrovska hromada", "H")} == {POKROVSK_HROMADA}


def test_candidates_level_word_keeps_that_level(gaz):
    assert {code(p) for p in candidates(gaz, "Donetsk Oblast", "O")} == {DONETSK_OBLAST}
    assert {code(p) for p in candidates(gaz, "Donetsk City", "S")} == {DONETSK_CITY}
    # a level the name has no unit of: nothing (not the city instead)
    assert candidates(gaz, "Zaporizke raion", "P") == {}


def test_candidates_fuzzy_only_when_asked(gaz):
    assert candidates(gaz, "Zaprizke", None) == {}
    found = candidates(gaz, "Zaprizke", None, fuzzy=True)
    assert {code(p) for p in found} == set(ZAPORIZKE)
    assert all(85 <= v[0] < 100 for v in found.values())
    assert candidates(gaz, "Zapo", None, fuzzy=True) == {}  # too short to guess


# -- where: ranking ------------------------------------------------------------------------------


def test_where_lists_every_candidate_with_scores_summing_to_one(gaz):
    found = _ask(gaz, "Zaporizke")
    assert set(_codes(found)) == set(ZAPORIZKE)
    assert sum(c.score for c in found) == pytest.approx(1.0)
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert all(c.matched == "Zaporizke" for c in found)
    assert found[0].evidence[0] == "name: exact (kmu-2010)"


def test_where_limit(gaz):
    full = _ask(gaz, "Zaporizke")
    top = _ask(gaz, "Zaporizke", limit=2)
    assert _codes(top) == _codes(full)[:2]
    assert [c.score for c in top] == pytest.approx([c.score for c in full[:2]])


def test_where_city_beats_villages_of_the_name(gaz):
    # "Donetsk": the city of a million over the oblast of the same name (no level word)
    found = _ask(gaz, "Donetsk")
    assert _codes(found) == [DONETSK_CITY, DONETSK_OBLAST]
    assert found[0].kind == "city" and found[0].score > 0.8


def test_where_official_name_beats_a_former_geonames_name(gaz):
    found = _ask(gaz, "Dnipropetrovsk")
    assert _codes(found) == [DNIPROPETROVSK_OBLAST, DNIPRO]
    assert any(
        "another place has this name officially; this one only as a" in e for e in found[1].evidence
    )


def test_where_geonames_spelling_of_a_renamed_city(gaz):
    found = _ask(gaz, "Krasnoarmeysk")
    assert _codes(found) == [POKROVSK]
    assert found[0].score == pytest.approx(1.0)
    source = found[0].evidence[0].removeprefix("name: exact (").removesuffix(")")
    assert source in ranking.params().weak_sources  # a GeoNames name, not Pokrovsk's own


def test_where_level_words(gaz):
    assert _codes(_ask(gaz, "Donetsk Oblast")) == [DONETSK_OBLAST]
    assert _codes(_ask(gaz, "Donetsk region")) == [DONETSK_OBLAST]
    assert _codes(_ask(gaz, "Donetsk People's Republic")) == [DONETSK_OBLAST]
    assert _codes(_ask(gaz, "Pokrovskyi raion")) == [POKROVSK_RAION]
    assert _codes(_ask(gaz, "Pokrovska hromada")) == [POKROVSK_HROMADA]
    assert _codes(_ask(gaz, "Donetsk City")) == [DONETSK_CITY]


def test_where_prefix_and_ukrainian(gaz):
    assert set(_codes(_ask(gaz, "the village of Zaporizke"))) == set(ZAPORIZKE)
    assert set(_codes(_ask(gaz, "Запорізьке"))) == set(ZAPORIZKE)
    assert _ask(gaz, "Запорізьке")[0].evidence[0] == "name: exact (official)"


def test_where_katottg_code(gaz):
    found = _ask(gaz, ZAPORIZKE_MEZHOVA.lower())
    assert _codes(found) == [ZAPORIZKE_MEZHOVA]
    assert found[0].matched == ZAPORIZKE_MEZHOVA and found[0].score == 1.0


def test_where_oblast(gaz):
    p = ranking.params()
    found = _ask(gaz, "Zaporizke", oblast="Zaporizhia Oblast")
    assert found[0].katottg == ZAPORIZKE_ZAPORIZHZHIA and found[0].score > 0.95
    assert f"in Zaporizhzhia oblast as asked: +{p.oblast_weight:.1f}" in found[0].evidence
    assert _ask(gaz, "Zaporizke", oblast="UA-14")[0].katottg == ZAPORIZKE_DONETSK
    assert _ask(gaz, "Novogeorgievka", oblast="Dnipropetrovsk")[0].katottg == NOVOHEORHIIVKA


def test_where_near_a_point(gaz):
    for near in ((37.65, 47.38), LonLat(37.65, 47.38), "47.38,37.65"):
        found = _ask(gaz, "Zaporizke", near=near)
        assert found[0].katottg == ZAPORIZKE_DONETSK and found[0].score > 0.95, near
    assert found[0].evidence[-1].startswith("0.2 km from 47.38,37.65 (near): +5.9")


def test_where_near_a_place(gaz):
    found = _ask(gaz, "Zaporizke", near="Mezhova")
    assert found[0].katottg == ZAPORIZKE_MEZHOVA
    assert any("km from Mezhova (Dnipropetrovsk) (near)" in e for e in found[0].evidence)


def test_where_near_a_place_without_coordinates():
    table = places_table()
    table = table[~table["katottg"].isin([ZORIA_DONETSK, ZORIA_POKROVSK])]
    gaz = Gazetteer.from_frames(table)
    with pytest.raises(InvalidQuery, match="'Zoria', a place without coordinates"):
        where("Zaporizke", near="Zoria", gazetteer=gaz)


def test_where_context_place(gaz):
    found = _ask(gaz, "Zaporizke", context="near Novoheorhiivka")
    assert found[0].katottg == ZAPORIZKE_VM and found[0].score > 0.9
    assert (
        found[0]
        .evidence[-1]
        .startswith("3.3 km from Novoheorhiivka ('Novoheorhiivka' in context): +")
    )


def test_where_context_region_and_region_tail(gaz):
    by_context = _ask(gaz, "Zaporizke", context="Donetsk Oblast")
    by_tail = _ask(gaz, "Zaporizke, Donetsk Oblast")
    assert by_context[0].katottg == by_tail[0].katottg == ZAPORIZKE_DONETSK
    assert by_context[0].score == pytest.approx(by_tail[0].score)
    assert "in Donetsk oblast named in context ('Donetsk Oblast'): +4.0" in by_tail[0].evidence


def test_where_context_bearing_and_hromada(gaz):
    assert _ask(gaz, "Zaporizke", context="north of Mezhova")[0].katottg == ZAPORIZKE_MEZHOVA
    same = _ask(gaz, "Zaporizke", context="near Mezhova (same hromada)")[0]
    assert same.katottg == ZAPORIZKE_MEZHOVA
    assert "in the hromada named after 'Mezhova': +2.00" in same.evidence
    raion = _ask(gaz, "Zaporizke", context="Synelnykivskyi raion")
    assert set(_codes(raion[:2])) == {ZAPORIZKE_VM, ZAPORIZKE_MEZHOVA}


def test_where_context_direction(gaz):
    found = _ask(gaz, "Zoria", context="in the Pokrovsk direction")
    assert found[0].katottg == ZORIA_POKROVSK
    assert found[0].evidence[-1].startswith("22.2 km from Pokrovsk ('Pokrovsk' in context; ")
    assert "; direction/axis): +" in found[0].evidence[-1]


def test_where_context_combines_with_the_prior(gaz):
    # no context: the selyshche of 976 beats the villages; a hint near the other one turns it
    assert _ask(gaz, "Zoria")[0].katottg == ZORIA_DONETSK
    assert _ask(gaz, "Zoria", context="near Pokrovsk")[0].katottg == ZORIA_POKROVSK
    unlocated = _ask(gaz, "Zoria")[-1]
    assert unlocated.katottg == ZORIA_UNLOCATED and unlocated.lon is None


def test_where_context_naming_the_place_itself_is_ignored(gaz):
    plain = _ask(gaz, "Zaporizke")
    echoed = _ask(gaz, "Zaporizke", context="Zaporizke")
    assert _codes(echoed) == _codes(plain)
    assert [c.score for c in echoed] == pytest.approx([c.score for c in plain])


def test_where_candidates_carry_the_place(gaz):
    best = _ask(gaz, "Novoheorhiivka", oblast="Dnipropetrovsk")[0]
    assert best.place is tiny().place(pid(NOVOHEORHIIVKA))
    assert (best.hromada, best.raion, best.oblast_iso) == (
        "Velykomykhailivka",
        "Synelnykove",
        "UA-12",
    )
    assert best.to_dict()["katottg"] == NOVOHEORHIIVKA


def test_where_mezhova_is_the_selyshche(gaz):
    found = _ask(gaz, "Mezhova")
    assert _codes(found) == [MEZHOVA]  # not the Mezhova hromada ("Mezhivska")


# -- where: errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", None])
def test_where_empty_name(gaz, name):
    with pytest.raises(InvalidQuery, match="`name` is empty"):
        _ask(gaz, name)


@pytest.mark.parametrize("limit", [0, -1])
def test_where_bad_limit(gaz, limit):
    with pytest.raises(InvalidQuery, match=f"`limit` was {limit}"):
        _ask(gaz, "Zaporizke", limit=limit)


def test_where_unknown_name_suggests_spellings(gaz):
    with pytest.raises(PlaceNotFound) as info:
        _ask(gaz, "Zaporizhkye Selo")
    assert "Zaporizke" in info.value.suggestions
    assert info.value.exit_code == 1
    with pytest.raises(PlaceNotFound) as info:
        _ask(gaz, "Qwxyzzyville")
    assert info.value.suggestions == []


def test_where_unknown_katottg_code(gaz):
    with pytest.raises(PlaceNotFound):
        _ask(gaz, "UA12140050040024240")


def test_where_context_too_long(gaz):
    with pytest.raises(InvalidQuery, match=f"at most {MAX_CONTEXT_CHARS:,} are read"):
        _ask(gaz, "Zaporizke", context="x" * (MAX_CONTEXT_CHARS + 1))
    assert _ask(gaz, "Zaporizke", context="x" * MAX_CONTEXT_CHARS)  # the limit itself is fine


def test_where_unknown_oblast(gaz):
    with pytest.raises(UnknownRegion, match="`oblast` was 'Atlantis'"):
        _ask(gaz, "Zaporizke", oblast="Atlantis")
