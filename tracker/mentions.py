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
from dataclasses import dataclass

from . import cues
from .knowledge import level_words
from .models import ForeignRef, Mention
from .names import fold, skeleton
from .ranking.params import params
from .units import oblast_by

__all__ = ["find_mentions", "sentence_spans", "tokens"]

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:(?:[^\W_]|['’ʼ\-])*[^\W_])?", re.UNICODE)
_POSSESSIVE = re.compile(r"['’ʼ]s$")
#: Level word after a name (singular and plural) -> the kind it gives ("oblast", "raion",
#: "hromada", "city", "river"); plural words are those read after a list.
_KIND_OF_LEVEL = {"O": "oblast", "P": "raion", "H": "hromada", "S": "city", "river": "river"}
_LEVEL = {w.text: _KIND_OF_LEVEL[w.level] for w in level_words("text")}
_LEVEL.update({w.plural: _KIND_OF_LEVEL[w.level] for w in level_words("plural")})
_PLURAL_LEVEL = frozenset(w.plural for w in level_words("plural"))
#: plural level word -> its singular ("oblasts" -> "oblast")
_LEVEL_SINGULAR = {w.plural: w.text for w in level_words("plural")}
_DIRECTION_AFTER = cues.area_after()
_DIRECTION_ONLY = cues.direction_after()
_DIRECTIONS_AFTER = cues.direction_after(plural=True)
_CUE_BEFORE = cues.place_cue_before()
_STRONG_CUE = cues.strong_cue_before()
_KIND_OF = cues.kind_of_before()
_FORMATION_AFTER = cues.formation_after()
_FORMATION_BEFORE = cues.formation_before()
_DOTTED_BRAND = cues.dotted_brand_after()
_MEDIA_AFTER = cues.media_after()
_REGION_QUANTIFIER = cues.quantifier_before()
_SETTLEMENT_TYPE_AFTER = cues.settlement_type_after()
_SPEECH_AFTER = cues.speech_after()
_TITLES = cues.titles()
#: Capitalised words that are not places however the gazetteer spells things.
STOPWORDS = cues.stopwords()
#: Spellings that are not a place's own name today (GeoNames alternates, former names).
_WEAK_SOURCES = frozenset(params().weak_sources)
#: Very common English words: a one-word match that is one of these needs "village of".
COMMON_WORDS = cues.common_words()

_SETTLEMENT_CATS = ("K", "M", "T", "X", "C")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9А-ЯІЇЄҐ])|\n+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]`` (newlines end sentences)."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return spans


@dataclass
class _Match:
    start: int
    end: int
    ukr: dict[int, tuple[float, str]]  # place id -> (similarity, source)
    foreign: object | None
    level: str | None = None  # explicit level word: oblast/raion/hromada/city/river
    plural_level: bool = False
    direction: bool = False
    cue: str | None = None
    kind: str | None = None
    unknown: bool = False  # a name-like word the gazetteer lacks, kept only to complete a list


def tokens(text: str, start: int, end: int, gaz=None) -> list[tuple[int, int, str]]:
    """Word tokens; a hyphenated pair that is not itself a name ("Kramatorsk-Druzhkivka")
    is split into its parts."""
    out = []
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        if "-" in word and gaz is not None and not _known(gaz, word):
            pos = m.start()
            for part in word.split("-"):
                if part and part[0].isalpha():
                    out.append((pos, pos + len(part), part))
                pos += len(part) + 1
            continue
        out.append((m.start(), m.end(), word))
    return out


def _known(gaz, word: str) -> bool:
    bare = _POSSESSIVE.sub("", word)
    return (
        bool(gaz.lookup_key(fold(bare)))
        or _foreign(bare) is not None
        or any(gaz.lookup_skeleton(skeleton(bare)))
    )


