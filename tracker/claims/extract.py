"""Sentences -> claims: :func:`extract_claims`, the stage that puts the pieces together.

For every sentence that mentions a place: its event triggers (:mod:`.triggers`), the
attribution frames around them (:mod:`.attribution`) and their claimants
(:mod:`.claimants`), the places each trigger is about (:mod:`.places`), negation and stance
(:mod:`.stance`). A sentence naming a place but no event gives an "other" claim when a known
claimant says something about the place. "X claimed …, but Y denied it" / "…, a claim Kyiv
rejected" add Y's denial of the same event.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..models import Claim, Claimant, Event, Stance
from .attribution import SPEECH_KEYS, Frame, frames, governing, quote_speaker
from .claimants import History
from .lexicon import patterns
from .places import ANAPHOR, assign_places, borrowed_places, excluded_spans, is_country
from .sentences import Span, in_quote, quotes, sentences
from .stance import final_stance, negation
from .triggers import (
    TRIGGER_INFO,
    TRIGGER_WORD,
    Trigger,
    TriggerMatcher,
    event_of,
    is_combat_noun,
    keep_trigger,
    merge_repulses,
    trigger_matcher,
    trigger_matches,
)

__all__ = ["HEARSAY", "extract_claims", "word_candidates"]

_SYNTAX = patterns("syntax")
#: Events a civilian speaker only hears about (their words about them are no claims).
HEARSAY: frozenset[Event] = frozenset({"captured", "entered", "advancing", "repelled", "liberated"})
#: The stances an unnamed speaker's verb keeps (others are the reporter's "reported").
_UNNAMED_KEEP = ("confirmed", "denied", "disputed", "assessed")


def word_candidates(
    text: str, start: int, end: int
) -> tuple[list[int], list[tuple[int, TriggerMatcher]]]:
    """Word starts where an attribution may begin, and where an event trigger may (with the
    triggers that can start there): one pass over the words."""
    speech_at: list[int] = []
    trigger_at: list[tuple[int, TriggerMatcher]] = []
    seen: dict[str, tuple[bool, TriggerMatcher | None]] = {}  # word as written -> what it opens
    for w in TRIGGER_WORD.finditer(text, start, end):
        opens = seen.get(word := w.group())
        if opens is None:
            low = word.lower()
            opens = seen[word] = (low in SPEECH_KEYS, trigger_matcher(low))
        if opens[0]:
            speech_at.append(w.start())
        if opens[1] is not None:
            trigger_at.append((w.start(), opens[1]))
    return speech_at, trigger_at


@dataclass(slots=True)
class _Doc:
    """What the sentences of one document share."""

    text: str
    quotes: list[Span]
    quote_starts: list[int]
    speakers: dict[Span, Frame | None]

    def quote_at(self, pos: int) -> Span | None:
        return in_quote(pos, self.quotes, self.quote_starts)


def extract_claims(
    text: str, spans: Sequence[tuple[int, int]], *, start: int = 0, end: int | None = None
) -> list[Claim]:
    """Claims made in ``text[start:end]`` about the place mentions ``spans``.

    Parameters
    ----------
    text : str
        The document text.
    spans : sequence of (int, int)
        ``(start, end)`` offsets of the place mentions found in ``text`` (any order).
    start, end : int, optional
        Limit the extraction to this part of ``text`` (default: all of it).

    Returns
    -------
    list of Claim
        In text order. Only sentences with at least one mention (or plainly continuing one
        that has) yield claims.

    Raises
    ------
    ValueError
        When ``start``/``end`` do not delimit a part of ``text``. Spans outside
        ``text[start:end]`` are ignored.

    Examples
    --------
    >>> text = "Russian forces captured Pishchane, the Russian Defence Ministry said."
    >>> [(c.event, c.claimant, c.stance, c.negated, c.trigger)
    ...  for c in extract_claims(text, [(24, 33)])]
    [('captured', 'russian_mod', 'claimed', False, 'captured')]
    >>> text = "“They did not capture Siversk,” the brigade said."
    >>> [(c.event, c.claimant, c.stance, c.negated, c.quote)
    ...  for c in extract_claims(text, [(22, 29)])]
    [('captured', 'ukrainian_military', 'denied', True, True)]
    """
    end = len(text) if end is None else end
    if not 0 <= start <= end <= len(text):
        raise ValueError(
            f"`start`/`end` were {start!r}/{end!r} but are expected to satisfy "
            f"0 <= start <= end <= len(text) ({len(text)})"
        )
    sents = sentences(text, start, end)
    if not sents:
        return []
    sorted_spans = sorted(
        (int(s), int(e)) for s, e in spans if start <= s < e <= end and e <= len(text)
    )
    speech_at, trigger_at = word_candidates(text, start, end)
    found = frames(text, sents, History(doc=text), speech_at)
    frame_starts = [f.lo for f in found]
    regions = quotes(text, start, end)
    doc = _Doc(
        text,
        regions,
        [q[0] for q in regions],
        {q: quote_speaker(text, q, found, frame_starts) for q in regions},
    )
    raw = _triggers_by_sentence(text, end, sents, trigger_at)
    frames_of = []
    for ss, se in sents:
        fi, fj = bisect_left(frame_starts, ss), bisect_left(frame_starts, se)
        frames_of.append([f for f in found[fi:fj] if f.verb_start < se])
    return _claims(doc, sents, sorted_spans, raw, frames_of)


def _triggers_by_sentence(
    text: str, end: int, sents: list[Span], trigger_at: list[tuple[int, TriggerMatcher]]
) -> list[list[re.Match[str]]]:
    starts = [s for s, _ in sents]
    out: list[list[re.Match[str]]] = [[] for _ in sents]
    for m in trigger_matches(text, end, trigger_at):
        k = bisect_right(starts, m.start()) - 1
        if k >= 0 and m.end() <= sents[k][1]:
            out[k].append(m)
    return out


def _claims(
    doc: _Doc,
    sents: list[Span],
    sorted_spans: list[Span],
    raw: list[list[re.Match[str]]],
    frames_of: list[list[Frame]],
) -> list[Claim]:
    text = doc.text
    span_starts = [s for s, _ in sorted_spans]
    places_of: list[list[Span]] = []
    local_of: list[list[Span]] = []
    in_claimant_of: list[list[Span]] = []
    for k, (ss, se) in enumerate(sents):
        own = sorted_spans[bisect_left(span_starts, ss) : bisect_left(span_starts, se)]
        places, local, in_claimant = (
            excluded_spans(text, ss, own, frames_of[k]) if own else ([], [], [])
        )
        places_of.append(places)
        local_of.append(local)
        in_claimant_of.append(in_claimant)

    claims: list[Claim] = []
    produced: list[list[Claim]] = [[] for _ in sents]
    for k, (ss, se) in enumerate(sents):
        places = places_of[k]
        whole = borrowed = False  # the places are about every event / of another sentence
        if not places and local_of[k]:
            places, whole = local_of[k], True  # "Kharkiv Governor X said … in the city"
        if not places:
            if not raw[k]:
                continue  # nothing happens, or only actors are named ("Kyiv said")
            q = doc.quote_at(ss)
            quoted_on = q is not None and q[0] < ss  # a quotation that began before
            places = borrowed_places(text, k, sents, places_of, produced, frames_of[k], quoted_on)
            borrowed = bool(places)
            if not places and in_claimant_of[k] and ANAPHOR.search(text, ss, se):
                places = in_claimant_of[k]  # "a spokesperson for the Siversk group … the town"
            if not places:
                continue
            whole = True
        produced[k] = _sentence_claims(doc, ss, se, raw[k], places, frames_of[k], whole, borrowed)
        claims.extend(produced[k])
    return claims


def _sentence_triggers(
    text: str, ss: int, se: int, raw: list[re.Match[str]], frames: list[Frame]
) -> list[Trigger]:
    """The sentence's event triggers that stand (not attribution verbs, not in a label)."""
    label = _SYNTAX["label"].match(text, ss, se)
    label_end = label.end("label") if label else ss
    if label and _SYNTAX["intent_label"].search(label.group("label")):
        return []  # "Russian objective: Capture the entirety of Donetsk Oblast"
    triggers: list[Trigger] = []
    for m in raw:
        if m.start() < label_end:
            continue  # "Assessed Russian advances: …"
        event, flag = TRIGGER_INFO[m.lastgroup or ""]
        if any(f.verb_start <= m.start() < f.verb_end for f in frames):
            continue  # "claimed" is an attribution, not an event
        kept = keep_trigger(text, ss, se, m, flag)
        if kept is not None:
            triggers.append(Trigger(m.start(), m.end(), event, kept, noun=is_combat_noun(m[0])))
    return merge_repulses(text, triggers)


