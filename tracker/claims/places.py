"""Which of a sentence's place mentions a claim is about.

Places are given to the event they belong to: objects follow their verb, passive subjects
("Zaporizke and Novoheorhiivka, which had fallen …") precede it. Spans that name actors
rather than places are left out: datelines ("KYIV, Ukraine —"), the claimant's own name
("Kyiv's military"), agents ("Russia seized …"), possessives ("Moscow's forces", "Russia's
Kursk region" keeps only the region), capitals as governments ("a blow for Kyiv") and
parenthetical reference points ("(north of Kupyansk)"). The region in a governor's title
stands in when the sentence names no other place ("Kharkiv Governor … said … in the city").

A sentence without a place of its own borrows the places of a neighbouring sentence when it
plainly continues it: an anaphor ("both villages", "those settlements", "the region" –
matched to settlement or region spans), a quotation that goes on from the sentence before, or
the same speaker continuing ("He added that …"); "…," Tryhubov added. He was referring to X
and Y reaches forward.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from ..models import Claim
from ..names import fold
from .attribution import Frame
from .lexicon import patterns, rx, word_set
from .sentences import Span
from .triggers import Trigger

__all__ = [
    "ANAPHOR",
    "COUNTRIES",
    "assign_places",
    "borrowed_places",
    "excluded_spans",
    "is_country",
]

ANAPHOR = rx("places", "patterns.anaphor")
COUNTRIES = word_set("countries")
_CAPITALS = word_set("capitals")
_PLACES = patterns("places")


def is_country(text: str, span: Span) -> bool:
    """Whether the mention at *span* names a whole country ("Russia", "the U.S.")."""
    return fold(text[span[0] : span[1]]) in COUNTRIES


def _is_agent(text: str, ss: int, s: int, after: str) -> bool:
    """An agent ("Russia seized …", "Ukraine has launched …"): the mention acts."""
    am = _PLACES["agent_after"].match(after)
    if (
        am is None
        or not _PLACES["agent_verbs"].match(am.group("verb"))
        or _PLACES["name_after_verb"].match(am.group("verb") + after[am.end() :])
        or _PLACES["locative_before"].search(text, max(ss, s - 12), s)
    ):
        return False
    return not (
        _PLACES["passive_aux"].search(am.group("aux")) and not am.group("verb").endswith("ing")
    )


def _is_actor(text: str, ss: int, spans: list[Span], i: int) -> bool:
    """Whether mention *i* names an actor rather than the place of an event."""
    s, e = spans[i]
    after = text[e : e + 80]
    nxt = spans[i + 1] if i + 1 < len(spans) else None
    if _PLACES["actor_possessive"].match(after):
        return True  # "Kyiv's forces"
    if nxt and _PLACES["possessive"].match(after) and nxt[0] - e < 40:
        return True  # container: "Russia's Kursk region", "Kherson's district"
    if fold(text[s:e]) in _CAPITALS and _PLACES["political_before"].search(
        text, max(ss, s - 20), s
    ):
        return True  # "a blow for Kyiv", "a warning to Kyiv"
    if _PLACES["coordinated_actor"].match(after):
        return True
    return _is_agent(text, ss, s, after)


def _claimant_spans(frames: list[Frame]) -> tuple[list[Span], list[Span]]:
    """The spans of the claimants' words (and of the words before each verb), and of local
    authorities' names."""
    named = [f for f in frames if f.claimant or f.transparent]
    words = [f.np_span for f in named if f.np_span]
    words += [(f.lo, f.verb_start) for f in named if f.lo < f.verb_start]
    local = [f.np_span for f in frames if f.claimant == "local_authorities" and f.np_span]
    return words, local


def excluded_spans(
    text: str, ss: int, spans: list[Span], frames: list[Frame]
) -> tuple[list[Span], list[Span], list[Span]]:
    """The sentence's spans that are places the claims are about; the places named inside a
    local authority's name ("Kharkiv Governor …") and inside any claimant's name ("the Siversk
    tactical group"), which stand in when nothing else is left."""
    keep: list[Span] = []
    in_claimant: list[Span] = []
    np_spans, local = _claimant_spans(frames)
    dl = _PLACES["dateline"].match(text, ss, min(len(text), ss + 60))
    dateline_end = dl.end() if dl else -1
    for i, (s, e) in enumerate(spans):
        if e <= dateline_end:
            continue
        if np_spans and any(a <= s and e <= b for a, b in np_spans):
            if fold(text[s:e]) not in _CAPITALS:
                in_claimant.append((s, e))
            continue
        if not _is_actor(text, ss, spans, i):
            keep.append((s, e))
    # parenthetical reference points: "Radkivka (north of Kupyansk)"
    refs = [
        sp for sp in keep if _PLACES["paren_reference"].search(text[max(ss, sp[0] - 40) : sp[0]])
    ]
    if refs and len(refs) < len(keep):
        keep = [sp for sp in keep if sp not in refs]
    local_named = [sp for sp in in_claimant if any(a <= sp[0] and sp[1] <= b for a, b in local)]
    return keep, local_named, in_claimant