def _adjacent(text: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return text[a[1] : b[0]] == " "


def _capitalised(word: str) -> bool:
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
    from .foreign import first_words

    return first_words()


def _foreign(phrase: str):
    from .foreign import lookup  # cached by the import system after the first call

    return lookup(phrase)


def _scan(text: str, start: int, end: int, gaz) -> list[_Match]:
    toks = tokens(text, start, end, gaz)
    matches: list[_Match] = []
    cats = gaz.col["category"]
    i = 0
    while i < len(toks):
        s0, _e0, w0 = toks[i]
        if not _capitalised(w0):
            i += 1
            continue
        first = fold(w0)
        bracketed = _bracketed_name(text, toks, i, gaz)
        if bracketed is not None:  # "Chervonyi (Krasnyi) Lyman": a former name in brackets
            matches.append(bracketed)
            while i < len(toks) and toks[i][0] < bracketed.end:
                i += 1
            continue
        named = _direction_name(text, toks, i, gaz)
        if named is not None:  # "the Novopavlivka direction": the axis the military names
            n, direction = named
            if direction is not None:
                matches.append(direction)
            i += n
            continue
        # a stop word may still open a longer name: "New York", "Russian Federation";
        # multi-word phrases are tried only when the first word opens some known name
        stop = first in STOPWORDS
        multi = (
            first in gaz.first_words
            or first in _foreign_first_words()
            or skeleton(first) in gaz.first_skeletons
            or (i + 1 < len(toks) and toks[i + 1][2].lower() in _LEVEL)
        )
        longest = min(5, len(toks) - i) if multi else 1
        best: _Match | None = None
        for n in range(longest, 1 if stop else 0, -1):
            if n > 1 and not all(
                _adjacent(text, toks[i + k], toks[i + k + 1]) for k in range(n - 1)
            ):
                continue
            last = toks[i + n - 1]
            phrase = text[s0 : last[1]]
            words = [t[2] for t in toks[i : i + n]]
            low_last = words[-1].lower()
            for variant_end, variant in ((last[1], phrase), *_possessive(last, phrase)):
                level = _LEVEL.get(low_last) if n > 1 else None
                lookup_phrase = variant
                if low_last in _LEVEL_SINGULAR and n > 1:
                    lookup_phrase = variant[: -len(words[-1])] + _LEVEL_SINGULAR[low_last]
                if level == "city" and n > 1:
                    base = variant[: -len(words[-1])].strip()
                    ukr = {
                        p: v
                        for p, v in _lookup_ukr(gaz, base, loose=False).items()
                        if cats[p] in _SETTLEMENT_CATS
                    }
                elif level == "river":
                    ukr = {}
                else:
                    ukr = _lookup_ukr(gaz, lookup_phrase, loose=n > 1 or len(w0) >= 6)
                    if level in ("oblast", "raion", "hromada"):
                        wanted = {"oblast": ("O", "K"), "raion": ("P",), "hromada": ("H",)}[level]
                        ukr = {p: v for p, v in ukr.items() if cats[p] in wanted}
                foreign = _foreign(lookup_phrase) if not ukr or level is None else None
                if level == "river" and n == 2 and _capitalised(words[0]):
                    best = _Match(s0, variant_end, {}, None, level="river", kind="river")
                elif ukr or foreign:
                    plural = low_last in _PLURAL_LEVEL and n > 1
                    # "Sumy and Kursk oblasts": the plural word is not part of the name
                    span_end = toks[i + n - 2][1] if plural else variant_end
                    best = _Match(s0, span_end, ukr, foreign, level=level, plural_level=plural)
                if best:
                    break
            if best:
                i += n
                break
        if best is None:
            best = _misspelt(text, toks[i], gaz)
            if best is None:
                unknown = _unknown_in_list(text, toks, i, gaz)
                if unknown is not None:
                    matches.append(unknown)
                    while i < len(toks) and toks[i][0] < unknown.end:
                        i += 1
                    continue
                i += 1
                continue
            i += 1
        # a level word right after a bare name: "Sumy City", "Kharkiv Oblast" (not in the index)
        nxt = toks[i] if i < len(toks) else None
        if best.level is None and nxt and _adjacent(text, (0, best.end, ""), nxt):
            word = nxt[2].lower()
            if word in _LEVEL and word != "river":
                level = _LEVEL[word]
                keep = {
                    "oblast": ("O", "K"),
                    "raion": ("P",),
                    "hromada": ("H",),
                    "city": _SETTLEMENT_CATS,
                }[level]
                narrowed = {p: v for p, v in best.ukr.items() if cats[p] in keep}
                if word in _PLURAL_LEVEL:
                    best.plural_level = True
                    if narrowed:
                        best.ukr, best.level = narrowed, level
                elif narrowed:
                    best.ukr, best.level, best.end = narrowed, level, nxt[1]
                    i += 1
        best.direction = bool(_DIRECTION_AFTER.match(text[best.end : best.end + 20]))
        matches.append(best)
    return matches


_MOVE_CUE = cues.move_cue_before()
#: A loose spelling at least this similar is a place after a cue; a fainter one, down to
#: _FAINT, only with the document's support (a list, a hyphen, a governing cue).
_LOOSE = 88.0
_FAINT = cues.misspelt_similarity()
_LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|-)$", re.IGNORECASE)
_LIST_CUE_BEFORE = cues.list_cue_before()
_LIST_CUE_AFTER = cues.list_cue_after()
_LIST_EDGE_BEFORE = re.compile(r"(?:,\s*|\s(?:and|or)\s+)$")
_LIST_EDGE_AFTER = re.compile(r"^(?:\s*,|\s+(?:and|or)\s)")


