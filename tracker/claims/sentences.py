"""Sentence, clause and quotation spans of a document, as the claims rules read them.

Sentences are :func:`tracker.mentions.sentence_spans`, with hard-wrapped lines joined
("claimed its troops\\nhad captured") and citation markers ("….[45] A Russian milblogger")
ending sentences. A quotation may span sentences; an unclosed one ends at the line's end.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..mentions import sentence_spans
from .lexicon import patterns, word_set

__all__ = ["Span", "clause_start", "in_quote", "quotes", "sentences"]

Span = tuple[int, int]

_SYNTAX = patterns("syntax")
_CONTINUING_WORDS = word_set("continuing_words")
_SENTENCE_TERMINAL = frozenset('.!?:;”"’)]…')
_QUOTE_MARKS = re.compile(r"[“”\"\n]")


def _joined_lines(text: str, start: int, end: int) -> list[Span]:
    out: list[Span] = []
    for ss, se in sentence_spans(text, start, end):
        if out:
            ps, pe = out[-1]
            gap = text[pe:ss]
            tail = text[pe - 1] if pe > ps else "."
            if gap.count("\n") == 1 and not gap.strip() and tail not in _SENTENCE_TERMINAL:
                head = text[ss]
                last_word = text[ps:pe].rsplit(None, 1)[-1].lower()
                if head.islower() or (tail == "," or last_word in _CONTINUING_WORDS):
                    out[-1] = (ps, se)  # a line wrapped inside a sentence
                    continue
        out.append((ss, se))
    return out


def sentences(text: str, start: int, end: int) -> list[Span]:
    """The sentences of ``text[start:end]`` as ``(start, end)`` offsets.

    Examples
    --------
    >>> sentences("Russian troops\\nentered the village. It fell.", 0, 44)
    [(0, 35), (36, 44)]
    """
    split: list[Span] = []
    for ss, se in _joined_lines(text, start, end):
        pos = ss
        for m in _SYNTAX["footnote_split"].finditer(text, ss, se):
            split.append((pos, m.end()))
            pos = m.end()
            while pos < se and text[pos].isspace():
                pos += 1
        if pos < se:
            split.append((pos, se))
    return split


def quotes(text: str, start: int, end: int) -> list[Span]:
    """The quotations of ``text[start:end]``, marks included, in text order."""
    regions: list[Span] = []
    open_at: int | None = None
    straight = False
    for m in _QUOTE_MARKS.finditer(text, start, end):
        pos = m.start()
        ch = m.group(0)
        if ch == "\n":
            if open_at is not None:
                regions.append((open_at, pos))
            open_at = None
        elif ch == "“" or (ch == '"' and open_at is None):
            if open_at is not None and not straight:
                regions.append((open_at, pos))
            open_at, straight = pos, ch == '"'
        elif open_at is not None:
            regions.append((open_at, pos + 1))
            open_at = None
    if open_at is not None:
        regions.append((open_at, end))
    return regions


def in_quote(pos: int, regions: list[Span], starts: list[int]) -> Span | None:
    """The quotation of *regions* (with their *starts*) around offset *pos*, if any."""
    i = bisect_right(starts, pos) - 1
    if i >= 0 and regions[i][0] <= pos < regions[i][1]:
        return regions[i]
    return None


def clause_start(text: str, ss: int, pos: int) -> int:
    """Where the clause holding offset *pos* of the sentence starting at *ss* begins."""
    last = ss
    for m in _SYNTAX["clause_cut"].finditer(text, max(ss, pos - 120), pos):
        last = m.end()
    return last
