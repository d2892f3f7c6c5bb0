"""Measuring accuracy against hand-annotated gold files.

``which_region`` files hold questions ``{"query", "context_hint", "katottg",
"oblast", "hromada", "katottg_alternatives"?}``; each is asked as
``where(query, context=context_hint)`` and the first answer is compared.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InvalidQuery, TrackerError

if TYPE_CHECKING:
    from .gazetteer import Gazetteer
    from .models import ParsedArticle

__all__ = [
    "CorpusReport",
    "WhichRegionReport",
    "evaluate_corpus",
    "evaluate_which_region",
    "read_jsonl",
    "side_by_side",
]


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

    def to_dict(self, *, errors: bool = False) -> dict[str, Any]:
        """The figures as JSON (the errors themselves, or their count)."""
        return {
            "questions": self.total,
            "settlement_first": self.settlement_accuracy,
            "hromada_first": self.hromada_accuracy,
            "oblast_first": self.oblast_accuracy,
            "errors": self.errors if errors else len(self.errors),
        }

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) rows for a side-by-side table."""
        return [
            ("questions", f"{self.total}"),
            ("gold settlement first", f"{self.settlement_accuracy:.3f}"),
            ("gold hromada first", f"{self.hromada_accuracy:.3f}"),
            ("gold oblast first", f"{self.oblast_accuracy:.3f}"),
        ]

    def summary(self) -> str:
        """One line per figure."""
        return (
            f"questions: {self.total}\n"
            f"gold settlement first: {self.settlement_accuracy:.3f} ({self.settlement_first})\n"
            f"gold hromada first:    {self.hromada_accuracy:.3f} ({self.hromada_first})\n"
            f"gold oblast first:     {self.oblast_accuracy:.3f} ({self.oblast_first})"
        )


_AS_USED_IN = re.compile(r"as used in corpus document (\S+)", re.IGNORECASE)


def _context(hint: str | None, directory: Path) -> str | None:
    """A question's hint; "as used in corpus document ID" stands for that document's text
    (``corpus.jsonl`` beside the questions), as the gold files define it."""
    match = _AS_USED_IN.search(hint or "")
    if not match:
        return hint
    corpus = directory / "corpus.jsonl"
    if corpus.is_file():
        for row in read_jsonl(corpus):
            if row.get("id") == match.group(1):
                return str(row.get("text") or "")[: _context_cap()]
    return hint


def _context_cap() -> int:
    from .whereis import MAX_CONTEXT_CHARS

    return MAX_CONTEXT_CHARS


def evaluate_which_region(
    path: str | Path, *, gazetteer: Gazetteer | None = None
) -> WhichRegionReport:
    """Ask every question of a which-region gold file; count first answers that are right.

    Questions are asked as a user who accepts close spellings would (``fuzzy=True``: the
    files spell names as texts do, misspellings included), and a hint "as used in corpus
    document ID" is that document's text.
    """
    from .gazetteer import load
    from .whereis import where

    gaz = gazetteer or load()
    report = WhichRegionReport()
    for row in read_jsonl(path):
        report.total += 1
        gold = {row["katottg"], *row.get("katottg_alternatives", [])}
        try:
            hint = _context(row.get("context_hint"), Path(path).parent)
            first = where(row["query"], context=hint, gazetteer=gaz, limit=3, fuzzy=True)
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
        gold_pid = gaz.katottg_index.get(row["katottg"])
        gold_hromada = gaz.col["hromada_code"][gold_pid] if gold_pid is not None else None
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


