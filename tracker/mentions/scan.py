"""Scanning text for names: tokens, gazetteer and foreign look-ups, n-grams longest first,
named directions, bracketed and misspelt names (the raw matches, before any judgement)."""

from __future__ import annotations

import itertools
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import cues
from ..knowledge import level_words
from ..names import fold, skeleton
from ..units import oblast_by

if TYPE_CHECKING:
    from ..foreign import ForeignPlace

#: A word: an abbreviation ("U.S."), or a letter and then letters and digits, with apostrophes and
#: hyphens inside ("O'Neil", "Kramatorsk-Druzhkivka"), never at the end (runs of letters and digits
#: are taken whole, and a run of apostrophes and hyphens only before another letter or digit:
#: the same words as "any of them, ending in a letter or digit" without backtracking at every word)
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[^\W_]+|['’ʼ\-]+(?=[^\W_]))*", re.UNICODE)


_POSSESSIVE = re.compile(r"['’ʼ]s$")


_POSSESSIVE_ENDINGS = ("'s", "’s", "ʼs")


#: Level word after a name (singular and plural) -> the kind it gives ("oblast", "raion",
#: "hromada", "city", "river"); plural words are those read after a list.
_KIND_OF_LEVEL = {"O": "oblast", "P": "raion", "H": "hromada", "S": "city", "river": "river"}


_LEVEL = {w.text: _KIND_OF_LEVEL[w.level] for w in level_words("text")}


_PLURAL_LEVEL = frozenset(w.plural for w in level_words("plural"))


#: plural level word -> its singular ("oblasts" -> "oblast")
_LEVEL_SINGULAR = {w.plural: w.text for w in level_words("plural")}


_DIRECTION_AFTER = cues.area_after()


_DIRECTION_ONLY = cues.direction_after()


DIRECTIONS_AFTER = cues.direction_after(plural=True)


#: Either (" direction", " axes", ...): one regex call where two were made per phrase tried.
_SOME_DIRECTION_AFTER = re.compile(
    f"(?:{_DIRECTION_ONLY.pattern})|(?:{DIRECTIONS_AFTER.pattern})", re.IGNORECASE
)


#: Capitalised words that are not places however the gazetteer spells things.
STOPWORDS = cues.stopwords()


#: Very common English words: a one-word match that is one of these needs "village of".
COMMON_WORDS = cues.common_words()


SETTLEMENT_CATS = ("K", "M", "T", "X", "C")


#: Level -> the gazetteer categories a name with that level word may be.
_LEVEL_CATS = {"oblast": ("O", "K"), "raion": ("P",), "hromada": ("H",), "city": SETTLEMENT_CATS}


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9А-ЯІЇЄҐ])|\n+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]`` (newlines end sentences)."""
    return list(_sentence_spans(text, start, len(text) if end is None else end))


@lru_cache(maxsize=1)  # the resolver and the claim reader both split the document they share
def _sentence_spans(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return tuple(spans)


@dataclass(slots=True)
class Match:
    start: int
    end: int
    ukr: dict[int, tuple[float, str]]  # place id -> (similarity, source)
    foreign: ForeignPlace | None
    level: str | None = None  # explicit level word: oblast/raion/hromada/city/river
    plural_level: bool = False
    direction: bool = False
    cue: str | None = None
    kind: str | None = None
    unknown: bool = False  # a name-like word the gazetteer lacks, kept only to complete a list


#: What the scanner looked up per gazetteer (spelling -> answer), kept across documents: the
#: look-ups depend only on the gazetteer and the tables. Emptied when it grows past _MEMO_MAX.
_MEMOS: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()


_MEMO_MAX = 200_000


def memo(gaz) -> dict[Any, Any]:
    """The look-up memo of *gaz* (a fresh, unkept one for an object without weak references)."""
    try:
        found = _MEMOS.get(gaz)
        if found is None or len(found) > _MEMO_MAX:
            found = _MEMOS[gaz] = {}
        return found
    except TypeError:  # not weakly referable or not hashable: no memo
        return {}


def tokens(text: str, start: int, end: int, gaz=None) -> list[tuple[int, int, str]]:
    """Word tokens; a hyphenated pair that is not itself a name ("Kramatorsk-Druzhkivka")
    is split into its parts."""
    out = []
    known = memo(gaz) if gaz is not None else {}
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        if "-" in word and gaz is not None and not _known_memo(known, gaz, word):
            pos = m.start()
            for part in word.split("-"):
                if part and part[0].isalpha():
                    out.append((pos, pos + len(part), part))
                pos += len(part) + 1
            continue
        out.append((m.start(), m.end(), word))
    return out


def _known_memo(known: dict[Any, Any], gaz, word: str) -> bool:
    key = ("known", word)
    found = known.get(key)
    if found is None:
        found = known[key] = _known(gaz, word)
    return found


def _known(gaz, word: str) -> bool:
    bare = _POSSESSIVE.sub("", word)
    return (
        bool(gaz.lookup_key(fold(bare)))
        or _foreign(bare) is not None
        or any(gaz.lookup_skeleton(skeleton(bare)))
    )


def _adjacent(text: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return text[a[1] : b[0]] == " "


def capitalised(word: str) -> bool:
    return word[0].isupper()


def _lookup_ukr(gaz, phrase: str, *, loose: bool) -> dict[int, tuple[float, str]]:
    key = fold(phrase)
    if not key:
        return {}
    found = {pid: (100.0, source) for pid, source in gaz.lookup_key(key).items()}
    if found or not loose or len(key) < 6:
        return found
    from rapidfuzz import fuzz

    for pid, variant in gaz.lookup_skeleton(skeleton(phrase)):
        sim = fuzz.ratio(key, variant)
        if sim >= _FAINT and sim > found.get(pid, (0.0, ""))[0]:
            found[pid] = (sim, gaz.lookup_key(variant).get(pid, ""))
    return found


def _foreign_first_words() -> frozenset[str]:
    global _FOREIGN_FIRST
    if _FOREIGN_FIRST is None:
        from ..foreign import first_words

        _FOREIGN_FIRST = first_words()
    return _FOREIGN_FIRST


_FOREIGN_FIRST: frozenset[str] | None = None


def _foreign(phrase: str) -> ForeignPlace | None:
    from ..foreign import lookup  # cached by the import system after the first call

    return lookup(phrase)


def _skip_to(toks: list[tuple[int, int, str]], i: int, end: int) -> int:
    """The first token from *i* on that starts at or after *end* (past a match's span)."""
    while i < len(toks) and toks[i][0] < end:
        i += 1
    return i


@dataclass(slots=True)
class _Scan:
    """One scan: the text, its tokens (and their words), how many tokens after each one follow
    it at one space (``run[k] >= n - 1``: tokens ``k .. k+n-1`` are one phrase), the gazetteer
    and its memo, and whether a direction word follows each token (None: not read yet)."""

    text: str
    toks: list[tuple[int, int, str]]
    run: list[int]
    gaz: Any
    memo: dict[Any, Any]
    words: list[str]
    direction_after: list[bool | None]

    @classmethod
    def of(cls, text: str, toks: list[tuple[int, int, str]], gaz) -> _Scan:
        n = len(toks)
        # whether one space parts token k from token k + 1 (never after the last)
        spaced = [b[0] - a[1] == 1 and text[a[1]] == " " for a, b in itertools.pairwise(toks)]
        spaced.append(False)
        # run[k]: how far the next token not followed by one space is
        gaps = np.where(np.asarray(spaced[:n], dtype=bool), n, np.arange(n))
        run = (np.minimum.accumulate(gaps[::-1])[::-1] - np.arange(n)).tolist()
        words = [t[2] for t in toks]
        return cls(text, toks, run, gaz, memo(gaz), words, [None] * len(toks))


def scan_matches(text: str, start: int, end: int, gaz) -> list[Match]:
    """Every raw match in ``text[start:end]``, in order: each capitalised token is read as
    the first word of a name, the longest known name it opens winning."""
    toks = tokens(text, start, end, gaz)
    sc = _Scan.of(text, toks, gaz)
    matches: list[Match] = []
    i = 0
    while i < len(toks):
        if not toks[i][2][0].isupper():  # (capitalised)
            i += 1
            continue
        found, i = _match_at(sc, i)
        if found is not None:
            matches.append(found)
    return matches


def _match_at(sc: _Scan, i: int) -> tuple[Match | None, int]:
    """The match opening at capitalised token *i* (None if none) and the token to read next:
    a bracketed former name, a named direction, a known name, a misspelt one, an unknown one
    in a list."""
    text, toks = sc.text, sc.toks
    bracketed = _bracketed_name(sc, i)
    if bracketed is not None:  # "Chervonyi (Krasnyi) Lyman": a former name in brackets
        return bracketed, _skip_to(toks, i, bracketed.end)
    named = _direction_name(sc, i)
    if named is not None:  # "the Novopavlivka direction": the axis the military names
        n, direction = named
        return direction, i + n
    known = _longest_known(sc, i)
    if known is not None:
        best, i = known[0], i + known[1]
    else:
        misspelt = _misspelt(sc, toks[i])
        if misspelt is None:
            unknown = _unknown_in_list(sc, i)
            if unknown is None:
                return None, i + 1
            return unknown, _skip_to(toks, i, unknown.end)
        best, i = misspelt, i + 1
    i += _level_after(text, toks, i, best, sc.gaz.col["category"])
    best.direction = bool(_DIRECTION_AFTER.match(text[best.end : best.end + 20]))
    return best, i


def _opens_longer_name(sc: _Scan, i: int) -> bool:
    """Whether token *i* opens some known multi-word name (or a level word follows it, or
    "River" two or three words on): only then are phrases of more than one word tried."""
    toks, gaz = sc.toks, sc.gaz
    word = toks[i][2]
    opens = sc.memo.get(("opens", word))
    if opens is None:
        first = fold(word)
        opens = sc.memo[("opens", word)] = (
            first in gaz.first_words
            or first in _foreign_first_words()
            or skeleton(first) in gaz.first_skeletons
        )
    if opens:
        return True
    words = sc.words
    if i + 1 < len(words) and words[i + 1].lower() in _LEVEL:
        return True
    # "Siverskyi Donets River"
    return any(w.lower() == "river" for w in words[i + 2 : i + 4] if len(w) == 5)


def _longest_known(sc: _Scan, i: int) -> tuple[Match, int] | None:
    """The longest known name (up to five words) opening at token *i*, and its length in
    tokens; a stop word may open a longer name ("New York") but is no name alone."""
    text, toks = sc.text, sc.toks
    stop = fold(toks[i][2]) in STOPWORDS
    longest = min(5, len(toks) - i) if _opens_longer_name(sc, i) else 1
    for n in range(longest, 1 if stop else 0, -1):
        if n > 1 and sc.run[i] < n - 1:  # not one phrase
            continue
        last = toks[i + n - 1]
        phrase = text[toks[i][0] : last[1]]
        for variant_end, variant in ((last[1], phrase), *_possessive(last, phrase)):
            found = _phrase_match(sc, i, n, variant_end, variant)
            if found is not None:
                return found, n
    return None


def _phrase_match(sc: _Scan, i: int, n: int, variant_end: int, variant: str) -> Match | None:
    """The match the *n* tokens from *i* make when spelt *variant* (the phrase, or the phrase
    without its possessive 's): a river, a Ukrainian or a foreign place, or None (what the
    words name is looked up once per gazetteer)."""
    toks = sc.toks
    words = (sc.words[i],) if n == 1 else tuple(sc.words[i : i + n])
    key = ("phrase", variant, words)
    named = sc.memo.get(key)
    if named is None:
        named = sc.memo[key] = _phrase_named(variant, words, sc.gaz)
    if named is _NO_NAME:
        return None
    if named is _RIVER:
        return Match(toks[i][0], variant_end, {}, None, level="river", kind="river")
    ukr, foreign, level, plural = named
    # "Sumy and Kursk oblasts": the plural word is not part of the name
    span_end = toks[i + n - 2][1] if plural else variant_end
    return Match(toks[i][0], span_end, dict(ukr), foreign, level=level, plural_level=plural)


_NO_NAME: Any = ("no name",)


_RIVER: Any = ("river",)


def _phrase_named(variant: str, words: tuple[str, ...], gaz) -> Any:
    """What the phrase *variant* of *words* names: ``(ukr, foreign, level, plural)``,
    :data:`_RIVER` or :data:`_NO_NAME`."""
    n = len(words)
    low_last = words[-1].lower()
    level = _LEVEL.get(low_last) if n > 1 else None
    lookup_phrase = variant
    if low_last in _LEVEL_SINGULAR and n > 1:  # "Sumy and Kursk oblasts": look up "Kursk oblast"
        lookup_phrase = variant[: -len(words[-1])] + _LEVEL_SINGULAR[low_last]
    ukr = _ukrainian(variant, lookup_phrase, list(words), level, gaz)
    foreign = _foreign(lookup_phrase) if not ukr or level is None else None
    if level == "river" and _river_name(list(words[:-1])):
        return _RIVER
    if not (ukr or foreign):
        return _NO_NAME
    return (ukr, foreign, level, low_last in _PLURAL_LEVEL and n > 1)


def _river_name(words: list[str]) -> bool:
    """Capitalised words before "River" name it ("the Siverskyi Donets River"); a stop word
    ("The") does not."""
    return bool(words) and all(capitalised(w) and fold(w) not in STOPWORDS for w in words)


def _ukrainian(
    variant: str, lookup_phrase: str, words: list[str], level: str | None, gaz
) -> dict[int, tuple[float, str]]:
    """Ukrainian candidates of a phrase: "X City" is settlement X, "X River" none (rivers are
    not indexed), "X Oblast/Raion/Hromada" a unit of that level; loose for long names."""
    cats = gaz.col["category"]
    if level == "city":  # (a level word is only read after a name: n > 1)
        base = variant[: -len(words[-1])].strip()
        found = _lookup_ukr(gaz, base, loose=False)
        return {p: v for p, v in found.items() if cats[p] in SETTLEMENT_CATS}
    if level == "river":
        return {}
    ukr = _lookup_ukr(gaz, lookup_phrase, loose=len(words) > 1 or len(words[0]) >= 6)
    if level in ("oblast", "raion", "hromada"):
        ukr = {p: v for p, v in ukr.items() if cats[p] in _LEVEL_CATS[level]}
    return ukr


def _level_after(text: str, toks: list[tuple[int, int, str]], i: int, best: Match, cats) -> int:
    """A level word right after a bare name ("Sumy City", "Kharkiv Oblast", not in the index)
    narrows its candidates to that level: how many tokens it adds to the match (0 or 1)."""
    nxt = toks[i] if i < len(toks) else None
    if best.level is not None or not nxt or not _adjacent(text, (0, best.end, ""), nxt):
        return 0
    word = nxt[2].lower()
    if word not in _LEVEL or word == "river":
        return 0
    level = _LEVEL[word]
    narrowed = {p: v for p, v in best.ukr.items() if cats[p] in _LEVEL_CATS[level]}
    if word in _PLURAL_LEVEL:
        best.plural_level = True
        if narrowed:
            best.ukr, best.level = narrowed, level
    elif narrowed:
        best.ukr, best.level, best.end = narrowed, level, nxt[1]
        return 1
    return 0


MOVE_CUE = cues.move_cue_before()


#: A loose spelling at least this similar is a place after a cue; a fainter one, down to
#: _FAINT, only with the document's support (a list, a hyphen, a governing cue).
LOOSE = 88.0


_FAINT = cues.misspelt_similarity()


_LIST_EDGE_BEFORE = re.compile(r"(?:,\s*|\s(?:and|or)\s+)$")


_LIST_EDGE_AFTER = re.compile(r"^(?:\s*,|\s+(?:and|or)\s)")


def _misspelt(sc: _Scan, tok: tuple[int, int, str]) -> Match | None:
    """A capitalised unknown word right after "near", "captured", "towards": a misspelt
    place ("Shevcheko", "Konstiantynopil") if a known spelling is >= 88 % similar."""
    text, gaz = sc.text, sc.gaz
    s0, e0, word = tok
    if len(word) < 6 or word.isupper() or not MOVE_CUE.search(text[max(0, s0 - 25) : s0]):
        return None
    key = fold(word)
    if key in STOPWORDS or key in COMMON_WORDS:
        return None
    hit = sc.memo.get(("misspelt", key), _UNSEEN)
    if hit is _UNSEEN:
        from rapidfuzz import fuzz, process

        pool = gaz.keys_with_initial(key[:1])
        hit = sc.memo[("misspelt", key)] = process.extractOne(
            key, pool, scorer=fuzz.ratio, score_cutoff=88
        )
    if not hit:
        return None
    cats = gaz.col["category"]
    ukr = {
        p: (float(hit[1]), src)
        for p, src in gaz.lookup_key(hit[0]).items()
        if cats[p] in SETTLEMENT_CATS
    }
    return Match(s0, e0, ukr, None) if ukr else None


def _possessive(last: tuple[int, int, str], phrase: str):
    if last[2].endswith(_POSSESSIVE_ENDINGS):  # (what _POSSESSIVE finds in a word)
        return [(last[1] - 2, phrase[:-2])]
    return []


#: Surnames of people war reporting quotes all the time (``knowledge/people.txt``).
PEOPLE = cues.people()


_BRACKET = re.compile(r"\s*\(\s*([^\W\d_][\w'’\-]*)\s*\)\s+")


def _bracketed_name(sc: _Scan, i: int) -> Match | None:
    """ "A (B) C", a two-word name with the other (often former) form of its first word in
    brackets: the place "A C" (or "B C"), spanning the whole."""
    text, toks, gaz = sc.text, sc.toks, sc.gaz
    s0, e0, w0 = toks[i]
    match = _BRACKET.match(text, e0)
    if not match or not capitalised(w0):
        return None
    after = match.end()
    nxt = next((t for t in toks[i + 1 : i + 4] if t[0] == after), None)
    if nxt is None or not capitalised(nxt[2]):
        return None
    ukr: dict[int, tuple[float, str]] = {}
    for phrase in (f"{w0} {nxt[2]}", f"{match.group(1)} {nxt[2]}"):  # either may be current
        for pid, value in _lookup_ukr(gaz, phrase, loose=True).items():
            if value[0] > ukr.get(pid, (0.0, ""))[0]:
                ukr[pid] = value
    return Match(s0, nxt[1], ukr, None) if ukr else None


def _direction_name(sc: _Scan, i: int) -> tuple[int, Match | None] | None:
    """ "<name> direction(s)" where the name is one of ``knowledge/directions.toml``: how many
    tokens it spans and the match (None for a direction that names no place)."""
    text, toks, gaz = sc.text, sc.toks, sc.gaz
    for n in (3, 2, 1):
        if i + n > len(toks) or (n > 1 and sc.run[i] < n - 1):
            continue
        last = i + n - 1  # (a token ends phrases of one, two and three words: read it once)
        end = toks[last][1]
        follows = sc.direction_after[last]
        if follows is None:
            after = text[end : end + 20]
            follows = sc.direction_after[last] = bool(
                after  # both patterns open with white space or a hyphen
                and (after[0].isspace() or after[0] == "-")
                and _SOME_DIRECTION_AFTER.match(after)
            )
        if not follows:
            continue
        entry = cues.directions().get(fold(text[toks[i][0] : end]))
        if entry is not None:
            return n, direction_match(toks[i][0], end, entry, gaz)
    return None


def direction_match(start: int, end: int, entry: cues.Direction, gaz) -> Match | None:
    """The match a direction of the table gives: its settlement, or its area's oblast."""
    if entry.place is not None:
        pid = gaz.katottg_index.get(entry.place)
        if pid is None:
            return None
        return Match(start, end, {pid: (100.0, "direction")}, None, direction=True)
    unit = oblast_by(entry.region) if entry.region is not None else None
    if unit is not None:
        pid = gaz.katottg_index.get(gaz.oblast_katottg.get(unit.katottg_prefix, ""))
        if pid is not None:
            ukr = {pid: (100.0, "direction")}
            return Match(start, end, ukr, None, direction=True, kind="other")
    return None


def _unknown_in_list(sc: _Scan, i: int) -> Match | None:
    """A capitalised word (or two or three) the gazetteer lacks, standing in a list ("…,
    Rusynyi Yar, …"): kept aside in case the document supports it as a misspelt place."""
    text, toks, gaz = sc.text, sc.toks, sc.gaz
    s0, e0, word = toks[i]
    if not _name_like(word) or len(word) < 5:
        return None
    end, j = e0, i + 1
    while j < len(toks) and j < i + 3 and sc.run[j - 1] > 0:
        nxt = toks[j][2]
        if not _name_like(nxt):
            break
        if gaz.lookup_key(fold(nxt)) and closest_key(gaz, text[s0 : toks[j][1]]) is None:
            break  # a known word that does not complete a misspelt name ("Rusynyi Yar")
        end, j = toks[j][1], j + 1
    in_list = _LIST_EDGE_BEFORE.search(text[max(0, s0 - 6) : s0]) or _LIST_EDGE_AFTER.match(
        text[end : end + 6]
    )
    return Match(s0, end, {}, None, unknown=True) if in_list else None


def _name_like(word: str) -> bool:
    key = fold(word)
    return (
        capitalised(word)
        and not word.isupper()
        and key not in STOPWORDS
        and key not in COMMON_WORDS
        and key not in PEOPLE
    )


def closest_key(gaz, phrase: str) -> tuple[str, float] | None:
    """The known spelling closest to *phrase* (>= ``misspelt_similarity``), and how close."""
    key = fold(phrase)
    memos = memo(gaz)
    hit = memos.get(("closest", key), _UNSEEN)
    if hit is _UNSEEN:
        from rapidfuzz import fuzz, process

        pool = gaz.keys_with_initial(key[:1])
        hit = memos[("closest", key)] = process.extractOne(
            key, pool, scorer=fuzz.ratio, score_cutoff=_FAINT
        )
    return (hit[0], float(hit[1])) if hit else None


#: A memo's "not looked up yet" (None being an answer).
_UNSEEN: Any = object()
