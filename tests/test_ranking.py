"""tracker.ranking on the tiny gazetteer: the weights, each term of the model, and the evidence
read off the terms (no data build)."""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from importlib import resources

import numpy as np
import pytest

from tests.fixtures_gazetteer import (
    BEREZOVE,
    DNIPRO,
    DNIPROPETROVSK_OBLAST,
    DONETSK_OBLAST,
    HLEIUVATKA,
    MEZHOVA,
    NOVOHEORHIIVKA,
    NOVOHEORHIIVKA_MYKOLAIV,
    POKROVSK,
    SHEVCHENKO,
    SYNELNYKOVE_RAION,
    TERNOVE,
    VELYKOMYKHAILIVKA_HROMADA,
    ZAPORIZKE,
    ZAPORIZKE_DONETSK,
    ZAPORIZKE_LUHANSK,
    ZAPORIZKE_MEZHOVA,
    ZAPORIZKE_VM,
    ZAPORIZKE_ZAPORIZHZHIA,
    ZORIA_DONETSK,
    ZORIA_POKROVSK,
    ZORIA_UNLOCATED,
    pid,
    places_table,
    tiny,
)
from tracker import ranking
from tracker.context import find_anchors
from tracker.gazetteer import Gazetteer
from tracker.ranking import Anchors, context_terms, params, prior_terms


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return tiny()


@pytest.fixture(scope="module")
def p() -> ranking.RankingParams:
    return params()


def _found(codes, sim=100.0, source="kmu-2010", text="x"):
    return {pid(c): (sim, text, source) for c in codes}


def _km(gaz, a: str, b: str) -> float:
    col = gaz.col
    km, _ = ranking.approx_distances(
        col["lon"][pid(a)], col["lat"][pid(a)], col["lon"][pid(b)], col["lat"][pid(b)]
    )
    return float(km)


def _hint(gaz, text: str, codes) -> tuple[list[int], ranking.ContextTerms]:
    """What `where --context` computes for candidates *codes* and hint *text*."""
    pids = [pid(c) for c in codes]
    found = find_anchors(text, gaz, exclude={"zaporizke"})
    anchors = Anchors.from_context(gaz, found, exclude=set(pids))
    return pids, context_terms(gaz, pids, anchors)


def _one_anchor(gaz, code: str, **attrs) -> Anchors:
    """An anchor that can only mean the place *code* (belief 1)."""
    return Anchors.build(gaz, [(str(gaz.col["name"][pid(code)]), [pid(code)], [1.0])], **attrs)


# -- params ---------------------------------------------------------------------------------------

#: RankingParams field -> (table, key) of ranking.toml, read here independently of params().
_TOML_KEYS = {
    "category_prior": ("prior", "category"),
    "population_weight": ("prior", "population_weight"),
    "unlocated_penalty": ("prior", "unlocated_penalty"),
    "front_weight": ("front", "weight"),
    "front_scale_km": ("front", "scale_km"),
    "spelling_scale": ("spelling", "scale"),
    "weak_source_penalty": ("spelling", "weak_source_penalty"),
    "old_name_penalty": ("spelling", "old_name_penalty"),
    "regional_centre": ("prior", "regional_centre"),
    "hromada_centre": ("prior", "hromada_centre"),
    "named_direction": ("asked", "named_direction"),
    "hyphen_pair": ("document", "hyphen_pair"),
    "oblast_weight": ("asked", "oblast_weight"),
    "near_weight": ("asked", "near_weight"),
    "near_scale_km": ("asked", "near_scale_km"),
    "region_weight": ("context", "region_weight"),
    "named_after_weight": ("context", "named_after_weight"),
    "border_weight": ("context", "border_weight"),
    "border_scale_km": ("context", "border_scale_km"),
    "anchor_weight": ("context", "anchor_weight"),
    "anchor_scale_km": ("context", "anchor_scale_km"),
    "direction_scale_km": ("context", "direction_scale_km"),
    "given_km_scale": ("context", "given_km_scale"),
    "same_hromada_bonus": ("context", "same_hromada_bonus"),
    "unlocated_factor": ("context", "unlocated_factor"),
    "min_gain": ("context", "min_gain"),
    "max_evidence": ("context", "max_evidence"),
    "same_sentence": ("document", "same_sentence"),
    "same_paragraph": ("document", "same_paragraph"),
    "nearby_paragraph": ("document", "nearby_paragraph"),
    "elsewhere": ("document", "elsewhere"),
    "nearby_paragraphs": ("document", "nearby_paragraphs"),
    "top_places": ("document", "top_places"),
    "min_belief": ("document", "min_belief"),
    "section_chars": ("document", "section_chars"),
    "temperature": ("confidence", "temperature"),
    "where_temperature": ("confidence", "where_temperature"),
    "abstain_below": ("confidence", "abstain_below"),
    "region_agreement": ("confidence", "region_agreement"),
}


