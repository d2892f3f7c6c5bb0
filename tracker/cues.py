"""Word lists of :mod:`tracker.knowledge` turned into the matchers the stages use.

One place that reads ``stopwords.txt``, ``common_words.txt``, ``people.txt``, ``titles.txt``,
``compass.toml``, ``cues.toml`` and ``levels.toml`` and compiles them into sets and regular
expressions, so that each list is written once and every stage reads the same one.

Examples
--------
>>> bool(place_cue_before().search("fighting near "))
True
>>> bearing_of("north-east")
45.0
>>> "eastern" in stopwords()
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .knowledge import entries, level_words, table
from .names import fold

__all__ = [
    "BEARINGS",
    "Direction",
    "EndCue",
    "area_after",
    "bearing_of",
    "common_words",
    "compass_pattern",
    "direction_after",
    "directions",
    "dotted_brand_after",
    "formation_after",
    "formation_before",
    "kind_of_before",
    "list_cue_after",
    "list_cue_before",
    "media_after",
    "misspelt_similarity",
    "move_cue_before",
    "near_cue_before",
    "people",
    "place_cue_before",
    "quantifier_before",
    "question_prefix",
    "same_hromada",
    "settlement_categories",
    "settlement_type_after",
    "settlement_words",
    "speech_after",
    "stopwords",
    "strong_cue_before",
    "table_list",
    "titles",
    "words",
]


def _alternatives(items: Iterable[str]) -> str:
    """``a|b|c`` of *items*, longest first, escaped, spaces matching any white space."""
    unique = sorted(set(items), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


def _list(section: str, key: str = "words") -> tuple[str, ...]:
    return tuple(table("cues")[section][key])


def table_list(name: str, section: str, key: str = "words") -> tuple[str, ...]:
    """The word list *key* of section *section* of knowledge table *name*."""
    return tuple(table(name)[section][key])


# -- compass -------------------------------------------------------------------------------------


def _compass() -> dict[str, dict[str, float]]:
    t = table("compass")
    parts = ("words", "abbreviations", "letters")
    return {part: {k: float(v) for k, v in t[part].items()} for part in parts}


#: Compass words and abbreviations -> bearing in degrees (0 = north, clockwise).
BEARINGS: dict[str, float] = {}
for _part in _compass().values():
    BEARINGS.update(_part)
for _word, _deg in list(BEARINGS.items()):
    for _a, _b in (("north", "east"), ("north", "west"), ("south", "east"), ("south", "west")):
        if _word == _a + _b:
            BEARINGS[f"{_a}-{_b}"] = _deg


_SPACE = re.compile(r"\s")


def bearing_of(word: str) -> float | None:
    """The bearing a compass word names ("SE", "south-east", "north east"), or None."""
    return BEARINGS.get(_SPACE.sub("", word.lower()))


@cache
def compass_pattern(*, letters: bool) -> str:
    """Alternation of compass words for a regular expression (single letters when asked)."""
    c = _compass()
    compounds = r"(?:north|south)[\s-]?(?:east|west)"
    simple = [w for w in c["words"] if not w.startswith(("northe", "northw", "southe", "southw"))]
    parts = [compounds, _alternatives(simple), _alternatives(w.upper() for w in c["abbreviations"])]
    if letters:
        parts.append(_alternatives(w.upper() for w in c["letters"]))
    return "|".join(parts)


# -- word sets -----------------------------------------------------------------------------------


@cache
def words(name: str) -> frozenset[str]:
    """Word list *name* of :mod:`tracker.knowledge`, folded (:func:`tracker.names.fold`).

    Examples
    --------
    >>> "president" in words("titles")
    True
    """
    return frozenset(fold(w) for w in entries(name))


@cache
def stopwords() -> frozenset[str]:
    """Capitalised words that are never places: ``stopwords.txt`` plus compass words and
    abbreviations, their adjectives, direction words and the level words (folded)."""
    compass = table("compass")
    extra = [*compass["words"], *compass["abbreviations"], *compass["letters"]]
    extra += [*compass["adjectives"]["words"], *_list("direction_words"), *_list("area_words")]
    extra += [w.text for w in level_words() if w.level != "river" and " " not in w.text]
    return words("stopwords") | frozenset(fold(w) for w in extra if fold(w).isascii())


@cache
def common_words() -> frozenset[str]:
    """Very common English words (``common_words.txt``, folded)."""
    return words("common_words")


@cache
def people() -> frozenset[str]:
    """Surnames of often-quoted people (``people.txt``, first column, folded)."""
    return frozenset(fold(entry.split()[0]) for entry in entries("people"))


@cache
def first_names() -> frozenset[str]:
    """Given names (``first_names.txt``, folded): a person's name even opening a sentence."""
    return words("first_names")


