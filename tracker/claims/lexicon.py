"""The claims stage's knowledge, typed: read once from ``tracker/knowledge/claims/``.

The rules of the stage are code; what they know about English and about the war (trigger
words, speech verbs and their stances, claimant names, the words around a noun phrase) is
data, read here through :mod:`tracker.knowledge`. Three things are generated rather than
listed:

* inflections: ``{capture}`` in a pattern stands for every form of the verb (capture, captures,
  captured, capturing), ``{strike:ed}`` for some of them (struck), by English spelling rules
  and the exceptions of ``spelling.toml`` (:func:`inflect`);
* the surnames of ``people.txt`` with a role: ``{people:ukrainian_military}`` (:func:`people`);
* the word prefixes a pattern can start with, which make the scan of a document cheap
  (:func:`literal_prefixes`).

Examples
--------
>>> inflect("capture")
('capture', 'captures', 'captured', 'capturing')
>>> inflect("strike", ("ed", "ing"))
('struck', 'striking')
>>> expand("{repel}", {})
'(?:repelling|repelled|repels|repel)'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from types import MappingProxyType
from typing import Any, cast, get_args

from ..knowledge import entries, table
from ..models import Claimant, Event, Stance
from ..names import fold

__all__ = [
    "FORMS",
    "Prefix",
    "expand",
    "inflect",
    "literal_prefixes",
    "nouns_pattern",
    "patterns",
    "people",
    "rx",
    "stance_of_verb",
    "text",
    "trigger_rules",
    "word_set",
    "words_pattern",
]

#: The forms :func:`inflect` can make: base, third person -s, past, past participle, -ing.
FORMS = ("base", "s", "ed", "en", "ing")
_VOWELS = frozenset("aeiou")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)(?::([a-z_+]+))?\}")
#: A word prefix a pattern must start with, and whether it must be the whole word.
Prefix = tuple[str, bool]


def _data(name: str) -> Mapping[str, Any]:
    return table(f"claims/{name}")


def text(name: str, key: str) -> str:
    """The string *key* (dotted path) of ``claims/<name>.toml``; a list of parts is joined."""
    value: Any = _data(name)
    for part in key.split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    if isinstance(value, tuple):
        value = "".join(value)
    if not isinstance(value, str):
        raise TypeError(f"`key` {key!r} of claims/{name}.toml is not a string or list of strings")
    return value


# -- inflections -------------------------------------------------------------------------


@cache
def _spelling() -> tuple[frozenset[str], Mapping[str, tuple[str, str]], Mapping[str, str]]:
    data = _data("spelling")
    irregular = {verb: (forms[0], forms[1]) for verb, forms in data["irregular"].items()}
    return frozenset(data["double"]), MappingProxyType(irregular), data["plural"]


def _form(verb: str, form: str) -> str:
    double, irregular, plural = _spelling()
    if form == "base":
        return verb
    if form == "s":
        if verb in plural:
            return plural[verb]
        if verb.endswith(("s", "x", "z", "ch", "sh")):
            return verb + "es"
        if verb.endswith("y") and verb[-2:-1] not in _VOWELS:
            return verb[:-1] + "ies"
        return verb + "s"
    if form in ("ed", "en"):
        if verb in irregular:
            return irregular[verb][form == "en"]
        if verb.endswith("e"):
            return verb + "d"
        if verb.endswith("y") and verb[-2:-1] not in _VOWELS:
            return verb[:-1] + "ied"
        return verb + verb[-1] + "ed" if verb in double else verb + "ed"
    if form == "ing":
        if verb.endswith("ie"):
            return verb[:-2] + "ying"
        if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
            return verb[:-1] + "ing"
        return verb + verb[-1] + "ing" if verb in double else verb + "ing"
    raise ValueError(f"inflection form {form!r} is unknown; expected one of {FORMS}")


def inflect(verb: str, forms: Iterable[str] = FORMS) -> tuple[str, ...]:
    """The forms of *verb* (lower case), without repeats, in the order of *forms* ("s" is also
    a noun's plural: ``inflect("woman", ("base", "s"))`` is ``("woman", "women")``)."""
    return tuple(dict.fromkeys(_form(verb, f) for f in forms))


def nouns_pattern(nouns: Iterable[str]) -> str:
    """An alternation matching any of *nouns* or their plurals, as whole words."""
    return r"\b" + _alternation(f for n in nouns for f in inflect(n, ("base", "s"))) + r"\b"


# -- patterns ----------------------------------------------------------------------------


def _alternation(items: Iterable[str]) -> str:
    """``(?:a|b|c)``, longest first, so that a longer word is never cut short."""
    return "(?:" + "|".join(sorted(set(items), key=lambda s: (-len(s), s))) + ")"


def expand(pattern: str, defines: Mapping[str, str]) -> str:
    """*pattern* with its placeholders replaced: ``{NAME}`` from *defines*, ``{verb}`` and
    ``{verb:forms}`` by the inflections, ``{people:role}`` by the surnames with that role."""

    def one(m: re.Match[str]) -> str:
        name, arg = m.group(1), m.group(2)
        if name.isupper():
            if name not in defines:
                raise KeyError(f"placeholder {{{name}}} is not defined in [define]")
            return expand(defines[name], defines)
        if name == "people":
            names = [n for n, role in people().items() if role == arg]
            if not names:
                raise KeyError(f"no people with role {arg!r} in people.txt")
            return r"\b" + _alternation(re.escape(n) for n in names) + r"\b"
        forms = arg.split("+") if arg else FORMS
        return _alternation(inflect(name, forms))

    return _PLACEHOLDER.sub(one, pattern)


@cache
def _defines(name: str) -> Mapping[str, str]:
    data = _data(name)
    out = {k: "".join(v) if isinstance(v, tuple) else v for k, v in data.get("define", {}).items()}
    if name != "triggers":
        for k, v in _defines("triggers").items():
            out.setdefault(k, v)
    return MappingProxyType(out)


@cache
def rx(name: str, key: str, *, cased: bool = False) -> re.Pattern[str]:
    """The pattern *key* of ``claims/<name>.toml``, expanded (:func:`expand`) and compiled
    (case-insensitively unless *cased*)."""
    flags = 0 if cased else re.IGNORECASE
    return re.compile(expand(text(name, key), _defines(name)), flags)


class _Patterns(dict[str, re.Pattern[str]]):
    """The patterns of one file, each compiled the first time it is asked for (compiling all
    of them took a third of the start of a one-line parse); a pattern once compiled is a
    plain dict entry. Iterating gives every key, compiled or not."""

    def __init__(self, name: str, sections: dict[str, tuple[str, bool]]) -> None:
        super().__init__()
        self._name = name
        self._sections = sections  # key -> (section, cased)

    def __missing__(self, key: str) -> re.Pattern[str]:
        section, cased = self._sections[key]
        got = self[key] = rx(self._name, f"{section}.{key}", cased=cased)
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._sections)

    def __len__(self) -> int:
        return len(self._sections)

    def __contains__(self, key: object) -> bool:
        return key in self._sections

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[key] if key in self._sections else default