def _misspelt(text: str, tok: tuple[int, int, str], gaz) -> _Match | None:
    """A capitalised unknown word right after "near", "captured", "towards": a misspelt
    place ("Shevcheko", "Konstiantynopil") if a known spelling is >= 88 % similar."""
    s0, e0, word = tok
    if len(word) < 6 or word.isupper() or not _MOVE_CUE.search(text[max(0, s0 - 25) : s0]):
        return None
    key = fold(word)
    if key in STOPWORDS or key in COMMON_WORDS:
        return None
    from rapidfuzz import fuzz, process

    pool = gaz.keys_by_initial.get(key[:1], ())
    hit = process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=88)
    if not hit:
        return None
    cats = gaz.col["category"]
    ukr = {
        p: (float(hit[1]), src)
        for p, src in gaz.lookup_key(hit[0]).items()
        if cats[p] in _SETTLEMENT_CATS
    }
    return _Match(s0, e0, ukr, None) if ukr else None


def _possessive(last: tuple[int, int, str], phrase: str):
    if _POSSESSIVE.search(last[2]):
        return [(last[1] - 2, phrase[:-2])]
    return []


_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’\-]*")


def _is_common_word(word: str, vocabulary: frozenset[str]) -> bool:
    """A common English word, or one the document itself writes in lower case."""
    return fold(word) in COMMON_WORDS or word.lower() in vocabulary


#: Surnames of people war reporting quotes all the time (``knowledge/people.txt``).
PEOPLE = cues.people()


