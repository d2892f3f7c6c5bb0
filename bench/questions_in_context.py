"""Which-region questions the ranking was not tuned on: every gold Ukrainian settlement of an
annotated corpus asked as ``tracker.where(name, context=its paragraph)``.

The paragraph (the blank-line-delimited block around the mention, the name itself cut out) is
what a reader would paste as ``--context``; the share of questions whose first answer is the
gold settlement (and the gold oblast) shows how the question side of the one ranking model
does on text it never saw as questions.

Usage::

    TRACKER_DATA_DIR=... python bench/questions_in_context.py ../shared/eval/dev/corpus.jsonl \\
        ../shared/eval/dev2/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json

import tracker
from tracker.errors import TrackerError


def _paragraph(text: str, start: int, end: int) -> str:
    a = text.rfind("\n\n", 0, start)
    b = text.find("\n\n", end)
    return text[0 if a < 0 else a : start] + text[end : len(text) if b < 0 else b]


def measure(path: str) -> tuple[int, int, int]:
    """(questions, gold settlement first, gold oblast first) for one corpus file."""
    n = settlement = oblast = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            for g in doc["mentions"]:
                if g.get("type") not in ("settlement", "city") or not g.get("katottg"):
                    continue
                n += 1
                context = _paragraph(doc["text"], g["start"], g["end"])
                try:
                    best = tracker.where(g["surface"], context=context, limit=1, fuzzy=True)
                except TrackerError:
                    continue
                settlement += best[0].katottg == g["katottg"]
                oblast += best[0].oblast == g["oblast"]
    return n, settlement, oblast


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="+", help="annotated corpus files (JSON Lines)")
    for path in parser.parse_args().corpus:
        n, settlement, oblast = measure(path)
        print(
            f"{path}: {n} questions; gold settlement first {settlement / n:.3f}, "
            f"gold oblast first {oblast / n:.3f}"
        )


if __name__ == "__main__":
    main()