def _sentence_claims(
    doc: _Doc,
    ss: int,
    se: int,
    raw: list[re.Match[str]],
    places: list[Span],
    frames: list[Frame],
    whole: bool,
    borrowed: bool,
) -> list[Claim]:
    """The claims of one sentence about *places* (*whole*: about every event of the sentence;
    *borrowed*: the places of a neighbouring sentence)."""
    text = doc.text
    triggers = _sentence_triggers(text, ss, se, raw, frames)
    if borrowed and triggers:  # "stop the attacks": a combat noun with no place of its own
        triggers = [t for t in triggers if not t.noun]
        if not triggers:
            return []  # is no event, and the sentence says nothing else about those places
    claims: list[Claim] = []
    if triggers:
        if whole:
            for t in triggers:
                t.places = list(places)
        else:
            assign_places(text, ss, triggers, places, frames)
        for t in triggers:
            if t.noun:  # "the three-year offensive … in Ukraine": the war, no event on a map
                t.places = [sp for sp in t.places if not is_country(text, sp)]
        used: set[int] = set()
        for t in triggers:
            if t.places:
                claims.extend(_claim(doc, ss, se, t, frames, used))
        _add_reactions(text, ss, se, frames, claims, used)
        _add_second_speakers(text, ss, se, frames, places, claims, used)
    elif places:
        other = _other_claim(doc, ss, se, frames, places)
        if other is not None:
            claims.append(other)
    return _merge_same(claims)