def _groups(text: str, places: list[Span]) -> list[list[Span]]:
    """Coordinated spans ("Zaporizke and Novoheorhiivka"), which share a trigger."""
    groups: list[list[Span]] = []
    for sp in places:
        if groups and _PLACES["coordination"].match(text[groups[-1][-1][1] : sp[0]]):
            groups[-1].append(sp)
        else:
            groups.append([sp])
    return groups


def _target(
    text: str,
    ss: int,
    group: list[Span],
    triggers: list[Trigger],
    frames: list[Frame],
    fronted: dict[int, list[Span]],
) -> Trigger | None:
    """The trigger a group of coordinated places belongs to (None: none of them)."""
    starts = [t.start for t in triggers]
    ends = [t.end for t in triggers]
    barriers = [f.verb_start for f in frames if f.postposed]
    last_end, first_start = group[-1][1], group[0][0]
    j = bisect_left(starts, last_end)
    nxt = triggers[j] if j < len(triggers) else None
    prev_i = bisect_right(ends, first_start) - 1
    prev = triggers[prev_i] if prev_i >= 0 else None
    if prev is not None and (
        any(prev.end <= b < first_start for b in barriers)
        or _PLACES["subordinate"].search(text, prev.end, first_start)
    ):
        prev = None  # "X captured A, the ministry said, as … B": B is not about the capture
    if nxt is not None and _PLACES["passive_gap"].match(text[last_end : nxt.start]):
        return None if nxt.flag == "expel" else nxt  # "Ukraine had been driven out": expelled
    if prev is not None:
        return prev
    if nxt is None:
        return None
    if any(last_end <= f.verb_start < nxt.start for f in frames):
        return None  # "During talks in Istanbul, Russia insisted that Kyiv withdraw …"
    if "," in text[last_end : nxt.start]:
        if _PLACES["fronted_locative"].match(text, ss):
            fronted.setdefault(j, []).extend(group)  # "In Vuhledar, …"
        elif _PLACES["fronted_adverbial"].match(text, ss):
            return None  # "Following an uprising in Kyiv in 2014, Russia seized Crimea"
    return nxt


def assign_places(
    text: str, ss: int, triggers: list[Trigger], places: list[Span], frames: list[Frame]
) -> None:
    """Give each place to the event it belongs to: the trigger before it (objects follow their
    verb) unless it is the subject of a passive or intransitive trigger after it. A trigger
    left without places takes its nearest neighbour's."""
    if not triggers:
        return
    fronted: dict[int, list[Span]] = {}
    for group in _groups(text, places):
        target = _target(text, ss, group, triggers, frames, fronted)
        if target is not None:
            target.places.extend(group)
    for j, spans in fronted.items():
        own = [sp for sp in triggers[j].places if sp not in spans]
        if own:  # a fronted "In X, …" gives way to the trigger's own object
            triggers[j].places = own
    for i, t in enumerate(triggers):
        if t.places:
            continue
        for k in [*range(i - 1, -1, -1), *range(i + 1, len(triggers))]:
            if triggers[k].places:
                t.places = list(triggers[k].places)
                break


def _matching_kind(text: str, anaphor: str, spans: list[Span]) -> list[Span]:
    """The spans an anaphor can mean: "the region" a region, "both villages" settlements."""
    if _PLACES["region_noun"].search(anaphor):
        kept = [sp for sp in spans if _PLACES["region_noun"].search(text[sp[0] : sp[1]])]
    elif _PLACES["settlement_noun"].search(anaphor):
        kept = [sp for sp in spans if not _PLACES["region_noun"].search(text[sp[0] : sp[1]])]
    else:
        kept = spans
    return kept or spans


def borrowed_places(
    text: str,
    k: int,
    sentences: Sequence[Span],
    places_of: Sequence[list[Span]],
    produced: Sequence[list[Claim]],
    sframes: list[Frame],
    quoted_on: bool,
) -> list[Span]:
    """Places of the sentence sentence *k* refers to ("both villages", a continuing quotation,
    the same speaker going on); [] when it refers to none."""
    ss, se = sentences[k]
    body = text[ss:se]
    anaphor = ANAPHOR.search(body)
    if k + 1 < len(sentences) and anaphor:
        ns, ne = sentences[k + 1]
        if _PLACES["referring"].match(text[ns:ne]) and places_of[k + 1]:
            # "… those settlements," Tryhubov added. He was referring to two villages, X and Y
            return _matching_kind(text, anaphor.group(0), places_of[k + 1])
    if k == 0 or "\n\n" in text[sentences[k - 1][1] : ss]:
        return []
    prev_claims = produced[k - 1]
    prev_places = sorted({sp for c in prev_claims for sp in c.place_spans})
    if not prev_places and quoted_on:
        # “We are still in Pokrovsk. The Russians were pushed back …”
        return [sp for sp in places_of[k - 1] if not is_country(text, sp)]
    if not prev_places:
        return []
    same_speaker = bool(
        sframes
        and sframes[0].claimant
        and sframes[0].lo - ss < 20
        and sframes[0].claimant == prev_claims[-1].claimant
    )
    continuing = bool(
        anaphor
        or _PLACES["pronoun_start"].match(body)
        or body.lstrip().startswith(("“", '"'))
        or same_speaker
    )
    if not continuing:
        return []
    return _matching_kind(text, anaphor.group(0), prev_places) if anaphor else prev_places
