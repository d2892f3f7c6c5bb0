"""Free text -> the places and regions it names, with the relations a reader uses.

Shared by ``where --context`` and (later) article parsing. From "SE of
Oleksandrivka", "near Mezhova (same hromada)", "in the Pokrovsk direction",
"Polohy, Zaporizhia Oblast" or a whole paragraph it finds *anchors*: spans that
name a gazetteer place, each with its candidate places and, when the text says
so, a compass bearing ("southeast of X"), a direction/axis reading ("X direction")
or a same-hromada hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import cues
from .mentions import tokens as word_tokens
from .names import fold, skeleton
from .units import oblast_by

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = ["BEARINGS", "Anchor", "bearing_before", "find_anchors"]

#: Compass words -> bearing in degrees (0 = north, clockwise), from ``knowledge/compass.toml``.
BEARINGS = cues.BEARINGS
_SETTLEMENT_OF = "|".join(w for w in cues.settlement_words() if " " not in w)
#: A reader's hint ("SE of X", "5 km N of the village of X").
_BEARING_BEFORE = cues.EndCue(
    re.compile(
        rf"\b(?P<dir>{cues.compass_pattern(letters=True)})(?:ern)?\s*(?:\(?\d+[\s-]*km\)?\s*)?"
        rf"(?:of|from)\s+(?:the\s+)?(?:(?:{_SETTLEMENT_OF})\s+of\s+)?$",
        re.IGNORECASE,
    ),
    ("of", "from", "the"),
)
#: Article prose: no single letters (a lone "E of" or "S of" in running text is rarely a
#: bearing) and no distance.
_BEARING_BEFORE_STRICT = cues.EndCue(
    re.compile(
        rf"\b(?P<dir>{cues.compass_pattern(letters=False)})(?:ern)?\s+(?:of|from)\s+(?:the\s+)?$",
        re.IGNORECASE,
    ),
    ("of", "from", "the"),
)


def bearing_before(text: str, *, strict: bool = False) -> float | None:
    """The compass bearing that *text* ends by stating ("... southeast of "), in degrees.

    ``strict`` accepts only what article prose means by it (no single letters, no distance).

    Examples
    --------
    >>> bearing_before("5 km SE of ")
    135.0
    >>> bearing_before("villages north-west of the ", strict=True)
    315.0
    >>> bearing_before("E of ", strict=True) is None
    True
    """
    match = (_BEARING_BEFORE_STRICT if strict else _BEARING_BEFORE).search(text)
    return cues.bearing_of(match["dir"]) if match else None


_KM_BEFORE = re.compile(r"(?P<km>\d+(?:\.\d+)?)\s*(?:km|kilomet(?:er|re)s?)\b[^.]{0,30}$", re.I)
#: "10 km from X", "15 kilometres outside the village of X": a distance without a bearing.
_KM_ONLY_BEFORE = re.compile(
    r"(?P<km>\d+(?:\.\d+)?)\s*(?:km|kilomet(?:er|re)s?)\s+(?:away\s+)?(?:from|of|outside)\s+"
    rf"(?:the\s+)?(?:(?:{_SETTLEMENT_OF})\s+of\s+)?$",
    re.IGNORECASE,
)
_DIRECTION_AFTER = cues.direction_after(separator="*")
_SAME_HROMADA = cues.same_hromada()
_NEAR_BEFORE = cues.near_cue_before()

#: Capitalised words that never open an anchor (one list with the mention detector's).
STOPWORDS = cues.stopwords()


@dataclass(frozen=True, slots=True)
class Anchor:
    """A span of the text naming a gazetteer place."""

    start: int
    end: int
    text: str
    places: tuple[int, ...]  # place ids (rows of the gazetteer)
    similarity: tuple[float, ...]  # 0..100 per place: how well the spelling matched
    sources: tuple[str, ...] = ()  # per place: the source of the spelling matched
    bearing: float | None = None  # "X of <anchor>": the bearing from the anchor to the place
    km: float | None = None  # "5 km southeast of <anchor>"
    direction: bool = False  # "<anchor> direction/axis"
    near: bool = False  # "near <anchor>"
    same_hromada: bool = False
    weight: float = 1.0  # how much this anchor counts (text distance in an article)


def _lookup(gaz, words: list[str]) -> dict[int, tuple[float, str]]:
    """place id -> (similarity 0..100, source of the spelling) for a phrase of a hint."""
    from rapidfuzz import fuzz

    phrase = " ".join(words)
    key = fold(phrase)
    ids = gaz.lookup_key(key)
    if ids:
        return {pid: (100.0, source) for pid, source in ids.items()}
    if len(key) < 5:
        return {}
    best: dict[int, tuple[float, str]] = {}
    for pid, variant in gaz.lookup_skeleton(skeleton(phrase)):
        sim = fuzz.ratio(key, variant)
        if sim >= 80 and sim > best.get(pid, (0.0, ""))[0]:
            best[pid] = (sim, gaz.lookup_key(variant).get(pid, ""))
    return best


_Hits = dict[int, tuple[float, str]]  # place id -> (similarity 0..100, source of the spelling)


def _as_direction(gaz: Gazetteer, phrase: str, found: _Hits) -> _Hits | None:
    """A named direction of ``knowledge/directions.toml`` ("the Novopavlivka direction"): its
    own settlement (or area's oblast); {} for one that names no place; None when not one."""
    entry = cues.directions().get(fold(phrase))
    if entry is None:
        return None
    if entry.place is not None:
        pid = gaz.katottg_index.get(entry.place)
        return {pid: (100.0, "direction")} if pid is not None else found
    unit = oblast_by(entry.region) if entry.region else None
    if unit is not None:
        pid = gaz.katottg_index.get(gaz.oblast_katottg.get(unit.katottg_prefix, ""))
        return {pid: (100.0, "direction")} if pid is not None else {}
    return {}


def find_anchors(
    text: str, gaz, *, exclude: set[str] | None = None, max_words: int = 4
) -> list[Anchor]:
    """Find the gazetteer names in *text*, longest match first.

    Parameters
    ----------
    text
        Free text (a hint, a sentence, a paragraph).
    gaz
        The gazetteer (:class:`tracker.gazetteer.Gazetteer`).
    exclude
        Folded names to skip (the name being resolved, so "Shevchenko, south of
        Pokrovsk" anchors on Pokrovsk only).
    max_words
        Longest name to try, in words ("Velyka Novosilka", "Donetsk People's Republic").
    """
    exclude = exclude or set()
    tokens = word_tokens(text, 0, len(text), gaz)  # the detector's: hyphen pairs split alike
    same_hromada = bool(_SAME_HROMADA.search(text))
    anchors: list[Anchor] = []
    i = 0
    while i < len(tokens):
        start, _, word = tokens[i]
        if not word[0].isupper() or fold(word) in STOPWORDS:
            i += 1
            continue
        found: tuple[int, int, _Hits] | None = None
        for n in range(min(max_words, len(tokens) - i), 0, -1):
            words = [t[2] for t in tokens[i : i + n]]
            end = tokens[i + n - 1][1]
            if fold(" ".join(words)) in exclude:
                found = (n, end, {})
                break
            hits = _lookup(gaz, words)
            direction = bool(_DIRECTION_AFTER.match(text[end : end + 20]))
            named = _as_direction(gaz, " ".join(words), hits) if direction else None
            if named is not None:
                found = (n, end, named)
                break
            if hits:
                found = (n, end, hits)
                break
        if not found:
            i += 1
            continue
        n, end, hits = found
        if hits:
            ids = tuple(hits)
            before = text[max(0, start - 60) : start]
            bearing = bearing_before(before)
            km_match = (_KM_BEFORE if bearing is not None else _KM_ONLY_BEFORE).search(before)
            anchors.append(
                Anchor(
                    start=start,
                    end=end,
                    text=text[start:end],
                    places=ids,
                    similarity=tuple(hits[q][0] for q in ids),
                    sources=tuple(hits[q][1] for q in ids),
                    bearing=bearing,
                    km=float(km_match["km"]) if km_match else None,
                    direction=bool(_DIRECTION_AFTER.match(text[end : end + 20])),
                    near=bool(_NEAR_BEFORE.search(before)),
                    same_hromada=same_hromada,
                )
            )
        i += n
    return anchors