def test_params_are_the_values_of_ranking_toml(p):
    raw = tomllib.loads(
        resources.files("tracker.knowledge").joinpath("ranking.toml").read_text(encoding="utf-8")
    )
    assert set(_TOML_KEYS) | {"weak_sources"} == {f.name for f in dataclasses.fields(p)}
    assert p.weak_sources == tuple(raw["spelling"]["weak_source_penalty"])
    for field, (section, key) in _TOML_KEYS.items():
        value = getattr(p, field)
        expected = raw[section][key]
        if isinstance(expected, dict):
            assert dict(value) == expected, field
        elif isinstance(expected, list):
            assert value == tuple(expected), field
        else:
            assert value == expected, field


def test_params_are_frozen_and_loaded_once(p):
    assert params() is p
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.anchor_weight = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.category_prior["K"] = 0.0  # type: ignore[index]
    assert isinstance(p.weak_sources, tuple)


def test_params_are_ordered_sensibly(p):
    # the relations the model relies on (a change of weights that breaks one is a decision)
    prior = p.category_prior
    assert prior["K"] > prior["M"] > prior["T"] >= prior["C"]
    assert p.same_sentence > p.same_paragraph > p.nearby_paragraph > p.elsewhere > 0
    assert p.direction_scale_km > p.anchor_scale_km
    assert 0 < p.abstain_below < 1 and p.temperature > 0


# -- prior terms ----------------------------------------------------------------------------------


def test_exact_spelling_beats_a_loose_one(gaz, p):
    found = {pid(ZAPORIZKE_VM): (100.0, "Zaporizke", "kmu-2010")}
    found[pid(ZAPORIZKE_MEZHOVA)] = (90.0, "Zaporizke", "kmu-2010")
    terms = prior_terms(gaz, found)
    assert terms.pids == [pid(ZAPORIZKE_VM), pid(ZAPORIZKE_MEZHOVA)]
    assert list(terms.similarity) == [100.0, 90.0]
    spelling_cost = (100.0 - 90.0) / p.spelling_scale
    assert terms.logits[0] - terms.logits[1] == pytest.approx(
        spelling_cost + terms.prior[0] - terms.prior[1]
    )
    assert terms.logits[0] > terms.logits[1]


def test_official_name_beats_a_geonames_alternate(gaz, p):
    # "Dnipropetrovsk": the oblast's official name; Dnipro's only as a GeoNames (former) name
    found = {pid(DNIPROPETROVSK_OBLAST): (100.0, "Dnipropetrovsk", "official")}
    found[pid(DNIPRO)] = (100.0, "Dnipropetrovsk", "geonames")
    terms = prior_terms(gaz, found)
    assert list(terms.weak) == [False, True]
    assert terms.prior[1] > terms.prior[0]  # a city of a million has the larger size prior ...
    assert terms.logits[1] == pytest.approx(terms.prior[1] - p.weak_source_penalty["geonames"])
    assert terms.logits[0] > terms.logits[1]  # ... but the official name wins


def test_geonames_spelling_is_not_weak_without_an_official_match(gaz):
    terms = prior_terms(gaz, _found([POKROVSK], source="geonames"))  # "Krasnoarmeysk"
    assert list(terms.weak) == [False]
    assert terms.logits[0] == pytest.approx(terms.prior[0])


def test_former_name_costs_the_old_name_penalty(gaz, p):
    terms = prior_terms(gaz, _found([DNIPRO], source="old-name"))
    assert list(terms.old) == [True]
    assert terms.logits[0] == pytest.approx(terms.prior[0] - p.old_name_penalty)


def test_city_prior_beats_village_prior(gaz, p):
    terms = prior_terms(gaz, _found([POKROVSK, SHEVCHENKO, ZAPORIZKE_VM]))
    city = p.category_prior["M"] + p.population_weight * math.log10(1 + 63635 / 100)
    city += p.hromada_centre  # Pokrovsk is the centre of Pokrovsk hromada
    selyshche = p.category_prior["X"] + p.population_weight * math.log10(1 + 2101 / 100)
    village = p.category_prior["C"] + p.population_weight * math.log10(1 + 103 / 100)
    assert list(terms.prior) == pytest.approx([city, selyshche, village])
    assert terms.prior[0] > terms.prior[1] > terms.prior[2]


def test_settlement_without_coordinates_is_penalised(gaz, p):
    terms = prior_terms(gaz, _found([ZORIA_UNLOCATED, ZORIA_POKROVSK]))
    unlocated = p.population_weight * math.log10(1 + 102 / 100) - p.unlocated_penalty
    located = p.population_weight * math.log10(1 + 214 / 100)
    assert list(terms.prior) == pytest.approx(
        [p.category_prior["C"] + unlocated, p.category_prior["C"] + located]
    )


def test_front_line_term(p):
    table = places_table()
    table["front_km"] = np.nan
    table.loc[table["katottg"] == ZAPORIZKE_VM, "front_km"] = 0.27
    table.loc[table["katottg"] == ZAPORIZKE_MEZHOVA, "front_km"] = 60.0
    gaz = Gazetteer.from_frames(table)
    codes = [ZAPORIZKE_VM, ZAPORIZKE_MEZHOVA, ZAPORIZKE_LUHANSK]
    found = {gaz.katottg_index[c]: (100.0, "Zaporizke", "kmu-2010") for c in codes}
    terms = prior_terms(gaz, found)
    expected = [p.front_weight * math.exp(-0.27 / p.front_scale_km)]
    expected += [p.front_weight * math.exp(-60.0 / p.front_scale_km), 0.0]
    assert list(terms.front_gain) == pytest.approx(expected)
    assert terms.logits[0] - terms.prior[0] == pytest.approx(expected[0])
    # the distance on the article's date replaces the archive-wide one
    dated = prior_terms(
        gaz, found, front_km=np.array([30.0, 0.0, np.nan]), front_label="on 2025-06-08"
    )
    assert list(dated.front_gain) == pytest.approx(
        [p.front_weight * math.exp(-2.0), p.front_weight, 0.0]
    )
    assert dated.front_label == "on 2025-06-08"


