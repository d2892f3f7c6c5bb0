"""Evidence: why a candidate scored as it did, in words, from the terms that scored it.

Nothing here recomputes the model: every line is read off a :class:`~.terms.PriorTerms` or
:class:`~.terms.ContextTerms` record, and only the few exact distances shown are computed
(geodesic, for the pairs reported).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .params import RankingParams, params
from .terms import ContextTerms, PriorTerms, geodesic

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

__all__ = [
    "Wording",
    "context_evidence",
    "context_evidence_many",
    "context_evidence_pairs",
    "prior_evidence",
]


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
    return context_evidence_many(gaz, terms, [k], wording, p)[0]


def context_evidence_many(
    gaz: Gazetteer,
    terms: ContextTerms,
    ks: Sequence[int],
    wording: Wording = HINT,
    p: RankingParams | None = None,
) -> list[list[str]]:
    """:func:`context_evidence` of each candidate of *ks* (the distances shown for all of them
    computed in one geodesic call): the same lines, in the same order."""
    return context_evidence_pairs(gaz, [(terms, k) for k in ks], wording, p)


def context_evidence_pairs(
    gaz: Gazetteer,
    pairs: Sequence[tuple[ContextTerms, int]],
    wording: Wording = HINT,
    p: RankingParams | None = None,
) -> list[list[str]]:
    """:func:`context_evidence` of candidate ``k`` of each ``(terms, k)`` of *pairs* (the
    chosen candidate of every name of a document section), with the distances shown for all
    of them computed in one geodesic call: the same lines, in the same order."""
    p = p or params()
    col = gaz.col
    items: list[list[tuple[float, str]]] = [[] for _ in pairs]
    # (pair, terms, row, anchors, places)
    shown: list[tuple[int, ContextTerms, int, list[int], list[int]]] = []
    noted: dict[tuple[Any, ...], str] = {}  # the names of a section share their regions' notes
    for i, (terms, k) in enumerate(pairs):
        anchors = terms.anchors
        for mask, gain, kind, a, r in terms.notes:
            if not mask[k]:
                continue
            key = (id(anchors), kind, a, r, gain)
            line = noted.get(key)
            if line is None:
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
                noted[key] = line
            items[i].append((gain, line))
        if not terms.gain.size:
            continue
        row = int(np.searchsorted(terms.located, k))  # (located: ascending, distinct)
        if row == len(terms.located) or terms.located[row] != k:
            continue
        gains = terms.gain[row]
        first = np.argsort(-gains)[: p.max_evidence]
        top = first[gains[first] > 0].tolist()
        if top:
            shown.append((i, terms, row, top, terms.best_place[row, top].tolist()))
    if shown:
        places = np.concatenate([t.places[js] for _, t, _, _, js in shown])
        cands = np.array(
            [t.pids[pairs[i][1]] for i, t, _, _, js in shown for _ in js], dtype=np.int64
        )
        kms, azs = geodesic(
            col["lon"][places], col["lat"][places], col["lon"][cands], col["lat"][cands]
        )
        # (read as Python values once: a line reads several per place shown)
        kms_, azs_, names = kms.tolist(), azs.tolist(), col["name"][places].tolist()
        n = 0
        for i, terms, row, top, js in shown:
            anchors = terms.anchors
            seg = terms.seg[js]
            rows = zip(
                seg.tolist(), terms.bearing[seg].tolist(), terms.direction[seg].tolist(),
                terms.gain[row, top].tolist(), strict=True,
            )  # fmt: skip
            for anchor, stated, axis, gain in rows:
                km, az, name = kms_[n], azs_[n], names[n]
                n += 1
                line = f"{km:.1f} km from {name} ({anchors.text[anchor]!r} in {wording.source}"
                if not math.isnan(stated):
                    line += f"; bearing {az:.0f}° vs {stated:.0f}° {wording.stated}"
                if axis:
                    line += "; direction/axis"
                items[i].append((gain, line + f"): +{gain:.2f}"))
    out = []
    for lines in items:
        lines.sort(key=lambda t: -t[0])
        out.append([line for _, line in lines[: p.max_evidence]])
    return out