@cache
def patterns(name: str) -> Mapping[str, re.Pattern[str]]:
    """Every pattern of ``claims/<name>.toml``: those of ``[patterns]`` compiled
    case-insensitively, those of ``[patterns_cased]`` as written (a key is in one of them);
    each is compiled on first use."""
    data = _data(name)
    sections: dict[str, tuple[str, bool]] = {}
    for section, cased in (("patterns", False), ("patterns_cased", True)):
        for key in data.get(section, {}):
            if key in sections:
                raise KeyError(f"claims/{name}.toml: pattern {key!r} is in both sections")
            sections[key] = (section, cased)
    return _Patterns(name, sections)


def words_pattern(words: Iterable[str]) -> str:
    """An alternation matching any of *words* as written (a space matches any white space, a
    hyphen a hyphen or a space: "open-source map" is also "open source map")."""
    return _alternation(
        r"\s+".join(re.escape(w).replace(r"\-", r"[-\s]") for w in word.split()) for word in words
    )


@cache
def word_set(name: str) -> frozenset[str]:
    """The entries of ``claims/<name>.txt`` folded (:func:`tracker.names.fold`)."""
    return frozenset(fold(w) for w in entries(f"claims/{name}"))


# -- typed tables ------------------------------------------------------------------------


@cache
def people() -> Mapping[str, Claimant | None]:
    """Surname (lower case) -> the claimant type their words are credited to (None: nobody's,
    the reporter's), from ``people.txt``."""
    roles = set(get_args(Claimant))
    out: dict[str, Claimant | None] = {}
    for entry in entries("people"):
        surname, role = entry.split()
        if role != "other" and role not in roles:
            raise ValueError(f"people.txt: role {role!r} of {surname!r} is not a claimant type")
        out[surname.lower()] = None if role == "other" else cast(Claimant, role)
    return MappingProxyType(out)


@cache
def stance_of_verb() -> Mapping[str, Stance]:
    """Every attribution verb form (lower case) -> the stance it gives (``stances.toml``)."""
    stances = set(get_args(Stance))
    out: dict[str, Stance] = {}
    for stance, verbs in _data("stances")["verbs"].items():
        if stance not in stances:
            raise ValueError(f"stances.toml: {stance!r} is not a stance")
        for verb, forms in verbs.items():
            for word in inflect(verb, forms.split()):
                out[word] = cast(Stance, stance)
    return MappingProxyType(out)


