"""What kind of place a match names (settlement, oblast, raion, hromada, foreign, river,
other), from level words, lists and the document's usage; matches -> :class:`Mention`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from .. import cues
from ..knowledge import level_words
from ..models import ForeignKind, ForeignRef, Mention, MentionKind
from ..names import fold
from .filters import KIND_OF, STRONG_CUE, WEAK_SOURCES
from .scan import DIRECTIONS_AFTER, SETTLEMENT_CATS, Match, direction_match
from .support import LIST_GAP

_REGION_QUANTIFIER = cues.quantifier_before()


_SETTLEMENT_TYPE_AFTER = cues.settlement_type_after()


def propagate_plural_directions(text: str, ms: list[Match], gaz) -> None:
    """ "the Kupiansk, Lyman and Oleksandrivka directions": every name of the list before a
    plural direction word is a direction (and, when the table knows it, its settlement)."""
    for idx, m in enumerate(ms):
        if not (m.direction and DIRECTIONS_AFTER.match(text[m.end : m.end + 20])):
            continue
        j = idx
        while j > 0 and LIST_GAP.match(text[ms[j - 1].end : ms[j].start]):
            prev = ms[j - 1]
            if prev.foreign is not None or prev.level:
                break
            prev.direction, prev.cue = True, "direction"
            entry = cues.directions().get(fold(text[prev.start : prev.end]))
            named = direction_match(prev.start, prev.end, entry, gaz) if entry else None
            if named is not None:
                prev.ukr, prev.kind = named.ukr, named.kind
            j -= 1


def propagate_plural_levels(text: str, ms: list[Match], cats) -> None:
    """ "Sumy and Kursk oblasts": the plural level word makes every listed name an oblast."""
    for idx, m in enumerate(ms):
        if not m.plural_level:
            continue
        j = idx
        while j > 0:
            gap = text[ms[j - 1].end : ms[j].start]
            if not re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or|&)\s*", gap):
                break
            prev = ms[j - 1]
            oblasts = {p: v for p, v in prev.ukr.items() if cats[p] in ("O", "K")}
            if oblasts:
                prev.ukr, prev.level = oblasts, "oblast"
            elif prev.foreign is not None:
                prev.level = "oblast"
            j -= 1
        oblasts = {p: v for p, v in m.ukr.items() if cats[p] in ("O", "K")}
        if oblasts:
            m.ukr, m.level = oblasts, "oblast"


def _list_of_regions(text: str, ms: list[Match], idx: int, cats) -> bool:
    """Part of a comma/and list of at least three bare names that are all oblast names."""

    def is_oblast_name(m: Match) -> bool:
        return any(cats[p] == "O" for p in m.ukr)

    group = [idx]
    j = idx
    while j > 0 and re.fullmatch(
        r"\s*(?:,|,?\s*and|,?\s*or)\s*", text[ms[j - 1].end : ms[j].start]
    ):
        group.insert(0, j - 1)
        j -= 1
    j = idx
    while j + 1 < len(ms) and re.fullmatch(
        r"\s*(?:,|,?\s*and|,?\s*or)\s*", text[ms[j].end : ms[j + 1].start]
    ):
        group.append(j + 1)
        j += 1
    return len(group) >= 3 and all(is_oblast_name(ms[g]) for g in group)


def to_mention(text: str, idx: int, ms: list[Match], cats, usage: LevelUsage) -> Mention:
    """The :class:`Mention` match *idx* of *ms* makes: a river, a named area, a foreign
    place, or a Ukrainian place of the kind its level word, list or the document gives."""
    m = ms[idx]
    surface = text[m.start : m.end]
    special = _not_ukrainian_unit(m, surface, cats)
    if special is not None:
        return special
    kind = _ukrainian_kind(text, idx, ms, cats, usage)
    ids = _candidates_of_kind(text, m, kind, cats)
    similarity, sources = zip(*ids.values(), strict=True) if ids else ((), ())
    return Mention(
        m.start,
        m.end,
        surface,
        kind,
        candidates=tuple(ids),
        cue=m.cue,
        occupation_name=any(src == "occupation-name" for _, src in m.ukr.values()),
        similarity=similarity,
        sources=sources,
    )


def _not_ukrainian_unit(m: Match, surface: str, cats) -> Mention | None:
    """The mention of a river, of an area a direction is named after, or of a foreign place
    (also one that shares its name with mere Ukrainian villages); None for the rest."""
    if m.kind == "river" or m.level == "river":
        return Mention(m.start, m.end, surface, "river", cue=m.cue)
    if m.kind == "other":  # an area a direction is named after ("South Slobozhanskyi")
        return Mention(
            m.start, m.end, surface, "other", candidates=tuple(m.ukr), cue=m.cue,
            similarity=tuple(v[0] for v in m.ukr.values()),
            sources=tuple(v[1] for v in m.ukr.values()),
        )  # fmt: skip
    if not m.ukr or _foreign_first(m, cats):
        return _foreign_mention(m, surface)
    return None


def _foreign_first(m: Match, cats) -> bool:
    """A foreign name without a level word wins over Ukrainian namesakes when it is a
    country, or when they are only villages and no strong cue ("village of") points home."""
    if m.foreign is None or m.level is not None:
        return False
    only_villages = all(cats[p] in ("C", "X", "T") for p in m.ukr)
    return m.foreign.kind == "country" or (
        only_villages and not (m.cue and STRONG_CUE.search(m.cue + " "))
    )


def _ukrainian_kind(text: str, idx: int, ms: list[Match], cats, usage: LevelUsage) -> MentionKind:
    """The kind of Ukrainian place a match names: its level word's, else what its candidates
    can be (a bare oblast-centre name is read from the document)."""
    m = ms[idx]
    levels = {cats[p] for p in m.ukr}
    if m.level == "oblast" or (levels <= {"O", "K"} and "O" in levels):
        return "oblast"
    if m.level == "raion":
        return "raion"
    if m.level == "hromada":
        return "hromada"
    if m.level == "city":
        return "settlement"
    if "O" in levels and levels & set(SETTLEMENT_CATS):
        return _bare_oblast_or_city(text, idx, ms, cats, usage)
    if levels <= {"P", "H"}:
        return "raion" if "P" in levels else "hromada"
    return "settlement"


#: Mention kind -> the gazetteer categories its candidates are kept from.
_KIND_CATS = {
    "oblast": ("O", "K"),
    "raion": ("P",),
    "hromada": ("H",),
    "settlement": SETTLEMENT_CATS,
}


def _candidates_of_kind(
    text: str, m: Match, kind: MentionKind, cats
) -> dict[int, tuple[float, str]]:
    """The candidates of the mention's kind (all when none is): an oblast's first-level
    unit (not Kyiv City / Sevastopol), a settlement of the type its word names."""
    ids = {p: v for p, v in m.ukr.items() if cats[p] in _KIND_CATS[kind]} or m.ukr
    if kind == "oblast":  # Kyiv City / Sevastopol are first-level units and cities
        ids = {p: v for p, v in ids.items() if cats[p] == "O"} or ids
    elif kind == "settlement":  # "Zaporizhzhia City", "the village of X": only those kinds
        word = "city" if m.level == "city" else _settlement_word(text, m)
        if word:
            wanted = cues.settlement_categories().get(" ".join(word.lower().split()))
            ids = {p: v for p, v in ids.items() if wanted and cats[p] in wanted} or ids
    return ids


def _settlement_word(text: str, m: Match) -> str | None:
    """The settlement word introducing a mention ("city" of "the city of X"), if any."""
    match = KIND_OF.search(text[max(0, m.start - 40) : m.start])
    return match["word"] if match else None


_FOREIGN_KINDS: dict[str, ForeignKind] = {"country": "country", "city": "city", "region": "region"}


def _foreign_mention(m: Match, surface: str) -> Mention:
    """A place outside Ukraine ("Kursk Oblast" with a level word is a region, not the city)."""
    f = m.foreign
    assert f is not None  # a match without Ukrainian candidates is foreign
    kind = _FOREIGN_KINDS.get(f.kind, "other")
    if m.level == "oblast" and kind == "city":
        kind = "region"
    foreign = ForeignRef(f.name, f.country, kind, f.lon, f.lat)
    return Mention(m.start, m.end, surface, kind, foreign=foreign, cue=m.cue)


class LevelUsage:
    """How a document writes names with level words, read at the first question: the names
    it calls "X oblast / region / province" (:attr:`region`) and the names it calls "X City"
    / "the city of X" (:attr:`city`)."""

    _WORD = r"[^\W\d_][\w'’ʼ\-]*"

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end
        self._region: frozenset[str] | None = None
        self._city: frozenset[str] | None = None

    @property
    def region(self) -> frozenset[str]:
        """Folded names the document writes before "oblast", "region" or "province"."""
        if self._region is None:
            words = _region_words()
            self._region = self._names(_name_before(words), _level_word_after(words))
        return self._region

    @property
    def city(self) -> frozenset[str]:
        """Folded names the document writes as "X City" or "the city of X"."""
        if self._city is None:
            self._city = self._names(_name_before("city"), _level_word_after("city")) | self._names(
                re.compile(rf"\bcity\s+of\s+({_WORD}(?:\s+{_WORD})?)", re.I)
            )
        return self._city

    def _names(
        self, pattern: re.Pattern[str], level_word: re.Pattern[str] | None = None
    ) -> frozenset[str]:
        """Folded one- and two-word names captured by *pattern* (both readings of two words)."""
        out: set[str] = set()
        text, start, end = self._text, self._start, self._end
        found = (
            pattern.finditer(text, start, end)
            if level_word is None
            else _name_level_matches(pattern, level_word, text, start, end)
        )
        for match in found:
            words = match.group(1).split()
            out.add(fold(" ".join(words)))
            out.add(fold(words[-1]) if pattern.pattern.startswith("((") else fold(words[0]))
        return frozenset(out)


_WORD = LevelUsage._WORD


@cache
def _region_words() -> str:
    """The oblast level words of one word ("oblast|region|province"), as alternatives."""
    return "|".join(
        re.escape(w.text) for w in level_words("text") if w.level == "O" and w.text.isalpha()
    )


@cache
def _name_before(words: str) -> re.Pattern[str]:
    """One or two words before a level word of *words*: the name is group 1."""
    return re.compile(rf"((?:{_WORD}\s+)?{_WORD})\s+(?:{words})\b", re.I)


@cache
def _level_word_after(words: str) -> re.Pattern[str]:
    """A level word of *words* after white space (what every :func:`_name_before` match ends
    with): found first, so that the name pattern is tried only just before one."""
    return re.compile(rf"\s(?:{words})\b", re.I)


#: The characters of a word of :func:`_name_before`'s names, and the white space between them.
_WORD_CHAR = re.compile(r"[\w'’ʼ\-]")
_SPACE = re.compile(r"\s")


def _name_level_matches(
    pattern: re.Pattern[str], level_word: re.Pattern[str], text: str, start: int, end: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, start, end)`` of a :func:`_name_before` pattern, without trying
    it at every position: a match holds a level word after white space, and its name is the
    one or two words before it (a name word runs to the white space, so a match starting in
    an earlier word would need an earlier level word); the search for the match starts two
    words before the next level word (or where the previous match ended), so it finds the
    same leftmost match."""
    pos = start
    while True:
        hit = level_word.search(text, pos, end)
        if hit is None:
            return
        back = hit.start()
        for _ in range(2):  # back over white space, then over a word
            while back > pos and _SPACE.match(text, back - 1):
                back -= 1
            while back > pos and _WORD_CHAR.match(text, back - 1):
                back -= 1
        match = pattern.search(text, back, end)
        if match is None:
            return
        yield match
        pos = match.end()