@dataclass
class CorpusReport:
    """Detection and resolution accuracy on an annotated corpus."""

    documents: int = 0
    characters: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    settlements: int = 0
    found: int = 0
    exact: int = 0
    oblast: int = 0
    hromada: int = 0
    hromada_total: int = 0
    ambiguous: int = 0
    ambiguous_exact: int = 0
    ambiguous_oblast: int = 0
    seconds: float = 0.0
    errors: list[dict] = field(default_factory=list)
    calibration: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Predicted spans that overlap a gold span."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Gold spans overlapped by a predicted span."""
        return (self.tp_gold / (self.tp_gold + self.fn)) if self.tp_gold + self.fn else 0.0

    tp_gold: int = 0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def share(self, n: int, of: int) -> float:
        """n / of, 0 when of is 0."""
        return n / of if of else 0.0

    def calibration_table(self, bins: int = 5) -> list[tuple[str, int, float, float]]:
        """(confidence bin, count, mean confidence, accuracy) for resolved gold settlements."""
        rows = []
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            sel = [
                (c, ok) for c, ok in self.calibration if lo <= c < hi or (b == bins - 1 and c == 1)
            ]
            if sel:
                rows.append(
                    (
                        f"{lo:.1f}-{hi:.1f}",
                        len(sel),
                        sum(c for c, _ in sel) / len(sel),
                        sum(ok for _, ok in sel) / len(sel),
                    )
                )
        return rows

    def to_dict(self, *, errors: bool = False) -> dict[str, Any]:
        """The figures as JSON (the errors themselves, or their count)."""
        return {
            "documents": self.documents,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "settlements": self.settlements,
            "found": self.share(self.found, self.settlements),
            "exact": self.share(self.exact, self.settlements),
            "oblast": self.share(self.oblast, self.settlements),
            "hromada": self.share(self.hromada, self.hromada_total),
            "ambiguous": self.ambiguous,
            "ambiguous_exact": self.share(self.ambiguous_exact, self.ambiguous),
            "ambiguous_oblast": self.share(self.ambiguous_oblast, self.ambiguous),
            "errors": self.errors if errors else len(self.errors),
        }

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) rows for a side-by-side table."""
        return [
            ("documents", f"{self.documents}"),
            ("detection precision", f"{self.precision:.3f}"),
            ("detection recall", f"{self.recall:.3f}"),
            ("detection F1", f"{self.f1:.3f}"),
            ("Ukrainian settlements", f"{self.settlements}"),
            ("  found", f"{self.share(self.found, self.settlements):.3f}"),
            ("  exact KATOTTG", f"{self.share(self.exact, self.settlements):.3f}"),
            ("  correct oblast", f"{self.share(self.oblast, self.settlements):.3f}"),
            ("  correct hromada", f"{self.share(self.hromada, self.hromada_total):.3f}"),
            ("ambiguous subset", f"{self.ambiguous}"),
            ("  exact KATOTTG", f"{self.share(self.ambiguous_exact, self.ambiguous):.3f}"),
            ("  correct oblast", f"{self.share(self.ambiguous_oblast, self.ambiguous):.3f}"),
        ]

    def summary(self) -> str:
        """The figures, one per line."""
        lines = [
            f"documents: {self.documents} ({self.characters:,} characters, "
            f"{self.characters / 1000 / self.seconds:.0f} KB/s)"
            if self.seconds
            else "",
            f"detection: precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"F1 {self.f1:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})",
            f"Ukrainian settlements (gold, with KATOTTG): {self.settlements}",
            f"  found            {self.share(self.found, self.settlements):.3f}",
            f"  exact KATOTTG    {self.share(self.exact, self.settlements):.3f}",
            f"  correct oblast   {self.share(self.oblast, self.settlements):.3f}",
            f"  correct hromada  {self.share(self.hromada, self.hromada_total):.3f} "
            f"(of {self.hromada_total} with a hromada)",
            f"ambiguous subset (name in >= 2 oblasts or >= 2 codifier places): {self.ambiguous}",
            f"  exact KATOTTG    {self.share(self.ambiguous_exact, self.ambiguous):.3f}",
            f"  correct oblast   {self.share(self.ambiguous_oblast, self.ambiguous):.3f}",
            "confidence calibration (bin, n, mean confidence, accuracy):",
        ]
        for label, n, conf, acc in self.calibration_table():
            lines.append(f"  {label}  {n:>4}  {conf:.2f}  {acc:.2f}")
        return "\n".join(line for line in lines if line)


def _iso_date(value) -> str | None:
    """A gold ``published`` value as YYYY-MM-DD, or None when it is not a full date."""
    from datetime import date

    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except (TypeError, ValueError):
        return None


def evaluate_corpus(
    path: str | Path,
    *,
    gazetteer: Gazetteer | None = None,
    temperature: float | None = None,
    jobs: int | None = 1,
) -> CorpusReport:
    """Parse every document of a corpus file and compare with its gold mentions.

    A predicted span counts for detection when it overlaps a gold span. For gold
    settlement/city mentions with a KATOTTG code: found (overlapped by a resolved
    Ukrainian place), exact code, correct oblast and hromada; the same on the
    ambiguous subset (``ambiguous_oblasts`` >= 2 or ``ambiguous_in_katottg`` >= 2). With
    *jobs* other than 1 the documents are parsed in worker processes
    (:func:`tracker.parallel.parse_stream`, same results; ``seconds`` is then wall time).
    """
    import time

    from .gazetteer import load
    from .models import Article
    from .parsing import parse_article

    gaz = gazetteer or load()
    report = CorpusReport()
    rows = read_jsonl(path)
    if rows:  # load the lazily built indexes outside the timing
        parse_article(Article(id="warm-up", text=rows[0]["text"]), gazetteer=gaz)
    articles = (
        Article(id=row.get("id", ""), text=row["text"], date=_iso_date(row.get("published")))
        for row in rows
    )
    pooled = None
    if jobs != 1 and temperature is None and len(rows) > 1:
        from .parallel import parse_stream

        pooled = parse_stream(articles, jobs=jobs, gazetteer=gaz)
    for row in rows:  # one document at a time: parsed, scored, let go
        started = time.perf_counter()
        if pooled is not None:
            doc = next(pooled)
        else:
            doc = parse_article(next(articles), gazetteer=gaz, temperature=temperature)
        report.seconds += time.perf_counter() - started
        report.documents += 1
        report.characters += len(row["text"])
        hit_gold = _score_detection(report, row, doc)
        for i, g in enumerate(row["mentions"]):
            if g["type"] in ("settlement", "city") and g.get("katottg"):
                _score_settlement(report, gaz, row, doc, g, detected=i in hit_gold)
    return report


def _error(row: dict[str, Any], what: str, text: str, start: int, end: int, **extra: Any) -> dict:
    """One line of ``--errors``: the document, what went wrong, and the text around it."""
    context = row["text"][max(0, start - 60) : end + 40]
    return {"doc": row.get("id"), "error": what, "text": text, **extra, "context": context}


def _score_detection(report: CorpusReport, row: dict[str, Any], doc: ParsedArticle) -> set[int]:
    """Detection counts of one document; returns the gold mentions a predicted span overlaps."""
    gold = row["mentions"]
    hit_gold: set[int] = set()
    for r in doc.mentions:
        m = r.mention
        overlaps = [i for i, g in enumerate(gold) if g["start"] < m.end and m.start < g["end"]]
        if overlaps:
            report.tp += 1
            hit_gold.update(overlaps)
        else:
            report.fp += 1
            report.errors.append(_error(row, "false positive", m.text, m.start, m.end, kind=m.kind))
    report.tp_gold += len(hit_gold)
    report.fn += len(gold) - len(hit_gold)
    for i, g in enumerate(gold):
        if i not in hit_gold:
            report.errors.append(
                _error(row, "missed", g["surface"], g["start"], g["end"], kind=g["type"])
            )
    return hit_gold


def _score_settlement(
    report: CorpusReport,
    gaz: Gazetteer,
    row: dict[str, Any],
    doc: ParsedArticle,
    g: dict[str, Any],
    *,
    detected: bool,
) -> None:
    """Found / exact / oblast / hromada (and the ambiguous subset) for one gold settlement."""
    report.settlements += 1
    ambiguous = (g.get("ambiguous_oblasts") or 0) >= 2 or (g.get("ambiguous_in_katottg") or 0) >= 2
    report.ambiguous += ambiguous
    match = next(
        (
            r
            for r in doc.mentions
            if r.place is not None and r.mention.start < g["end"] and g["start"] < r.mention.end
        ),
        None,
    )
    gold_label = f"{g['katottg']} ({g.get('hromada')}, {g['oblast']})"
    if match is None or match.place is None:
        if detected:  # detected, but not resolved to a place
            report.errors.append(
                _error(row, "unresolved", g["surface"], g["start"], g["end"], gold=gold_label)
            )
        return
    place = match.place
    report.found += 1
    exact = place.katottg == g["katottg"]
    report.exact += exact
    report.oblast += place.oblast == g["oblast"]
    gold_pid = gaz.katottg_index.get(g["katottg"])
    gold_h = gaz.col["hromada_code"][gold_pid] if gold_pid is not None else None
    if isinstance(gold_h, str):
        report.hromada_total += 1
        report.hromada += place.hromada_code == gold_h
    report.calibration.append((match.confidence, exact))
    if ambiguous:
        report.ambiguous_exact += exact
        report.ambiguous_oblast += place.oblast == g["oblast"]
    if not exact:
        got = f"{place.katottg} {place.name} ({place.hromada}, {place.oblast}) "
        error = _error(
            row, "wrong place", g["surface"], g["start"] - 20, g["end"] + 20,
            gold=gold_label, got=f"{got}{match.confidence:.2f}", evidence=list(match.evidence),
        )  # fmt: skip
        report.errors.append(error)


def side_by_side(reports: dict[str, Any]) -> str:
    """One table of several reports of one kind (a column per gold file, e.g. dev and dev2).

    Examples
    --------
    >>> a, b = WhichRegionReport(total=2, settlement_first=2), WhichRegionReport(total=4)
    >>> print(side_by_side({"dev": a, "dev2": b}).splitlines()[2])
    gold settlement first  1.000  0.000
    """
    columns = list(reports)
    rows = [r.rows() for r in reports.values()]
    labels = [label for label, _ in rows[0]]
    width = max(len(label) for label in labels)
    cells = [
        max(len(c), *(len(r[i][1]) for r in rows for i in range(len(labels)))) for c in columns
    ]
    out = [" " * width + "".join(f"  {c:>{w}}" for c, w in zip(columns, cells, strict=True))]
    for i, label in enumerate(labels):
        values = "".join(f"  {r[i][1]:>{w}}" for r, w in zip(rows, cells, strict=True))
        out.append(f"{label:<{width}}{values}")
    return "\n".join(out)
