"""tracker.context on the tiny gazetteer: anchors of a hint and what the hint says of them
(no data build)."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import (
    DONETSK_OBLAST,
    MEZHOVA,
    MYRNOHRAD,
    NOVOHEORHIIVKA,
    NOVOHEORHIIVKA_MYKOLAIV,
    POKROVSK,
    VELYKOMYKHAILIVKA_HROMADA,
    VESELYI_KUT,
    ZAPORIZHZHIA_OBLAST,
    ZAPORIZKE,
    code,
    tiny,
)
from tracker.context import Anchor, bearing_before, find_anchors
from tracker.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return tiny()


def _one(text: str, gaz, **kwargs) -> Anchor:
    found = find_anchors(text, gaz, **kwargs)
    assert len(found) == 1, found
    return found[0]


def _codes(anchor: Anchor) -> set[str]:
    return {code(p) for p in anchor.places}


# -- what is an anchor ----------------------------------------------------------------------------


def test_anchor_span_and_places(gaz):
    text = "fighting near Pokrovsk and Myrnohrad, Donetsk Oblast"
    found = find_anchors(text, gaz)
    assert [(a.start, a.end, a.text) for a in found] == [
        (14, 22, "Pokrovsk"),
        (27, 36, "Myrnohrad"),
        (38, 52, "Donetsk Oblast"),
    ]
    assert all(text[a.start : a.end] == a.text for a in found)
    assert [_codes(a) for a in found] == [{POKROVSK}, {MYRNOHRAD}, {DONETSK_OBLAST}]
    assert all(a.similarity == (100.0,) for a in found)


def test_anchor_lists_every_place_of_the_name(gaz):
    anchor = _one("SE of Novoheorhiivka", gaz)
    assert _codes(anchor) == {NOVOHEORHIIVKA, NOVOHEORHIIVKA_MYKOLAIV}
    assert anchor.similarity == (100.0, 100.0)


def test_longest_name_first(gaz):
    assert _codes(_one("Veselyi Kut", gaz)) == {VESELYI_KUT}
    unit = _one("in Velykomykhailivska territorial community", gaz)
    assert unit.text == "Velykomykhailivska territorial community"
    assert _codes(unit) == {VELYKOMYKHAILIVKA_HROMADA}
    assert _codes(_one("Polohy, Zaporizhia Oblast", gaz)) == {ZAPORIZHZHIA_OBLAST}
    # max_words bounds the n-grams tried: the bare adjective is then the whole anchor
    short = _one("Velykomykhailivska territorial community", gaz, max_words=2)
    assert (short.start, short.end) == (0, len("Velykomykhailivska"))


def test_loose_spelling_has_its_similarity(gaz):
    anchor = _one("near Novoheorhievka", gaz)  # a spelling no source has
    assert _codes(anchor) == {NOVOHEORHIIVKA, NOVOHEORHIIVKA_MYKOLAIV}
    assert all(80 <= s < 100 for s in anchor.similarity)


def test_not_anchors(gaz):
    assert find_anchors("mezhova", gaz) == []  # lower case is not a name
    assert find_anchors("Mezh", gaz) == []  # too short for a loose match
    assert find_anchors("The North of the country", gaz) == []  # stop words
    assert find_anchors("", gaz) == []


def test_exclude_skips_the_asked_name(gaz):
    text = "Zaporizke near Mezhova"
    both = find_anchors(text, gaz)
    assert [a.text for a in both] == ["Zaporizke", "Mezhova"]
    assert _codes(both[0]) == set(ZAPORIZKE)
    assert [a.text for a in find_anchors(text, gaz, exclude={"zaporizke"})] == ["Mezhova"]


# -- bearings and distances -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hint", "bearing"),
    [
        ("SE of Mezhova", 135.0),
        ("southeast of Mezhova", 135.0),
        ("south-east of Mezhova", 135.0),
        ("north east of Mezhova", 45.0),
        ("Northeast of Mezhova", 45.0),
        ("ESE of Mezhova", 112.5),
        ("NNW of Mezhova", 337.5),
        ("W of Mezhova", 270.0),
        ("north of the town of Mezhova", 0.0),
        ("south from Mezhova", 180.0),
    ],
)
def test_bearing(gaz, hint, bearing):
    anchor = _one(hint, gaz)
    assert _codes(anchor) == {MEZHOVA}
    assert anchor.bearing == bearing
    assert anchor.km is None


def test_no_bearing_without_a_compass_phrase(gaz):
    assert _one("near Mezhova", gaz).bearing is None
    assert _one("Mezhova", gaz).bearing is None


@pytest.mark.parametrize(
    ("hint", "km", "bearing"),
    [
        ("5 km N of the village of Mezhova", 5.0, 0.0),
        ("3 kilometres south-east of Mezhova", 3.0, 135.0),
        ("2.5 km SW of Mezhova", 2.5, 225.0),
        ("SW (12 km) of Mezhova", 12.0, 225.0),
    ],
)
def test_distance_with_a_bearing(gaz, hint, km, bearing):
    anchor = _one(hint, gaz)
    assert (anchor.km, anchor.bearing) == (km, bearing)


def test_distance_without_a_bearing(gaz):
    assert _one("10 km from Mezhova", gaz).km == 10.0


def test_bearing_before():
    assert bearing_before("5 km SE of ") == 135.0
    assert bearing_before("just E of the ") == 90.0
    assert bearing_before("villages north-west of the ", strict=True) == 315.0
    assert bearing_before("E of ", strict=True) is None  # a lone letter in prose is no bearing
    assert bearing_before("SE of Mezhova and ") is None  # the phrase must end the text
    assert bearing_before("") is None


# -- direction, near, same hromada ----------------------------------------------------------------


@pytest.mark.parametrize("hint", ["in the Pokrovsk direction", "Pokrovsk axis", "Pokrovsk front"])
def test_direction(gaz, hint):
    anchor = _one(hint, gaz)
    assert _codes(anchor) == {POKROVSK}
    assert anchor.direction is True and anchor.near is False


def test_hyphenated_pair_of_anchors(gaz):
    found = find_anchors("in the Pokrovsk-Myrnohrad direction", gaz)
    assert [a.text for a in found] == ["Pokrovsk", "Myrnohrad"]


@pytest.mark.parametrize(
    "hint", ["near Mezhova", "outside Mezhova", "close to the Mezhova", "around Mezhova"]
)
def test_near(gaz, hint):
    anchor = _one(hint, gaz)
    assert anchor.near is True and anchor.direction is False and anchor.bearing is None


def test_near_applies_to_the_name_after_it_only(gaz):
    first, second = find_anchors("SE of Mezhova and near Pokrovsk", gaz)
    assert (first.text, first.bearing, first.near) == ("Mezhova", 135.0, False)
    assert (second.text, second.bearing, second.near) == ("Pokrovsk", None, True)


@pytest.mark.parametrize(
    "hint", ["near Mezhova (same hromada)", "Mezhova, same community", "same municipality: Mezhova"]
)
def test_same_hromada(gaz, hint):
    assert _one(hint, gaz).same_hromada is True


def test_same_hromada_applies_to_every_anchor_of_the_hint(gaz):
    found = find_anchors("Pokrovsk and Myrnohrad (same hromada)", gaz)
    assert [a.same_hromada for a in found] == [True, True]
    assert [a.same_hromada for a in find_anchors("Pokrovsk and Myrnohrad", gaz)] == [False, False]


def test_default_weight(gaz):
    assert _one("Mezhova", gaz).weight == 1.0
