"""Weak spellings the document supports: lists, hyphen pairs, governing cues."""

from __future__ import annotations

import re

from .. import cues
from ..names import fold
from .scan import SETTLEMENT_CATS, Match, closest_key

LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|-)$", re.IGNORECASE)


_LIST_CUE_BEFORE = cues.list_cue_before()


_LIST_CUE_AFTER = cues.list_cue_after()


_SPEECH_AFTER = cues.speech_after()


def with_support(
    text: str, kept: list[Match], tentative: list[Match], gaz, people: set[str]
) -> list[Match]:
    """*kept* plus the tentative matches the document supports (see ``knowledge/cues.toml``,
    ``list_support``): members of a list (or hyphen pair) that holds an accepted Ukrainian place,
    is opened by a governing cue ("in the areas of the settlements") or closed by a plural
    ("the A and B areas"). Unknown words so supported are matched to the closest spelling."""
    if not tentative:
        return kept
    added: list[Match] = []
    for chain in _chains(text, kept, tentative):
        if all(ok for _, ok in chain) or not _supported(text, chain):
            continue
        added.extend(_admitted(text, chain, gaz, people))
    return sorted(kept + added, key=lambda m: m.start) if added else kept


def _chains(text: str, kept: list[Match], tentative: list[Match]) -> list[list[tuple[Match, bool]]]:
    """Kept and tentative matches in order, grouped into runs joined by list gaps (", ",
    " and ", "-"); each with whether it was kept."""
    items = sorted(
        [(m, True) for m in kept] + [(m, False) for m in tentative], key=lambda t: t[0].start
    )
    chains: list[list[tuple[Match, bool]]] = []
    for item in items:
        if chains and LIST_GAP.match(text[chains[-1][-1][0].end : item[0].start]):
            chains[-1].append(item)
        else:
            chains.append([item])
    return chains


def _supported(text: str, chain: list[tuple[Match, bool]]) -> bool:
    """Whether a run holds an accepted Ukrainian place, or is a list (two names or more)
    opened by a governing cue or closed by a plural."""
    if any(ok and m.ukr and m.foreign is None for m, ok in chain):
        return True
    if len(chain) < 2:  # one name after a cue is not a list: the cue's own threshold holds
        return False
    first, last = chain[0][0], chain[-1][0]
    return bool(
        _LIST_CUE_BEFORE.search(text[max(0, first.start - 45) : first.start])
        or _LIST_CUE_AFTER.match(text[last.end : last.end + 20])
    )


def _admitted(text: str, chain: list[tuple[Match, bool]], gaz, people: set[str]) -> list[Match]:
    """The tentative members of a supported run that are places (cue "list"): not a person's
    name, not a source quoted after the list ("..., Suspilne reported"); an unknown word as
    its closest spelling."""
    added: list[Match] = []
    for m, ok in chain:
        if ok or fold(text[m.start : m.end]) in people:
            continue
        if _SPEECH_AFTER.match(text[m.end : m.end + 40]):  # "..., Suspilne reported"
            continue
        found = _closest(text, m, gaz) if m.unknown else m
        if found is None:
            continue
        found.cue = "list"
        added.append(found)
    return added


def _closest(text: str, m: Match, gaz) -> Match | None:
    """The settlements whose closest spelling an unknown name is (>= ``misspelt_similarity``)."""
    hit = closest_key(gaz, text[m.start : m.end])
    if not hit:
        return None
    cats = gaz.col["category"]
    ukr = {
        p: (float(hit[1]), src)
        for p, src in gaz.lookup_key(hit[0]).items()
        if cats[p] in SETTLEMENT_CATS
    }
    return Match(m.start, m.end, ukr, None) if ukr else None
