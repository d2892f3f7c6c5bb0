"""Claim extraction end to end: event, claimant, stance and negation per sentence that names a
place (the rules of each step have their own tests: test_claims_triggers, _attribution, _stance).

* a hand-written corpus of short sentences in the styles of wire services, ISW, General Staff
  summaries, the Kyiv Independent and the BBC (``claims_corpus.jsonl``, written for this test,
  no third-party text): precision and recall of (event, claimant, stance, negated);
* the NBC seed article (read from ``../shared`` at run time): the claims an analyst needs;
* the hand-made gold claims of the three seed articles: how many are found in their sentence
  with a compatible stance.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from tests.claims_helpers import CORPUS, DEV, GOLD, SEED_004
from tests.claims_helpers import load_jsonl as _load_jsonl
from tests.claims_helpers import span as _span
from tracker.claims import CLAIMANTS, EVENTS, STANCES, Claim, extract_claims


def _tuple(c) -> tuple[str, str, str, bool]:
    if isinstance(c, Claim):
        return (c.event, c.claimant, c.stance, c.negated)
    return (c["event"], c["claimant"], c["stance"], bool(c["negated"]))


# --------------------------------------------------------------------------------------------
# API and invariants
# --------------------------------------------------------------------------------------------


def test_claim_is_frozen_with_documented_fields():
    fields = [f.name for f in dataclasses.fields(Claim)]
    assert fields == [
        "event",
        "claimant",
        "claimant_text",
        "stance",
        "negated",
        "quote",
        "sentence_start",
        "sentence_end",
        "trigger",
        "trigger_start",
        "trigger_end",
        "place_spans",
    ]
    text = "Russian forces captured Pishchane, the Russian Defence Ministry said."
    (claim,) = extract_claims(text, [(24, 33)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.event = "other"  # type: ignore[misc]


def test_simple_attributed_capture():
    text = "Russian forces captured Pishchane, the Russian Defence Ministry said."
    (claim,) = extract_claims(text, [(24, 33)])
    assert (claim.event, claim.claimant, claim.stance, claim.negated) == (
        "captured",
        "russian_mod",
        "claimed",
        False,
    )
    assert claim.claimant_text == "the Russian Defence Ministry"
    assert text[claim.trigger_start : claim.trigger_end] == claim.trigger == "captured"
    assert claim.place_spans == ((24, 33),)
    assert (claim.sentence_start, claim.sentence_end) == (0, len(text))


def test_sentences_without_places_or_events_give_nothing():
    assert extract_claims("", []) == []
    text = "Russian forces captured the village. Dnipro is a large city."
    assert extract_claims(text, []) == []
    assert extract_claims(text, [(37, 43)]) == []  # a place, but nothing happens there


def test_start_and_end_limit_the_work_and_are_validated():
    text = "Russian forces shelled Kherson. Russian forces shelled Nikopol."
    spans = [(23, 30), (55, 62)]
    assert [c.place_spans for c in extract_claims(text, spans)] == [((23, 30),), ((55, 62),)]
    assert [c.place_spans for c in extract_claims(text, spans, start=32)] == [((55, 62),)]
    with pytest.raises(ValueError, match="start"):
        extract_claims(text, spans, start=10, end=5)


def test_offsets_are_exact_on_real_text():
    docs = _load_jsonl(DEV) + _load_jsonl(GOLD)
    n = 0
    for d in docs:
        text = d["text"]
        spans = [(m["start"], m["end"]) for m in d["mentions"]]
        for c in extract_claims(text, spans):
            n += 1
            assert text[c.trigger_start : c.trigger_end] == c.trigger
            assert c.sentence_start <= c.trigger_start < c.trigger_end <= c.sentence_end
            assert c.event in EVENTS and c.claimant in CLAIMANTS and c.stance in STANCES
            assert c.place_spans and all(sp in spans for sp in c.place_spans)
            assert (c.claimant_text is None) == (c.claimant == "reporter") or c.claimant_text
    assert n > 100


# --------------------------------------------------------------------------------------------
# (1) the hand-written corpus
# --------------------------------------------------------------------------------------------


def _corpus_scores(batch: str | None = None) -> dict:
    items = [it for it in _load_jsonl(CORPUS) if batch is None or it["batch"] == batch]
    tp = n_pred = n_gold = 0
    place_ok = place_n = 0
    misses = []
    for item in items:
        text = item["text"]
        spans = [tuple(sp) for sp in item["spans"]]
        pred = extract_claims(text, spans)
        gold = Counter(_tuple(c) for c in item["claims"])
        got = Counter(_tuple(c) for c in pred)
        hit = gold & got
        tp += sum(hit.values())
        n_pred += sum(got.values())
        n_gold += sum(gold.values())
        if gold != got:
            misses.append((item["id"], sorted(gold - got), sorted(got - gold)))
        for g in item["claims"]:
            match = [c for c in pred if _tuple(c) == _tuple(g)]
            if match and g.get("about"):
                place_n += 1
                want = {text[s:e] for s, e in spans if text[s:e] in g["about"]}
                place_ok += {text[s:e] for s, e in match[0].place_spans} == want
    return {
        "items": len(items),
        "gold": n_gold,
        "predicted": n_pred,
        "precision": tp / n_pred if n_pred else 0.0,
        "recall": tp / n_gold if n_gold else 0.0,
        "places_exact": place_ok / place_n if place_n else 0.0,
        "misses": misses,
    }


def test_corpus_covers_every_label():
    items = _load_jsonl(CORPUS)
    assert len(items) >= 60
    claims = [c for it in items for c in it["claims"]]
    assert {c["event"] for c in claims} == set(EVENTS)
    assert {c["claimant"] for c in claims} == set(CLAIMANTS)
    assert {c["stance"] for c in claims} == set(STANCES)
    assert any(c["negated"] for c in claims)
    assert sum("“" in it["text"] for it in items) >= 5  # reported speech
    for it in items:  # the offsets were computed, not guessed
        for s, e in it["spans"]:
            assert 0 <= s < e <= len(it["text"])


@pytest.mark.parametrize(
    "batch",
    [
        pytest.param("A", id="A-written-before-the-rules"),
        pytest.param("B", id="B-held-out"),
        pytest.param(None, id="all"),
    ],
)
def test_corpus_precision_and_recall(capsys, batch):
    """Batch A was written before any rule and measured blind at precision 0.956 / recall 0.915;
    its misses then pointed at general bugs. Batch B was written after that tuning and measured
    blind once at 0.827 / 0.843 before its misses were used too. The floors guard against
    regressions from today's figures (about 0.98 / 1.00)."""
    scores = _corpus_scores(batch)
    with capsys.disabled():
        print(
            f"\nclaims corpus batch {batch or 'A+B'}: {scores['items']} items, "
            f"{scores['gold']} gold claims, {scores['predicted']} predicted; "
            f"(event, claimant, stance, negated) precision {scores['precision']:.3f} "
            f"recall {scores['recall']:.3f}; place spans exact on matched claims "
            f"{scores['places_exact']:.3f}"
        )
        for cid, missing, extra in scores["misses"]:
            print(f"  {cid}: missing {missing} extra {extra}")
    assert scores["precision"] >= 0.90
    assert scores["recall"] >= 0.90
    assert scores["places_exact"] >= 0.90


