"""Named operational directions (knowledge/directions.toml, issue 11): "the Novopavlivka
direction" is the settlement the military name the axis after, a plural "directions" makes the
whole list directions, an area direction is an area (kind "other"), and a which-region hint
naming the asked place's direction picks that settlement (the in-code gazetteer)."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import (
    KHARKIV_OBLAST,
    NOVOPAVLIVKA,
    NOVOPAVLIVKA_POKROVSK,
    OLEKSANDRIVKA,
    OLEKSANDRIVKA_DONETSK,
    POKROVSK,
    code,
    wider,
)
from tracker import cues, ranking
from tracker.gazetteer import Gazetteer
from tracker.mentions import find_mentions
from tracker.resolve import resolve_mentions
from tracker.whereis import where


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return wider()


def _resolve(text: str, gaz):
    return {r.mention.text: r for r in resolve_mentions(text, find_mentions(text, gaz), gaz)}


def test_the_table_names_the_settlements_of_the_fixture():
    """The fixture's settlements are the table's (so the tests below test the table)."""
    table = cues.directions()
    assert table["novopavlivka"].place == NOVOPAVLIVKA
    assert table["oleksandrivka"].place == OLEKSANDRIVKA
    assert table["south slobozhanskyi"].region == "Kharkiv"


def test_a_named_direction_is_the_axis_settlement(gaz):
    """ "the Novopavlivka direction" next to Pokrovsk: the Dnipropetrovsk village the axis is
    named after, not the namesake 4 km from Pokrovsk that the context would pick."""
    text = "Russian forces attacked on the Novopavlivka direction near Pokrovsk."
    (m, _) = find_mentions(text, gaz)
    assert [code(p, gaz) for p in m.candidates] == [NOVOPAVLIVKA]
    assert m.cue == "direction" and m.sources == ("direction",)
    assert _resolve(text, gaz)["Novopavlivka"].place.katottg == NOVOPAVLIVKA
    # without the direction word the context decides: the village by Pokrovsk
    plain = _resolve("Fighting near Novopavlivka and Pokrovsk.", gaz)["Novopavlivka"]
    assert plain.place.katottg == NOVOPAVLIVKA_POKROVSK


@pytest.mark.parametrize("word", ["axis", "sector"])
def test_other_direction_words(gaz, word):
    """ "the Novopavlivka axis / sector" read like "direction"."""
    (m,) = find_mentions(f"Fighting continued on the Novopavlivka {word}.", gaz)
    assert [code(p, gaz) for p in m.candidates] == [NOVOPAVLIVKA]


def test_a_plural_directions_word_makes_the_whole_list_directions(gaz):
    """ "the Novopavlivka, Oleksandrivka and Pokrovsk directions": every name of the list."""
    text = "Clashes continued on the Novopavlivka, Oleksandrivka and Pokrovsk directions."
    ms = find_mentions(text, gaz)
    assert [m.text for m in ms] == ["Novopavlivka", "Oleksandrivka", "Pokrovsk"]
    assert all(m.cue == "direction" for m in ms)
    assert [[code(p, gaz) for p in m.candidates] for m in ms] == [
        [NOVOPAVLIVKA],
        [OLEKSANDRIVKA],
        [POKROVSK],
    ]
    # a list without the plural word keeps every namesake
    plain = find_mentions("Clashes continued in Novopavlivka, Oleksandrivka and Pokrovsk.", gaz)
    assert {code(p, gaz) for p in plain[1].candidates} == {OLEKSANDRIVKA, OLEKSANDRIVKA_DONETSK}


def test_an_area_direction_is_an_area_of_its_oblast(gaz):
    """An area direction ("the South Slobozhanskyi direction") is kind "other", in Kharkiv
    oblast."""
    text = "Russian forces attacked on the South Slobozhanskyi direction."
    (m,) = find_mentions(text, gaz)
    assert m.text == "South Slobozhanskyi" and m.kind == "other"
    assert [code(p, gaz) for p in m.candidates] == [KHARKIV_OBLAST]
    (r,) = resolve_mentions(text, [m], gaz)
    assert r.place.katottg == KHARKIV_OBLAST and r.place.oblast == "Kharkiv"


def test_a_hint_naming_the_asked_places_direction(gaz):
    """`where X --context "... the X direction"`: the settlement the axis is named after,
    even against a nearby anchor that favours its namesake."""
    near = where("Novopavlivka", context="near Pokrovsk", gazetteer=gaz)
    assert near[0].katottg == NOVOPAVLIVKA_POKROVSK
    both = where(
        "Novopavlivka",
        context="near Pokrovsk; fighting on the Novopavlivka direction",
        gazetteer=gaz,
    )
    assert both[0].katottg == NOVOPAVLIVKA
    p = ranking.params()
    line = f"the axis the text names after it (Novopavlivka direction): +{p.named_direction:.1f}"
    assert line in both[0].evidence
    assert not any("names after it" in e for e in near[0].evidence)


def test_a_hint_naming_another_direction_gives_no_axis_bonus(gaz):
    """A hint that names a different place's direction ("the Pokrovsk direction") is an anchor,
    not the asked place's axis."""
    found = where("Novopavlivka", context="on the Pokrovsk direction", gazetteer=gaz)
    assert not any("names after it" in e for c in found for e in c.evidence)
