"""Claims against hand-made gold claims: precision, recall and label accuracy.

A gold record (``../shared/articles/gold.jsonl``) has ``text``, its place ``mentions`` and
``claims``: ``place``, ``event_type``, ``claimant`` (free text), ``stance``,
``sentence_start``/``sentence_end`` and ``place_spans`` (empty when the place is implied, as in
"both villages"; then ``katottg`` or the place's name tell which mentions are meant).

Claims are extracted from the gold mentions (the claims stage alone, not the mention detector)
and compared claim by place: every (claim, place span) extracted is one prediction, every
(gold claim, place span) one slot. A prediction fills a slot of the same span whose sentence it
shares (for an implied place, any mention of it); each slot takes one prediction, so a claim
extracted twice for one sentence and place counts once right and once wrong. The labels of a
matched gold claim are judged on its best prediction: the event against the gold event type
(``knowledge/claims/evaluation.toml``), the stance exactly, the claimant against the types the
gold claimant's words allow.

* precision: predictions that fill a slot / predictions;
* recall: gold claims with a filled slot / gold claims (also on the event types the extractor
  models: territorial control, offensives, strikes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..knowledge import table
from ..models import Claim, Claimant
from .claimants import surnames
from .extract import extract_claims
from .lexicon import people, rx

__all__ = ["ClaimsReport", "evaluate_claims", "evaluate_claims_file", "gold_claimants"]

Span = tuple[int, int]
Extract = Callable[[str, Sequence[Span]], list[Claim]]
_WORDS = re.compile(r"[\w’'-]+")


class _Share:
    """A read-only figure of a report: one count divided by another (0 when it is 0)."""

    def __init__(self, part: str, whole: str, doc: str) -> None:
        self.part, self.whole, self.__doc__ = part, whole, doc

    def __get__(self, report: object, owner: type | None = None) -> float:
        whole = getattr(report, self.whole)
        return getattr(report, self.part) / whole if whole else 0.0


@dataclass
class ClaimsReport:
    """Claim extraction against gold claims (:func:`evaluate_claims`)."""

    documents: int = 0
    scope: tuple[str, ...] = ()  # the gold event types the extractor models
    # gold claims, and those matched by an extracted claim
    gold: int = 0
    gold_in_scope: int = 0
    found: int = 0
    found_in_scope: int = 0
    # extracted (claim, place) pairs, those that match a gold claim, and repeats
    predicted: int = 0
    correct: int = 0
    duplicates: int = 0
    # labels right on the matched gold claims
    event_ok: int = 0
    stance_ok: int = 0
    claimant_ok: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    #: The figures: each a share of two counts.
    precision = _Share(
        "correct", "predicted", "Extracted (claim, place) pairs matching a gold claim."
    )
    recall = _Share("found", "gold", "Gold claims matched by an extracted claim.")
    recall_in_scope = _Share("found_in_scope", "gold_in_scope", "Recall on the modelled types.")
    event_accuracy = _Share("event_ok", "found", "Matched gold claims whose event fits.")
    stance_accuracy = _Share("stance_ok", "found", "Matched gold claims with the same stance.")
    claimant_accuracy = _Share("claimant_ok", "found", "Matched gold claims, claimant allowed.")

    def to_dict(self, *, errors: bool = False) -> dict[str, Any]:
        """The figures as a JSON-ready dict (with the errors when *errors*)."""
        return {
            "documents": self.documents,
            "gold": self.gold,
            "gold_in_scope": self.gold_in_scope,
            "predicted": self.predicted,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "recall_in_scope": round(self.recall_in_scope, 4),
            "event_accuracy": round(self.event_accuracy, 4),
            "stance_accuracy": round(self.stance_accuracy, 4),
            "claimant_accuracy": round(self.claimant_accuracy, 4),
            "duplicates": self.duplicates,
            "errors": self.errors if errors else len(self.errors),
        }

    def summary(self) -> str:
        """The figures, one per line."""
        scope = ", ".join(self.scope)
        return "\n".join(
            [
                f"claims (gold: {self.gold} in {self.documents} documents; extracted from the "
                "gold mentions):",
                f"  precision        {self.precision:.3f} ({self.correct} of {self.predicted} "
                "extracted claim-places)",
                f"  recall           {self.recall:.3f} ({self.found} of {self.gold}); "
                f"{self.recall_in_scope:.3f} on {scope} ({self.found_in_scope} of "
                f"{self.gold_in_scope})",
                f"  of those found:  event {self.event_accuracy:.3f}  stance "
                f"{self.stance_accuracy:.3f}  claimant {self.claimant_accuracy:.3f}",
                f"  duplicates       {self.duplicates} (the same event, claimant and place "
                "twice in a sentence)",
            ]
        )


@cache
def _claimant_rules() -> tuple[tuple[Claimant, re.Pattern[str]], ...]:
    rules = table("claims/evaluation")["claimants"]
    return tuple((name, rx("evaluation", f"claimants.{name}")) for name in rules)


def gold_claimants(words: str) -> frozenset[Claimant]:
    """The claimant types a gold claimant's words allow ("Ukraine (Ukrainian military)":
    ukrainian_officials and ukrainian_military); the reporter when none.

    Examples
    --------
    >>> sorted(gold_claimants("Ukrainian military (spokesperson Viktor Tryhubov)"))
    ['ukrainian_military']
    >>> sorted(gold_claimants("AFP (narrator)"))
    ['reporter']
    """
    found: set[Claimant] = {name for name, rule in _claimant_rules() if rule.search(words)}
    known = people()
    for w in [*_WORDS.findall(words.lower()), *(n.lower() for n in surnames(words))]:
        role = known.get(w)
        if role is not None:
            found.add(role)
    return frozenset(found or {"reporter"})


def _event_fits(event_type: str, event: str) -> bool:
    return event in table("claims/evaluation")["event_types"].get(event_type, ())


def _slots(record: dict[str, Any], g: dict[str, Any]) -> list[Span | None]:
    """The place spans a gold claim is about (None: any place of its sentence)."""
    if g.get("place_spans"):
        return [(int(s), int(e)) for s, e in g["place_spans"]]
    mentions = record["mentions"]
    lo, hi = g.get("referent_sentence") or (0, len(record["text"]))
    if g.get("katottg"):
        found = [
            (m["start"], m["end"])
            for m in mentions
            if m.get("katottg") == g["katottg"] and lo <= m["start"] < hi
        ]
    else:
        place = g.get("place", "").lower()
        found = [(m["start"], m["end"]) for m in mentions if m["surface"].lower() in place]
    return list(dict.fromkeys(found)) or [None]


def _score(g: dict[str, Any], c: Claim) -> tuple[bool, bool, bool]:
    return (
        _event_fits(g["event_type"], c.event),
        c.stance == g["stance"],
        c.claimant in gold_claimants(g["claimant"]),
    )


def _match(
    record: dict[str, Any], claims: list[Claim]
) -> tuple[dict[int, list[int]], set[int], list[tuple[Claim, Span]]]:
    """Fill gold slots with predictions, best label agreement first: gold claim -> the
    predictions it matched, the matched predictions, and every prediction."""
    units = [(c, sp) for c in claims for sp in c.place_spans]
    pairs = []
    for gi, g in enumerate(record["claims"]):
        for slot in _slots(record, g):
            for ui, (c, sp) in enumerate(units):
                same_sentence = (
                    c.sentence_start < g["sentence_end"] and g["sentence_start"] < c.sentence_end
                )
                if same_sentence and (slot is None or slot == sp):
                    pairs.append((sum(_score(g, c)), gi, slot, ui))
    pairs.sort(key=lambda p: (-p[0], p[1], p[3]))
    taken_slots: set[tuple[int, Span | None]] = set()
    taken_units: set[int] = set()
    matched: dict[int, list[int]] = {}
    for _, gi, slot, ui in pairs:
        if (gi, slot) in taken_slots or ui in taken_units:
            continue
        taken_slots.add((gi, slot))
        taken_units.add(ui)
        matched.setdefault(gi, []).append(ui)
    return matched, taken_units, units


def _duplicates(units: list[tuple[Claim, Span]]) -> int:
    seen: set[tuple[Any, ...]] = set()
    n = 0
    for c, sp in units:
        key = (c.sentence_start, sp, c.event, c.claimant, c.negated)
        n += key in seen
        seen.add(key)
    return n


def _score_record(report: ClaimsReport, record: dict[str, Any], extract: Extract) -> None:
    text = record["text"]
    claims = extract(text, [(m["start"], m["end"]) for m in record["mentions"]])
    matched, taken, units = _match(record, claims)
    report.documents += 1
    report.predicted += len(units)
    report.correct += len(taken)
    report.duplicates += _duplicates(units)
    for gi, g in enumerate(record["claims"]):
        in_scope = g["event_type"] in report.scope
        report.gold += 1
        report.gold_in_scope += in_scope
        if gi not in matched:
            report.errors.append(_error(record, "missed", g, None))
            continue
        report.found += 1
        report.found_in_scope += in_scope
        best = max((units[ui][0] for ui in matched[gi]), key=lambda c: sum(_score(g, c)))
        event_ok, stance_ok, claimant_ok = _score(g, best)
        report.event_ok += event_ok
        report.stance_ok += stance_ok
        report.claimant_ok += claimant_ok
        if not (event_ok and stance_ok and claimant_ok):
            report.errors.append(_error(record, "wrong label", g, best))
    for ui, (c, sp) in enumerate(units):
        if ui not in taken:
            report.errors.append(_error(record, "extra", None, c, sp))


def _error(
    record: dict[str, Any],
    kind: str,
    g: dict[str, Any] | None,
    c: Claim | None,
    sp: Span | None = None,
) -> dict[str, Any]:
    text = record["text"]
    out: dict[str, Any] = {"doc": record.get("id"), "error": kind}
    if g is not None:
        out["sentence"] = text[g["sentence_start"] : g["sentence_end"]]
        out["gold"] = {k: g[k] for k in ("place", "event_type", "claimant", "stance")}
    if c is not None:
        out.setdefault("sentence", text[c.sentence_start : c.sentence_end])
        out["got"] = {
            "place": text[sp[0] : sp[1]] if sp else None,
            "event": c.event,
            "claimant": c.claimant,
            "stance": c.stance,
            "negated": c.negated,
            "trigger": c.trigger,
        }
    return out


def evaluate_claims(
    records: Iterable[dict[str, Any]], *, extract: Extract | None = None
) -> ClaimsReport:
    """Score claim extraction on gold records (those without ``claims`` are skipped).

    Parameters
    ----------
    records
        Gold documents: ``text``, ``mentions`` (``start``, ``end``, ``surface``, ``katottg``)
        and ``claims``.
    extract
        The extractor, ``(text, spans) -> claims`` (default: :func:`extract_claims`).

    Returns
    -------
    ClaimsReport
        The counts, the figures as properties, and every miss, extra and wrong label.
    """
    run: Extract = extract or extract_claims
    scope = table("claims/evaluation")["scope"]["event_types"]
    report = ClaimsReport(scope=tuple(scope))
    for record in records:
        if record.get("claims") is not None:
            _score_record(report, record, run)
    return report


def evaluate_claims_file(path: str | Path) -> ClaimsReport | None:
    """:func:`evaluate_claims` on a gold file, or None when none of its records has ``claims``
    (what ``tracker evaluate`` prints after the place figures)."""
    from ..evaluate import read_jsonl

    records = read_jsonl(path)
    if not any(r.get("claims") is not None for r in records):
        return None
    return evaluate_claims(records)
