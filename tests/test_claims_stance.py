"""Stance and negation: how a claimant says it, and whether the event did not happen.

Fast: no data build.
"""

from __future__ import annotations

import pytest

from tests.claims_helpers import span
from tracker.claims import extract_claims
from tracker.claims.lexicon import stance_of_verb
from tracker.claims.stance import final_stance, negation


def test_stance_of_the_attribution_verb():
    verbs = stance_of_verb()
    assert verbs["said"] == verbs["claims"] == "claimed"
    assert verbs["confirmed"] == "confirmed" and verbs["denies"] == "denied"
    assert verbs["disputed"] == "disputed" and verbs["assessed"] == "assessed"
    assert "tell" not in verbs  # the forms listed for each verb only


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("They did not manage to gain a foothold.", "gain", (True, False)),
        ("There is no stable control over the village.", "control", (True, True)),
        ("The army failed to capture the town.", "capture", (True, False)),
        ("The army has not confirmed the capture of the town.", "capture", (False, False)),
        ("Russian troops captured the town.", "captured", (False, False)),
    ],
)
def test_negation_is_scoped_to_the_trigger_clause(text, trigger, expected):
    start = text.find(trigger)
    assert negation(text, 0, start, start + len(trigger)) == expected


def test_final_stance():
    text = "Russian forces likely captured the town."
    assert final_stance("claimed", "deepstate", False, False, text, 0, len(text)) == "assessed"
    assert final_stance("claimed", "reporter", False, False, text, 0, len(text)) == "assessed"
    assert final_stance("claimed", "reporter", False, False, "x", 0, 1) == "reported"
    assert final_stance("claimed", "ukrainian_military", True, False, "x", 0, 1) == "denied"
    assert final_stance("claimed", "ukrainian_military", True, True, "x", 0, 1) == "disputed"
    assert final_stance("confirmed", "ukrainian_military", True, False, "x", 0, 1) == "confirmed"


@pytest.mark.parametrize(
    ("text", "stance", "negated"),
    [
        ("“They did not capture Siversk,” the brigade said.", "denied", True),
        ("“There is no stable control over Siversk,” the brigade said.", "disputed", True),
        ("The General Staff confirmed that Russian troops entered Siversk.", "confirmed", False),
        ("Kyiv has not confirmed the fall of Siversk.", "disputed", False),
        ("Russian forces have likely captured Siversk.", "assessed", False),
    ],
)
def test_stance_and_negation_of_claims(text, stance, negated):
    claims = extract_claims(text, [span(text, "Siversk")])
    assert (claims[0].stance, claims[0].negated) == (stance, negated)


@pytest.mark.parametrize(
    "text",
    [
        "Russia declared it was annexing Kherson, even though it did not fully control the region.",
        "Russian forces do not fully control Pokrovsk.",
        "Russian troops have not completely captured Toretsk.",
    ],
)
def test_partial_control_in_the_reporters_voice_is_no_negated_capture(text):
    place = next(p for p in ("Kherson", "Pokrovsk", "Toretsk") if p in text)
    claims = extract_claims(text, [span(text, place)])
    assert not [c for c in claims if c.event == "captured"]


def test_a_party_disputing_stable_control_is_still_a_dispute():
    text = "“There is no stable control over Siversk,” the brigade said."
    (claim,) = extract_claims(text, [span(text, "Siversk")])
    assert (claim.event, claim.stance, claim.negated) == ("captured", "disputed", True)
