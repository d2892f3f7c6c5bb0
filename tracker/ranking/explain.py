"""Evidence: why a candidate scored as it did, in words, from the terms that scored it.

Nothing here recomputes the model: every line is read off a :class:`~.terms.PriorTerms` or
:class:`~.terms.ContextTerms` record, and only the few exact distances shown are computed
(geodesic, for the pairs reported).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .params import RankingParams, params
from .terms import ContextTerms, PriorTerms, geodesic

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

__all__ = ["Wording", "context_evidence", "prior_evidence"]


class Wording:
    """How evidence names its source: a hint ("in context", "asked") or a document
    ("in the text", "stated")."""

    def __init__(self, source: str, stated: str) -> None:
        self.source = source
        self.stated = stated


HINT = Wording("context", "asked")
DOCUMENT = Wording("the text", "stated")


def prior_evidence(
    gaz: Gazetteer, terms: PriorTerms, k: int, p: RankingParams | None = None
) -> list[str]:
    """The name-match, prior and front-line lines of candidate *k*."""
    p = p or params()
    col = gaz.col
    sim, source, pid = terms.similarity[k], terms.sources[k], terms.pids[k]
    lines = [
        ("name: exact" if sim >= 100 else f"name: spelling {sim:.0f}% similar")
        + (f" ({source})" if source else "")
    ]
    if terms.weak[k]:
        lines.append(
            f"another place has this name officially; this one only as a "
            f"{source} spelling: -{p.weak_source_penalty.get(source, 0.0):.2f}"
        )
    elif source == "old-name":
        lines.append(f"matched a former name (renamed): -{p.old_name_penalty:.2f}")
    pop = int(col["population"][pid])
    lines.append(
        f"prior: {col['kind'][pid]}"
        + (f", population {pop:,}" if pop else "")
        + f": {terms.prior[k]:+.2f}"
    )
    if terms.front_gain[k] >= 0.05:
        where = terms.front_label or "at its nearest (DeepStateMap archive)"
        lines.append(
            f"{terms.front_km[k]:.1f} km from the line of contact {where}: "
            f"+{terms.front_gain[k]:.2f}"
        )
    return lines


def context_evidence(
    gaz: Gazetteer,
    terms: ContextTerms,
    k: int,
    wording: Wording = HINT,
    p: RankingParams | None = None,
) -> list[str]:
    """The largest context terms of candidate *k* (at most ``max_evidence``), largest first."""
    p = p or params()
    col, anchors = gaz.col, terms.anchors
    items: list[tuple[float, str]] = []
    for mask, gain, kind, a, r in terms.notes:
        if not mask[k]:
            continue
        text = anchors.text[a]
        if kind == "region":
            line = (
                f"in {col['name'][r]} {col['kind'][r]} named in {wording.source} "
                f"({text!r}): +{gain:.1f}"
            )
        elif kind == "named":
            line = f"in the hromada named after {text!r}: +{gain:.2f}"
        else:
            line = f"same hromada as {text!r} (no coordinates): +{gain:.2f}"
        items.append((gain, line))
    rows = np.flatnonzero(terms.located == k)
    if rows.size and terms.gain.size:
        row = int(rows[0])
        ends = np.append(terms.starts[1:], len(terms.seg))
        top = [a for a in np.argsort(-terms.gain[row])[: p.max_evidence] if terms.gain[row, a] > 0]
        if top:
            js = [
                terms.starts[a] + int(np.argmax(terms.value[row, terms.starts[a] : ends[a]]))
                for a in top
            ]
            places = terms.places[js]
            n = len(js)
            cand = terms.pids[k]
            kms, azs = geodesic(
                col["lon"][places],
                col["lat"][places],
                np.full(n, col["lon"][cand]),
                np.full(n, col["lat"][cand]),
            )
            for i, (a, j, km, az) in enumerate(zip(top, js, kms, azs, strict=True)):
                anchor = int(terms.seg[j])
                line = (
                    f"{float(km):.1f} km from {col['name'][places[i]]} "
                    f"({anchors.text[anchor]!r} in {wording.source}"
                )
                if not np.isnan(terms.bearing[j]):
                    line += (
                        f"; bearing {float(az):.0f}° vs {terms.bearing[j]:.0f}° {wording.stated}"
                    )
                if terms.direction[anchor]:
                    line += "; direction/axis"
                items.append((float(terms.gain[row, a]), line + f"): +{terms.gain[row, a]:.2f}"))
    items.sort(key=lambda t: -t[0])
    return [line for _, line in items[: p.max_evidence]]
