"""Compass bearings in article prose (tracker.resolve, issue 11): a bearing governs the clause
it opens ("northeast of A near B; south of A near C"), up to ";" or the sentence end, and a
parenthesis right after a name ("B (northeast of A)"). On the in-code gazetteer: two Zorias
around Pokrovsk, one 22 km south of it, one 38 km east-north-east."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import ZORIA_DONETSK, ZORIA_POKROVSK, wider
from tracker.gazetteer import Gazetteer
from tracker.mentions import find_mentions
from tracker.resolve import resolve_mentions


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return wider()


def _zoria(text: str, gaz):
    resolved = resolve_mentions(text, find_mentions(text, gaz), gaz)
    (r,) = [r for r in resolved if r.mention.text == "Zoria"]
    return r


def _line(r, anchor: str) -> str:
    return next(e for e in r.evidence if f"from {anchor} (" in e)


@pytest.mark.parametrize(
    ("text", "expected", "stated"),
    [
        (
            "Russian forces attacked northeast of Pokrovsk near Myrnohrad; "
            "south of Pokrovsk near Zoria.",
            ZORIA_POKROVSK,
            "vs 180° stated",
        ),
        (
            "Russian forces attacked south of Pokrovsk near Myrnohrad; "
            "northeast of Pokrovsk near Zoria.",
            ZORIA_DONETSK,
            "vs 45° stated",
        ),
    ],
)
def test_a_bearing_governs_its_clause(gaz, text, expected, stated):
    """ "NE of A near B; S of A near C": C lies south of A, whatever the first clause said."""
    r = _zoria(text, gaz)
    assert r.place.katottg == expected
    assert stated in _line(r, "Pokrovsk")


def test_a_bearing_stops_at_the_clause_end(gaz):
    """The next clause ("; fighting also near Zoria") has no bearing of its own."""
    text = "Russian forces attacked northeast of Pokrovsk near Myrnohrad; fighting also near Zoria."
    r = _zoria(text, gaz)
    assert "stated" not in _line(r, "Pokrovsk")


@pytest.mark.parametrize(
    ("text", "expected", "stated"),
    [
        ("Russian forces attacked near Zoria (northeast of Pokrovsk).", ZORIA_DONETSK, "45°"),
        ("Russian forces attacked near Zoria (south of Pokrovsk).", ZORIA_POKROVSK, "180°"),
    ],
)
def test_a_bearing_in_a_parenthesis_after_a_name(gaz, text, expected, stated):
    """ "B (northeast of A)": the bearing is B's, from A."""
    r = _zoria(text, gaz)
    assert r.place.katottg == expected
    assert f"vs {stated} stated" in _line(r, "Pokrovsk")


def test_without_a_bearing_the_nearer_namesake_wins(gaz):
    """The control: no compass phrase, the Zoria 22 km from Pokrovsk."""
    r = _zoria("Russian forces attacked near Zoria and Pokrovsk.", gaz)
    assert r.place.katottg == ZORIA_POKROVSK
    assert "stated" not in _line(r, "Pokrovsk")