# -- asked: oblast and point ----------------------------------------------------------------------


def test_oblast_term_favours_the_asked_oblast_only(gaz, p):
    pids = [pid(c) for c in ZAPORIZKE]
    gain = ranking.oblast_terms(gaz, pids, "UA14")
    assert list(gain) == [p.oblast_weight if c == ZAPORIZKE_DONETSK else 0.0 for c in ZAPORIZKE]


def test_near_term_decays_with_distance(gaz, p):
    pids = [pid(ZAPORIZKE_DONETSK), pid(ZAPORIZKE_VM), pid(ZORIA_UNLOCATED)]
    gain, km = ranking.near_terms(gaz, pids, 37.65, 47.38)
    assert km[0] == pytest.approx(0.2, abs=0.1)
    assert 90 < km[1] < 110  # from the south of Donetsk oblast to the Dnipropetrovsk border
    assert math.isnan(km[2]) and gain[2] == 0.0
    assert list(gain[:2]) == pytest.approx(list(p.near_weight * np.exp(-km[:2] / p.near_scale_km)))


def test_distances_approximate_the_geodesic():
    # Novoheorhiivka -> Zaporizke (Mezhova), 46 km NNE
    km, az = ranking.approx_distances(36.56987, 47.86949, 36.73146, 48.27213)
    gkm, gaz_ = ranking.geodesic(36.56987, 47.86949, 36.73146, 48.27213)
    assert float(km) == pytest.approx(float(gkm), rel=0.01)
    assert float(az) == pytest.approx(float(gaz_), abs=0.5)
    assert 46.0 < float(gkm) < 46.5 and 14 < float(gaz_) < 15


@pytest.mark.parametrize("lat", [45.0, 48.0, 51.0])
def test_approx_distances_within_half_a_percent_north_south(lat):
    km, _ = ranking.approx_distances(36.0, lat, 36.0, lat + 0.4)
    gkm, _ = ranking.geodesic(36.0, lat, 36.0, lat + 0.4)
    assert float(km) == pytest.approx(float(gkm), rel=0.005)


def test_softmax():
    probs = ranking.softmax(np.array([2.0, 1.0, 0.0]))
    assert probs.sum() == pytest.approx(1.0)
    assert probs[0] / probs[1] == pytest.approx(math.e)
    flat = ranking.softmax(np.array([2.0, 1.0, 0.0]), temperature=2.5)
    assert flat[0] < probs[0] and flat[0] / flat[1] == pytest.approx(math.exp(1 / 2.5))


# -- context: regions -----------------------------------------------------------------------------


def test_region_anchor_favours_candidates_inside_it(gaz, p):
    _, terms = _hint(gaz, "Donetsk Oblast", ZAPORIZKE)
    expected = [p.region_weight["O"] if c == ZAPORIZKE_DONETSK else 0.0 for c in ZAPORIZKE]
    assert list(terms.logits) == pytest.approx(expected)


def test_raion_and_hromada_anchors(gaz, p):
    _, raion = _hint(gaz, "Synelnykivskyi raion", ZAPORIZKE)
    in_raion = {ZAPORIZKE_VM, ZAPORIZKE_MEZHOVA}
    assert list(raion.logits) == pytest.approx(
        [p.region_weight["P"] if c in in_raion else 0.0 for c in ZAPORIZKE]
    )
    _, hromada = _hint(gaz, "Velykomykhailivska hromada", ZAPORIZKE)
    assert list(hromada.logits) == pytest.approx(
        [p.region_weight["H"] if c == ZAPORIZKE_VM else 0.0 for c in ZAPORIZKE]
    )


def test_anchor_weight_scales_and_zero_weight_leaves_an_anchor_out(gaz, p):
    pids = [pid(c) for c in ZAPORIZKE]
    anchors = Anchors.build(gaz, [("Donetsk Oblast", [pid(DONETSK_OBLAST)], [1.0])])
    half = context_terms(gaz, pids, anchors, weight=np.array([0.5]))
    assert half.logits.max() == pytest.approx(0.5 * p.region_weight["O"])
    off = context_terms(gaz, pids, anchors, weight=np.array([0.0]))
    assert not off.logits.any() and off.notes == []


# -- context: places ------------------------------------------------------------------------------