@cache
def titles() -> frozenset[str]:
    """Titles and roles before a person's name (``titles.txt``, folded)."""
    return words("titles")


def settlement_words() -> tuple[str, ...]:
    """Kinds of settlement ("village", "town", "urban-type settlement")."""
    return _list("settlement_words")


# -- patterns ------------------------------------------------------------------------------------


class EndCue:
    """A cue that ends the text ("... captured ", "... near the "): a regular expression
    anchored at the end, tried only on a text whose last word ends like one of its cues, and
    only over its last few words.

    :meth:`search` gives what ``regex.search`` gives. Every match ends with white space after
    a word ending in one of *last_words* (then maybe one of the *closing* characters, an
    opening quote), so a text that does not is skipped; a match spans at most *most_words*
    words (None: no bound), so the regex starts that many words from the end instead of
    trying its alternation at every position (the stages ask this of the 40 characters
    before every name). A last word outside ASCII always goes to the regex (case folding
    beyond ASCII is the regex's own).

    Examples
    --------
    >>> regex = re.compile(r"\\b(?:near|captured)\\s+$", re.IGNORECASE)
    >>> cue = EndCue(regex, ("near", "captured"), most_words=1)
    >>> cue.search("troops captured ").group()
    'captured '
    >>> cue.search("troops moved ") is None
    True
    """

    __slots__ = ("_closing", "_last", "_most", "pattern", "regex")

    def __init__(
        self,
        regex: re.Pattern[str],
        last_words: Iterable[str],
        closing: str = "",
        most_words: int | None = None,
    ) -> None:
        words = tuple(sorted({w.lower() for w in last_words}))
        if not words or not all(w.isascii() and w and len(w.split()) == 1 for w in words):
            raise ValueError(f"last_words must be ASCII words without spaces, not {words!r}")
        if any(c.isspace() for c in closing):
            raise ValueError(f"closing must hold no white space, not {closing!r}")
        if most_words is not None and most_words < 1:
            raise ValueError(f"most_words must be at least 1 (or None), not {most_words!r}")
        self.regex, self.pattern, self._last = regex, regex.pattern, words
        self._closing, self._most = closing, most_words

    def search(self, text: str) -> re.Match[str] | None:
        """The regex's match in *text* (``regex.search(text)``), or None."""
        # "$" is the end, or before a final newline
        for body in (text, text[:-1]) if text.endswith("\n") else (text,):
            if body and body[-1] in self._closing:
                body = body[:-1]  # (white space cannot be the closing character)
            if not body or not body[-1].isspace():
                continue  # every cue ends with white space
            most = self._most
            parts = body.rsplit(None, 1 if most is None else most)
            if parts and (not parts[-1].isascii() or parts[-1].lower().endswith(self._last)):
                if most is None:
                    return self.regex.search(text)
                # the last most_words words start after the first piece (or earlier: a piece
                # without its leading white space is shorter, which only starts sooner)
                return self.regex.search(text, len(parts[0]) if len(parts) > most else 0)
        return None