@cache
def trigger_rules() -> tuple[tuple[Event, str, str], ...]:
    """``(event, flag, pattern)`` of every trigger of ``triggers.toml``, in priority order."""
    events = set(get_args(Event))
    out = []
    for i, row in enumerate(_data("triggers")["trigger"]):
        if row["event"] not in events:
            raise ValueError(f"triggers.toml: trigger {i} has unknown event {row['event']!r}")
        pattern = row["pattern"]
        joined = "".join(pattern) if isinstance(pattern, tuple) else pattern
        out.append(
            (cast(Event, row["event"]), row.get("flag", ""), expand(joined, _defines("triggers")))
        )
    return tuple(out)


# -- prefixes ----------------------------------------------------------------------------

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz'’-")
_MAX_STATES = 400
_State = tuple[str, bool, bool]  # prefix, still open, whole word


def _close(states: set[_State], whole: bool = False) -> set[_State]:
    return {(p, False, w if not o else whole) for p, o, w in states}


def _literal(states: set[_State], chars: Iterable[str]) -> set[_State]:
    out: set[_State] = set()
    for p, is_open, w in states:
        if not is_open:
            out.add((p, is_open, w))
            continue
        for ch in chars:
            ch = ch.lower()
            if ch in _WORD_CHARS:
                out.add((p + ch, True, False))
            else:
                out.add((p, False, ch.isspace()))
    return out


def _walk(items: Iterable[tuple[Any, Any]], states: set[_State]) -> set[_State]:
    """The prefixes after matching *items* (a parsed regular expression) from *states*."""
    for op, av in items:
        if not any(o for _, o, _ in states) or len(states) > _MAX_STATES:
            break
        states = _step(op, av, states)
    return states


def _step(op: Any, av: Any, states: set[_State]) -> set[_State]:
    handler = _STEPS.get(op)
    if handler is not None:
        return handler(av, states)
    return _close(states)  # any character, a class, a back-reference: the word goes on unknown


def _in(av: Any, states: set[_State]) -> set[_State]:
    if av == [(sre.CATEGORY, sre.CATEGORY_SPACE)]:
        return _close(states, whole=True)
    if all(op == sre.LITERAL for op, _ in av) and len(av) <= 4:
        return _literal(states, [chr(c) for _, c in av])
    return _close(states)


def _branch(av: Any, states: set[_State]) -> set[_State]:
    out: set[_State] = set()
    for alt in av[1]:
        out |= _walk(alt, set(states))
    return out


def _repeat(av: Any, states: set[_State]) -> set[_State]:
    low, _, item = av
    once = {(p, False, w) for p, o, w in _walk(item, set(states))}  # a second round: unknown
    return (states | once) if low == 0 else once


_STEPS: dict[Any, Callable[[Any, set[_State]], set[_State]]] = {
    sre.LITERAL: lambda av, states: _literal(states, [chr(av)]),
    sre.IN: _in,
    sre.BRANCH: _branch,
    sre.SUBPATTERN: lambda av, states: _walk(av[3], states),
    sre.MAX_REPEAT: _repeat,
    sre.MIN_REPEAT: _repeat,
    sre.POSSESSIVE_REPEAT: _repeat,
    sre.ASSERT: lambda av, states: states,  # look-arounds consume nothing
    sre.ASSERT_NOT: lambda av, states: states,
    sre.AT: lambda av, states: _close(states),
}


def literal_prefixes(pattern: str) -> tuple[Prefix, ...] | None:
    """The lower-case word prefixes every match of *pattern* starts with, each with whether it
    must be the whole word (it is followed by white space); None when a match can start with
    any word.

    A word is a run of letters, apostrophes and hyphens; the answer is sound (a match never
    starts with a word outside it) but not tight.

    Examples
    --------
    >>> literal_prefixes(r"(?:were|was)\\s+stopped")
    (('was', True), ('were', True))
    >>> literal_prefixes(r"captur(?:e|ed)\\b")
    (('capture', False),)
    """
    states = _walk(sre_parse.parse(pattern, re.IGNORECASE), {("", True, False)})
    if len(states) > _MAX_STATES or any(p == "" for p, _, _ in states):
        return None
    found = {(p, w and not o) for p, o, w in states}
    starts = {p for p, w in found if not w}
    return tuple(
        sorted(
            (p, w) for p, w in found if not any(p.startswith(q) and (q != p or w) for q in starts)
        )
    )