def test_place_anchor_favours_the_nearer_candidate(gaz, p):
    codes = [ZAPORIZKE_VM, ZAPORIZKE_ZAPORIZHZHIA, ZAPORIZKE_MEZHOVA, ZAPORIZKE_LUHANSK]
    _, terms = _hint(gaz, "near Novoheorhiivka", codes)
    # each candidate gains from the best of the anchor's two places (both Novoheorhiivkas),
    # each weighted by its prior belief relative to the more likely one
    places, beliefs = ranking.beliefs(
        prior_terms(gaz, _found([NOVOHEORHIIVKA, NOVOHEORHIIVKA_MYKOLAIV]))
    )
    belief = dict(zip(places, beliefs, strict=True))
    kms = [min(_km(gaz, c, NOVOHEORHIIVKA), _km(gaz, c, NOVOHEORHIIVKA_MYKOLAIV)) for c in codes]
    assert kms[0] < kms[1] < kms[2] < kms[3]
    expected = [
        p.anchor_weight
        * max(
            math.exp(-_km(gaz, c, a) / p.anchor_scale_km) * belief.get(pid(a), 0.0)
            for a in (NOVOHEORHIIVKA, NOVOHEORHIIVKA_MYKOLAIV)
        )
        for c in codes
    ]
    expected = [g if g >= p.min_gain else 0.0 for g in expected]  # noise is dropped
    assert list(terms.logits) == pytest.approx(expected)
    assert expected[3] == 0.0  # Luhansk: hundreds of km away
    assert int(np.argmax(terms.logits)) == 0


def test_anchor_that_only_names_the_candidates_is_left_out(gaz):
    pids = [pid(c) for c in ZAPORIZKE]
    found = find_anchors("Zaporizke near Ternove", gaz)
    assert [a.text for a in found] == ["Zaporizke", "Ternove"]
    anchors = Anchors.from_context(gaz, found, exclude=set(pids))
    assert anchors.text == ["Ternove"]


def test_bearing_picks_the_candidate_in_that_direction(gaz, p):
    # from Ternove, Novoheorhiivka lies SE (128°) and Berezove WSW (242°), both about 3 km away
    pids = [pid(NOVOHEORHIIVKA), pid(BEREZOVE)]
    plain = context_terms(gaz, pids, _one_anchor(gaz, TERNOVE))
    assert plain.logits[0] == pytest.approx(plain.logits[1], rel=0.15)
    se = context_terms(gaz, pids, _one_anchor(gaz, TERNOVE, bearing=[135.0]))
    assert se.logits[0] > 0.9 * plain.logits[0] and se.logits[1] < 0.4 * plain.logits[1]
    wsw = context_terms(gaz, pids, _one_anchor(gaz, TERNOVE, bearing=[247.5]))
    assert wsw.logits[1] > 0.9 * plain.logits[1] and wsw.logits[0] < 0.4 * plain.logits[0]
    # the kernel is multiplied by (1 + cos(angle off the stated bearing)) / 2
    col = gaz.col
    for k, code in enumerate((NOVOHEORHIIVKA, BEREZOVE)):
        _, az = ranking.approx_distances(
            col["lon"][pid(TERNOVE)], col["lat"][pid(TERNOVE)],
            col["lon"][pid(code)], col["lat"][pid(code)],
        )  # fmt: skip
        for terms, bearing in ((se, 135.0), (wsw, 247.5)):
            factor = 0.5 + 0.5 * math.cos(math.radians(float(az) - bearing))
            assert terms.logits[k] == pytest.approx(plain.logits[k] * factor)


def test_bearing_from_a_hint(gaz):
    codes = [NOVOHEORHIIVKA, BEREZOVE]
    _, se = _hint(gaz, "southeast of Ternove", codes)
    _, west = _hint(gaz, "W of Ternove", codes)
    assert se.logits[0] > se.logits[1]
    assert west.logits[1] > west.logits[0]


def test_bearing_applies_only_where_asked(gaz):
    pids = [pid(NOVOHEORHIIVKA), pid(BEREZOVE)]
    anchors = _one_anchor(gaz, TERNOVE, bearing=[135.0])
    plain = context_terms(gaz, pids, _one_anchor(gaz, TERNOVE))
    ignored = context_terms(gaz, pids, anchors, bearing=np.array([np.nan]))
    assert list(ignored.logits) == pytest.approx(list(plain.logits))


def test_given_km_prefers_the_candidate_at_that_distance(gaz, p):
    pids = [pid(ZAPORIZKE_VM), pid(ZAPORIZKE_MEZHOVA)]
    far = _km(gaz, ZAPORIZKE_MEZHOVA, NOVOHEORHIIVKA)
    near = _km(gaz, ZAPORIZKE_VM, NOVOHEORHIIVKA)
    plain = context_terms(gaz, pids, _one_anchor(gaz, NOVOHEORHIIVKA))
    assert plain.logits[0] > plain.logits[1]
    given = context_terms(gaz, pids, _one_anchor(gaz, NOVOHEORHIIVKA, km=[45.0]))
    assert given.logits[1] > given.logits[0]
    assert given.logits[1] == pytest.approx(
        p.anchor_weight * math.exp(-abs(far - 45.0) / p.given_km_scale)
    )
    assert p.anchor_weight * math.exp(-abs(near - 45.0) / p.given_km_scale) < p.min_gain
    assert given.logits[0] == 0.0  # 3 km away: far from the 45 km stated, dropped as noise


