"""Claims onto resolved mentions: each mention gets the claims about it, territorial claims
about a located settlement with their DeepState check (the last step of the parse stage)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..models import Article, Claim, MentionClaim, ResolvedMention
from .crosscheck import check_claim
from .extract import extract_claims

if TYPE_CHECKING:
    from ..frontline import Frontline

__all__ = ["SETTLEMENT_CATEGORIES", "attach_claims"]

#: KATOTTG categories of settlements (cities, towns, villages): the places DeepState can check.
SETTLEMENT_CATEGORIES = frozenset({"K", "M", "T", "X", "C"})


def attach_claims(
    article: Article, resolved: Sequence[ResolvedMention], frontline: Frontline | None
) -> list[ResolvedMention]:
    """*resolved* with each mention's ``claims``: the claims of :func:`extract_claims` whose
    place spans include it, checked against *frontline* (:func:`check_claim`) when the mention
    is a located settlement and the claim territorial.

    Parameters
    ----------
    article
        The article the mentions were found in (its text, body start and date).
    resolved
        Its resolved mentions.
    frontline
        The DeepState archive (None for an undated article: checks say "no date").
    """
    spans = [(r.mention.start, r.mention.end) for r in resolved]
    claims = extract_claims(article.text, spans, start=article.body_start) if spans else []
    if not claims:
        return list(resolved)
    by_span: dict[tuple[int, int], list[Claim]] = {}
    for claim in claims:
        for span in claim.place_spans:
            by_span.setdefault(span, []).append(claim)
    out = []
    for r in resolved:
        found = by_span.get((r.mention.start, r.mention.end))
        if not found:
            out.append(r)
            continue
        place = r.place
        checkable = (
            place is not None and place.category in SETTLEMENT_CATEGORIES and place.lon is not None
        )
        items = tuple(
            MentionClaim(
                claim,
                check_claim(claim.event, claim.negated, place.katottg, article.date, frontline)
                if checkable and place is not None
                else None,
            )
            for claim in found
        )
        out.append(replace(r, claims=items))
    return out
