"""A region the text states is a constraint (tracker.stated and the resolver, issue 11):
"X, Y Oblast", "X (Y Oblast)", "X in the Y region", "Y Oblast's X", a region opening a clause;
"near the border with the Y region" makes Y a neighbour, not the container; stated once, it
carries to the name's later mentions; two stated oblasts make two senses (the in-code
gazetteer: six villages called Zaporizke in four oblasts)."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import (
    ZAPORIZKE_DONETSK,
    ZAPORIZKE_LUHANSK,
    ZAPORIZKE_MEZHOVA,
    ZAPORIZKE_NIKOPOL,
    ZAPORIZKE_VM,
    ZAPORIZKE_ZAPORIZHZHIA,
    wider,
    wider_table,
)
from tracker.gazetteer import Gazetteer
from tracker.mentions import find_mentions, sentence_spans
from tracker.resolve import resolve_mentions
from tracker.stated import border_with, stated_regions


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return wider()


def _stated(text: str, gaz) -> dict[str, tuple[str, str] | None]:
    """surface -> (oblast prefix, how) the text states, for every mention."""
    ms = find_mentions(text, gaz)
    starts = [s for s, _ in sentence_spans(text)]
    return {
        m.text: (s.oblast4, s.how) if s else None
        for m, s in zip(ms, stated_regions(text, ms, gaz, starts), strict=True)
    }


def _resolve(text: str, gaz):
    return resolve_mentions(text, find_mentions(text, gaz), gaz)


def _zaporizke(text: str, gaz) -> list:
    return [r for r in _resolve(text, gaz) if r.mention.text == "Zaporizke"]


# -- the forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("Drones struck Zaporizke, Luhansk Oblast, and Novoheorhiivka.", "after"),
        ("Drones struck Zaporizke (Luhansk Oblast) and Novoheorhiivka.", "after"),
        ("Drones struck Zaporizke in the Luhansk region and Novoheorhiivka.", "after"),
        ("Drones struck the Luhansk region's Zaporizke and Novoheorhiivka.", "possessive"),
    ],
)
def test_a_stated_region_is_a_constraint(gaz, text, how):
    """ "X, Y Oblast", "X (Y Oblast)", "X in the Y region", "the Y region's X": X is kept to Y's
    candidates, although the village beside Novoheorhiivka (3 km) would win on context."""
    assert _stated(text, gaz)["Zaporizke"] == ("UA44", how)
    (r,) = _zaporizke(text, gaz)
    assert r.place.katottg == ZAPORIZKE_LUHANSK
    assert r.alternatives == ()  # the other five are out, not merely behind
    assert any(e.startswith("in Luhansk oblast, as the text states") for e in r.evidence)
    # without the region the context decides
    (plain,) = _zaporizke("Drones struck Zaporizke and Novoheorhiivka.", gaz)
    assert plain.place.katottg == ZAPORIZKE_VM


def test_oblast_possessive_before_a_village(gaz):
    """ "Y Oblast's X" with a capital O, X a village."""
    text = "Drones struck Luhansk Oblast's Zaporizke."
    assert _stated(text, gaz).get("Zaporizke") == ("UA44", "possessive")


def test_a_region_opening_a_clause_governs_its_list(gaz):
    """ "In the Y region, drones struck A and B": every settlement of the clause is in Y."""
    text = "In the Luhansk region, drones struck Zaporizke and Novoheorhiivka."
    stated = _stated(text, gaz)
    assert stated["Zaporizke"] == ("UA44", "clause")
    assert stated["Novoheorhiivka"] == ("UA44", "clause")
    (r,) = _zaporizke(text, gaz)
    assert r.place.katottg == ZAPORIZKE_LUHANSK


@pytest.mark.parametrize(
    "text",
    [
        "Zaporizke and Luhansk Oblast were shelled.",  # a list, not a location
        "Drones struck Zaporizke while in Luhansk Oblast the power failed.",
    ],
)
def test_a_region_nearby_is_not_always_stated(gaz, text):
    """A region in a list with the place, or in another clause, states nothing about it."""
    assert _stated(text, gaz)["Zaporizke"] is None


# -- near the border with -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bordered() -> Gazetteer:
    """:func:`wider` with each Zaporizke's nearest other oblast and the km to it (from the data
    build): the in-code stand-in for the border geometry."""
    table = wider_table()
    near = {
        ZAPORIZKE_NIKOPOL: (4.37, "UA23"),
        ZAPORIZKE_VM: (1.61, "UA23"),
        ZAPORIZKE_MEZHOVA: (7.78, "UA14"),
        ZAPORIZKE_DONETSK: (31.65, "UA23"),
        ZAPORIZKE_ZAPORIZHZHIA: (3.20, "UA14"),
        ZAPORIZKE_LUHANSK: (66.61, "UA14"),
    }
    table["km_to_oblast_border"] = [near.get(c, (float("nan"), None))[0] for c in table["katottg"]]
    table["across_border_code"] = [near.get(c, (None, None))[1] for c in table["katottg"]]
    return Gazetteer.from_frames(table)


@pytest.mark.parametrize(
    "text",
    [
        "Drones struck Zaporizke, near the border with the Donetsk region.",
        "Drones struck Zaporizke, close to the administrative border of Donetsk Oblast.",
    ],
)
def test_near_the_border_with_a_region_is_a_neighbour(bordered, text):
    """ "X, near the border with the Y region": Y is not X's oblast; X is a village of another
    oblast close to its border with Y."""
    assert _stated(text, bordered)["Zaporizke"] is None
    ms = find_mentions(text, bordered)
    starts = [s for s, _ in sentence_spans(text)]
    beside = border_with(text, ms, bordered, starts)
    assert beside[0] is not None and beside[0].oblast4 == "UA14" and beside[0].how == "border"
    (r,) = _zaporizke(text, bordered)
    assert r.place.katottg == ZAPORIZKE_ZAPORIZHZHIA  # 3.2 km from the Donetsk border
    assert r.place.katottg != ZAPORIZKE_DONETSK
    assert not any("as the text states" in e for e in r.evidence)
    assert any(e.startswith("near the border with") for e in r.evidence)
    # "in the Donetsk region", by contrast, is the container
    (inside,) = _zaporizke("Drones struck Zaporizke in the Donetsk region.", bordered)
    assert inside.place.katottg == ZAPORIZKE_DONETSK


# -- carrying and senses --------------------------------------------------------------------------


def test_a_stated_region_carries_to_later_mentions(gaz):
    """Stated once ("Zaporizke, Luhansk Oblast"), it holds for the later bare mention, even one
    standing next to Novoheorhiivka."""
    text = (
        "Zaporizke, Luhansk Oblast, was shelled on Monday.\n\n"
        "On Tuesday drones hit Zaporizke and Novoheorhiivka again."
    )
    first, later = _zaporizke(text, gaz)
    assert first.place.katottg == later.place.katottg == ZAPORIZKE_LUHANSK
    assert any("as the text states" in e for e in later.evidence)
    assert later.regions.stated_region is None  # the later sentence itself states nothing


def test_two_stated_oblasts_make_two_senses(gaz):
    """One name, two stated oblasts: two places; a later bare mention joins the nearest earlier
    sense."""
    text = (
        "Zaporizke, Luhansk Oblast, was shelled on Monday. "
        "Zaporizke, Donetsk Oblast, was shelled on Tuesday. "
        "Later Zaporizke was quiet."
    )
    got = [r.place.katottg for r in _zaporizke(text, gaz)]
    assert got == [ZAPORIZKE_LUHANSK, ZAPORIZKE_DONETSK, ZAPORIZKE_DONETSK]