def test_given_km_from_a_hint(gaz):
    _, terms = _hint(gaz, "45 km NNE of Novoheorhiivka", [ZAPORIZKE_VM, ZAPORIZKE_MEZHOVA])
    assert terms.anchors.km[0] == 45.0 and terms.anchors.bearing[0] == 22.5
    assert terms.logits[1] > terms.logits[0]


def test_direction_reaches_farther(gaz, p):
    pids = [pid(ZAPORIZKE_MEZHOVA)]
    km = _km(gaz, ZAPORIZKE_MEZHOVA, NOVOHEORHIIVKA)
    plain = context_terms(gaz, pids, _one_anchor(gaz, NOVOHEORHIIVKA))
    axis = context_terms(gaz, pids, _one_anchor(gaz, NOVOHEORHIIVKA, direction=[True]))
    assert plain.logits[0] == pytest.approx(p.anchor_weight * math.exp(-km / p.anchor_scale_km))
    assert axis.logits[0] == pytest.approx(p.anchor_weight * math.exp(-km / p.direction_scale_km))
    assert axis.logits[0] > plain.logits[0]


def test_same_hromada_bonus(gaz, p):
    # Zaporizke VM shares Novoheorhiivka's hromada; Zaporizke Mezhova is in the same raion only
    pids = [pid(ZAPORIZKE_VM), pid(ZAPORIZKE_MEZHOVA)]
    plain = context_terms(gaz, pids, _one_anchor(gaz, NOVOHEORHIIVKA))
    same = context_terms(gaz, pids, _one_anchor(gaz, NOVOHEORHIIVKA, same_hromada=[True]))
    assert same.logits[0] - plain.logits[0] == pytest.approx(p.same_hromada_bonus)
    assert same.logits[1] == pytest.approx(plain.logits[1])


def test_hromada_named_after_an_anchor(gaz, p):
    # "Mezhova": Zaporizke Mezhova lies in the Mezhova hromada (and 2 km from Mezhova itself)
    pids = [pid(ZAPORIZKE_MEZHOVA), pid(ZAPORIZKE_VM)]
    terms = context_terms(gaz, pids, _one_anchor(gaz, MEZHOVA))
    named = [n for n in terms.notes if n[2] == "named"]
    assert len(named) == 1 and list(named[0][0]) == [True, False]
    assert named[0][1] == pytest.approx(p.named_after_weight)
    km = _km(gaz, ZAPORIZKE_MEZHOVA, MEZHOVA)
    assert terms.logits[0] == pytest.approx(
        p.named_after_weight + p.anchor_weight * math.exp(-km / p.anchor_scale_km)
    )


def test_unlocated_candidate_near_an_anchor_of_its_hromada(gaz, p):
    pids = [pid(ZORIA_UNLOCATED), pid(ZORIA_DONETSK)]
    near = context_terms(gaz, pids, _one_anchor(gaz, HLEIUVATKA, near=[True]))
    assert near.logits[0] == pytest.approx(p.anchor_weight * p.unlocated_factor)
    assert near.logits[1] == 0.0  # 300 km away
    plain = context_terms(gaz, pids, _one_anchor(gaz, HLEIUVATKA))
    assert plain.logits[0] == 0.0  # without "near" / "same hromada" nothing says so


# -- evidence -------------------------------------------------------------------------------------


def _gains(lines) -> list[float]:
    return [float(re.search(r": \+(\d+\.\d+)$", line).group(1)) for line in lines]


def test_prior_evidence_reads_the_terms(gaz):
    found = {pid(ZAPORIZKE_VM): (100.0, "Zaporizke", "kmu-2010")}
    found[pid(ZAPORIZKE_MEZHOVA)] = (90.0, "Zaporizke", "kmu-2010")
    terms = prior_terms(gaz, found)
    assert ranking.prior_evidence(gaz, terms, 0) == [
        "name: exact (kmu-2010)",
        f"prior: village, population 103: {terms.prior[0]:+.2f}",
    ]
    assert ranking.prior_evidence(gaz, terms, 1)[0] == "name: spelling 90% similar (kmu-2010)"
    city = prior_terms(gaz, _found([POKROVSK]))
    assert ranking.prior_evidence(gaz, city, 0)[1] == (
        f"prior: city, population 63,635: {city.prior[0]:+.2f}"
    )


def test_weak_and_former_name_evidence(gaz, p):
    found = {pid(DNIPROPETROVSK_OBLAST): (100.0, "Dnipropetrovsk", "official")}
    found[pid(DNIPRO)] = (100.0, "Dnipropetrovsk", "geonames")
    lines = ranking.prior_evidence(gaz, prior_terms(gaz, found), 1)
    assert lines[1] == (
        "another place has this name officially; this one only as a geonames spelling: "
        f"-{p.weak_source_penalty['geonames']:.2f}"
    )
    old = ranking.prior_evidence(gaz, prior_terms(gaz, _found([DNIPRO], source="old-name")), 0)
    assert old[1] == f"matched a former name (renamed): -{p.old_name_penalty:.2f}"