def _reject_reason(
    text: str,
    m: _Match,
    toks_before: str,
    prev_word: str | None,
    next_word: str | None,
    gaz,
    vocabulary: frozenset[str],
) -> str | None:
    """Why a match is not a place: "formation", "media" (any match), "person",
    "organisation", "word", "weak" (settlement-only matches) — or None when it stands."""
    cats = gaz.col["category"]
    if _FORMATION_AFTER.match(text[m.end : m.end + 40]) or _FORMATION_BEFORE.search(toks_before):
        return "formation"  # "Leningrad Military District", "operational-tactical group Khortytsia"
    if _DOTTED_BRAND.match(text[m.end : m.end + 3]) or _MEDIA_AFTER.match(text[m.end : m.end + 40]):
        return "media"  # "Donbas.Realities", "The Kyiv Independent"
    if m.level or m.foreign is not None:
        return None
    big = any(cats[p] in ("O", "K", "M") for p in m.ukr)
    surface = text[m.start : m.end]
    if _STRONG_CUE.search(toks_before):
        return None
    if fold(surface) in PEOPLE:
        return "person"
    if prev_word and fold(prev_word) in _TITLES:
        return "person"
    if not big and _SPEECH_AFTER.match(text[m.end : m.end + 30]):
        return "person"
    if prev_word and _capitalised(prev_word) and fold(prev_word) not in STOPWORDS and not big:
        return "person"  # "Viktor Tryhubov", "Donald Trump"
    if next_word and _capitalised(next_word) and fold(next_word) not in STOPWORDS:
        return "organisation"  # "Azov Brigade", "Kyiv Independent"
    if surface.isupper() and len(surface) > 1:
        at_line_start = m.start == 0 or text[m.start - 1] == "\n"
        return None if at_line_start and big else "word"
    if " " not in surface and not big and _is_common_word(surface, vocabulary):
        return "word"
    if max(sim for sim, _ in m.ukr.values()) < _LOOSE:
        return "weak"  # a faint spelling ("Bilitske") stands only with the document's support
    weak = all(src in _WEAK_SOURCES or sim < 100 for sim, src in m.ukr.values())
    if weak and " " not in surface and not _CUE_BEFORE.search(toks_before):
        return "weak"  # a GeoNames alternate or loose spelling needs "in", "near", ...
    return None


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
    raw = _scan(text, start, end, gaz)
    vocabulary = frozenset(w.group() for w in _LOWER_WORD.finditer(text, start, end))
    headlines = _Headlines(text, start, end)
    kept: list[_Match] = []
    tentative: list[_Match] = []
    people: set[str] = set()
    for m in raw:
        if m.unknown:
            tentative.append(m)
            continue
        before = text[max(start, m.start - 40) : m.start]
        prev = re.search(r"([^\W\d_][\w'’\-.]*)\s$", before)
        prev_word = prev.group(1).rstrip(".") if prev and before.endswith(" ") else None
        after = re.match(r"\s([^\W\d_][\w'’\-]*)", text[m.end : m.end + 40])
        next_word = after.group(1) if after and text[m.end : m.end + 1] == " " else None
        if prev_word and _sentence_start_before(text, m.start - len(prev_word) - 1):
            # a capitalised first word of a sentence is no first name
            prev_word = prev_word if fold(prev_word) in _TITLES else None
        if headlines.title_case(m.start):
            # a title-case headline capitalises every word: no first name, no organisation
            prev_word = prev_word if prev_word and fold(prev_word) in _TITLES else None
            next_word = None
        reason = _reject_reason(text, m, before, prev_word, next_word, gaz, vocabulary)
        if reason == "person" or (reason == "formation" and _small_place(m, cats)):
            people.add(fold(text[m.start : m.end]))
        if reason == "weak":
            tentative.append(m)
        if reason:
            continue
        cue = _CUE_BEFORE.search(before)
        m.cue = "direction" if m.direction else (cue.group(0).strip() if cue else None)
        kept.append(m)
    # a word seen as somebody's (or a formation's) name is that everywhere in the document
    kept = [
        m
        for m in kept
        if m.level
        or m.foreign is not None
        or fold(text[m.start : m.end]) not in people
        or _STRONG_CUE.search(text[max(start, m.start - 40) : m.start])
        or _MOVE_CUE.search(text[max(start, m.start - 25) : m.start])
    ]
    kept = _with_support(text, kept, tentative, gaz, people)
    _propagate_plural_directions(text, kept, gaz)
    _propagate_plural_levels(text, kept, cats)
    usage = _LevelUsage(text, 0, len(text))
    return [_to_mention(text, i, kept, cats, usage) for i, m in enumerate(kept)]


_BRACKET = re.compile(r"\s*\(\s*([^\W\d_][\w'’\-]*)\s*\)\s+")


def _bracketed_name(text: str, toks: list[tuple[int, int, str]], i: int, gaz) -> _Match | None:
    """ "A (B) C", a two-word name with the other (often former) form of its first word in
    brackets: the place "A C" (or "B C"), spanning the whole."""
    s0, e0, w0 = toks[i]
    match = _BRACKET.match(text, e0)
    if not match or not _capitalised(w0):
        return None
    after = match.end()
    nxt = next((t for t in toks[i + 1 : i + 4] if t[0] == after), None)
    if nxt is None or not _capitalised(nxt[2]):
        return None
    ukr: dict[int, tuple[float, str]] = {}
    for phrase in (f"{w0} {nxt[2]}", f"{match.group(1)} {nxt[2]}"):  # either may be current
        for pid, value in _lookup_ukr(gaz, phrase, loose=True).items():
            if value[0] > ukr.get(pid, (0.0, ""))[0]:
                ukr[pid] = value
    return _Match(s0, nxt[1], ukr, None) if ukr else None


def _direction_name(
    text: str, toks: list[tuple[int, int, str]], i: int, gaz
) -> tuple[int, _Match | None] | None:
    """ "<name> direction(s)" where the name is one of ``knowledge/directions.toml``: how many
    tokens it spans and the match (None for a direction that names no place)."""
    for n in (3, 2, 1):
        if i + n > len(toks) or (
            n > 1 and not all(_adjacent(text, toks[i + k], toks[i + k + 1]) for k in range(n - 1))
        ):
            continue
        end = toks[i + n - 1][1]
        after = text[end : end + 20]
        if not (_DIRECTION_ONLY.match(after) or _DIRECTIONS_AFTER.match(after)):
            continue
        entry = cues.directions().get(fold(text[toks[i][0] : end]))
        if entry is not None:
            return n, _direction_match(toks[i][0], end, entry, gaz)
    return None


