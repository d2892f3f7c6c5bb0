"""Event triggers: generated inflections, the prefilter, and the trigger rules in sentences.

Fast: no data build; texts are written here or read from ../shared.
"""

from __future__ import annotations

import re

import pytest

from tests.claims_helpers import real_texts, span
from tracker.claims import extract_claims
from tracker.claims.extract import word_candidates
from tracker.claims.lexicon import expand, inflect, literal_prefixes
from tracker.claims.triggers import TRIGGERS, trigger_matcher, trigger_matches, trigger_re

# --------------------------------------------------------------------------------------------
# generated forms
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "forms"),
    [
        ("capture", ("capture", "captures", "captured", "captured", "capturing")),
        ("repel", ("repel", "repels", "repelled", "repelled", "repelling")),
        ("occupy", ("occupy", "occupies", "occupied", "occupied", "occupying")),
        ("destroy", ("destroy", "destroys", "destroyed", "destroyed", "destroying")),
        ("push", ("push", "pushes", "pushed", "pushed", "pushing")),
        ("take", ("take", "takes", "took", "taken", "taking")),
        ("flee", ("flee", "flees", "fled", "fled", "fleeing")),
        ("target", ("target", "targets", "targeted", "targeted", "targeting")),
        ("hit", ("hit", "hits", "hit", "hit", "hitting")),
    ],
)
def test_inflections_follow_english_spelling(verb, forms):
    for form, want in zip(("base", "s", "ed", "en", "ing"), forms, strict=True):
        assert inflect(verb, (form,)) == (want,)


def test_placeholders_expand_to_the_forms_asked_for():
    assert re.fullmatch(expand("{shell:s+ed+ing}", {}), "shelled")
    assert not re.fullmatch(expand("{shell:s+ed+ing}", {}), "shell")  # "a shell" is no event
    assert re.fullmatch(expand("{W}-{W}", {"W": "[a-z]+"}), "north-west")
    with pytest.raises(KeyError, match="NOPE"):
        expand("{NOPE}", {})


def test_every_trigger_compiles_and_names_its_event():
    from tracker.claims import EVENTS

    assert len(TRIGGERS) >= 60
    for event, _, pattern in TRIGGERS:
        assert event in EVENTS
        re.compile(pattern)
        assert "{" not in re.sub(r"\{\d+(?:,\d*)?\}", "", pattern), pattern  # all expanded


# --------------------------------------------------------------------------------------------
# the prefilter
# --------------------------------------------------------------------------------------------


def test_literal_prefixes_are_sound():
    assert literal_prefixes(r"(?:were|was)\s+stopped") == (("was", True), ("were", True))
    assert literal_prefixes(r"captur(?:e|ed)\b") == (("capture", False),)
    assert literal_prefixes(r"\w+ly") is None  # can start with any word
    # a hyphen is part of a word: "Russian-held" starts with "russian-", "Russian" does not
    assert literal_prefixes(r"(?:Russian|enemy)[-‑]held") == (
        ("enemy", False),
        ("russian", False),
    )


def test_the_matcher_tries_only_triggers_that_can_start_with_the_word():
    assert trigger_matcher("the") is None
    assert trigger_matcher("in").match("in Russian hands")
    assert trigger_matcher("in").match("in the city") is None
    m = trigger_matcher("captured").match("captured Pishchane")
    assert m is not None and m.group(0) == "captured"


def test_prefilter_finds_what_a_full_scan_finds():
    """The prefilter is computed from the patterns; it must find exactly what a scan with the
    whole trigger pattern at every position finds, and every attribution start."""
    from tracker.claims.attribution import SPEECH_RE

    for text in real_texts():
        speech_at, trigger_at = word_candidates(text, 0, len(text))
        fast = [(m.span(), m.lastgroup) for m in trigger_matches(text, len(text), trigger_at)]
        assert fast == [(m.span(), m.lastgroup) for m in trigger_re().finditer(text)]
        assert {m.start() for m in SPEECH_RE.finditer(text)} <= set(speech_at)


def test_has_trigger_tells_what_a_search_with_every_trigger_tells():
    from tracker.claims.triggers import has_trigger

    for text in real_texts():
        # every clause-sized piece: whole sentences, and what follows each comma in them
        for piece in (p for sentence in text.split(". ") for p in sentence.split(", ")):
            assert has_trigger(piece) == bool(trigger_re().search(piece)), piece


def test_the_shipped_trigger_prefixes_are_those_of_the_shipped_triggers():
    from tracker.claims.triggers import PREFIXES_FILE, prefixes_file_text
    from tracker.knowledge import read_text

    assert read_text(PREFIXES_FILE) == prefixes_file_text(), (
        f"knowledge/{PREFIXES_FILE} was made from other triggers: run `make knowledge`"
    )


@pytest.mark.parametrize("stored", ["missing", "stale", "damaged"])
def test_trigger_prefixes_are_computed_when_the_shipped_file_cannot_serve(monkeypatch, stored):
    import json

    from tracker.claims import triggers

    computed = triggers.trigger_prefixes(stored=False)
    good = json.loads(triggers.prefixes_file_text())
    stale = {**good, "sha256": "0" * 64, "prefixes": [None] * len(computed)}
    text = {"stale": json.dumps(stale), "damaged": '{"sha256": '}.get(stored)

    def read_text(name: str) -> str:
        if text is None:
            raise FileNotFoundError(name)
        return text

    monkeypatch.setattr(triggers, "read_text", read_text)
    assert triggers.trigger_prefixes() == computed
    assert any(row is not None for row in computed)