def test_front_line_evidence(p):
    table = places_table()
    table["front_km"] = np.where(table["katottg"] == ZAPORIZKE_VM, 0.27, np.nan)
    gaz = Gazetteer.from_frames(table)
    terms = prior_terms(gaz, {gaz.katottg_index[ZAPORIZKE_VM]: (100.0, "Zaporizke", "official")})
    gain = p.front_weight * math.exp(-0.27 / p.front_scale_km)
    assert ranking.prior_evidence(gaz, terms, 0)[-1] == (
        f"0.3 km from the line of contact at its nearest (DeepStateMap archive): +{gain:.2f}"
    )
    dated = prior_terms(
        gaz,
        {gaz.katottg_index[ZAPORIZKE_VM]: (100.0, "Zaporizke", "official")},
        front_km=np.array([1.0]),
        front_label="on 2025-06-08 (DeepStateMap snapshot 2025-06-08)",
    )
    assert ranking.prior_evidence(gaz, dated, 0)[-1].startswith(
        "1.0 km from the line of contact on 2025-06-08 (DeepStateMap snapshot 2025-06-08): +"
    )


def test_context_evidence_lines_are_the_terms(gaz):
    codes = [ZAPORIZKE_VM, ZAPORIZKE_DONETSK]
    _, terms = _hint(gaz, "near Novoheorhiivka, Donetsk Oblast", codes)
    vm = ranking.context_evidence(gaz, terms, 0)
    km = _km(gaz, ZAPORIZKE_VM, NOVOHEORHIIVKA)
    assert len(vm) == 1
    assert vm[0].startswith(f"{km:.1f} km from Novoheorhiivka ('Novoheorhiivka' in context): +")
    assert _gains(vm) == pytest.approx([terms.logits[0]], abs=0.005)
    donetsk = ranking.context_evidence(gaz, terms, 1)
    assert donetsk[0] == "in Donetsk oblast named in context ('Donetsk Oblast'): +4.0"
    # every printed gain is a term, and together they are the whole context score
    assert sum(_gains(donetsk)) == pytest.approx(terms.logits[1], abs=0.01 * len(donetsk))


def test_context_evidence_names_bearing_and_axis(gaz):
    pids = [pid(NOVOHEORHIIVKA), pid(BEREZOVE)]
    terms = context_terms(gaz, pids, _one_anchor(gaz, TERNOVE, bearing=[135.0], direction=[True]))
    line = ranking.context_evidence(gaz, terms, 0, ranking.DOCUMENT)[0]
    assert re.fullmatch(
        r"\d+\.\d km from Ternove \('Ternove' in the text; bearing 1[23]\d° vs 135° stated; "
        r"direction/axis\): \+\d+\.\d\d",
        line,
    ), line


def test_context_evidence_is_largest_first_and_bounded(gaz, p):
    pids = [pid(ZAPORIZKE_VM)]
    rows = [
        ("Novoheorhiivka", [pid(NOVOHEORHIIVKA)], [1.0]),
        ("Ternove", [pid(TERNOVE)], [1.0]),
        ("Berezove", [pid(BEREZOVE)], [1.0]),
        ("Synelnykivskyi raion", [pid(SYNELNYKOVE_RAION)], [1.0]),
        ("Velykomykhailivska hromada", [pid(VELYKOMYKHAILIVKA_HROMADA)], [1.0]),
    ]
    terms = context_terms(gaz, pids, Anchors.build(gaz, rows))
    lines = ranking.context_evidence(gaz, terms, 0)
    gains = _gains(lines)
    assert len(lines) == 5 and gains == sorted(gains, reverse=True)
    assert sum(gains) == pytest.approx(terms.logits[0], abs=0.05)
    short = ranking.context_evidence(gaz, terms, 0, p=dataclasses.replace(p, max_evidence=2))
    assert short == lines[:2]


def test_evidence_for_a_candidate_without_context_is_empty(gaz):
    _, terms = _hint(gaz, "Donetsk Oblast", [ZAPORIZKE_VM, ZAPORIZKE_DONETSK])
    assert ranking.context_evidence(gaz, terms, 0) == []
    assert terms.logits[0] == 0.0


def _dense_pairs(lon0, lat0, lon1, lat1, reach, rows):
    """The reference: the km bound of every pair (the latitude or the longitude difference
    alone, at the fewest km per degree any pair can have), against each pair's reach."""
    from tracker.ranking.terms import _KM_PER_LAT_MIN

    top = np.radians(max(np.abs(lat0).max(), np.abs(lat1).max()))
    per_lon = max(0.0, 111.41288 * np.cos(top) - 0.09350 * np.cos(3.0 * top)) * (1.0 - 1e-9)
    dy = np.abs(lat0[:, None] - lat1[None, :]) * (_KM_PER_LAT_MIN * (1.0 - 1e-9))
    dx = np.abs(lon0[:, None] - lon1[None, :]) * per_lon
    return np.nonzero(np.maximum(dx, dy) <= reach[rows])


