"""The one candidate-scoring model, shared by ``tracker where`` and article parsing.

* :mod:`.params` — the weights (``knowledge/ranking.toml``), one frozen object;
* :mod:`.terms` — the terms (prior, asked oblast / point, context anchors), vectorised;
* :mod:`.explain` — evidence in words, from the computed terms.
"""

from __future__ import annotations

from .explain import (
    DOCUMENT,
    HINT,
    Wording,
    context_evidence,
    context_evidence_many,
    context_evidence_pairs,
    prior_evidence,
)
from .params import RankingParams, params
from .terms import (
    Anchors,
    ContextTerms,
    Found,
    PriorTerms,
    approx_distances,
    beliefs,
    border_terms,
    context_terms,
    context_terms_many,
    geodesic,
    near_terms,
    oblast_terms,
    prior_terms,
    softmax,
)

__all__ = [
    "DOCUMENT",
    "HINT",
    "Anchors",
    "ContextTerms",
    "Found",
    "PriorTerms",
    "RankingParams",
    "Wording",
    "approx_distances",
    "beliefs",
    "border_terms",
    "context_evidence",
    "context_evidence_many",
    "context_evidence_pairs",
    "context_terms",
    "context_terms_many",
    "geodesic",
    "near_terms",
    "oblast_terms",
    "params",
    "prior_evidence",
    "prior_terms",
    "softmax",
]