# --------------------------------------------------------------------------------------------
# trigger rules in sentences
# --------------------------------------------------------------------------------------------


def _events(text: str, *names: str) -> list[tuple[str, bool]]:
    return [(c.event, c.negated) for c in extract_claims(text, [span(text, n) for n in names])]


@pytest.mark.parametrize(
    ("text", "place", "event"),
    [
        ("Russian forces captured Pishchane.", "Pishchane", "captured"),
        ("Pishchane has fallen under Russian control.", "Pishchane", "captured"),
        ("Russian-held Pishchane was shelled overnight.", "Pishchane", "captured"),
        ("Ukrainian troops retook Pishchane.", "Pishchane", "liberated"),
        ("Russian troops are pushing toward Pishchane.", "Pishchane", "advancing"),
        ("Russian forces attacked near Pishchane 17 times.", "Pishchane", "advancing"),
        ("Russian drones struck Pishchane overnight.", "Pishchane", "attacked"),
        ("Authorities announced the evacuation of Pishchane.", "Pishchane", "evacuated"),
    ],
)
def test_trigger_words_name_the_event(text, place, event):
    assert _events(text, place)[0][0] == event


def test_russian_liberation_is_a_capture_and_a_ukrainian_withdrawal_too():
    text = "Russia's defence ministry said its forces had liberated Pishchane."
    assert _events(text, "Pishchane") == [("captured", False)]
    text = "Ukrainian forces withdrew from Pishchane to avoid encirclement."
    assert _events(text, "Pishchane") == [("captured", False)]


def test_a_repulse_absorbs_the_attack_it_repels():
    text = "Ukrainian forces repelled 17 Russian attacks near Pishchane."
    assert _events(text, "Pishchane") == [("repelled", False)]
    text = "Russian counterattacks near Pishchane had been repelled, the brigade said."
    assert _events(text, "Pishchane") == [("repelled", False)]


def test_words_that_are_no_event_here():
    # a peace push, an averted event, control kept by Ukraine, captured soldiers
    assert _events("The U.S. peace push for Pishchane stalled, Reuters said.", "Pishchane") in (
        [],
        [("other", False)],
    )
    assert not [e for e, _ in _events("Ukraine keeps control of Pishchane.", "Pishchane")]
    text = "Russian forces captured soldiers near Pishchane on video."
    assert "captured" not in [e for e, _ in _events(text, "Pishchane")]


# --------------------------------------------------------------------------------------------
# annexation and combat nouns (issue 12: "annexation read as capture", "combat nouns as events")
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "places", "claimant"),
    [
        (
            "In 2022, Russia declared it was annexing the regions of Donetsk and Kherson.",
            ("Donetsk", "Kherson"),
            "russian_officials",
        ),
        (
            "Putin said Russia had annexed Zaporizhzhia region.",
            ("Zaporizhzhia",),
            "russian_officials",
        ),
        (
            "The Kremlin announced the annexation of Luhansk, the state news agency TASS said.",
            ("Luhansk",),
            "russian_officials",
        ),
    ],
)
def test_an_annexation_is_a_claim_about_the_region_not_a_capture(text, places, claimant):
    claims = extract_claims(text, [span(text, p) for p in places])
    assert claims and {c.event for c in claims} == {"other"}
    assert {c.claimant for c in claims} == {claimant}
    assert {sp for c in claims for sp in c.place_spans} == {span(text, p) for p in places}


@pytest.mark.parametrize(
    "text",
    [
        "Russia annexed Crimea in 2014.",
        "Shelling continued in the illegally annexed Crimea.",
    ],
)
def test_an_annexation_in_the_reporters_voice_is_no_claim(text):
    assert [c.event for c in extract_claims(text, [span(text, "Crimea")])] in ([], ["attacked"])


@pytest.mark.parametrize(
    ("text", "place", "event"),
    [
        (
            "Russian attacks on Pokrovsk intensified, the General Staff said.",
            "Pokrovsk",
            "attacked",
        ),
        ("Russia's offensive toward Zaporizhzhia has stalled.", "Zaporizhzhia", "advancing"),
        ("The enemy carried out 19 attacks near Huliaipole.", "Huliaipole", "advancing"),
        ("A drone attack on Belgorod killed one person.", "Belgorod", "attacked"),
        (
            "Russian forces failed to break through near Lyman despite repeated assaults.",
            "Lyman",
            "advancing",
        ),
    ],
)
def test_a_combat_noun_about_a_place_of_its_sentence_is_an_event(text, place, event):
    assert event in {c.event for c in extract_claims(text, [span(text, place)])}


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("The three-year offensive has devastated towns in eastern Ukraine.", ("Ukraine",)),
        ("Ukraine is also facing continued Russian attacks.", ("Ukraine",)),
        (
            "Moscow has too few resources left for an offensive in the Russian Federation.",
            ("Russian Federation",),
        ),
    ],
)
def test_a_combat_noun_about_the_whole_war_is_no_event(text, places):
    assert extract_claims(text, [span(text, p) for p in places]) == []


def test_a_combat_noun_never_borrows_a_neighbours_places():
    text = (
        "Russian drones hit Poltava and Sumy overnight, Zelensky said. "
        "“We must stop the attacks,” Zelensky said. "
        "“These attacks must end,” he added."
    )
    claims = extract_claims(text, [span(text, "Poltava"), span(text, "Sumy")])
    assert [c.sentence_start for c in claims] == [0]  # only the sentence naming the places
    verbs = "Russian drones hit Poltava overnight. They also struck the city centre."
    assert len(extract_claims(verbs, [span(verbs, "Poltava")])) == 2  # verbs still do