def _direction_match(start: int, end: int, entry: cues.Direction, gaz) -> _Match | None:
    """The match a direction of the table gives: its settlement, or its area's oblast."""
    if entry.place is not None:
        pid = gaz.katottg_index.get(entry.place)
        if pid is None:
            return None
        return _Match(start, end, {pid: (100.0, "direction")}, None, direction=True)
    unit = oblast_by(entry.region) if entry.region is not None else None
    if unit is not None:
        pid = gaz.katottg_index.get(gaz.oblast_katottg.get(unit.katottg_prefix, ""))
        if pid is not None:
            ukr = {pid: (100.0, "direction")}
            return _Match(start, end, ukr, None, direction=True, kind="other")
    return None


def _unknown_in_list(text: str, toks: list[tuple[int, int, str]], i: int, gaz) -> _Match | None:
    """A capitalised word (or two or three) the gazetteer lacks, standing in a list ("…,
    Rusynyi Yar, …"): kept aside in case the document supports it as a misspelt place."""
    s0, e0, word = toks[i]
    if not _name_like(word) or len(word) < 5:
        return None
    end, j = e0, i + 1
    while j < len(toks) and j < i + 3 and _adjacent(text, toks[j - 1], toks[j]):
        nxt = toks[j][2]
        if not _name_like(nxt):
            break
        if gaz.lookup_key(fold(nxt)) and _closest_key(gaz, text[s0 : toks[j][1]]) is None:
            break  # a known word that does not complete a misspelt name ("Rusynyi Yar")
        end, j = toks[j][1], j + 1
    in_list = _LIST_EDGE_BEFORE.search(text[max(0, s0 - 6) : s0]) or _LIST_EDGE_AFTER.match(
        text[end : end + 6]
    )
    return _Match(s0, end, {}, None, unknown=True) if in_list else None


def _name_like(word: str) -> bool:
    key = fold(word)
    return (
        _capitalised(word)
        and not word.isupper()
        and key not in STOPWORDS
        and key not in COMMON_WORDS
        and key not in PEOPLE
    )


def _with_support(
    text: str, kept: list[_Match], tentative: list[_Match], gaz, people: set[str]
) -> list[_Match]:
    """*kept* plus the tentative matches the document supports (see ``knowledge/cues.toml``,
    ``list_support``): members of a list (or hyphen pair) that holds an accepted Ukrainian place,
    is opened by a governing cue ("in the areas of the settlements") or closed by a plural
    ("the A and B areas"). Unknown words so supported are matched to the closest spelling."""
    if not tentative:
        return kept
    items = sorted(
        [(m, True) for m in kept] + [(m, False) for m in tentative], key=lambda t: t[0].start
    )
    chains: list[list[tuple[_Match, bool]]] = []
    for item in items:
        if chains and _LIST_GAP.match(text[chains[-1][-1][0].end : item[0].start]):
            chains[-1].append(item)
        else:
            chains.append([item])
    added: list[_Match] = []
    for chain in chains:
        if all(ok for _, ok in chain):
            continue
        first, last = chain[0][0], chain[-1][0]
        supported = (
            any(ok and m.ukr and m.foreign is None for m, ok in chain)
            or _LIST_CUE_BEFORE.search(text[max(0, first.start - 45) : first.start])
            or _LIST_CUE_AFTER.match(text[last.end : last.end + 20])
        )
        if not supported:
            continue
        for m, ok in chain:
            if ok or fold(text[m.start : m.end]) in people:
                continue
            if m.unknown:
                m = _closest(text, m, gaz)
                if m is None:
                    continue
            m.cue = "list"
            added.append(m)
    return sorted(kept + added, key=lambda m: m.start) if added else kept


def _closest_key(gaz, phrase: str) -> tuple[str, float] | None:
    """The known spelling closest to *phrase* (>= ``misspelt_similarity``), and how close."""
    from rapidfuzz import fuzz, process

    key = fold(phrase)
    pool = gaz.keys_by_initial.get(key[:1], ())
    hit = process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=_FAINT)
    return (hit[0], float(hit[1])) if hit else None


def _closest(text: str, m: _Match, gaz) -> _Match | None:
    """The settlements whose closest spelling an unknown name is (>= ``misspelt_similarity``)."""
    hit = _closest_key(gaz, text[m.start : m.end])
    if not hit:
        return None
    cats = gaz.col["category"]
    ukr = {
        p: (float(hit[1]), src)
        for p, src in gaz.lookup_key(hit[0]).items()
        if cats[p] in _SETTLEMENT_CATS
    }
    return _Match(m.start, m.end, ukr, None) if ukr else None