# --------------------------------------------------------------------------------------------
# (2) the NBC seed article
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_004() -> tuple[str, list[tuple[int, int]], list[Claim]]:
    if not SEED_004.is_file():
        pytest.fail(f"{SEED_004} not found", pytrace=False)
    text = SEED_004.read_text(encoding="utf-8")
    spans = []
    for name in ("Zaporizke", "Novoheorhiivka", "Dnipropetrovsk region", "Donetsk region"):
        pos = text.find(name)
        assert pos >= 0, name
        spans.append((pos, pos + len(name)))
    for name in ("Dnipropetrovsk", "Donetsk", "Poltava", "Sumy", "Chernihiv", "Kyiv", "Russia"):
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            if not any(s <= pos < e for s, e in spans) and not text[end].isalpha():
                spans.append((pos, end))
            pos = text.find(name, end)
    spans.sort()
    return text, spans, extract_claims(text, spans)


def test_seed_russian_mod_claims_capture_of_both_villages(seed_004):
    text, _, claims = seed_004
    villages = {_span(text, "Zaporizke"), _span(text, "Novoheorhiivka")}
    found = [
        c
        for c in claims
        if c.claimant == "russian_mod"
        and c.event == "captured"
        and c.stance == "claimed"
        and not c.negated
        and villages <= set(c.place_spans)
    ]
    assert found, "no Russian Defence Ministry capture claim about Zaporizke and Novoheorhiivka"
    assert "defense ministry" in (found[0].claimant_text or "").lower()
    assert "capture" in found[0].trigger