def _add_reactions(
    text: str, ss: int, se: int, frames: list[Frame], claims: list[Claim], used: set[int]
) -> None:
    """Reactions ("Moscow claimed its troops had captured X, but the General Staff denied it"):
    add the reacting claimant's claim about each earlier event to *claims*."""
    for f in frames:
        if not (
            f.claimant
            and id(f) not in used
            and f.stance in ("denied", "disputed", "confirmed")
            and (f.reaction or _SYNTAX["refers_to_claim"].match(text, f.verb_end, se))
        ):
            continue
        for c in [c for c in claims if c.trigger_end <= f.lo and c.claimant != f.claimant]:
            used.add(id(f))
            claims.append(
                replace(
                    c,
                    claimant=f.claimant,
                    claimant_text=f.text,
                    stance=f.stance,
                    negated=f.stance == "denied" or c.negated,
                    sentence_start=ss,
                    sentence_end=se,
                )
            )


def _add_second_speakers(
    text: str,
    ss: int,
    se: int,
    frames: list[Frame],
    places: list[Span],
    claims: list[Claim],
    used: set[int],
) -> None:
    """A second speaker who names no event ("Moscow claims to have taken Toretsk, but
    Ukrainian troops are still fighting in the town, according to Kyiv"): add their "other"
    claim to *claims*."""
    for f in frames:
        if not (
            claims
            and f.postposed
            and f.claimant
            and not f.transparent
            and id(f) not in used
            and _SYNTAX["contrast"].search(text, ss, f.lo)
        ):
            continue
        spans = tuple(sp for sp in places if not is_country(text, sp))
        if spans:
            stance = final_stance(f.stance, f.claimant, False, False, text, ss, se)
            claims.append(_frame_claim(text, ss, se, f, f.claimant, stance, False, spans))


def _frame_claim(
    text: str,
    ss: int,
    se: int,
    f: Frame,
    claimant: Claimant,
    stance: Stance,
    quote: bool,
    spans: tuple[Span, ...],
) -> Claim:
    """An "other" claim: the frame's speaker says something about *spans*."""
    return Claim(
        "other",
        claimant,
        f.text,
        stance,
        False,
        quote,
        ss,
        se,
        text[f.verb_start : f.verb_end],
        f.verb_start,
        f.verb_end,
        spans,
    )