def _paired_with_settlement(text: str, ms: list[Match], idx: int, cats) -> bool:
    """Joined by a hyphen or a list to a name that can only be a settlement: then a bare
    oblast-centre name is the city too ("Orikhiv-Zaporizhzhia", "Donetsk, Kramatorsk")."""
    for j in (idx - 1, idx + 1):
        if not 0 <= j < len(ms):
            continue
        a, b = (ms[j], ms[idx]) if j < idx else (ms[idx], ms[j])
        other = ms[j]
        if other.foreign is not None or not other.ukr or other.level:
            continue
        settlement_only = all(cats[p] in SETTLEMENT_CATS for p in other.ukr)
        if settlement_only and LIST_GAP.match(text[a.end : b.start]):
            return True
    return False


def _bare_oblast_or_city(
    text: str, idx: int, ms: list[Match], cats: Any, usage: LevelUsage
) -> MentionKind:
    """A bare name that is both an oblast and its centre city ("Donetsk", "Sumy")."""
    m = ms[idx]
    if m.direction or _paired_with_settlement(text, ms, idx, cats):
        return "settlement"  # "the Orikhiv-Zaporizhzhia corridor", "Donetsk, Kramatorsk and"
    before = text[max(0, m.start - 30) : m.start]
    if _REGION_QUANTIFIER.search(before):
        return "oblast"
    if _SETTLEMENT_TYPE_AFTER.match(text[m.end : m.end + 30]):
        return "oblast"  # "the Donetsk town of Dobropillia"
    if _list_of_regions(text, ms, idx, cats):
        return "oblast"
    city_sources = {src for p, (_, src) in m.ukr.items() if cats[p] in SETTLEMENT_CATS}
    if city_sources and city_sources <= WEAK_SOURCES:
        return "oblast"  # "Dnipropetrovsk": the city is Dnipro now
    name = fold(text[m.start : m.end].rstrip("’'s"))
    if name in usage.region and name not in usage.city:
        return "oblast"
    return "settlement"
