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

from .names import fold, skeleton

__all__ = ["BEARINGS", "Anchor", "bearing_before", "find_anchors"]

#: Compass words -> bearing in degrees (0 = north, clockwise).
BEARINGS = {
    "north": 0,
    "n": 0,
    "northeast": 45,
    "north-east": 45,
    "ne": 45,
    "east": 90,
    "e": 90,
    "southeast": 135,
    "south-east": 135,
    "se": 135,
    "south": 180,
    "s": 180,
    "southwest": 225,
    "south-west": 225,
    "sw": 225,
    "west": 270,
    "w": 270,
    "northwest": 315,
    "north-west": 315,
    "nw": 315,
    "nne": 22.5,
    "ene": 67.5,
    "ese": 112.5,
    "sse": 157.5,
    "ssw": 202.5,
    "wsw": 247.5,
    "wnw": 292.5,
    "nnw": 337.5,
}
_WORD = re.compile(r"[^\W\d_][\w'’ʼ\-]*", re.UNICODE)
_DIRECTIONS = (
    r"(?:north|south)[\s-]?(?:east|west)|north|south|east|west|"
    r"NNE|ENE|ESE|SSE|SSW|WSW|WNW|NNW|NE|NW|SE|SW"
)
#: A reader's hint ("SE of X", "5 km N of the village of X").
_BEARING_BEFORE = re.compile(
    rf"\b(?P<dir>{_DIRECTIONS}|N|S|E|W)(?:ern)?\s*(?:\(?\d+[\s-]*km\)?\s*)?"
    r"(?:of|from)\s+(?:the\s+)?(?:(?:village|town|city|settlement)\s+of\s+)?$",
    re.IGNORECASE,
)
#: Article prose: no single letters (a lone "E of" or "S of" in running text is rarely a
#: bearing) and no distance.
_BEARING_BEFORE_STRICT = re.compile(
    rf"\b(?P<dir>{_DIRECTIONS})(?:ern)?\s+(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE
)


def bearing_before(text: str, *, strict: bool = False) -> float | None:
    """The compass bearing that *text* ends by stating ("... southeast of "), in degrees.

    ``strict`` accepts only what article prose means by it (no single letters, no distance).
    """
    match = (_BEARING_BEFORE_STRICT if strict else _BEARING_BEFORE).search(text)
    return BEARINGS.get(re.sub(r"\s", "", match["dir"].lower())) if match else None


_KM_BEFORE = re.compile(r"(?P<km>\d+(?:\.\d+)?)\s*(?:km|kilomet(?:er|re)s?)\b[^.]{0,30}$", re.I)
_DIRECTION_AFTER = re.compile(r"^[\s\-]*(?:direction|axis|front|sector|salient)\b", re.IGNORECASE)
_SAME_HROMADA = re.compile(r"same\s+(?:hromada|community|municipality)", re.IGNORECASE)
_NEAR_BEFORE = re.compile(
    r"\b(?:near|outside|around|by|close\s+to|next\s+to|vicinity\s+of|"
    r"area\s+(?:of|around))\s+(?:the\s+)?$",
    re.IGNORECASE,
)

#: Capitalised words that open sentences or name things other than places.
STOPWORDS = frozenset(
    fold(w)
    for w in [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        "near",
        "and",
        "or",
        "but",
        "from",
        "to",
        "by",
        "for",
        "with",
        "as",
        "is",
        "was",
        "were",
        "be",
        "has",
        "have",
        "had",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "there",
        "here",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "n",
        "s",
        "e",
        "w",
        "ne",
        "nw",
        "se",
        "sw",
        "nne",
        "ene",
        "ese",
        "sse",
        "ssw",
        "wsw",
        "wnw",
        "nnw",
        "km",
        "city",
        "village",
        "town",
        "oblast",
        "region",
        "raion",
        "district",
        "hromada",
        "community",
        "same",
        "direction",
        "axis",
        "front",
        "sector",
        "area",
        "just",
        "russian",
        "russia",
        "ukrainian",
        "ukraine",
        "forces",
        "troops",
        "army",
        "military",
        "general",
        "staff",
        "ministry",
        "defence",
        "defense",
        "isw",
        "deepstate",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "peace",
    ]
)


@dataclass(frozen=True, slots=True)
class Anchor:
    """A span of the text naming a gazetteer place."""

    start: int
    end: int
    text: str
    places: tuple[int, ...]  # place ids (rows of the gazetteer)
    similarity: tuple[float, ...]  # 0..100 per place: how well the spelling matched
    bearing: float | None = None  # "X of <anchor>": the bearing from the anchor to the place
    km: float | None = None  # "5 km southeast of <anchor>"
    direction: bool = False  # "<anchor> direction/axis"
    near: bool = False  # "near <anchor>"
    same_hromada: bool = False
    weight: float = 1.0  # how much this anchor counts (text distance in an article)


def _lookup(store, words: list[str]) -> tuple[tuple[int, ...], tuple[float, ...]]:
    from rapidfuzz import fuzz

    phrase = " ".join(words)
    key = fold(phrase)
    ids = store.lookup_key(key)
    if ids:
        unique = tuple(dict.fromkeys(ids))
        return unique, tuple(100.0 for _ in unique)
    if len(key) < 5:
        return (), ()
    best: dict[int, float] = {}
    for pid, variant in store.lookup_skeleton(skeleton(phrase)):
        sim = fuzz.ratio(key, variant)
        if sim >= 80 and sim > best.get(pid, 0):
            best[pid] = sim
    return tuple(best), tuple(best.values())


def find_anchors(
    text: str, store, *, exclude: set[str] | None = None, max_words: int = 4
) -> list[Anchor]:
    """Find the gazetteer names in *text*, longest match first.

    Parameters
    ----------
    text
        Free text (a hint, a sentence, a paragraph).
    store
        The loaded :class:`tracker.data.store.Store`.
    exclude
        Folded names to skip (the name being resolved, so "Shevchenko, south of
        Pokrovsk" anchors on Pokrovsk only).
    max_words
        Longest name to try, in words ("Velyka Novosilka", "Donetsk People's Republic").
    """
    exclude = exclude or set()
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    same_hromada = bool(_SAME_HROMADA.search(text))
    anchors: list[Anchor] = []
    i = 0
    while i < len(tokens):
        start, _, word = tokens[i]
        if not word[0].isupper() or fold(word) in STOPWORDS:
            i += 1
            continue
        found = None
        for n in range(min(max_words, len(tokens) - i), 0, -1):
            words = [t[2] for t in tokens[i : i + n]]
            end = tokens[i + n - 1][1]
            if fold(" ".join(words)) in exclude:
                found = (n, end, (), ())
                break
            ids, sims = _lookup(store, words)
            if ids:
                found = (n, end, ids, sims)
                break
        if not found:
            i += 1
            continue
        n, end, ids, sims = found
        if ids:
            before = text[max(0, start - 60) : start]
            bearing = bearing_before(before)
            km_match = _KM_BEFORE.search(before) if bearing is not None else None
            anchors.append(
                Anchor(
                    start=start,
                    end=end,
                    text=text[start:end],
                    places=ids,
                    similarity=sims,
                    bearing=bearing,
                    km=float(km_match["km"]) if km_match else None,
                    direction=bool(_DIRECTION_AFTER.match(text[end : end + 20])),
                    near=bool(_NEAR_BEFORE.search(before)),
                    same_hromada=same_hromada,
                )
            )
        i += n
    return anchors
