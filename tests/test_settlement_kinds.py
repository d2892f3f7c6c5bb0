"""City versus same-named village versus oblast (tracker.mentions.kinds, issue 11): "X City",
"the city of X", "the town of X", "the village of X" keep those kinds; an oblast-centre name
joined by a hyphen or a list to settlements is the city even where the document calls it a
region elsewhere; "70% of Donetsk" is the oblast. On the in-code gazetteer: Zaporizhzhia city
and a village Zaporizhzhia by Pokrovsk; Polohy city and the village Polohy of its hromada."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import (
    DONETSK_CITY,
    DONETSK_OBLAST,
    POLOHY,
    POLOHY_VILLAGE,
    ZAPORIZHZHIA_CITY,
    ZAPORIZHZHIA_OBLAST,
    ZAPORIZHZHIA_VILLAGE,
    code,
    wider,
)
from tracker.gazetteer import Gazetteer
from tracker.mentions import find_mentions
from tracker.resolve import resolve_mentions


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return wider()


def _mention(text: str, surface: str, gaz):
    (m,) = [m for m in find_mentions(text, gaz) if m.text.startswith(surface)]
    return m


def _codes(m, gaz) -> set[str]:
    return {code(p, gaz) for p in m.candidates}


def test_a_bare_name_has_every_kind(gaz):
    """The control: a bare "Zaporizhzhia" / "Polohy" keeps the city and the village."""
    assert _codes(_mention("Missiles hit Zaporizhzhia.", "Zaporizhzhia", gaz), gaz) == {
        ZAPORIZHZHIA_CITY,
        ZAPORIZHZHIA_VILLAGE,
    }
    assert _codes(_mention("Shelling hit Polohy.", "Polohy", gaz), gaz) == {POLOHY, POLOHY_VILLAGE}


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Missiles hit Zaporizhzhia City overnight.", "Zaporizhzhia City", ZAPORIZHZHIA_CITY),
        ("Missiles hit the city of Zaporizhzhia overnight.", "Zaporizhzhia", ZAPORIZHZHIA_CITY),
        ("Shelling hit the village of Zaporizhzhia.", "Zaporizhzhia", ZAPORIZHZHIA_VILLAGE),
        ("Shelling hit Polohy City.", "Polohy City", POLOHY),
        ("Shelling hit the town of Polohy.", "Polohy", POLOHY),
        ("Shelling hit the village of Polohy.", "Polohy", POLOHY_VILLAGE),
    ],
)
def test_a_settlement_word_keeps_its_kind(gaz, text, surface, expected):
    """ "X City", "the city of X", "the town of X", "the village of X"."""
    m = _mention(text, surface, gaz)
    assert m.text == surface and m.kind == "settlement"
    assert _codes(m, gaz) == {expected}
    (r,) = [r for r in resolve_mentions(text, [m], gaz)]
    assert r.place.katottg == expected


def test_an_oblast_centre_in_a_hyphen_pair_is_the_city(gaz):
    """ "the Orikhiv-Zaporizhzhia road" in a document that says "the Zaporizhzhia region":
    the city (a bare "Zaporizhzhia" there is the oblast)."""
    region = "Drones struck the Zaporizhzhia region. "
    text = region + "Fighting continued along the Orikhiv-Zaporizhzhia road."
    ms = find_mentions(text, gaz)
    assert [m.text for m in ms] == ["Zaporizhzhia region", "Orikhiv", "Zaporizhzhia"]
    assert ms[-1].kind == "settlement" and ZAPORIZHZHIA_CITY in _codes(ms[-1], gaz)
    assert resolve_mentions(text, ms, gaz)[-1].place.katottg == ZAPORIZHZHIA_CITY
    bare = find_mentions(region + "Fighting continued near Zaporizhzhia.", gaz)[-1]
    assert bare.kind == "oblast" and _codes(bare, gaz) == {ZAPORIZHZHIA_OBLAST}


def test_an_oblast_centre_in_a_list_with_settlements_is_the_city(gaz):
    """ "Donetsk, Myrnohrad and Pokrovsk" after "the Donetsk region": the city."""
    text = (
        "Strikes hit the Donetsk region overnight. "
        "Shelling also hit Donetsk, Myrnohrad and Pokrovsk."
    )
    (m,) = [m for m in find_mentions(text, gaz) if m.text == "Donetsk"]
    assert m.kind == "settlement" and _codes(m, gaz) == {DONETSK_CITY}
    alone = "Strikes hit the Donetsk region overnight. Shelling also hit Donetsk."
    (b,) = [m for m in find_mentions(alone, gaz) if m.text == "Donetsk"]
    assert b.kind == "oblast" and _codes(b, gaz) == {DONETSK_OBLAST}


@pytest.mark.parametrize(
    "text", ["Russia controls 70% of Donetsk.", "Russia claims most of Donetsk."]
)
def test_a_share_of_a_name_is_the_oblast(gaz, text):
    """ "70% of Donetsk", "most of Donetsk": the oblast, not the city."""
    m = _mention(text, "Donetsk", gaz)
    assert m.kind == "oblast" and _codes(m, gaz) == {DONETSK_OBLAST}
