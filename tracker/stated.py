"""What a text states about where a place is: the region that contains it.

Reporting says which oblast a village is in, and a careful reader takes it as a fact, not a
hint: "Polohy, Zaporizhia Oblast", "Zorya in the nearby Donetsk region", "Kupiansk (Kharkiv
Oblast)", "Donetsk Oblast's Pokrovsk", and a region that opens a clause governs the places the
clause lists ("In the Zaporizhzhia region, Russian forces attacked Stepnohirsk and Mala
Tokmachka"). "Near the border with the Donetsk region" states a neighbour, not a container,
and matches none of these. The patterns are in ``knowledge/cues.toml`` (``stated_region``).

:func:`stated_regions` gives, for every mention of a document, the oblast the text puts it in
(or None) and the region mention that says so; the resolver keeps only candidates in that
oblast, and the region checks report whether the geometry agrees.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .knowledge import table

if TYPE_CHECKING:
    from .gazetteer import Gazetteer
    from .models import Mention

__all__ = ["Stated", "border_with", "stated_regions"]

#: How far from a mention a stated region may stand, in characters.
_REACH = 45
_SETTLEMENT = ("K", "M", "T", "X", "C")


@dataclass(frozen=True, slots=True)
class Stated:
    """The oblast a text puts a mention in, and the region mention that says so."""

    oblast4: str  # KATOTTG prefix of the oblast ("UA23")
    region: Mention  # the oblast mention ("Zaporizhia Oblast")
    how: str  # "after" ("X, Y Oblast"), "possessive" ("Y Oblast's X"), "clause", "border"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    t = table("cues")["stated_region"]
    keys = ("after", "possessive", "clause", "border_with")
    return {key: re.compile(t[key], re.IGNORECASE) for key in keys}


def _oblast_of(region: Mention, gaz: Gazetteer) -> str | None:
    """The KATOTTG prefix of the oblast an oblast mention names, when it names one only."""
    prefixes = {str(gaz.col["oblast4"][p]) for p in region.candidates}
    return prefixes.pop() if len(prefixes) == 1 else None


def stated_regions(
    text: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    sentence_starts: list[int] | None = None,
) -> list[Stated | None]:
    """For each mention, the oblast the text states it is in (None when it states none).

    Only settlement mentions get one. Checked in order: a region right after the mention
    (``after``), right before it with a possessive (``possessive``), and a region that opens
    the mention's clause (``clause``: the nearest such region earlier in the same sentence).
    """
    pats = _patterns()
    regions = [m for m in mentions if m.kind == "oblast" and m.candidates]
    starts = [m.start for m in regions]
    ends = [m.end for m in regions]
    sentence_starts = sentence_starts or [0]
    out: list[Stated | None] = []
    for m in mentions:
        found = None
        if m.kind == "settlement" and m.candidates:
            found = _after(text, m, regions, starts, gaz, pats["after"])
            found = found or _possessive(text, m, regions, ends, gaz, pats["possessive"])
            found = found or _clause(text, m, regions, starts, sentence_starts, gaz, pats["clause"])
        out.append(found)
    return out


def _after(
    text: str,
    m: Mention,
    regions: list[Mention],
    starts: list[int],
    gaz: Gazetteer,
    gap: re.Pattern[str],
) -> Stated | None:
    j = bisect_left(starts, m.end)
    while j < len(regions) and regions[j].start - m.end <= _REACH:
        region = regions[j]
        j += 1
        if gap.match(text[m.end : region.start]):
            code = _oblast_of(region, gaz)
            return Stated(code, region, "after") if code else None
    return None


def _possessive(
    text: str,
    m: Mention,
    regions: list[Mention],
    ends: list[int],
    gaz: Gazetteer,
    gap: re.Pattern[str],
) -> Stated | None:
    j = bisect_right(ends, m.start) - 1
    if j >= 0 and m.start - regions[j].end <= _REACH and gap.match(text[regions[j].end : m.start]):
        code = _oblast_of(regions[j], gaz)
        return Stated(code, regions[j], "possessive") if code else None
    return None


def _clause(
    text: str,
    m: Mention,
    regions: list[Mention],
    starts: list[int],
    sentence_starts: list[int],
    gaz: Gazetteer,
    opener: re.Pattern[str],
) -> Stated | None:
    s = sentence_starts[max(0, bisect_right(sentence_starts, m.start) - 1)]
    j = bisect_left(starts, m.start) - 1
    while j >= 0 and regions[j].start >= s:
        region = regions[j]
        j -= 1
        before = text[s : region.start]
        after = text[region.end : region.end + 3]
        if opener.search(before) and after.lstrip().startswith(","):
            code = _oblast_of(region, gaz)
            return Stated(code, region, "clause") if code else None
    return None


def border_with(
    text: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    sentence_starts: list[int] | None = None,
) -> list[Stated | None]:
    """For each mention, the oblast the text says it lies next to ("X, near the border with
    the Donetsk region": X is outside Donetsk oblast and close to its border), or None.

    Every settlement of the sentence that names such a border gets it, and the region mention
    itself is marked too (it states no container for anything).
    """
    pats = _patterns()
    sentence_starts = sentence_starts or [0]
    starts = [m.start for m in mentions]
    out: list[Stated | None] = [None] * len(mentions)
    for j, region in enumerate(mentions):
        if region.kind != "oblast" or not region.candidates:
            continue
        s = sentence_starts[max(0, bisect_right(sentence_starts, region.start) - 1)]
        if not pats["border_with"].search(text[max(s, region.start - 60) : region.start]):
            continue
        code = _oblast_of(region, gaz)
        if code is None:
            continue
        said = Stated(code, region, "border")
        out[j] = said
        k = bisect_right(sentence_starts, region.start)
        end = sentence_starts[k] if k < len(sentence_starts) else len(text)
        for i in range(bisect_left(starts, s), bisect_left(starts, end)):
            if mentions[i].kind == "settlement":
                out[i] = said
    return out