def _other_claim(
    doc: _Doc, ss: int, se: int, frames: list[Frame], places: list[Span]
) -> Claim | None:
    """A known claimant saying something about the places of a sentence without an event."""
    text = doc.text
    frame = next(
        (f for f in frames if f.claimant and not f.transparent and not f.noun), None
    ) or next((f for f in frames if f.claimant and not f.transparent), None)
    if frame is None:  # a sentence of a quotation whose speaker is named elsewhere
        body = text[ss:se]
        q = doc.quote_at(ss) or doc.quote_at(ss + len(body) - len(body.lstrip()))
        speaker = doc.speakers.get(q) if q is not None else None
        if speaker is not None and speaker.claimant:
            frame = speaker
    if frame is None:
        return None
    claimant = frame.claimant or "reporter"
    spans = tuple(sp for sp in places if not is_country(text, sp))
    if not spans:
        return None
    stance = final_stance(frame.stance, claimant, False, False, text, ss, se)
    quote = doc.quote_at(frame.verb_start) is not None
    return _frame_claim(text, ss, se, frame, claimant, stance, quote, spans)


def _merge_same(claims: list[Claim]) -> list[Claim]:
    """Claims of a sentence that say the same thing (event, claimant, stance, negation, quote)
    become one, the first, with every place of them: "the biggest number of Russian assaults
    … this Russian offensive" is one claim, not two."""
    out: list[Claim] = []
    index: dict[tuple[object, ...], int] = {}
    for c in claims:
        key = (c.event, c.claimant, c.stance, c.negated, c.quote)
        i = index.get(key)
        if i is None:
            index[key] = len(out)
            out.append(c)
            continue
        spans = tuple(sorted(set(out[i].place_spans) | set(c.place_spans)))
        out[i] = replace(out[i], place_spans=spans)
    return out


def _is_claim(event: Event, claimant: Claimant, f: Frame | None, partial: bool) -> bool:
    """Whether a trigger read as *event* by *claimant* (from frame *f*) is a claim at all.

    * An "other" event ("Russia annexed …") is a claim only of a known claimant, like every
      "other" claim: in the reporter's voice it says nothing a map can show.
    * "did not fully control these areas" in the reporter's voice says how much is held, not
      that anything happened or did not (a party saying "no stable control" disputes a claim).
    * What a civilian says about the fighting is hearsay ("They told us the Russians had been
      pushed back," she said); what they saw or did (strikes, fleeing) is kept.
    """
    if event == "other" and claimant == "reporter":
        return False
    if partial and event == "captured" and claimant == "reporter":
        return False
    return not (f is not None and f.civilian and event in HEARSAY)


def _claim(
    doc: _Doc, ss: int, se: int, t: Trigger, frames: list[Frame], used: set[int]
) -> list[Claim]:
    """The claims of trigger *t*: one per frame that reports it (the reporter's when none)."""
    text = doc.text
    q = doc.quote_at(t.start)
    speaker = doc.speakers.get(q) if q is not None else None
    chosen = [speaker] if speaker is not None else governing(text, frames, t.start, t.end)
    negated, qualified = negation(text, ss, t.start, t.end)
    used.update(id(f) for f in chosen)
    out: list[Claim] = []
    reporters: list[Frame | None] = list(chosen) or [None]
    for f in reporters:
        claimant: Claimant = (f.claimant if f else None) or "reporter"
        stance: Stance = f.stance if f else "reported"
        if f is not None and f.claimant is None and stance not in _UNNAMED_KEEP:
            stance = "reported"
        neg = negated or stance == "denied"
        event = event_of(text, ss, t, claimant)
        if not _is_claim(event, claimant, f, neg and qualified):
            continue
        out.append(
            Claim(
                event,
                claimant,
                f.text if f else None,
                final_stance(stance, claimant, neg, qualified, text, ss, se),
                neg,
                q is not None,
                ss,
                se,
                text[t.start : t.end],
                t.start,
                t.end,
                tuple(sorted(set(t.places))),
            )
        )
    return out
