"""Claimants: the claimant type of the words naming a speaker, and what pronouns refer to.

A speaker noun phrase ("Moscow's defense ministry", "spokesperson Viktor Tryhubov", "the
Ukrainian group DeepState") is classified by the ordered rules of
``knowledge/claims/claimants.toml``, by a surname of ``knowledge/people.txt``, or by a surname
registered earlier in the document ("Oleh Hlushchenko, a spokesman for the 5th Assault
Brigade, said …  Hlushchenko said …"). Pronouns ("he said", "it said", "his office") refer
to the last claimant of the right kind (a person or not) named before, within 800
characters, unless a new person has been introduced in between ("Katerina, a mother of two,
fled …  “…,” she said."). A speaker who is none of the claimant types (an envoy, a
resident, "analysts") is unknown here and credited to the reporter by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..cues import words
from ..knowledge import entries, table
from ..models import Claimant
from .lexicon import nouns_pattern, patterns, people, rx, word_set, words_pattern

__all__ = [
    "MEDIA",
    "History",
    "category",
    "classify",
    "first_claimant",
    "is_civilian",
    "is_person",
    "register",
    "surnames",
]

_WORDS = re.compile(r"[\w’'-]+")


@cache
def _rules() -> tuple[tuple[Claimant, re.Pattern[str]], ...]:
    out = []
    for i, row in enumerate(table("claims/claimants")["rule"]):
        out.append((row["claimant"], rx("claimants", f"rule.{i}.pattern")))
    return tuple(out)


#: News organisations ("according to Reuters" passes the source through).
MEDIA = re.compile(r"\b" + words_pattern(entries("claims/media")) + r"\b")
_CLAIMANT_PATTERNS = patterns("claimants")
_PERSON_WORDS = words("titles") | word_set("person_nouns")
_TITLE = re.compile(r"\b" + words_pattern(_PERSON_WORDS) + r"\b", re.IGNORECASE)
_NOT_NAME = word_set("organisation_words") | _PERSON_WORDS
_CIVILIAN = re.compile(nouns_pattern(entries("claims/civilians")), re.IGNORECASE)
_APPOSITIVE_END = re.compile(r"[,.;:!?“”\"]")


@dataclass(slots=True)
class History:
    """The claimants named so far in a document: what pronouns and surnames refer to."""

    doc: str = ""
    entries: list[tuple[int, Claimant, bool, str]] = field(default_factory=list)
    names: dict[str, Claimant] = field(default_factory=dict)

    def last(self, pos: int, *, person: bool | None) -> tuple[Claimant, str] | None:
        """The claimant a pronoun at ``pos`` refers to (None when unclear)."""
        for p, cat, is_person, text in reversed(self.entries):
            if p > pos:
                continue
            if pos - p > 800:
                return None
            if person is None or is_person == person:
                if person and _CLAIMANT_PATTERNS["new_person"].search(self.doc, p + len(text), pos):
                    return None  # "Katerina, a mother of two, fled …  “…,” she said."
                return cat, text
        return None

    def introduced(self, pos: int) -> str | None:
        """The words introducing the last new person named before ``pos`` (within 800
        characters): "mother of two" for "Katerina, a mother of two, …"."""
        last = None
        for m in _CLAIMANT_PATTERNS["new_person"].finditer(self.doc, max(0, pos - 800), pos):
            last = m
        if last is None:
            return None
        end = _APPOSITIVE_END.search(self.doc, last.end(), pos)
        return self.doc[last.end() : end.start() if end else pos]

    def last_matching(self, pos: int, pattern: re.Pattern[str]) -> tuple[Claimant, str] | None:
        """The last claimant before ``pos`` whose words match *pattern* (within 1,500 chars)."""
        for p, cat, _, text in reversed(self.entries):
            if p <= pos and pos - p <= 1500 and pattern.search(text):
                return cat, text
        return None


@lru_cache(maxsize=1 << 14)
def category(np: str) -> Claimant | None:
    """The claimant type the rules give noun phrase *np* (None: no rule matches); kept per
    phrase, as reporting names the same few claimants again and again ("Russian forces", "the
    General Staff") and trying every rule costs about 50 µs."""
    for cat, rule in _rules():
        if rule.search(np):
            if cat == "ukrainian_officials" and MEDIA.search(np):
                continue  # "the Kyiv Independent"
            return cat
    return None


def surnames(np: str) -> list[str]:
    """Surnames in a noun phrase: the last of two or more capitalised words that are not titles
    or organisation words ("Captain Oleksandr Marchenko" -> Marchenko)."""
    out = []
    for m in _CLAIMANT_PATTERNS["name_run"].finditer(np):
        names = [w for w in m.group(0).split() if w.lower().strip("’'") not in _NOT_NAME]
        if len(names) >= 2:
            out.append(names[-1])
    return out


@lru_cache(maxsize=1 << 14)
def is_person(np: str) -> bool:
    """Whether *np* names a person (a title or role, a first and last name, "he", "she"); kept
    per phrase, like :func:`category`."""
    return bool(_TITLE.search(np) or surnames(np)) or np.lower() in ("he", "she")


def _pronoun(np: str, pos: int, hist: History) -> tuple[Claimant | None, bool]:
    low = np.lower()
    if low in ("he", "she") or low.startswith(("his", "her")):
        found = hist.last(pos, person=True)
    elif low == "it" or low.startswith("its"):
        found = hist.last(pos, person=False) or hist.last(pos, person=None)
    else:
        found = hist.last(pos, person=None)
    if found is None and low.startswith(("his", "her", "its")):
        return None, False  # resolved by the caller from the sentence ("Zelensky …, his office")
    return (found[0] if found else None), low in ("he", "she")


def _known_name(np: str, hist: History) -> Claimant | None:
    known = people()
    for w in reversed(_WORDS.findall(np.lower())):
        if w in hist.names:
            return hist.names[w]
        if known.get(w):
            return known[w]
    return None


def _referring(np: str, pos: int, hist: History, person: bool) -> tuple[Claimant | None, bool]:
    """A phrase that names no claimant itself ("the ministry", "the footage", "the military")."""
    if _CLAIMANT_PATTERNS["bare_ministry"].match(np):
        found = hist.last_matching(pos, _CLAIMANT_PATTERNS["ministry_antecedent"])
        return (found[0] if found else None), False
    if _CLAIMANT_PATTERNS["footage_subject"].match(np):
        found = hist.last_matching(pos, _CLAIMANT_PATTERNS["footage_antecedent"])
        return (found[0] if found else None), False
    if _CLAIMANT_PATTERNS["commentators"].search(np):
        return None, person
    if _CLAIMANT_PATTERNS["generic_military"].match(np):
        found = hist.last_matching(pos, _CLAIMANT_PATTERNS["military_antecedent"])
        if found and found[0] in ("russian_mod", "ukrainian_military"):
            return found[0], person
        return "ukrainian_military", person
    if _CLAIMANT_PATTERNS["generic_russia"].search(np):
        return "russian_officials", person
    return None, person


def classify(np: str, pos: int, hist: History) -> tuple[Claimant | None, bool]:
    """The claimant type of speaker noun phrase *np* at offset *pos* (None: an unknown speaker
    or a news organisation) and whether it is a person.

    Examples
    --------
    >>> classify("Moscow's defense ministry", 0, History())
    ('russian_mod', False)
    >>> classify("spokesperson Viktor Tryhubov", 0, History())
    ('ukrainian_military', True)
    """
    np = np.strip()
    if not np:
        return None, False
    if _CLAIMANT_PATTERNS["pronoun"].match(np):
        return _pronoun(np, pos, hist)
    person = is_person(np)
    cat = category(np)
    if cat is not None:
        return cat, person
    known = _known_name(np, hist)
    if known is not None:
        return known, True
    if MEDIA.search(np):
        return None, False
    return _referring(np, pos, hist, person)


def is_civilian(np: str, pos: int, hist: History) -> bool:
    """Whether the speaker *np* at offset *pos*, who is none of the claimant types, is a private
    person: "a local resident", "villagers", or "she" after "Katerina, a mother of two, …"."""
    if np.lower() in ("he", "she"):
        introduced = hist.introduced(pos)
        return introduced is not None and bool(_CIVILIAN.search(introduced))
    return bool(_CIVILIAN.search(np))


def register(np: str, cat: Claimant, hist: History) -> None:
    """Remember the surnames of *np* as naming claimant *cat* ("Hlushchenko said")."""
    for name in surnames(np):
        hist.names.setdefault(name.lower(), cat)


def first_claimant(text: str, lo: int, hi: int) -> tuple[Claimant, int, int] | None:
    """The earliest claimant named in ``text[lo:hi]`` (the subject of a trailing participle)."""
    best: tuple[int, Claimant, int] | None = None
    for cat, rule in [*_rules(), ("russian_officials", _CLAIMANT_PATTERNS["generic_russia"])]:
        m = rule.search(text, lo, hi)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), cat, m.end())
    return (best[1], best[0], best[2]) if best else None