def test_seed_ukrainian_military_denies_a_stable_foothold(seed_004):
    text, _, claims = seed_004
    sentence = text.find("“They did not manage to gain a foothold")
    found = [
        c
        for c in claims
        if c.sentence_start == sentence
        and c.claimant == "ukrainian_military"
        and c.stance in ("denied", "disputed")
        and c.negated
        and c.quote
        and "foothold" in c.trigger
    ]
    assert found, "Tryhubov's “did not manage to gain a foothold” is not a negated denial"
    assert "Tryhubov" in (found[0].claimant_text or "")
    assert _span(text, "Dnipropetrovsk region") in found[0].place_spans
    # and the "no stable control over those settlements" of the next quotation
    control = [
        c
        for c in claims
        if c.claimant == "ukrainian_military"
        and c.event == "captured"
        and c.negated
        and c.stance in ("denied", "disputed")
        and _span(text, "Zaporizke") in c.place_spans
    ]
    assert control, "“no stable control over those settlements” not tied to the two villages"


def test_seed_deepstate_reports_russian_control(seed_004):
    text, _, claims = seed_004
    found = [
        c
        for c in claims
        if c.claimant == "deepstate"
        and c.event == "captured"
        and not c.negated
        and {_span(text, "Zaporizke"), _span(text, "Novoheorhiivka")} <= set(c.place_spans)
    ]
    assert found
    assert "DeepState" in (found[0].claimant_text or "")


def test_seed_entry_confirmed_by_ukrainian_military(seed_004):
    text, _, claims = seed_004
    assert any(
        c.event == "entered"
        and c.claimant == "ukrainian_military"
        and c.stance == "confirmed"
        and _span(text, "Dnipropetrovsk region") in c.place_spans
        for c in claims
    )


# --------------------------------------------------------------------------------------------
# (3) the gold claims of the seed articles
# --------------------------------------------------------------------------------------------

#: A predicted stance is compatible with a gold stance when it says the same thing about
#: whether the event happened: claimed/confirmed/reported/assessed affirm it,
#: denied/disputed deny or contest it.
_AFFIRM = {"claimed", "confirmed", "reported", "assessed"}
_CONTEST = {"denied", "disputed"}
_SCORED_TYPES = ("territorial_control", "offensive", "strike")


def _compatible(gold: str, pred: str) -> bool:
    return (gold in _AFFIRM and pred in _AFFIRM) or (gold in _CONTEST and pred in _CONTEST)


def test_gold_claims_of_the_seed_articles(capsys):
    records = _load_jsonl(GOLD)
    scored = found = exact = 0
    lines = []
    for rec in records:
        text = rec["text"]
        spans = [(m["start"], m["end"]) for m in rec["mentions"]]
        claims = extract_claims(text, spans)
        for g in rec["claims"]:
            if g["event_type"] not in _SCORED_TYPES:
                continue
            scored += 1
            same = [
                c
                for c in claims
                if c.sentence_start < g["sentence_end"] and g["sentence_start"] < c.sentence_end
            ]
            ok = [c for c in same if _compatible(g["stance"], c.stance)]
            found += bool(ok)
            exact += any(c.stance == g["stance"] for c in same)
            if not ok:
                lines.append(
                    f"  missed {rec['id'][:7]} {g['place']!r} {g['event_type']}/{g['stance']} "
                    f"by {g['claimant']!r}: got {[(c.event, c.stance) for c in same]}"
                )
    with capsys.disabled():
        print(
            f"\nseed gold claims ({', '.join(_SCORED_TYPES)}): {found}/{scored} have a predicted "
            f"claim in their sentence with a compatible stance; {exact}/{scored} the same stance"
        )
        print("\n".join(lines))
    assert scored >= 30
    assert found / scored >= 0.80  # measured 31/36; the misses name no place in their sentence


# --------------------------------------------------------------------------------------------
# one claim per thing said (issue 12: "one claim appears twice")
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "“The biggest number of Russian assaults is near Pokrovsk, and we will break this "
            "Russian offensive,” Zelensky said.",
            ("Pokrovsk",),
        ),
        (
            "Russian forces have made slow progress and have made recent gains in Donetsk.",
            ("Donetsk",),
        ),
        (
            "Russian forces captured Vuhledar in October, after seizing Prechystivka.",
            ("Vuhledar", "Prechystivka"),
        ),
    ],
)
def test_a_sentence_says_each_thing_once(text, places):
    claims = extract_claims(text, [_span(text, p) for p in places])
    keys = [(c.event, c.claimant, c.stance, c.negated, c.quote) for c in claims]
    assert len(keys) == len(set(keys)) >= 1
    assert {sp for c in claims for sp in c.place_spans} == {_span(text, p) for p in places}


def test_an_attempt_and_a_denied_gain_stay_two_claims():
    text = "Russian troops continued offensive operations near Kupiansk but did not advance."
    claims = extract_claims(text, [_span(text, "Kupiansk")])
    assert [(c.event, c.negated) for c in claims] == [("advancing", False), ("advancing", True)]
