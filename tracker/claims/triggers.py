"""Event triggers: the words saying that something happened, and the event each names.

The triggers are the patterns of ``knowledge/claims/triggers.toml``, tried in file order at
each word (the first that matches wins). Scanning a document with one pattern of sixty
alternatives at every character is slow, so each word is first looked up in a prefilter
computed from the patterns themselves (the word prefixes a trigger can start with,
:func:`tracker.claims.lexicon.literal_prefixes`): only the triggers that can start with that
word are tried there, which finds exactly what a full scan finds.

Decisions worth knowing:

* Event labels take the map's point of view: "captured" is a change to Russian control and
  "liberated" a return to the side that held the place before. The Russian Defence Ministry's
  "liberated" (its word for a capture) is read as "captured" when the claimant or the actor is
  Russian; "Ukrainian forces withdrew from X" and "the loss of X" are "captured". Status words
  count too ("Russian-occupied", "held by Russia", "under Russian control").
* Attempts ("tried to advance", "attempting to force its way into", "pushing to cross into") and
  ISW's ground attacks ("attacked near/toward X") are "advancing"; strikes, shelling, drones and
  missiles are "attacked". A repulse absorbs the attack it repels ("repelled 17 Russian attacks
  near X", "counterattacks near X had been repelled" are one "repelled" claim). Averted events
  ("to avoid encirclement") are skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..knowledge import read_text, table
from ..models import Claimant, Event
from .lexicon import Prefix, inflect, literal_prefixes, patterns, trigger_rules
from .sentences import Span, clause_start

__all__ = [
    "COMBAT_NOUNS",
    "RUSSIAN_SIDE",
    "TRIGGERS",
    "TRIGGER_INFO",
    "TRIGGER_WORD",
    "Trigger",
    "TriggerMatcher",
    "event_of",
    "has_trigger",
    "is_combat_noun",
    "keep_trigger",
    "merge_repulses",
    "side",
    "trigger_matcher",
    "trigger_matches",
    "trigger_prefixes",
    "trigger_re",
]

#: (event, flag, pattern) in priority order: at one position the first that matches wins.
TRIGGERS = trigger_rules()
_START = r"(?<![\w'’-])"  # a trigger starts a word, never inside a hyphenated one ("anti-drone")


def _alternatives(indices: tuple[int, ...]) -> str:
    return "|".join(rf"(?P<t{i}>{_START}(?:{TRIGGERS[i][2]}))" for i in indices)


@cache
def trigger_re() -> re.Pattern[str]:
    """Every trigger in one pattern (what the prefilter must agree with; compiled on first
    use, as it takes longer than the rest of a one-line parse's start).

    Examples
    --------
    >>> trigger_re().search("Russian troops captured Pishchane").group(0)
    'captured'
    """
    return re.compile(_alternatives(tuple(range(len(TRIGGERS)))), re.IGNORECASE)


#: Group name -> (event, flag).
TRIGGER_INFO = {f"t{i}": (event, flag) for i, (event, flag, _) in enumerate(TRIGGERS)}
#: Claimant types on the Russian side.
RUSSIAN_SIDE: frozenset[Claimant] = frozenset({"russian_mod", "russian_officials"})
#: Combat nouns and their plurals: a trigger ending in one needs a place of its own.
COMBAT_NOUNS = frozenset(
    form
    for word in table("claims/triggers")["combat_nouns"]["words"]
    for form in inflect(word, ("base", "s"))
)
_LAST_WORD = re.compile(r"[\w’'-]+$")


@dataclass(frozen=True, slots=True)
class _Prefilter:
    exact: dict[str, tuple[int, ...]]  # whole words
    by_key: dict[str, tuple[tuple[str, int], ...]]  # first three letters -> (prefix, trigger)
    short: tuple[tuple[str, int], ...]  # prefixes of one or two letters
    always: tuple[int, ...]  # triggers that may start with any word


#: The triggers' literal prefixes as shipped (``make knowledge`` writes them; a file made from
#: other patterns than :data:`TRIGGERS` is not used, see :func:`trigger_prefixes`)
PREFIXES_FILE = "claims/trigger_prefixes.json"


def trigger_prefixes(*, stored: bool = True) -> list[tuple[Prefix, ...] | None]:
    """:func:`~tracker.claims.lexicon.literal_prefixes` of every trigger, in order.

    Parsing sixty patterns takes a quarter of a one-line parse's start, so the answer ships
    with the knowledge (:data:`PREFIXES_FILE`, with the sha256 of the patterns it was made
    from) and is computed here only when that file is missing or was made from other
    patterns (*stored* False: always computed).

    Examples
    --------
    >>> trigger_prefixes() == trigger_prefixes(stored=False)
    True
    """
    if stored:
        try:
            data = json.loads(read_text(PREFIXES_FILE))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and data.get("sha256") == _patterns_sha256():
            return [
                None if row is None else tuple((str(p), bool(w)) for p, w in row)
                for row in data["prefixes"]
            ]
    return [literal_prefixes(pattern) for _, _, pattern in TRIGGERS]


def prefixes_file_text() -> str:
    """The text of :data:`PREFIXES_FILE` for the current triggers (``make knowledge``)."""
    computed = trigger_prefixes(stored=False)
    rows = [None if row is None else [list(x) for x in row] for row in computed]
    body = ",\n".join(f"  {json.dumps(row, ensure_ascii=False)}" for row in rows)
    return (
        f'{{"comment": "made by `make knowledge` from knowledge/claims/triggers.toml",\n'
        f' "sha256": "{_patterns_sha256()}",\n "prefixes": [\n{body}\n]}}\n'
    )


def _patterns_sha256() -> str:
    return hashlib.sha256("\0".join(p for _, _, p in TRIGGERS).encode("utf-8")).hexdigest()


@cache
def _prefilter() -> _Prefilter:
    exact: dict[str, list[int]] = {}
    by_key: dict[str, list[tuple[str, int]]] = {}
    short: list[tuple[str, int]] = []
    always: list[int] = []
    for i, prefixes in enumerate(trigger_prefixes()):
        if prefixes is None:
            always.append(i)
            continue
        for prefix, whole in prefixes:
            if whole:
                exact.setdefault(prefix, []).append(i)
            elif len(prefix) < 3:
                short.append((prefix, i))
            else:
                by_key.setdefault(prefix[:3], []).append((prefix, i))
    return _Prefilter(
        {k: tuple(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in by_key.items()},
        tuple(short),
        tuple(always),
    )


@cache
def _single(i: int) -> re.Pattern[str]:
    return re.compile(_alternatives((i,)), re.IGNORECASE)


class TriggerMatcher:
    """The triggers that can start with one word (their indices in :data:`TRIGGERS`, in
    priority order), tried one after the other at a position: the first that matches is what
    one pattern of them all as alternatives matches there. Each trigger is compiled once,
    when a word first needs it (a pattern per set of triggers compiled a hundred patterns of a
    long document, a fifth of the claims' time)."""

    __slots__ = ("indices",)

    def __init__(self, indices: tuple[int, ...]) -> None:
        self.indices = indices

    def __repr__(self) -> str:
        return f"TriggerMatcher({self.indices!r})"

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """The match of the first trigger that matches ``text`` at *pos* (before *endpos*),
        or None; its ``lastgroup`` is ``"t<index>"``, as in :func:`trigger_re`."""
        for i in self.indices:
            m = _single(i).match(text, pos, endpos)
            if m is not None:
                return m
        return None


@lru_cache(maxsize=1 << 16)
def trigger_matcher(word: str) -> TriggerMatcher | None:
    """The triggers that can start with *word* (lower case), or None.

    Examples
    --------
    >>> trigger_matcher("captured").match("captured Pishchane").group(0)
    'captured'
    >>> trigger_matcher("the") is None
    True
    """
    pre = _prefilter()
    found = set(pre.exact.get(word, ()))
    found.update(i for p, i in pre.by_key.get(word[:3], ()) if word.startswith(p))
    found.update(i for p, i in pre.short if word.startswith(p))
    found.update(pre.always)
    return TriggerMatcher(tuple(sorted(found))) if found else None


#: A word where a trigger may start: the prefilter asks :func:`trigger_matcher` of its lower case.
TRIGGER_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def has_trigger(text: str) -> bool:
    """Whether some trigger matches in *text*: what ``trigger_re().search(text)`` tells, trying
    only the triggers each word can start (compiling every trigger as one pattern took as long
    as the rest of the claims of a news article).

    Examples
    --------
    >>> has_trigger("the village was captured on Monday"), has_trigger("the village")
    (True, False)
    """
    for w in TRIGGER_WORD.finditer(text):
        matcher = trigger_matcher(w.group().lower())
        if matcher is not None and matcher.match(text, w.start()) is not None:
            return True
    return False


def trigger_matches(
    text: str, end: int, candidates: list[tuple[int, TriggerMatcher]]
) -> list[re.Match[str]]:
    """The trigger matches at the candidate word starts, left to right, not overlapping (what
    ``trigger_re().finditer`` finds)."""
    out: list[re.Match[str]] = []
    done = -1
    for pos, pattern in candidates:
        if pos < done:
            continue
        m = pattern.match(text, pos, end)
        if m is not None:
            out.append(m)
            done = m.end()
    return out


@dataclass(slots=True)
class Trigger:
    """An event word kept in a sentence, and the places given to it; ``noun``: a combat noun
    ("the attacks"), which is an event only about a place of its own sentence."""

    start: int
    end: int
    event: Event
    flag: str
    places: list[Span] = field(default_factory=list)
    noun: bool = False


def is_combat_noun(words: str) -> bool:
    """Whether trigger *words* end in a combat noun ("drone attack", "offensive").

    Examples
    --------
    >>> is_combat_noun("missile attacks"), is_combat_noun("attacked")
    (True, False)
    """
    last = _LAST_WORD.search(words)
    return last is not None and last.group(0).lower() in COMBAT_NOUNS


_SYNTAX = patterns("syntax")
_TRIGGER_PATTERNS = patterns("triggers")


def side(text: str, lo: int, hi: int) -> str | None:
    """``"ru"`` or ``"ua"``: the side named last in ``text[lo:hi]`` (None: neither)."""
    found = None
    for m in _SYNTAX["side"].finditer(text, lo, hi):
        found = "ru" if m.group("ru") else "ua"
    return found


def _keep_control(text: str, ss: int, m: re.Match[str], before: str, after: str) -> bool:
    word = m.group(0).lower()
    if _TRIGGER_PATTERNS["control_skip_before"].search(before):
        return False
    bare = word.startswith("control")
    if bare and not (
        _TRIGGER_PATTERNS["control_np_after"].match(after)
        or _TRIGGER_PATTERNS["control_before_ok"].search(before)
    ):
        return False
    if _TRIGGER_PATTERNS["control_by_ukraine"].match(after) or _TRIGGER_PATTERNS[
        "ukrainian_before"
    ].search(before):
        return False
    s = m.start()
    return side(text, clause_start(text, ss, s), s) != "ua" or word.startswith("los")


def keep_trigger(text: str, ss: int, se: int, m: re.Match[str], flag: str) -> str | None:
    """None to drop the trigger match *m* of the sentence ``text[ss:se]``, else its flag."""
    s, e = m.start(), m.end()
    before = text[max(ss, s - 40) : s]
    after = text[e : min(se, e + 60)]
    if _TRIGGER_PATTERNS["averted"].search(before):
        return None  # "withdrew … to avoid encirclement", "fears of an offensive"
    if flag == "control" and not _keep_control(text, ss, m, before, after):
        return None
    if flag == "flee" and _TRIGGER_PATTERNS["military_subject"].search(before):
        return None  # "the enemy fled": a retreat, not an evacuation
    if flag == "capture" and _TRIGGER_PATTERNS["capture_not_place"].match(after):
        return None
    if flag == "push" and (
        _TRIGGER_PATTERNS["peace_before"].search(before)
        or _TRIGGER_PATTERNS["peace_after"].match(after)
    ):
        return None  # "the U.S. peace push", "a push for talks"
    return flag


def _absorbs(text: str, prev: Trigger, t: Trigger) -> bool:
    """A repulse followed by the attack it repels ("repelled 17 Russian attacks near X")."""
    return (
        prev.event == "repelled"
        and t.event in ("advancing", "attacked")
        and t.start - prev.end < 50
        and not _TRIGGER_PATTERNS["repulse_gap"].search(text[prev.end : t.start])
    )


def _replaces(text: str, prev: Trigger, t: Trigger) -> bool:
    """An attack followed by its repulse ("counterattacks near Maliivka had been repelled",
    "counterattacks had pushed Russian forces out of …")."""
    if t.event != "repelled":
        return False
    if (
        prev.event in ("advancing", "attacked")
        and t.start - prev.end < 60
        and _TRIGGER_PATTERNS["passive_repulse"].search(text, prev.end, t.start)
    ):
        return True
    return (
        prev.event == "advancing"
        and t.start - prev.end < 30
        and _SYNTAX["aux_only"].fullmatch(text, prev.end, t.start) is not None
    )


def merge_repulses(text: str, triggers: list[Trigger]) -> list[Trigger]:
    """*triggers* with each repulse and the attack it repels made one "repelled" trigger."""
    merged: list[Trigger] = []
    for t in triggers:
        if merged and _absorbs(text, merged[-1], t):
            continue
        if merged and _replaces(text, merged[-1], t):
            merged[-1] = t
            continue
        merged.append(t)
    return merged


def event_of(text: str, ss: int, t: Trigger, claimant: Claimant) -> Event:
    """The event of trigger *t* once its claimant is known (flags that depend on who acts)."""
    if t.flag == "attempt":
        return "advancing"
    if t.flag == "liberate":
        lo = clause_start(text, ss, t.start)
        if claimant in RUSSIAN_SIDE or side(text, lo, t.start) == "ru":
            return "captured"
    elif t.flag == "withdraw":
        lo = clause_start(text, ss, t.start)
        if side(text, max(ss, lo - 60), t.start) == "ru":
            return "liberated"
    elif t.flag == "flag" and _TRIGGER_PATTERNS["ukrainian"].search(text[t.start : t.end]):
        return "liberated"
    return t.event
