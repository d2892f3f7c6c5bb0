"""Why a match is not a place: people, organisations, formations, media, common words,
weak spellings without a cue; title-case headlines."""

from __future__ import annotations

import re
from bisect import bisect_right

from .. import cues
from ..names import fold
from .scan import COMMON_WORDS, LOOSE, PEOPLE, STOPWORDS, Match, capitalised

CUE_BEFORE = cues.place_cue_before()


STRONG_CUE = cues.strong_cue_before()


KIND_OF = cues.kind_of_before()


_FORMATION_AFTER = cues.formation_after()


_FORMATION_BEFORE = cues.formation_before()


_DOTTED_BRAND = cues.dotted_brand_after()


_MEDIA_AFTER = cues.media_after()


_SPEECH_AFTER = cues.speech_after()


TITLES = cues.titles()


#: Words that make the capitalised name after them a person even opening a sentence.
PERSON_OPENERS = TITLES | cues.first_names()


#: Spellings that are not a place's own name today (GeoNames alternates, former names).
WEAK_SOURCES = cues.weak_sources()


LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’\-]*")


def _is_common_word(word: str, vocabulary: frozenset[str]) -> bool:
    """A common English word, or one the document itself writes in lower case."""
    return fold(word) in COMMON_WORDS or word.lower() in vocabulary


def reject_reason(
    text: str,
    m: Match,
    toks_before: str,
    prev_word: str | None,
    next_word: str | None,
    gaz,
    vocabulary: frozenset[str],
) -> str | None:
    """Why a match is not a place: "formation", "media" (any match), "person",
    "organisation", "word", "weak" (settlement-only matches) — or None when it stands."""
    named = _formation_or_media(text, m, toks_before)
    if named is not None:
        return named
    if m.level or m.foreign is not None or STRONG_CUE.search(toks_before):
        return None  # a level word, a foreign place or "the village of" settles it
    big = _big(m, gaz.col["category"])
    surface = text[m.start : m.end]
    if _person(text, m, prev_word, big):
        return "person"
    if next_word and capitalised(next_word) and fold(next_word) not in STOPWORDS:
        return "organisation"  # "Azov Brigade", "Kyiv Independent"
    if surface.isupper() and len(surface) > 1:
        return None if _line_opening(text, m) and big else "word"
    if " " not in surface and not big and _is_common_word(surface, vocabulary):
        return "word"
    return _weak(m, surface, toks_before)


def _formation_or_media(text: str, m: Match, toks_before: str) -> str | None:
    """A military formation or a media outlet named after the place, whatever the match."""
    if _FORMATION_AFTER.match(text[m.end : m.end + 40]) or _FORMATION_BEFORE.search(toks_before):
        return "formation"  # "Leningrad Military District", "operational-tactical group Khortytsia"
    if _DOTTED_BRAND.match(text[m.end : m.end + 3]) or _MEDIA_AFTER.match(text[m.end : m.end + 40]):
        return "media"  # "Donbas.Realities", "The Kyiv Independent"
    return None


def _big(m: Match, cats) -> bool:
    """Whether the match may be an oblast or a city (which people's names rarely are)."""
    return any(cats[p] in ("O", "K", "M") for p in m.ukr)


def _person(text: str, m: Match, prev_word: str | None, big: bool) -> bool:
    """A person: a known surname, a title before it ("President Zelensky"), a village that
    "said" something, or a capitalised word before a village ("Viktor Tryhubov")."""
    if fold(text[m.start : m.end]) in PEOPLE:
        return True
    if prev_word and fold(prev_word) in TITLES:
        return True
    if not big and _SPEECH_AFTER.match(text[m.end : m.end + 30]):
        return True
    return bool(
        prev_word and capitalised(prev_word) and fold(prev_word) not in STOPWORDS and not big
    )


def _line_opening(text: str, m: Match) -> bool:
    """Whether the match opens a line (an all-capitals heading may name a city there)."""
    return m.start == 0 or text[m.start - 1] == "\n"


def _weak(m: Match, surface: str, toks_before: str) -> str | None:
    """ "weak" for a faint spelling ("Bilitske") or a one-word GeoNames alternate or loose
    spelling without a cue ("in", "near"): such stand only with the document's support."""
    if max(sim for sim, _ in m.ukr.values()) < LOOSE:
        return "weak"
    weak = all(src in WEAK_SOURCES or sim < 100 for sim, src in m.ukr.values())
    if weak and " " not in surface and not CUE_BEFORE.search(toks_before):
        return "weak"
    return None


class Headlines:
    """Which lines are title-case headlines ("Russia Says It Captured Zaporozhskoe in Ukraine"):
    short lines without a final full stop where most words of four letters or more are
    capitalised. There, capitals say nothing about people or organisations."""

    _WORDS = re.compile(r"[^\W\d_][\w'’\-]*")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.starts: list[int] = []
        self.flags: list[bool] = []
        pos = start
        for line in text[start:end].split("\n"):
            self.starts.append(pos)
            self.flags.append(self._is_title(line))
            pos += len(line) + 1

    def _is_title(self, line: str) -> bool:
        stripped = line.strip()
        if len(stripped) > 160 or stripped.endswith((".", ":", ";", ",")):
            return False  # (before reading the words of a paragraph)
        words = [w for w in self._WORDS.findall(line) if len(w) >= 4]
        if len(words) < 3:
            return False
        return sum(w[0].isupper() for w in words) >= 0.75 * len(words)

    def title_case(self, pos: int) -> bool:
        """Whether the line holding *pos* is a title-case headline."""
        j = bisect_right(self.starts, pos) - 1
        return j >= 0 and self.flags[j]


def small_place(m: Match, cats) -> bool:
    """A Ukrainian match that can only be a village or town (no level word, no city, no
    foreign place): a formation named after it ("OTG Khortytsia") stands for the formation
    everywhere; one named after a city ("Dnipro OSG") does not make the city a formation."""
    return m.foreign is None and not m.level and not _big(m, cats)


_SENTENCE_END_BEFORE = re.compile(r"[.!?…:\"“]\s*$")


def sentence_start_before(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : max(0, pos)]
    return pos <= 0 or before.endswith("\n") or bool(_SENTENCE_END_BEFORE.search(before))