def _end_cue(
    items: Iterable[str],
    *,
    of: bool = False,
    the: bool = False,
    closing: str = "",
    group: str | None = None,
) -> EndCue:
    """:class:`EndCue` of a word of *items* at the end of the text, then white space: with
    *of*, then "of" and white space; with *the*, then maybe "the" and white space; then
    maybe one of the *closing* characters (*group*: the name of the items' group)."""
    items = list(items)
    then = r"\s+" + (r"of\s+" if of else "") + (r"(?:the\s+)?" if the else "")
    then += f"[{re.escape(closing)}]?" if closing else ""
    opening = f"?P<{group}>" if group else "?:"
    regex = re.compile(rf"\b({opening}{_alternatives(items)}){then}$", re.IGNORECASE)
    last = ["of"] if of else [w.split()[-1] for w in items]
    most = max(len(w.split()) for w in items) + of + the + bool(closing)
    return EndCue(regex, [*last, *(["the"] if the else [])], closing, most)


@cache
def place_cue_before() -> EndCue:
    """Text ending with a cue that makes the next name a place ("in ", "near the ")."""
    cues = [*_list("place_cues", "prepositions"), *_list("place_cues", "verbs")]
    cues += [w for w in settlement_words() if " " not in w]
    return _end_cue(cues, the=True)


@cache
def strong_cue_before() -> EndCue:
    """Text ending with "village of ", "town of ", ...: the next name is a place, always."""
    return _end_cue(settlement_words(), of=True)


@cache
def move_cue_before() -> EndCue:
    """Text ending with "near ", "captured ", ...: an unknown word next may be a misspelt place."""
    return _end_cue(_list("move_cues"))


@cache
def near_cue_before() -> EndCue:
    """Hint text ending with "near ", "close to the ", ...."""
    return _end_cue(_list("near_cues"), the=True)


@cache
def same_hromada() -> re.Pattern[str]:
    """ "same hromada" anywhere in a hint."""
    return re.compile(_alternatives(_list("same_hromada")), re.IGNORECASE)


@cache
def speech_after() -> re.Pattern[str]:
    """Text starting with a speech verb (", said"): the name before it is a person."""
    return re.compile(rf"^\s*(?:,\s*)?(?:{_alternatives(_list('speech_verbs'))})\b", re.IGNORECASE)


@cache
def quantifier_before() -> re.Pattern[str]:
    """Text ending with "70% of ", "most of the ": the next name is a region."""
    return re.compile(
        rf"(?:\b|(?<=%))(?:{_alternatives(_list('quantifiers'))})\s+of\s+(?:the\s+)?$",
        re.IGNORECASE,
    )


@cache
def settlement_type_after() -> re.Pattern[str]:
    """Text starting with " town of", " villages of", " region's": the name before is a region
    ("the Donetsk town of Dobropillia")."""
    kinds = [w for w in settlement_words() if " " not in w]
    plurals = [w[:-1] + "ies" if w.endswith("y") else w + "s" for w in kinds]
    found = _alternatives([*kinds, *plurals, "region's"])
    return re.compile(rf"^\s+(?:{found})\s+of\b", re.IGNORECASE)


def _plural(word: str) -> str:
    """English plural of a direction or area word ("axis" -> "axes", "sector" -> "sectors")."""
    return word[:-2] + "es" if word.endswith("is") else word + "s"