class _Headlines:
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
        words = [w for w in self._WORDS.findall(line) if len(w) >= 4]
        stripped = line.strip()
        if len(words) < 3 or len(stripped) > 160 or stripped.endswith((".", ":", ";", ",")):
            return False
        return sum(w[0].isupper() for w in words) >= 0.75 * len(words)

    def title_case(self, pos: int) -> bool:
        """Whether the line holding *pos* is a title-case headline."""
        from bisect import bisect_right

        j = bisect_right(self.starts, pos) - 1
        return j >= 0 and self.flags[j]


def _small_place(m: _Match, cats) -> bool:
    """A Ukrainian match that can only be a village or town (no level word, no city, no
    foreign place): a formation named after it ("OTG Khortytsia") stands for the formation
    everywhere; one named after a city ("Dnipro OSG") does not make the city a formation."""
    return m.foreign is None and not m.level and not any(cats[p] in ("O", "K", "M") for p in m.ukr)


def _sentence_start_before(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : max(0, pos)]
    return pos <= 0 or before.endswith("\n") or bool(re.search(r"[.!?…:\"“]\s*$", before))


def _propagate_plural_directions(text: str, ms: list[_Match], gaz) -> None:
    """ "the Kupiansk, Lyman and Oleksandrivka directions": every name of the list before a
    plural direction word is a direction (and, when the table knows it, its settlement)."""
    for idx, m in enumerate(ms):
        if not (m.direction and _DIRECTIONS_AFTER.match(text[m.end : m.end + 20])):
            continue
        j = idx
        while j > 0 and _LIST_GAP.match(text[ms[j - 1].end : ms[j].start]):
            prev = ms[j - 1]
            if prev.foreign is not None or prev.level:
                break
            prev.direction, prev.cue = True, "direction"
            entry = cues.directions().get(fold(text[prev.start : prev.end]))
            named = _direction_match(prev.start, prev.end, entry, gaz) if entry else None
            if named is not None:
                prev.ukr, prev.kind = named.ukr, named.kind
            j -= 1


def _propagate_plural_levels(text: str, ms: list[_Match], cats) -> None:
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


def _list_of_regions(text: str, ms: list[_Match], idx: int, cats) -> bool:
    """Part of a comma/and list of at least three bare names that are all oblast names."""

    def is_oblast_name(m: _Match) -> bool:
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


def _to_mention(text: str, idx: int, ms: list[_Match], cats, usage: _LevelUsage) -> Mention:
    m = ms[idx]
    surface = text[m.start : m.end]
    if m.kind == "river" or m.level == "river":
        return Mention(m.start, m.end, surface, "river", cue=m.cue)
    if m.kind == "other":  # an area a direction is named after ("South Slobozhanskyi")
        return Mention(
            m.start, m.end, surface, "other", candidates=tuple(m.ukr), cue=m.cue,
            similarity=tuple(v[0] for v in m.ukr.values()),
            sources=tuple(v[1] for v in m.ukr.values()),
        )  # fmt: skip
    if not m.ukr:
        return _foreign_mention(m, surface)
    if m.foreign is not None and m.level is None:
        only_villages = all(cats[p] in ("C", "X", "T") for p in m.ukr)
        if m.foreign.kind == "country" or (
            only_villages and not (m.cue and _STRONG_CUE.search(m.cue + " "))
        ):
            return _foreign_mention(m, surface)
    occupation = any(src == "occupation-name" for _, src in m.ukr.values())
    levels = {cats[p] for p in m.ukr}
    if m.level == "oblast" or (levels <= {"O", "K"} and "O" in levels):
        kind = "oblast"
    elif m.level in ("raion", "hromada"):
        kind = m.level
    elif m.level == "city":
        kind = "settlement"
    elif "O" in levels and levels & set(_SETTLEMENT_CATS):
        kind = _bare_oblast_or_city(text, idx, ms, cats, usage)
    elif levels <= {"P", "H"}:
        kind = "raion" if "P" in levels else "hromada"
    else:
        kind = "settlement"
    keep = {
        "oblast": ("O", "K"),
        "raion": ("P",),
        "hromada": ("H",),
        "settlement": _SETTLEMENT_CATS,
    }[kind]
    ids = {p: v for p, v in m.ukr.items() if cats[p] in keep} or m.ukr
    if kind == "oblast":  # Kyiv City / Sevastopol are first-level units and cities
        ids = {p: v for p, v in ids.items() if cats[p] == "O"} or ids
    elif kind == "settlement":  # "Zaporizhzhia City", "the village of X": only those kinds
        word = "city" if m.level == "city" else _settlement_word(text, m)
        if word:
            wanted = cues.settlement_categories().get(" ".join(word.lower().split()))
            ids = {p: v for p, v in ids.items() if wanted and cats[p] in wanted} or ids
    return Mention(
        m.start,
        m.end,
        surface,
        kind,
        candidates=tuple(ids),
        cue=m.cue,
        occupation_name=occupation,
        similarity=tuple(ids[p][0] for p in ids),
        sources=tuple(ids[p][1] for p in ids),
    )


