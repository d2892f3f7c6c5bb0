"""Attribution: claimants, speakers of quotations, pronouns and surnames that refer back.

Fast: no data build.
"""

from __future__ import annotations

import pytest

from tests.claims_helpers import span, spans
from tracker.claims import extract_claims
from tracker.claims.claimants import History, classify, surnames
from tracker.claims.lexicon import people


@pytest.mark.parametrize(
    ("np", "claimant", "person"),
    [
        ("Moscow's defense ministry", "russian_mod", False),
        ("the Russian Defence Ministry", "russian_mod", False),
        ("spokesperson Viktor Tryhubov", "ukrainian_military", True),
        ("the Armed Forces of Ukraine", "ukrainian_military", False),
        ("the Ukrainian group DeepState", "deepstate", False),
        ("Kremlin spokesperson Dmitry Peskov", "russian_officials", True),
        ("Kharkiv Governor Oleh Syniehubov", "local_authorities", True),
        ("President Volodymyr Zelensky", "ukrainian_officials", True),
        ("pro-Russian bloggers", "russian_officials", False),
        ("the Kyiv Independent", None, False),  # a newspaper, not Kyiv
        ("analysts", None, False),
    ],
)
def test_claimant_of_a_speaker(np, claimant, person):
    assert classify(np, 0, History()) == (claimant, person)


def test_surnames_skip_titles_and_organisation_words():
    assert surnames("Captain Oleksandr Marchenko") == ["Marchenko"]
    assert surnames("the Ministry of Defence") == []


def test_people_have_claimant_roles():
    known = people()
    assert known["tryhubov"] == "ukrainian_military"
    assert known["peskov"] == "russian_officials"
    assert known["witkoff"] is None  # quoted, but none of the claimant types


def test_reported_speech_across_a_sentence_boundary():
    text = (
        "Russian troops entered Kupiansk, the army said. “They failed to take the city. "
        "The enemy was pushed back,” spokesman Vladyslav Voloshyn said."
    )
    claims = extract_claims(text, [(23, 31)])
    quoted = [c for c in claims if c.quote]
    assert {(c.event, c.negated) for c in quoted} >= {("captured", True), ("repelled", False)}
    for c in quoted:
        assert c.claimant == "ukrainian_military"
        assert "Voloshyn" in (c.claimant_text or "")
        assert c.place_spans == ((23, 31),)  # the quotation continues the sentence before it
        assert text[c.trigger_start : c.trigger_end] == c.trigger


def test_pronoun_and_surname_refer_back_to_the_claimant():
    text = (
        "Oleh Hlushchenko, a spokesman for the 5th Assault Brigade, said Russian troops were "
        "pushed back from Kurylivka. Hlushchenko said they also failed to capture Pishchane. "
        "He added that the enemy shelled Kupiansk."
    )
    claims = extract_claims(text, spans(text, "Kurylivka", "Pishchane", "Kupiansk"))
    assert [(c.event, c.claimant, c.negated) for c in claims] == [
        ("repelled", "ukrainian_military", False),
        ("captured", "ukrainian_military", True),
        ("attacked", "ukrainian_military", False),
    ]


def test_a_pronoun_does_not_reach_past_a_new_person():
    text = (
        "The General Staff said Russian forces shelled Nikopol. Katerina, a mother of two, "
        "fled Marhanets. “The drones hit the school,” she said of Marhanets."
    )
    claims = extract_claims(text, spans(text, "Nikopol", "Marhanets"))
    assert claims[0].claimant == "ukrainian_military"
    quoted = [c for c in claims if c.quote]
    assert quoted and all(c.claimant != "ukrainian_military" for c in quoted)


@pytest.mark.parametrize(
    ("text", "claimant", "stance"),
    [
        (
            "According to the General Staff, Russian forces shelled Nikopol.",
            "ukrainian_military",
            "claimed",
        ),
        (
            "Russian forces shelled Nikopol, said Kremlin spokesman Dmitry Peskov.",
            "russian_officials",
            "claimed",
        ),
        (
            "Russian forces shelled Nikopol, the regional governor said.",
            "local_authorities",
            "claimed",
        ),
        ("Russian forces shelled Nikopol, DeepState reported.", "deepstate", "assessed"),
        ("Russian forces shelled Nikopol, according to Reuters.", "reporter", "reported"),
    ],
)
def test_attribution_forms(text, claimant, stance):
    (claim,) = extract_claims(text, [span(text, "Nikopol")])
    assert (claim.claimant, claim.stance) == (claimant, stance)


def test_a_denial_of_a_claim_adds_the_other_side():
    text = (
        "Russia's defence ministry claimed its troops had captured Pishchane, but the "
        "General Staff denied it."
    )
    claims = extract_claims(text, [span(text, "Pishchane")])
    assert {(c.claimant, c.stance, c.negated) for c in claims} == {
        ("russian_mod", "claimed", False),
        ("ukrainian_military", "denied", True),
    }


# --------------------------------------------------------------------------------------------
# civilians (issue 12: "a civilian's quote becomes 'reporter: repelled'")
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Katerina, a mother of two, fled Marhanets. “They told us the Russians had been "
        "pushed back from Marhanets,” she said.",
        "“Russian troops entered Marhanets last week,” a local resident said.",
        "“Our soldiers liberated Marhanets,” said Petro, a farmer.",
        "Villagers said Russian troops had captured Marhanets.",
        "“The Russians are advancing on Marhanets,” one woman told reporters.",
    ],
)
def test_what_civilians_say_about_the_fighting_is_no_claim(text):
    claims = extract_claims(text, [sp for sp in [span(text, "Marhanets")]])
    assert not [
        c
        for c in claims
        if c.event in ("captured", "entered", "advancing", "repelled", "liberated")
    ]


def test_what_civilians_saw_is_kept_and_officials_are_no_civilians():
    text = "“A drone hit the school in Marhanets,” a local resident said."
    (claim,) = extract_claims(text, [span(text, "Marhanets")])
    assert (claim.event, claim.claimant, claim.claimant_text) == (
        "attacked",
        "reporter",
        "a local resident",
    )
    text = "“Russian troops entered Marhanets,” the regional governor said."
    (claim,) = extract_claims(text, [span(text, "Marhanets")])
    assert (claim.event, claim.claimant) == ("entered", "local_authorities")
    text = (
        "Oleh Hlushchenko, a spokesman for the 5th Assault Brigade, said the town was calm. "
        "“The Russians were pushed back from Marhanets,” he said."
    )
    claims = extract_claims(text, [span(text, "Marhanets")])
    assert [(c.event, c.claimant) for c in claims] == [("repelled", "ukrainian_military")]
