"""The ranking model's weights: one frozen, typed object loaded from ``knowledge/ranking.toml``.

Examples
--------
>>> p = params()
>>> p.anchor_weight, p.temperature
(6.0, 2.5)
>>> p.category_prior["K"]
3.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache

from ..cues import weak_sources
from ..knowledge import table

__all__ = ["RankingParams", "params"]


@dataclass(frozen=True, slots=True)
class RankingParams:
    """Every weight of the candidate-scoring model (see ``knowledge/ranking.toml`` for what
    each does and how it was set)."""

    category_prior: Mapping[str, float]
    population_weight: float
    unlocated_penalty: float
    regional_centre: float
    hromada_centre: float
    front_weight: float
    front_scale_km: float
    spelling_scale: float
    weak_source_penalty: Mapping[str, float]
    old_name_penalty: float
    weak_sources: tuple[str, ...]
    oblast_weight: float
    named_direction: float
    near_weight: float
    near_scale_km: float
    region_weight: Mapping[str, float]
    border_weight: float
    border_scale_km: float
    named_after_weight: float
    anchor_weight: float
    anchor_scale_km: float
    direction_scale_km: float
    given_km_scale: float
    same_hromada_bonus: float
    unlocated_factor: float
    min_gain: float
    max_evidence: int
    same_sentence: float
    hyphen_pair: float
    same_paragraph: float
    nearby_paragraph: float
    elsewhere: float
    nearby_paragraphs: int
    top_places: int
    min_belief: float
    section_chars: int
    temperature: float
    where_temperature: float
    abstain_below: float
    region_agreement: float


@cache
def params() -> RankingParams:
    """The weights of ``knowledge/ranking.toml`` (read once)."""
    t = table("ranking")
    prior, front, spelling, asked = t["prior"], t["front"], t["spelling"], t["asked"]
    ctx, doc, conf = t["context"], t["document"], t["confidence"]
    values = {
        "category_prior": prior["category"],
        "population_weight": prior["population_weight"],
        "unlocated_penalty": prior["unlocated_penalty"],
        "regional_centre": prior["regional_centre"],
        "hromada_centre": prior["hromada_centre"],
        "front_weight": front["weight"],
        "front_scale_km": front["scale_km"],
        "spelling_scale": spelling["scale"],
        "weak_source_penalty": spelling["weak_source_penalty"],
        "old_name_penalty": spelling["old_name_penalty"],
        "weak_sources": tuple(sorted(weak_sources())),
        "oblast_weight": asked["oblast_weight"],
        "named_direction": asked["named_direction"],
        "near_weight": asked["near_weight"],
        "near_scale_km": asked["near_scale_km"],
        "region_weight": ctx["region_weight"],
        "border_weight": ctx["border_weight"],
        "border_scale_km": ctx["border_scale_km"],
        "named_after_weight": ctx["named_after_weight"],
        "anchor_weight": ctx["anchor_weight"],
        "anchor_scale_km": ctx["anchor_scale_km"],
        "direction_scale_km": ctx["direction_scale_km"],
        "given_km_scale": ctx["given_km_scale"],
        "same_hromada_bonus": ctx["same_hromada_bonus"],
        "unlocated_factor": ctx["unlocated_factor"],
        "min_gain": ctx["min_gain"],
        "max_evidence": ctx["max_evidence"],
        "same_sentence": doc["same_sentence"],
        "hyphen_pair": doc["hyphen_pair"],
        "same_paragraph": doc["same_paragraph"],
        "nearby_paragraph": doc["nearby_paragraph"],
        "elsewhere": doc["elsewhere"],
        "nearby_paragraphs": doc["nearby_paragraphs"],
        "top_places": doc["top_places"],
        "min_belief": doc["min_belief"],
        "section_chars": doc["section_chars"],
        "temperature": conf["temperature"],
        "where_temperature": conf["where_temperature"],
        "abstain_below": conf["abstain_below"],
        "region_agreement": conf["region_agreement"],
    }
    missing = {f.name for f in fields(RankingParams)} - set(values)
    if missing:  # pragma: no cover - a programming error caught by the tests
        raise KeyError(f"ranking.toml lacks {sorted(missing)}")
    return RankingParams(**values)