@cache
def direction_after(
    *, area: bool = False, separator: str = "+", plural: bool = False
) -> re.Pattern[str]:
    """Text starting with " direction", "-axis" ...; with *area* also " area"; with *plural*
    only the plural forms ("directions", "axes": the list before them are directions)."""
    found = list(_list("direction_words"))
    if area:
        found += _list("area_words")
    if plural:
        found = [_plural(w) for w in found]
    return re.compile(rf"^[\s\-]{separator}(?:{_alternatives(found)})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Direction:
    """An operational direction of ``knowledge/directions.toml``: the settlement it is named
    after (KATOTTG code), or the oblast of an area that is no settlement, or neither."""

    name: str
    place: str | None
    region: str | None


@cache
def directions() -> dict[str, Direction]:
    """Folded direction name -> its :class:`Direction` (every spelling of the table)."""
    out: dict[str, Direction] = {}
    for row in table("directions")["direction"]:
        entry = Direction(row["names"][0], row.get("place"), row.get("region"))
        for name in row["names"]:
            out[fold(name)] = entry
    return out


def area_after() -> re.Pattern[str]:
    """:func:`direction_after` with the area words ("the Pokrovsk area")."""
    return direction_after(area=True)


@cache
def question_prefix() -> re.Pattern[str]:
    """The start of a question that names the kind of place ("the village of ", "smt ", "с. "),
    or a bare article ("the Pokrovsk area")."""
    of, bare, abbr = (_list("question_prefixes", k) for k in ("of", "bare", "abbreviations"))
    spaced = [re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[- ]") for w in of]
    return re.compile(
        rf"^(?:the\s+)?(?:(?:{'|'.join(spaced)})\s+of\s+|(?:{_alternatives(bare)})\s+|"
        rf"(?:{_alternatives(a.rstrip('.') for a in abbr)})\.\s*)?",
        re.IGNORECASE,
    )


@cache
def settlement_categories() -> dict[str, frozenset[str]]:
    """Settlement word -> the KATOTTG categories it means ("city" -> K, M)."""
    return {w: frozenset(c) for w, c in table("cues")["settlement_categories"].items()}


@cache
def kind_of_before() -> EndCue:
    """Text ending with "the city of ", "village of " (group ``word``: the settlement word)."""
    return _end_cue(settlement_words(), of=True, the=True, group="word")


@cache
def formation_after() -> re.Pattern[str]:
    """Text starting with " Military District", " grouping", ...: the toponym before names a
    military formation (``knowledge/not_places.toml``)."""
    words = table("not_places")["formations"]["after"]
    return re.compile(rf"^\s+(?:{_alternatives(words)})\b", re.IGNORECASE)


@cache
def formation_before() -> EndCue:
    """Text ending with "operational-tactical group ", "OTG ", ...: the toponym after names a
    military formation."""
    return _end_cue(table("not_places")["formations"]["before"], closing="\"“'‘")


@cache
def media_after() -> re.Pattern[str]:
    """Text right after a toponym that completes a media name of ``not_places.toml``
    ("Kyiv" + " Independent"): a pattern per first word would be overkill, so one alternation
    of the name tails."""
    tails = [n.split(" ", 1)[1] for n in table("not_places")["media"]["names"] if " " in n]
    return re.compile(rf"^\s+(?:{_alternatives(tails)})\b", re.IGNORECASE)


@cache
def dotted_brand_after() -> re.Pattern[str]:
    """Text starting with ".Realities" (a dot and a capitalised word, no space): a media brand."""
    return re.compile(r"^\.[A-Z][a-z]")


@cache
def list_cue_before() -> EndCue:
    """Text ending with a cue that governs the list after it ("in the areas of ")."""
    return _end_cue(table("cues")["list_support"]["before"], the=True)


@cache
def list_cue_after() -> re.Pattern[str]:
    """Text starting with a word that makes the list before it places ("... areas")."""
    words = table("cues")["list_support"]["after"]
    return re.compile(rf"^\s+(?:{_alternatives(words)})\b", re.IGNORECASE)


def misspelt_similarity() -> float:
    """Similarity a misspelt or loose spelling needs when the document supports it."""
    return float(table("cues")["list_support"]["misspelt_similarity"])


@cache
def weak_sources() -> frozenset[str]:
    """Spelling sources that are not a place's own name today (GeoNames alternates, former
    names): the keys of ``weak_source_penalty`` in ``knowledge/ranking.toml``. The detector
    wants a cue or the document's support for them; the ranking model charges them."""
    return frozenset(table("ranking")["spelling"]["weak_source_penalty"])
