"""Text -> mentions: every span that names a place, with exact character offsets.

The detector is driven by the gazetteer (every official, transliterated, Russian-style
and former spelling of every Ukrainian place) and the foreign-place index, scanned as
capitalised n-grams, longest first. A reader's rules decide what a match is:

* level words make the kind: "Sumy Oblast", "Donetsk region", "Sumy City", "Kyivskyi Raion",
  "Oskil River"; a plural level word applies to the whole coordinated list
  ("Sumy and Kursk oblasts", "Donetsk, Dnipropetrovsk and Zaporizhzhia regions");
* a bare oblast-centre name ("Donetsk", "Sumy") is the oblast when the text treats it
  as a region (a coordinated list of regions, "70% of Donetsk", "the Donetsk town of",
  the document calling it "Donetsk region" elsewhere, a city known only by a former
  name such as Dnipropetrovsk) and the city otherwise ("Kharkiv direction", "Kyiv said");
* a village name is not a place when it is part of a person's or an organisation's name
  ("Viktor Tryhubov", "President Zelensky", "Azov Brigade"), when it is a common English
  word ("Peace") without a cue such as "village of", or when a village "said" something.
"""

from __future__ import annotations

import re

from ..models import Mention
from ..names import fold
from .filters import (
    CUE_BEFORE,
    LOWER_WORD,
    PERSON_OPENERS,
    STRONG_CUE,
    TITLES,
    Headlines,
    reject_reason,
    sentence_start_before,
    small_place,
)
from .kinds import LevelUsage, propagate_plural_directions, propagate_plural_levels, to_mention
from .scan import (
    COMMON_WORDS,
    MOVE_CUE,
    PEOPLE,
    STOPWORDS,
    Match,
    scan_matches,
    sentence_spans,
    tokens,
)
from .support import with_support

__all__ = ["COMMON_WORDS", "PEOPLE", "STOPWORDS", "find_mentions", "sentence_spans", "tokens"]


def find_mentions(text: str, gaz, *, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every place named in ``text[start:end]``, in order, with offsets into *text*.

    Parameters
    ----------
    text
        The document text exactly as read.
    gaz
        The gazetteer (:class:`tracker.gazetteer.Gazetteer`).
    start, end
        The part of *text* to read (e.g. after front matter).
    """
    end = len(text) if end is None else end
    cats = gaz.col["category"]
    raw = scan_matches(text, start, end, gaz)
    kept, tentative, people = _judge(text, raw, start, end, gaz)
    # a word seen as somebody's (or a formation's) name is that everywhere in the document
    kept = [m for m in kept if not _named_after_people(text, m, people, start)]
    kept = with_support(text, kept, tentative, gaz, people)
    propagate_plural_directions(text, kept, gaz)
    propagate_plural_levels(text, kept, cats)
    usage = LevelUsage(text, 0, len(text))
    return [to_mention(text, i, kept, cats, usage) for i, m in enumerate(kept)]


def _judge(
    text: str, raw: list[Match], start: int, end: int, gaz
) -> tuple[list[Match], list[Match], set[str]]:
    """The matches that stand (each with its cue), those kept aside for the document's support
    (unknown words, weak spellings), and the folded names read as people or formations."""
    cats = gaz.col["category"]
    vocabulary = frozenset(LOWER_WORD.findall(text, start, end))  # (no groups: the words)
    headlines = Headlines(text, start, end)
    kept: list[Match] = []
    tentative: list[Match] = []
    people: set[str] = set()
    for m in raw:
        if m.unknown:
            tentative.append(m)
            continue
        before = text[max(start, m.start - 40) : m.start]
        prev_word, next_word = _neighbours(text, m, before, headlines)
        reason = reject_reason(text, m, before, prev_word, next_word, gaz, vocabulary)
        if reason == "person" or (reason == "formation" and small_place(m, cats)):
            people.add(fold(text[m.start : m.end]))
        if reason == "weak":
            tentative.append(m)
        if reason:
            continue
        cue = CUE_BEFORE.search(before)
        m.cue = "direction" if m.direction else (cue.group(0).strip() if cue else None)
        kept.append(m)
    return kept, tentative, people


#: The word characters before the final space, read backwards (the word before a match is
#: their tail from the first letter on: what ``([^\W\d_][\w'’\-.]*)\s$`` finds, without
#: trying every position of the 40 characters).
_RUN_BACKWARDS = re.compile(r"[\w'’\-.]*")


_LETTER = re.compile(r"[^\W\d_]")


def _word_before(before: str) -> str | None:
    """The word that *before* (ending with a space) ends with: from the first letter of the
    last run of word characters, apostrophes, hyphens and dots on."""
    run = _RUN_BACKWARDS.match(before[-2::-1]).end()  # type: ignore[union-attr]
    tail = before[len(before) - 1 - run : -1]
    first = _LETTER.search(tail)
    return tail[first.start() :] if first else None


_WORD_AFTER = re.compile(r"\s([^\W\d_][\w'’\-]*)")


def _neighbours(
    text: str, m: Match, before: str, headlines: Headlines
) -> tuple[str | None, str | None]:
    """The words just before and after a match that may make it part of a person's or an
    organisation's name; a title-case headline keeps only a title before it."""
    prev = _word_before(before) if before.endswith(" ") else None
    prev_word = prev.rstrip(".") if prev else None
    after = _WORD_AFTER.match(text[m.end : m.end + 40])
    next_word = after.group(1) if after and text[m.end : m.end + 1] == " " else None
    prev_word = _first_name(text, m, prev_word)
    if headlines.title_case(m.start):
        # a title-case headline capitalises every word: no first name, no organisation
        prev_word = prev_word if prev_word and fold(prev_word) in TITLES else None
        next_word = None
    return prev_word, next_word


def _first_name(text: str, m: Match, prev_word: str | None) -> str | None:
    """The word before a match if it may be a first name or a title: a possessive is none
    ("Luhansk Oblast's Zaporizke"), nor a sentence's first word unless a title or given name."""
    if prev_word and prev_word.endswith(("'s", "’s")):
        return None
    if prev_word and sentence_start_before(text, m.start - len(prev_word) - 1):
        return prev_word if fold(prev_word) in PERSON_OPENERS else None
    return prev_word


def _named_after_people(text: str, m: Match, people: set[str], start: int) -> bool:
    """A bare Ukrainian name the document uses elsewhere for a person or formation, without
    a strong or movement cue here: it is theirs here too."""
    return not (
        m.level
        or m.foreign is not None
        or fold(text[m.start : m.end]) not in people
        or STRONG_CUE.search(text[max(start, m.start - 40) : m.start])
        or MOVE_CUE.search(text[max(start, m.start - 25) : m.start])
    )