@pytest.mark.parametrize("seed", range(24))
def test_pairs_within_reach_are_those_of_the_bound_of_every_pair(seed):
    # the latitude-window search gives exactly the pairs the dense bound matrix gives,
    # including places worth nothing (never) and places with no floor (always computed),
    # for several names at once and for one
    from types import SimpleNamespace

    from tracker.ranking.terms import _within_reach, _within_reach_all

    rng = np.random.default_rng(seed)
    most = 600 if seed % 4 == 3 else 60  # also enough candidates for many strips of longitude
    n_cand, n_place, n_names = rng.integers(1, most), rng.integers(1, 80), rng.integers(1, 5)
    lon0, lat0 = rng.uniform(22, 40, n_cand), rng.uniform(44, 52.4, n_cand)
    lon0[: n_cand // 4] = rng.choice(lon0, n_cand // 4)  # ties in longitude
    lon1, lat1 = rng.uniform(22, 40, n_place), rng.uniform(44, 52.4, n_place)
    lat0[: n_cand // 3] = lat1[0]  # ties in latitude
    scale = rng.choice([15.0, 40.0], (n_names, n_place))
    worth = rng.uniform(0, 2, (n_names, n_place))
    worth[rng.random((n_names, n_place)) < 0.2] = 0.0
    worth[rng.random((n_names, n_place)) < 0.05] = np.nan  # no floor known
    rows = rng.integers(0, n_names, n_cand)
    anchors = SimpleNamespace(same_hromada=np.zeros(1, bool), km=np.full(n_place, np.nan))
    p = ranking.params()
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = scale * (np.log(worth / p.min_gain) + 0.01)
    reach[np.isnan(reach)] = np.inf
    reach[worth == 0] = -np.inf
    got = _within_reach_all(lon0, lat0, lon1, lat1, scale, worth, anchors, p, rows)
    want = _dense_pairs(lon0, lat0, lon1, lat1, reach, rows)
    assert got is not None
    assert sorted(zip(*got, strict=True)) == sorted(zip(*want, strict=True))
    seg = np.arange(n_place)
    one = _within_reach(lon0, lat0, lon1, lat1, scale[0], worth[0], seg, anchors, p)
    want_one = _dense_pairs(lon0, lat0, lon1, lat1, reach[:1], np.zeros(n_cand, dtype=int))
    assert one is not None
    assert sorted(zip(*one, strict=True)) == sorted(zip(*want_one, strict=True))


@pytest.mark.parametrize("seed", range(8))
def test_best_of_segments_is_reduceat_and_argmax_of_the_dense_matrix(seed):
    # the best value of each (candidate, anchor) and the first place holding it, read off the
    # pairs alone, are what the candidates x places matrix (zero but at the pairs) gives
    from tracker.ranking.terms import _best_of_segments

    rng = np.random.default_rng(seed)
    n_rows, sizes = int(rng.integers(1, 40)), rng.integers(1, 6, int(rng.integers(1, 12)))
    firsts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    n_cols = int(sizes.sum())
    dense = np.zeros((n_rows, n_cols))
    pairs = rng.random((n_rows, n_cols)) < rng.uniform(0.05, 0.6)
    rows, cols = np.nonzero(pairs)
    value = rng.choice([0.0, 0.25, 0.5, 1.0, rng.uniform()], rows.size)  # zeros and ties
    dense[rows, cols] = value
    segment = np.repeat(np.arange(len(sizes)), sizes)[cols]
    order = rng.permutation(rows.size)  # in any order
    best, at = _best_of_segments(
        rows[order], segment[order], cols[order], value[order], firsts, (n_rows, len(sizes))
    )
    assert np.array_equal(best, np.maximum.reduceat(dense, firsts, axis=1))
    want = np.stack(
        [a + np.argmax(dense[:, a : a + n], axis=1) for a, n in zip(firsts, sizes, strict=True)],
        axis=1,
    )
    assert np.array_equal(at, want)


def test_geodesic_gives_the_same_figures_for_few_pairs_and_many():
    # a few pairs are computed without PROJ (GeographicLib); they agree with PROJ's figures
    rng = np.random.default_rng(11)
    lon0, lat0 = rng.uniform(22, 40, 300), rng.uniform(44, 52.4, 300)
    lon1, lat1 = lon0 + rng.normal(0, 0.4, 300), lat0 + rng.normal(0, 0.3, 300)
    km_many, az_many = ranking.geodesic(lon0, lat0, lon1, lat1)
    km_few, az_few = ranking.geodesic(lon0[:20], lat0[:20], lon1[:20], lat1[:20])
    np.testing.assert_allclose(km_few, km_many[:20], rtol=1e-10)
    np.testing.assert_allclose(az_few, az_many[:20], atol=1e-8)
    assert [f"{k:.1f} {a:.0f}" for k, a in zip(km_few, az_few, strict=True)] == [
        f"{k:.1f} {a:.0f}" for k, a in zip(km_many[:20], az_many[:20], strict=True)
    ]
    km, az = ranking.geodesic(30.5234, 50.4501, 36.2304, 49.9935)  # Kyiv -> Kharkiv
    assert km.shape == () and 405 < float(km) < 415 and 90 < float(az) < 110


def _section(gaz):
    """A document section's worth of names and anchors on the tiny gazetteer: names with
    several candidates, anchors that are settlements (some of several places) and regions."""
    names = [
        [pid(c) for c in ZAPORIZKE],
        [pid(NOVOHEORHIIVKA), pid(NOVOHEORHIIVKA_MYKOLAIV)],
        [pid(ZORIA_DONETSK), pid(ZORIA_POKROVSK), pid(ZORIA_UNLOCATED)],
        [pid(BEREZOVE)],
        [pid(POKROVSK)],
    ]
    rows = [
        # (the nearest place of an anchor is not always its first)
        ("Zaporizke", names[0][::-1], [0.5, 0.6, 0.7, 0.8, 0.9, 1.0][-len(names[0]) :]),
        ("Novoheorhiivka", names[1][::-1], [0.6, 1.0]),
        ("Zoria", names[2], [1.0, 0.9, 0.2]),
        ("Berezove", names[3], [1.0]),
        ("Pokrovsk", names[4], [1.0]),
        ("Donetsk Oblast", [pid(DONETSK_OBLAST)], [1.0]),
        ("Mezhova", [pid(MEZHOVA)], [1.0]),
    ]
    return names, rows


def test_names_ranked_together_get_the_terms_of_every_pair(gaz, p):
    # a section's names share one block of values; each name's gains are still those of its
    # own pairs (computed here one by one), and its evidence names each anchor's best place
    from tracker.ranking.terms import _closeness

    names, rows = _section(gaz)
    anchors = Anchors.build(gaz, rows)
    col = gaz.col
    rng = np.random.default_rng(5)
    n, m = len(names), len(rows)
    weight = rng.choice([0.0, 0.2, 0.35, 0.6, 1.0], size=(n, m))
    weight[np.arange(n), np.arange(n)] = 0.0  # a name is no anchor of itself
    bearing = np.where(rng.random((n, m)) < 0.3, rng.uniform(0, 360, (n, m)), np.nan)
    direction = rng.random((n, m)) < 0.3
    together = ranking.context_terms_many(
        gaz, names, anchors, weight=weight, bearing=bearing, direction=direction
    )
    checked = 0
    for g, terms in enumerate(together):
        counted = [a for a in range(m) if (anchors.seg == a).any() and weight[g, a] != 0]
        for row, k in enumerate(terms.located.tolist()):
            q = names[g][k]
            gains, best_place = [], {}
            for a in counted:
                places = anchors.place[anchors.seg == a]
                scale = p.direction_scale_km if direction[g, a] else p.anchor_scale_km
                value = _closeness(
                    col["lon"][q], col["lat"][q], col["lon"][places], col["lat"][places],
                    np.full(len(places), np.nan), np.full(len(places), scale),
                    np.full(len(places), bearing[g, a]), p,
                ) * anchors.belief[anchors.seg == a]  # fmt: skip
                gain = p.anchor_weight * value.max() * weight[g, a]
                gains.append(gain if gain >= p.min_gain else 0.0)
                best = places[int(np.argmax(value))]
                km, _ = ranking.geodesic(col["lon"][best], col["lat"][best], col["lon"][q],
                                         col["lat"][q])  # fmt: skip
                best_place[anchors.text[a]] = f"{float(km):.1f} km from {col['name'][best]}"
            np.testing.assert_allclose(terms.gain[row], gains, rtol=1e-12, atol=0)
            for line in ranking.context_evidence(gaz, terms, k, ranking.DOCUMENT):
                if " km from " in line:
                    place, text = re.match(r"(.+? km from .+?) \('(.+?)'", line).groups()
                    assert place == best_place[text], line
                    checked += 1
    assert checked >= 5
    pairs = [(t, int(np.argmax(t.logits))) for t in together]
    assert ranking.context_evidence_pairs(gaz, pairs, ranking.DOCUMENT) == [
        ranking.context_evidence(gaz, t, k, ranking.DOCUMENT) for t, k in pairs
    ]


def test_anchor_rows_kept_for_a_document_are_the_rows_built_anew(gaz):
    _, rows = _section(gaz)
    memo: dict = {}
    fresh = Anchors.build(gaz, rows)
    first = Anchors.build(gaz, rows, memo=memo)
    assert len(memo) == len(rows)
    again = Anchors.build(gaz, rows[::-1], memo=memo)  # another section: the same rows
    assert len(memo) == len(rows)
    for built in (first, again):
        order = range(len(rows)) if built is first else range(len(rows))[::-1]
        for a, b in enumerate(order):
            np.testing.assert_array_equal(built.place[built.seg == a], fresh.place[fresh.seg == b])
            np.testing.assert_array_equal(
                built.belief[built.seg == a], fresh.belief[fresh.seg == b]
            )
            assert built.hromadas[a] == fresh.hromadas[b]
            assert [x[1:] for x in built.regions if x[0] == a] == [
                x[1:] for x in fresh.regions if x[0] == b
            ]
    # the same places with other beliefs (another date's front line) are another row
    other_beliefs = [(text, pids, [b / 2 for b in bel]) for text, pids, bel in rows]
    halved = Anchors.build(gaz, other_beliefs, memo=memo)
    assert len(memo) == 2 * len(rows)
    np.testing.assert_array_equal(halved.belief, fresh.belief / 2)
    # excluded places (a question's own candidates) are never kept
    Anchors.build(gaz, rows, memo=(other := {}), exclude={pid(BEREZOVE)})
    assert other == {}
