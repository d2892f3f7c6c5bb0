"""Priors and the hyphen tie of the one ranking model (tracker.ranking, issue 11): a regional
centre and a hromada centre are named more often than same-named villages, but not when the
match is only a weak spelling ("Dnipropetrovsk" is no longer Dnipro's name); a weak spelling
costs by its source; two names joined by a hyphen are one axis (the strongest proximity
weight and the direction scale). In-code gazetteer, and the real build for `tracker where`."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

from tests.fixtures_gazetteer import (
    DNIPRO,
    DNIPROPETROVSK_OBLAST,
    DONETSK_CITY,
    MEZHOVA,
    POKROVSK,
    SHEVCHENKO,
    YABLUNIVKA_SUMY,
    YUNAKIVKA,
    ZAPORIZHZHIA_CITY,
    ZAPORIZHZHIA_VILLAGE,
    pid,
    wider,
)
from tracker import ranking
from tracker.gazetteer import Gazetteer
from tracker.mentions import find_mentions
from tracker.resolve import resolve_mentions


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return wider()


@pytest.fixture(scope="module")
def p() -> ranking.RankingParams:
    return ranking.params()


def _size(gaz, p, code: str) -> float:
    """The category and population terms alone (what every settlement gets)."""
    i = pid(code, gaz)
    cat = p.category_prior[gaz.col["category"][i]]
    return cat + p.population_weight * np.log10(1.0 + gaz.col["population"][i] / 100.0)


def _prior(gaz, code: str, source: str = "kmu-2010") -> float:
    found = {pid(code, gaz): (100.0, "name", source)}
    return float(ranking.prior_terms(gaz, found).prior[0])


# -- centres --------------------------------------------------------------------------------------


def test_the_regional_centre_bonus(gaz, p):
    """The biggest city of its oblast (Donetsk city) gets ``regional_centre``; a city that is
    not (Pokrovsk, smaller than Donetsk) does not."""
    assert gaz.col["is_regional_centre"][pid(DONETSK_CITY, gaz)]
    assert _prior(gaz, DONETSK_CITY) == pytest.approx(
        _size(gaz, p, DONETSK_CITY) + p.regional_centre
    )
    assert not gaz.col["is_regional_centre"][pid(POKROVSK, gaz)]


def test_the_hromada_centre_bonus(gaz, p):
    """A settlement that names its hromada (Pokrovsk, Mezhova) gets ``hromada_centre``; another
    village of the same hromada (Shevchenko) does not."""
    for code in (POKROVSK, MEZHOVA):
        assert _prior(gaz, code) == pytest.approx(_size(gaz, p, code) + p.hromada_centre)
    assert _prior(gaz, SHEVCHENKO) == pytest.approx(_size(gaz, p, SHEVCHENKO))


def test_both_centre_bonuses_make_the_city_win_over_its_namesake(gaz, p):
    """Zaporizhzhia city (regional and hromada centre) against the village Zaporizhzhia."""
    city, village = pid(ZAPORIZHZHIA_CITY, gaz), pid(ZAPORIZHZHIA_VILLAGE, gaz)
    found = {
        city: (100.0, "Zaporizhzhia", "kmu-2010"),
        village: (100.0, "Zaporizhzhia", "kmu-2010"),
    }
    terms = ranking.prior_terms(gaz, found)
    expected = _size(gaz, p, ZAPORIZHZHIA_CITY) + p.regional_centre + p.hromada_centre
    assert terms.prior[0] == pytest.approx(expected)
    assert terms.prior[1] == pytest.approx(_size(gaz, p, ZAPORIZHZHIA_VILLAGE))


@pytest.mark.parametrize("source", ["geonames", "geonames-other", "old-name"])
def test_no_centre_bonus_for_a_weak_spelling(gaz, p, source):
    """Dnipro matched by its former name "Dnipropetrovsk" (a weak source) gets no regional
    centre bonus."""
    assert _prior(gaz, DNIPRO, source) == pytest.approx(_size(gaz, p, DNIPRO))
    assert _prior(gaz, DNIPRO) == pytest.approx(_size(gaz, p, DNIPRO) + p.regional_centre)


@pytest.mark.parametrize("source", ["geonames", "geonames-other", "old-name"])
def test_weak_source_penalty_by_source(gaz, p, source):
    """When another candidate has the name officially, a weak spelling costs by its source
    (an alternate that is another name of a place costs more than one that spells it)."""
    found = {
        pid(DNIPROPETROVSK_OBLAST, gaz): (100.0, "Dnipropetrovsk", "official"),
        pid(DNIPRO, gaz): (100.0, "Dnipropetrovsk", source),
    }
    terms = ranking.prior_terms(gaz, found)
    assert bool(terms.weak[1]) and not terms.weak[0]
    paid = terms.prior[1] + terms.front_gain[1] - terms.logits[1]
    assert paid == pytest.approx(p.weak_source_penalty[source])
    assert p.weak_source_penalty["geonames-other"] > p.weak_source_penalty["geonames"]


def test_where_dnipropetrovsk_is_the_oblast_on_the_tiny_gazetteer(gaz):
    """`where Dnipropetrovsk`: the oblast first, Dnipro (its former name) behind."""
    from tracker.whereis import where

    found = where("Dnipropetrovsk", gazetteer=gaz)
    assert [c.katottg for c in found][:2] == [DNIPROPETROVSK_OBLAST, DNIPRO]


def test_cli_where_dnipropetrovsk_is_the_oblast(built):
    """`tracker where Dnipropetrovsk` on the real build."""
    from tracker.cli import main

    result = CliRunner().invoke(main, ["where", "Dnipropetrovsk", "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["katottg"] == DNIPROPETROVSK_OBLAST and rows[0]["kind"] == "oblast"
    assert rows[1]["katottg"] == DNIPRO and rows[0]["score"] > 0.9


# -- hyphen pairs ---------------------------------------------------------------------------------


def _gain(resolved, text: str, anchor: str) -> float:
    (r,) = [r for r in resolved if r.mention.text == text]
    line = next(e for e in r.evidence if f"from {anchor} (" in e)
    return float(re.search(r": \+([\d.]+)$", line).group(1))


def test_a_hyphen_pair_is_one_axis(gaz, p):
    """ "the Yablunivka-Yunakivka section": Yunakivka counts for Yablunivka with the
    ``hyphen_pair`` proximity weight at the ``direction_scale_km`` scale; "Yablunivka and
    Yunakivka" with the sentence weight at the anchor scale."""
    a, b = pid(YABLUNIVKA_SUMY, gaz), pid(YUNAKIVKA, gaz)
    km, _ = ranking.approx_distances(
        gaz.col["lon"][a], gaz.col["lat"][a], gaz.col["lon"][b], gaz.col["lat"][b]
    )
    km = float(km)
    pair = "Fighting on the Yablunivka-Yunakivka section."
    listed = "Fighting near Yablunivka and Yunakivka."
    r_pair = resolve_mentions(pair, find_mentions(pair, gaz), gaz)
    r_list = resolve_mentions(listed, find_mentions(listed, gaz), gaz)
    axis = p.anchor_weight * p.hyphen_pair * np.exp(-km / p.direction_scale_km)
    near = p.anchor_weight * p.same_sentence * np.exp(-km / p.anchor_scale_km)
    assert _gain(r_pair, "Yablunivka", "Yunakivka") == pytest.approx(axis, abs=0.01)
    assert _gain(r_list, "Yablunivka", "Yunakivka") == pytest.approx(near, abs=0.01)
    assert "direction/axis" in next(e for e in r_pair[0].evidence if "from Yunakivka" in e)
    assert p.hyphen_pair > p.same_sentence and p.direction_scale_km > p.anchor_scale_km
    # both name the Sumy Yablunivka; the hyphen more surely
    assert r_pair[0].place.katottg == r_list[0].place.katottg == YABLUNIVKA_SUMY
    assert r_pair[0].confidence > r_list[0].confidence
