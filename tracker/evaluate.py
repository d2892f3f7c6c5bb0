"""Measuring accuracy against hand-annotated gold files.

``which_region`` files hold questions ``{"query", "context_hint", "katottg",
"oblast", "hromada", "katottg_alternatives"?}``; each is asked as
``where(query, context=context_hint)`` and the first answer is compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InvalidQuery, TrackerError

__all__ = ["WhichRegionReport", "evaluate_which_region", "read_jsonl"]


def read_jsonl(path: str | Path) -> list[dict]:
    """Read a JSON Lines file; a bad line is an error naming the file and line number."""
    rows = []
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidQuery(f"cannot read gold file {str(path)!r}: {err}") from err
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise InvalidQuery(
                f"{path}:{number} is not valid JSON ({err.msg}); expected one object per line"
            ) from err
    return rows


@dataclass
class WhichRegionReport:
    """Accuracy of ``where --context`` on which-region questions."""

    total: int = 0
    settlement_first: int = 0
    oblast_first: int = 0
    hromada_first: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def settlement_accuracy(self) -> float:
        """Share of questions whose first answer is the gold settlement."""
        return self.settlement_first / self.total if self.total else 0.0

    @property
    def oblast_accuracy(self) -> float:
        """Share of questions whose first answer is in the gold oblast."""
        return self.oblast_first / self.total if self.total else 0.0

    @property
    def hromada_accuracy(self) -> float:
        """Share of questions whose first answer is in the gold hromada."""
        return self.hromada_first / self.total if self.total else 0.0

    def summary(self) -> str:
        """One line per figure."""
        return (
            f"questions: {self.total}\n"
            f"gold settlement first: {self.settlement_accuracy:.3f} ({self.settlement_first})\n"
            f"gold hromada first:    {self.hromada_accuracy:.3f} ({self.hromada_first})\n"
            f"gold oblast first:     {self.oblast_accuracy:.3f} ({self.oblast_first})"
        )


def evaluate_which_region(path: str | Path, *, store=None) -> WhichRegionReport:
    """Ask every question of a which-region gold file; count first answers that are right."""
    from .data.store import load
    from .search import where

    store = store or load()
    report = WhichRegionReport()
    for row in read_jsonl(path):
        report.total += 1
        gold = {row["katottg"], *row.get("katottg_alternatives", [])}
        try:
            first = where(row["query"], context=row.get("context_hint"), store=store, limit=3)
        except TrackerError as err:
            report.errors.append(
                {
                    "query": row["query"],
                    "context": row.get("context_hint"),
                    "gold": row["katottg"],
                    "got": str(err),
                }
            )
            continue
        best = first[0]
        ok_settlement = best.katottg in gold
        ok_oblast = best.oblast == row["oblast"]
        gold_pid = store.katottg_index.get(row["katottg"])
        gold_hromada = store.places["hromada_code"].iat[gold_pid] if gold_pid is not None else None
        ok_hromada = best.hromada_code == gold_hromada
        report.settlement_first += ok_settlement
        report.oblast_first += ok_oblast
        report.hromada_first += ok_hromada
        if not ok_settlement:
            report.errors.append(
                {
                    "query": row["query"],
                    "context": row.get("context_hint"),
                    "gold": row["katottg"],
                    "gold_where": f"{row.get('hromada')}, {row.get('oblast')}",
                    "got": [
                        f"{c.katottg} {c.name} ({c.hromada}, {c.oblast}) {c.score:.2f}"
                        for c in first
                    ],
                    "evidence": list(best.evidence),
                }
            )
    return report