def _settlement_word(text: str, m: _Match) -> str | None:
    """The settlement word introducing a mention ("city" of "the city of X"), if any."""
    match = _KIND_OF.search(text[max(0, m.start - 40) : m.start])
    return match["word"] if match else None


def _foreign_mention(m: _Match, surface: str) -> Mention:
    """A place outside Ukraine ("Kursk Oblast" with a level word is a region, not the city)."""
    f = m.foreign
    kind = f.kind if f.kind in ("country", "city", "region") else "other"
    if m.level == "oblast" and kind == "city":
        kind = "region"
    foreign = ForeignRef(f.name, f.country, kind, f.lon, f.lat)
    return Mention(m.start, m.end, surface, kind, foreign=foreign, cue=m.cue)


class _LevelUsage:
    """How a document writes names with level words, read in one pass: the names it calls
    "X oblast / region / province" and the names it calls "X City" / "the city of X"."""

    _WORD = r"[^\W\d_][\w'’ʼ\-]*"

    def __init__(self, text: str, start: int, end: int) -> None:
        region = "|".join(
            re.escape(w.text) for w in level_words("text") if w.level == "O" and w.text.isalpha()
        )
        self.region = self._names(
            re.compile(rf"((?:{self._WORD}\s+)?{self._WORD})\s+(?:{region})\b", re.I),
            text, start, end,
        )  # fmt: skip
        self.city = self._names(
            re.compile(rf"((?:{self._WORD}\s+)?{self._WORD})\s+city\b", re.I), text, start, end
        ) | self._names(
            re.compile(rf"\bcity\s+of\s+({self._WORD}(?:\s+{self._WORD})?)", re.I),
            text, start, end,
        )  # fmt: skip

    @staticmethod
    def _names(pattern: re.Pattern[str], text: str, start: int, end: int) -> frozenset[str]:
        """Folded one- and two-word names captured by *pattern* (both readings of two words)."""
        out: set[str] = set()
        for match in pattern.finditer(text, start, end):
            words = match.group(1).split()
            out.add(fold(" ".join(words)))
            out.add(fold(words[-1]) if pattern.pattern.startswith("((") else fold(words[0]))
        return frozenset(out)


def _paired_with_settlement(text: str, ms: list[_Match], idx: int, cats) -> bool:
    """Joined by a hyphen or a list to a name that can only be a settlement: then a bare
    oblast-centre name is the city too ("Orikhiv-Zaporizhzhia", "Donetsk, Kramatorsk")."""
    for j in (idx - 1, idx + 1):
        if not 0 <= j < len(ms):
            continue
        a, b = (ms[j], ms[idx]) if j < idx else (ms[idx], ms[j])
        other = ms[j]
        if other.foreign is not None or not other.ukr or other.level:
            continue
        settlement_only = all(cats[p] in _SETTLEMENT_CATS for p in other.ukr)
        if settlement_only and _LIST_GAP.match(text[a.end : b.start]):
            return True
    return False


def _bare_oblast_or_city(text: str, idx: int, ms: list[_Match], cats, usage: _LevelUsage) -> str:
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
    city_sources = {src for p, (_, src) in m.ukr.items() if cats[p] in _SETTLEMENT_CATS}
    if city_sources and city_sources <= _WEAK_SOURCES:
        return "oblast"  # "Dnipropetrovsk": the city is Dnipro now
    name = fold(text[m.start : m.end].rstrip("’'s"))
    if name in usage.region and name not in usage.city:
        return "oblast"
    return "settlement"
