"""Attribution frames: who says what a sentence reports, with which verb, and where.

A frame is an attribution found in a sentence: the subject of a speech or report verb
("Moscow's defense ministry had previously claimed", "…, the General Staff said", "said
Kremlin spokesperson Dmitry Peskov", "Dmitry Medvedev, Russia's former president …,
indicated"), "according to X", "citing X", "X's claim", "X released footage", "there is no
confirmation". Its claimant comes from :mod:`tracker.claims.claimants`. A quotation's
speaker is the frame right after its closing mark or before its opening one, and carries over
to the next quotation ("“…,” she said. “…”"). :func:`governing` picks the frame a trigger is
reported by.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..knowledge import table
from ..models import Claimant, Stance
from .claimants import MEDIA, History, classify, first_claimant, is_civilian, register
from .lexicon import inflect, literal_prefixes, patterns, stance_of_verb, words_pattern
from .lexicon import text as lex_text
from .sentences import Span
from .triggers import has_trigger

__all__ = ["SPEECH_KEYS", "SPEECH_RE", "Frame", "frames", "governing", "quote_speaker"]

STANCE_OF_VERB = stance_of_verb()


def _speech_pattern() -> str:
    data = table("claims/stances")["attribution"]
    according = "|".join(words_pattern([p]) for p in data["according"])
    verbs = "|".join(sorted(STANCE_OF_VERB, key=len, reverse=True))
    media = "|".join(inflect(v, ("ed",))[0] for v in data["media_verbs"])
    objects = words_pattern(
        [f for w in data["media_objects"] for f in inflect(w, ("base", "s"))]
        + list(data["media_uncountable"])
    )
    nconf = lex_text("stances", "patterns.no_confirmation")
    return (
        rf"(?<![\w'’-])(?:(?P<acc>{according})\s+|(?P<verb>{verbs})\b|"
        rf"(?P<media>(?:{media})\s+(?:\w+\s+)?{objects})\b|(?P<nconf>{nconf}))"
    )


#: Every attribution: "according to" phrases, speech verbs, pictures released, no confirmation.
SPEECH_RE = re.compile(_speech_pattern(), re.IGNORECASE)


def _speech_keys() -> frozenset[str]:
    data = table("claims/stances")["attribution"]
    keys = set(STANCE_OF_VERB)
    keys.update(p.split()[0] for p in data["according"])
    keys.update(inflect(v, ("ed",))[0] for v in data["media_verbs"])
    keys.update(
        p for p, _ in literal_prefixes(lex_text("stances", "patterns.no_confirmation")) or ()
    )
    return frozenset(keys)


#: Words an attribution can start with (the pattern is tried only there).
SPEECH_KEYS = _speech_keys()


@dataclass(slots=True)
class Frame:
    """An attribution in a sentence.

    ``lo``/``hi`` span the claimant and the verb; ``postposed``: it follows what it reports
    ("…, the ministry said"); ``transparent``: a source passed through ("according to
    Reuters"); ``noun``: a verb-noun ("Russia's claim"); ``reaction``: a reply to a claim made
    before ("…, a claim Kyiv rejected", "…, which Ukraine's military denied"); ``civilian``: a
    private person speaking (:func:`tracker.claims.claimants.is_civilian`).
    """

    lo: int
    hi: int
    verb_start: int
    verb_end: int
    stance: Stance
    claimant: Claimant | None
    text: str | None
    postposed: bool
    transparent: bool
    noun: bool = False
    person: bool = False
    np_span: Span | None = None
    reaction: bool = False
    civilian: bool = False


_SYNTAX = patterns("syntax")
_STANCES = patterns("stances")
_NOUN_ADJECTIVES = frozenset(table("claims/syntax")["words"]["noun_adjectives"])
_NOUNISH = frozenset(table("claims/stances")["attribution"]["nouns"])
_PARTICIPLES = frozenset(w for w in STANCE_OF_VERB if w.endswith("ing"))


# -- noun phrases ------------------------------------------------------------------------


def _np_before(text: str, lo: int, pos: int) -> tuple[int, int, str, str]:
    """The claimant noun phrase ending at ``pos`` (subject of a verb), its span and boundary."""
    last = None
    for m in _SYNTAX["boundary"].finditer(text, lo, pos):
        last = m
    start = last.end() if last else lo
    boundary = last.group(0).lower() if last else ""
    seg = text[start:pos]
    lead = _SYNTAX["np_lead"].match(seg)
    if lead:
        start += lead.end()
        seg = seg[lead.end() :]
    trail = _SYNTAX["np_trail"].search(seg)
    if trail:
        seg = seg[: trail.start()]
    return start, start + len(seg), seg.strip(), boundary


def _np_after(text: str, pos: int, hi: int) -> tuple[int, int, str]:
    m = _SYNTAX["np_after_end"].search(text, pos, hi)
    end = m.start() if m else hi
    seg = text[pos:end]
    stripped = seg.strip()
    start = pos + (len(seg) - len(seg.lstrip()))
    return start, start + len(stripped), stripped


def _name_before(text: str, ss: int, prev: int) -> tuple[int, int, str] | None:
    """A bare name in the comma segment ending at ``prev`` ("…, Ivan Fedorov, said")."""
    p2 = text.rfind(",", ss, prev)
    name = text[(p2 + 1 if p2 >= 0 else ss) : prev].strip()
    if name and len(name.split()) <= 4 and all(w[0].isupper() for w in name.split()):
        n0 = text.index(name, p2 + 1 if p2 >= 0 else ss)
        return (n0, n0 + len(name), name)
    return None


def _appositives(
    text: str, ss: int, cut: int, pos: int, hist: History
) -> list[tuple[int, int, str]]:
    """Comma-separated noun phrases before ``cut``, right to left, up to the first that names a
    claimant (and a bare name just before it): the subject of "…, X, said"."""
    segs: list[tuple[int, int, str]] = []
    while cut > ss and len(segs) < 3:
        prev = text.rfind(",", ss, cut)
        seg_start = prev + 1 if prev >= 0 else ss
        lead = _SYNTAX["np_lead"].match(text, seg_start, cut)
        s2 = lead.end() if lead else seg_start
        np2 = text[s2:cut].strip()
        if not np2 or len(np2.split()) > 16 or _SYNTAX["quote_mark"].search(np2):
            break
        s2 = text.index(np2, s2)
        segs.insert(0, (s2, s2 + len(np2), np2))
        if classify(np2, pos, hist)[0]:
            name = _name_before(text, ss, prev) if prev > ss else None
            if name is not None:
                segs.insert(0, name)
            return segs
        if prev < 0:
            break
        cut = prev
    return segs if segs and classify(", ".join(x[2] for x in segs), pos, hist)[0] else segs[-1:]


# -- frames ------------------------------------------------------------------------------


def frames(text: str, sentences: list[Span], hist: History, candidates: list[int]) -> list[Frame]:
    """The attribution frames of *sentences*, trying the pattern at the *candidates* word
    starts; claimants named are added to *hist* for later pronouns."""
    out: list[Frame] = []
    i = 0
    for ss, se in sentences:
        in_sentence: list[Frame] = []
        while i < len(candidates) and candidates[i] < ss:
            i += 1
        done = ss
        while i < len(candidates) and candidates[i] < se:
            pos = candidates[i]
            i += 1
            if pos < done:
                continue
            m = SPEECH_RE.match(text, pos, se)
            if m is None:
                continue
            done = m.end()
            frame = _frame(text, m, ss, se, in_sentence, hist)
            if frame is None:
                continue
            if frame.claimant is None and frame.text and not frame.civilian:
                frame.civilian = is_civilian(frame.text, frame.lo, hist)
            in_sentence.append(frame)
            if frame.claimant and frame.text:
                hist.entries.append((frame.lo, frame.claimant, frame.person, frame.text))
                if frame.person:
                    register(frame.text, frame.claimant, hist)
        out.extend(in_sentence)
    return out


def _spoken(
    m: re.Match[str],
    stance: Stance,
    claimant: Claimant | None,
    words: str | None,
    *,
    lo: int | None = None,
    hi: int | None = None,
    postposed: bool = False,
    transparent: bool | None = None,
    person: bool = False,
    np_span: Span | None = None,
    noun: bool = False,
    reaction: bool = False,
    civilian: bool = False,
) -> Frame:
    """The frame of the attribution words matched by *m*, spanning ``lo``..``hi`` (default:
    the words themselves); *transparent* by default when nobody but a news organisation is
    named."""
    if transparent is None:
        transparent = claimant is None and bool(words and MEDIA.search(words))
    return Frame(
        m.start() if lo is None else lo,
        m.end() if hi is None else hi,
        m.start(),
        m.end(),
        stance,
        claimant,
        words,
        postposed,
        transparent,
        noun=noun,
        person=person,
        np_span=np_span,
        reaction=reaction,
        civilian=civilian,
    )


def _inherit(m: re.Match[str], stance: Stance, prev: Frame) -> Frame:
    """A frame whose speaker is the previous frame's ("…, the army said, adding …")."""
    return _spoken(
        m, stance, prev.claimant, prev.text, transparent=prev.transparent, person=prev.person
    )


def _frame(
    text: str, m: re.Match[str], ss: int, se: int, previous: list[Frame], hist: History
) -> Frame | None:
    before = text[max(ss, m.start() - 60) : m.start()]
    if m.group("nconf"):
        return _unconfirmed(text, m, ss, previous, hist)
    if m.group("acc"):
        return _according(text, m, se, before, hist)
    if m.group("media"):
        return _media(text, m, ss, hist)
    return _verb(text, m, ss, se, before, previous, hist)


def _unconfirmed(
    text: str, m: re.Match[str], ss: int, previous: list[Frame], hist: History
) -> Frame:
    """No confirmation ("there is no confirmation", "unconfirmed"): the claim is disputed."""
    _, _, np, _ = _np_before(text, ss, m.start())
    np = _SYNTAX["no_confirmation_tail"].sub("", np)
    np = _SYNTAX["no_confirmation_there"].sub("", np)
    cat, person = classify(np, m.start(), hist)
    if cat is None and np.lower() in ("it", "they") and previous:
        cat, person = previous[-1].claimant, previous[-1].person
    return _spoken(m, "disputed", cat, np or None, transparent=False, person=person)


def _according(text: str, m: re.Match[str], se: int, before: str, hist: History) -> Frame | None:
    """A source after a phrase: "according to X", "citing X", "as cited by X"."""
    start, end, np = _np_after(text, m.end(), se)
    if not np:
        return None
    cat, person = classify(np, m.start(), hist)
    transparent = cat is None and bool(MEDIA.search(np) or "cited" in m.group("acc"))
    postposed = bool(_SYNTAX["opener_end"].search(before))
    return _spoken(
        m,
        "claimed",
        cat,
        np,
        hi=end,
        postposed=postposed,
        transparent=transparent,
        person=person,
        np_span=(start, end),
    )


def _media(text: str, m: re.Match[str], ss: int, hist: History) -> Frame | None:
    """Pictures released ("Russian forces released images …"): a claim made with them."""
    start, end, np, _ = _np_before(text, ss, m.start())
    cat, person = classify(np, m.start(), hist)
    if cat is None:
        return None
    return _spoken(m, "claimed", cat, np, lo=start, person=person, np_span=(start, end))


def _verb(
    text: str,
    m: re.Match[str],
    ss: int,
    se: int,
    before: str,
    previous: list[Frame],
    hist: History,
) -> Frame | None:
    """A speech or report verb: as a noun, passive, participle, inverted or with a subject."""
    verb = m.group("verb")
    low = verb.lower()
    if verb[0].isupper() and m.start() != ss and low not in ("assessed",):
        return None
    stance = STANCE_OF_VERB[low]
    if _STANCES["frame_negation_before"].search(before) and stance in (
        "confirmed",
        "claimed",
        "reported",
    ):
        if stance != "confirmed":
            return None  # "has not claimed", "did not say": nobody claims anything
        stance = "disputed"
    if _is_noun(low, before):
        return _noun(m, before, stance, hist)
    if _SYNTAX["article_before"].search(before):
        return None  # "the claimed territory", "the estimated Russian advance"
    if _SYNTAX["passive_before"].search(before):
        return _passive(text, m, se, before, stance, hist)
    if low in _PARTICIPLES and _SYNTAX["comma_end"].search(before) and previous:
        prev = previous[-1]
        if stance == "claimed" and prev.stance in ("denied", "disputed"):
            stance = prev.stance
        return _inherit(m, stance, prev)
    if _is_inverted(text, m, se, before):
        return _inverted(text, m, se, stance, hist)
    return _with_subject(text, m, ss, se, stance, previous, hist)


def _is_noun(low: str, before: str) -> bool:
    """A verb form used as a noun ("the claim", "Russian reports")."""
    if low not in _NOUNISH:
        return False
    prev_word = before.rstrip().rsplit(None, 1)[-1].lower() if before.strip() else ""
    return bool(
        _SYNTAX["determiner_before"].search(before)
        or not before.strip()
        or prev_word in STANCE_OF_VERB
        or prev_word in _NOUN_ADJECTIVES
    )


def _noun(m: re.Match[str], before: str, stance: Stance, hist: History) -> Frame | None:
    """A claim noun ("Russia's claim", "Ukrainian reports"), which needs an owner."""
    owner = _SYNTAX["noun_owner_before"].search(before)
    if not owner:
        return None
    np = owner.group("poss") or owner.group("adj")
    np = _SYNTAX["possessive_s"].sub("", np).strip()
    np = _SYNTAX["boundary"].split(np)[-1].strip()
    cat, person = classify(np, m.start(), hist)
    if cat is None:
        return None
    lo = m.start() - len(before) + owner.start()
    stance = "claimed" if stance == "reported" else stance
    return _spoken(m, stance, cat, np, lo=lo, person=person, noun=True)


def _passive(
    text: str, m: re.Match[str], se: int, before: str, stance: Stance, hist: History
) -> Frame | None:
    """A passive ("was reported by X"); one without an agent names nobody."""
    after = _SYNTAX["passive_agent"].match(text[m.end() : se])
    if not after:
        return None
    _, end, np = _np_after(text, m.end() + after.end(), se)
    cat, person = classify(np, m.start(), hist)
    postposed = bool(_SYNTAX["postposed_passive"].search(before))
    return _spoken(m, stance, cat, np or None, hi=end, postposed=postposed, person=person)


def _is_inverted(text: str, m: re.Match[str], se: int, before: str) -> bool:
    """An inverted subject: "…,” said Kremlin spokesperson Dmitry Peskov", not "…, said Russian
    troops were …"."""
    if not (
        _SYNTAX["inversion_end"].search(before)
        and _SYNTAX["inverted_subject"].match(text[m.end() : se])
    ):
        return False
    _, _, after_np = _np_after(text, m.end(), se)
    return (
        len(after_np.split()) <= 8
        and not _SYNTAX["clause_words"].search(after_np)
        and not has_trigger(after_np)
    )


def _inverted(text: str, m: re.Match[str], se: int, stance: Stance, hist: History) -> Frame:
    start, end, np = _np_after(text, m.end(), se)
    cat, person = classify(np, m.start(), hist)
    civilian = False
    if cat is None:  # "said Viktor Trehubov, spokesman for the Khortytsia group"
        nxt = _SYNTAX["comma_start"].match(text[end:se])
        if nxt:
            _, e2, np2 = _np_after(text, end + nxt.end(), se)
            cat2, _ = classify(np2, m.start(), hist)
            if cat2:
                cat, end, np, person = cat2, e2, f"{np}, {np2}", True
            else:  # "said Petro, a farmer"
                civilian = is_civilian(np2, m.start(), hist)
    return _spoken(
        m,
        stance,
        cat,
        np or None,
        hi=end,
        postposed=True,
        person=person,
        np_span=(start, end),
        civilian=civilian,
    )


def _subject(
    text: str, m: re.Match[str], ss: int, previous: list[Frame], hist: History
) -> tuple[int, int, str, str, bool]:
    """The subject before the verb: span, words, boundary before it, and whether the frame is
    a reaction ("…, which Ukraine's military denied")."""
    low = m.group("verb").lower()
    lo = max([ss] + [f.verb_end for f in previous if f.verb_end <= m.start()])
    start, end, np, boundary = _np_before(text, lo, m.start())
    if boundary in ("which", "that") and np and STANCE_OF_VERB[low] in ("denied", "disputed"):
        return start, end, np, boundary, True
    if boundary in ("who", "which") or (not np and boundary == ","):
        # "Witkoff, who said"; "…administration, Ivan Fedorov, said";
        # "Dmitry Medvedev, Russia's former president …, indicated"
        segs = _appositives(text, ss, text.rfind(",", ss, max(ss, start)), m.start(), hist)
        if segs:
            start, end = segs[0][0], segs[-1][1]
            np = text[start:end].strip()
    return start, end, np, boundary, False


def _with_subject(
    text: str,
    m: re.Match[str],
    ss: int,
    se: int,
    stance: Stance,
    previous: list[Frame],
    hist: History,
) -> Frame | None:
    low = m.group("verb").lower()
    start, end, np, boundary, reaction = _subject(text, m, ss, previous, hist)
    if not np and boundary in ("and", "but", "or") and previous:
        return _inherit(m, stance, previous[-1])
    if not np and low in _PARTICIPLES:
        found = first_claimant(text, ss, m.start())  # "Russia used Dnipro …, claiming to"
        if found is None:
            return None
        first, fs, fe = found
        return _spoken(m, stance, first, text[fs:fe], np_span=(fs, fe))
    if len(np.split()) > 14:
        np = " ".join(np.split()[-14:])
    cat, person = classify(np, m.start(), hist)
    if cat is None and _SYNTAX["possessive_subject"].match(np):
        owner = first_claimant(text, ss, start)  # "Zelensky visited …, his office said"
        if owner is not None:
            cat = owner[0]
    if cat is None and low.startswith("assess"):
        cat = "isw"
    claim_noun = _SYNTAX["a_claim"].match(np)
    if claim_noun and STANCE_OF_VERB[low] in ("denied", "disputed", "confirmed"):
        reaction = True  # "…, a claim Kyiv rejected"
        start += claim_noun.end()
        np = np[claim_noun.end() :]
        cat, person = classify(np, m.start(), hist)
    postposed = (
        bool(np)
        and not reaction
        and bool(_SYNTAX["postposed_end"].search(text[max(ss, start - 4) : start]))
        and bool(_SYNTAX["clause_close"].match(text, m.end(), min(se, m.end() + 40)))
        and not _SYNTAX["what_subject"].match(np)
    )
    transparent = cat is None and bool(MEDIA.search(np)) if np else True
    return _spoken(
        m,
        stance,
        cat,
        np or None,
        lo=start if np else None,
        postposed=postposed,
        transparent=transparent,
        person=person,
        np_span=(start, end) if np else None,
        reaction=reaction,
    )


# -- speakers ----------------------------------------------------------------------------


def quote_speaker(text: str, q: Span, found: list[Frame], starts: list[int]) -> Frame | None:
    """The frame that introduces quotation *q*: right after its closing mark ("“…,” he said"),
    before its opening one ("he said: “…”"), or the speaker of the quotation before."""
    i = bisect_left(starts, q[1] - 1)
    for f in found[i : i + 3]:
        gap = text[q[1] : f.lo] if f.lo >= q[1] else None
        if gap is not None and len(gap) <= 4 and _SYNTAX["speaker_gap_after"].fullmatch(gap):
            return f
    j = bisect_right(starts, q[0]) - 1
    while j >= 0 and found[j].hi > q[0]:
        j -= 1
    if j >= 0:
        f = found[j]
        gap = text[f.hi : q[0]]
        if (
            len(gap) <= 60
            and not _SYNTAX["speaker_gap_stop"].search(gap)
            and _SYNTAX["speaker_gap_intro"].search(gap)
        ):
            return f
        if _SYNTAX["speaker_gap_same"].fullmatch(gap) and _SYNTAX["quote_closed_before"].search(
            text[max(0, f.lo - 4) : f.lo]
        ):
            return f  # “…,” she said. “…”: the same speaker goes on
    return None


def governing(text: str, found: list[Frame], start: int, end: int) -> list[Frame]:
    """The frames that report the trigger at ``text[start:end]`` (usually one)."""
    usable = [f for f in found if not f.transparent and not f.reaction]
    following = [f for f in usable if f.lo >= end]
    preceding = [f for f in usable if f.verb_end <= start and f.hi <= start + 1]
    if (
        following
        and following[0].postposed
        and not _SYNTAX["contrast"].search(text, end, following[0].lo)
    ):
        return [following[0]]
    if preceding and _SYNTAX["concessive"].search(text, preceding[-1].verb_end, start):
        preceding = []  # "Russia declared …, even though it did not fully control these areas"
    if not preceding:
        return []
    p = preceding[-1]
    if p.claimant is None and not p.person:
        # "Peskov said the capture of Pokrovsk showed that …": the inner verb has no speaker
        outer = next((f for f in reversed(preceding[:-1]) if f.claimant), None)
        if outer is not None:
            return [outer]
    if p.noun and len(preceding) > 1:
        outer = preceding[-2]
        if 0 <= p.lo - outer.verb_end <= 6:
            return [outer, p]
    return [p]
