"""Shared helpers of the claims tests (no data build needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
CORPUS = HERE / "claims_corpus.jsonl"
SEED_004 = SHARED / "articles" / "004_35ed6482ca630a39.txt"
GOLD = SHARED / "articles" / "gold.jsonl"
DEV = SHARED / "eval" / "dev" / "corpus.jsonl"


def load_jsonl(path: Path) -> list[dict]:
    """The records of a JSON Lines file (a clear failure when ../shared is missing)."""
    if not path.is_file():
        pytest.fail(f"{path} not found; tests expect ../shared beside the repo", pytrace=False)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def span(text: str, name: str) -> tuple[int, int]:
    """The first span of *name* in *text*."""
    pos = text.find(name)
    assert pos >= 0, name
    return (pos, pos + len(name))


def spans(text: str, *names: str) -> list[tuple[int, int]]:
    """The first span of each name."""
    return [span(text, n) for n in names]


def real_texts() -> list[str]:
    """Every document of the dev corpus, the seed gold and the claims corpus."""
    texts = [d["text"] for d in load_jsonl(DEV) + load_jsonl(GOLD)]
    return texts + [it["text"] for it in load_jsonl(CORPUS)]
