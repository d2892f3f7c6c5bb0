"""Sentences -> claims: what the text says happened at a place, who says so, and how.

For every sentence that mentions a place the extractor finds

* the **event** from trigger words and their inflections ("captured", "the capture of",
  "fallen under Russian control", "pushing toward", "repelled", "retook", "shelled", "evacuation");
* the **claimant** from the attribution around it: the subject of a speech or report verb
  ("Moscow's defense ministry had previously claimed", "…, the General Staff said",
  "said Kremlin spokesperson Dmitry Peskov", "Dmitry Medvedev, Russia's former president …,
  indicated"), "according to X", "citing X", "X's data/map", the speaker named next to a
  quotation, and pronouns or surnames that refer back to a claimant named earlier ("he said",
  "it said", "Tryhubov added");
* the **stance** from the attribution verb (claimed, confirmed, denied, disputed, reported,
  assessed) and from hedges ("likely") or qualified negation ("no stable control");
* **negation** scoped to the trigger's clause ("did not manage to gain a foothold", "failed to
  capture", "denied that … had captured").

It is a set of regular-expression rules over English sentence structure, written for wire
services, ISW assessments, General Staff summaries and newspaper reporting in general, with no
model and no gazetteer: the place mentions come from :mod:`tracker.mentions`. It costs about 6%
of a full parse (about 2 MB/s on the development corpus).

Decisions worth knowing:

* Event labels take the map's point of view: "captured" is a change to Russian control and
  "liberated" a return to the side that held the place before. The Russian Defence Ministry's
  "liberated" (its word for a capture) is read as "captured" when the claimant or the actor is
  Russian; "Ukrainian forces withdrew from X" and "the loss of X" are "captured". Status words
  count too ("Russian-occupied", "held by Russia", "under Russian control").
* Attempts ("tried to advance", "attempting to force its way into", "pushing to cross into") and
  ISW's ground attacks ("attacked near/toward X") are "advancing"; strikes, shelling, drones and
  missiles are "attacked". A repulse absorbs the attack it repels ("repelled 17 Russian attacks
  near X", "counterattacks near X had been repelled" are one "repelled" claim). Combat nouns
  ("fighting", "battles") are not events. Averted events ("to avoid encirclement") are skipped.
* A party's negated statement is a denial ("…did not manage to gain a foothold," Tryhubov said);
  a qualified one ("no *stable* control", "not *fully*") is "disputed"; an unconfirmed one
  ("have not confirmed the fall of X", "no confirmation that") is "disputed" without negating
  the event. "X claimed …, but Y denied it" / "…, a claim Kyiv rejected" add Y's denial of the
  same event.
* DeepState and ISW are monitors: what they say, map or report is "assessed". The reporter's own
  voice is "reported" ("assessed" when hedged with "likely"). A speaker who is none of the
  claimant types (an envoy, a resident, "analysts") is credited to the reporter, with the words
  kept in ``claimant_text``; "other" claims are made only for known claimants.
* Places are given to the event they belong to: objects follow their verb, passive subjects
  ("Zaporizke and Novoheorhiivka, which had fallen …") precede it. Spans that name actors rather
  than places are left out: datelines ("KYIV, Ukraine —"), the claimant's own name ("Kyiv's
  military"), agents ("Russia seized …"), possessives ("Moscow's forces", "Russia's Kursk
  region" keeps only the region), capitals as governments ("a blow for Kyiv") and parenthetical
  reference points ("(north of Kupyansk)"). The region in a governor's title stands in when the
  sentence names no other place ("Kharkiv Governor … said … in the city").
* A sentence without a place of its own borrows the places of a neighbouring sentence when it
  plainly continues it: an anaphor ("both villages", "those settlements", "the region" – matched
  to settlement or region spans), a quotation that goes on from the sentence before, or the same
  speaker continuing ("He added that …"); "…," Tryhubov added. He was referring to X and Y
  reaches forward. ``place_spans`` are then the referent sentence's spans.
* Sentences are :func:`tracker.mentions.sentence_spans`, with hard-wrapped lines joined
  ("claimed its troops\nhad captured") and citation markers ("….[45] A Russian milblogger")
  ending sentences. A quotation may span sentences; its speaker is found after its closing mark
  or before its opening one, and carries over to the next quotation ("“…,” she said. “…”").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from .mentions import sentence_spans

__all__ = ["CLAIMANTS", "EVENTS", "STANCES", "Claim", "extract_claims"]

#: Event types, from the most to the least specific.
EVENTS: tuple[str, ...] = (
    "captured",
    "entered",
    "advancing",
    "repelled",
    "liberated",
    "attacked",
    "evacuated",
    "other",
)
#: Who says so.
CLAIMANTS: tuple[str, ...] = (
    "russian_mod",
    "russian_officials",
    "ukrainian_military",
    "ukrainian_officials",
    "deepstate",
    "isw",
    "local_authorities",
    "reporter",
)
#: How they say it.
STANCES: tuple[str, ...] = ("claimed", "confirmed", "denied", "disputed", "reported", "assessed")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement about one or more places in one sentence.

    Attributes
    ----------
    event : str
        One of :data:`EVENTS`.
    claimant : str
        One of :data:`CLAIMANTS`; ``"reporter"`` when nobody else is credited.
    claimant_text : str or None
        The words naming the claimant as written ("Moscow's defense ministry", "spokesperson
        Viktor Tryhubov"); None for the reporter's own voice. A speaker who is none of the
        claimant types is credited to the reporter but keeps the words ("Witkoff").
    stance : str
        One of :data:`STANCES`.
    negated : bool
        The text says the event did *not* happen ("did not manage to gain a foothold",
        "denied that … had captured").
    quote : bool
        The trigger is inside quotation marks.
    sentence_start, sentence_end : int
        Offsets of the sentence in the document text.
    trigger : str
        The event word(s) exactly as in the text (``text[trigger_start:trigger_end]``); for an
        "other" claim, the attribution verb.
    trigger_start, trigger_end : int
        Offsets of the trigger.
    place_spans : tuple of (int, int)
        The place mentions the claim is about: given spans of the sentence, or of the sentence
        an anaphor ("both villages") refers to.
    """

    event: str
    claimant: str
    claimant_text: str | None
    stance: str
    negated: bool
    quote: bool
    sentence_start: int
    sentence_end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    place_spans: tuple[Span, ...]


# --------------------------------------------------------------------------------------------
# Event triggers
# --------------------------------------------------------------------------------------------

_W = r"[\w’'-]+"  # a word, apostrophes and hyphens included
_ATTEMPT_VERBS = (
    r"advance|attack|storm|break|seize|capture|take|enter|cross|push|force|reach|encircle|"
    r"surround|infiltrate|occupy|gain|penetrate|move|approach|overrun|retake|recapture|regain"
)
_DIRECTIONS = (
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
    r"south-east|south-west)(?:ern)?"
)

#: (event, flag, pattern) in priority order: at one position the first that matches wins.
_TRIGGERS: list[tuple[str, str, str]] = [
    # ---- repelled (before "push", "attack") ----
    ("repelled", "", r"repel(?:led|ling|s)?\b|repuls(?:e|ed|es|ing)\b"),
    ("repelled", "expel", rf"push(?:ed|es|ing)?\s+(?:{_W}\s+){{0,3}}?back\b"),
    ("repelled", "expel", rf"push(?:ed|es|ing)?\s+(?:{_W}\s+){{1,3}}?out\s+of\b"),
    (
        "repelled",
        "",
        r"(?:beat(?:en)?|fought|fend(?:ed|ing)?|held|hold(?:s|ing)?|dr(?:ove|iven))\s+"
        r"(?:them\s+|it\s+)?(?:off|back)\b",
    ),
    ("repelled", "", r"thwart(?:ed|s|ing)?\b|foil(?:ed|s|ing)?\b"),
    (
        "repelled",
        "",
        r"(?<!to\s)(?:stop(?:ped|s|ping)?|halt(?:ed|s|ing)?|block(?:ed|s|ing)?)\s+"
        rf"(?:{_W}\s+){{0,3}}?(?:advance|attack|assault|offensive|breakthrough|push|"
        r"attempt|incursion|infiltration)s?\b",
    ),
    ("repelled", "", r"(?:were|was|been|being)\s+(?:stopped|halted)\b"),
    # ---- liberated ----
    ("liberated", "liberate", r"liberat(?:e|ed|es|ing|ion)\b"),
    (
        "liberated",
        "",
        r"recaptur(?:e|ed|es|ing)\b|retook\b|retak(?:e|en|es|ing)\b|regain(?:ed|s|ing)?\b|"
        r"reclaim(?:ed|s|ing)?\b|(?:won|win|winning)\s+back\b|de-?occup(?:ied|ation)\b",
    ),
    (
        "liberated",
        "expel",
        rf"driven\s+out\b|dr(?:ove|ive|iving)\s+(?:{_W}\s+){{1,3}}?out\b|expel(?:led|s|ling)?\b|"
        r"oust(?:ed|s|ing)?\b",
    ),
    (
        "liberated",
        "",
        rf"clear(?:ed|ing|s)?\s+(?:{_W}\s+){{0,4}}?of\s+(?:the\s+)?(?:Russian|enemy)",
    ),
    # ---- attempts and ISW-style ground attacks: advancing ----
    (
        "advancing",
        "attempt",
        r"(?:attempt(?:ed|s|ing)?|tri(?:ed|es)|trying|try|seek(?:s|ing)?|sought|aim(?:s|ed|ing)?|"
        r"plan(?:s|ned|ning)?|intend(?:s|ed|ing)?|bid|efforts?|push(?:ed|es|ing)?|pressing|"
        rf"goal(?:\s+is)?)\s+(?:{_W}\s+){{0,2}}?to\s+(?:{_ATTEMPT_VERBS})\w*",
    ),
    (
        "advancing",
        "",
        r"attack(?:ed|s|ing)?\s+(?:near\b|toward|towards|along\b|within\b|"
        rf"in\s+the\s+(?:direction|area|areas|vicinity)\b|{_DIRECTIONS}\s+of\b|"
        r"in\s+(?:and\s+(?:near|around)\s+)?(?-i:[A-Z])|\d+\s+times\b)",
    ),
    ("advancing", "", r"counter[- ]?(?:attack|offensive)\w*"),
    (
        "advancing",
        "",
        r"launch(?:ed|es|ing)?\s+(?:(?:a|an|their|its|his|our|the)\s+)?(?:[\w-]+\s+){0,2}?"
        r"(?:operation|offensive|assault|incursion|counteroffensive|counter-offensive)s?\b",
    ),
    (
        "advancing",
        "attempt",
        r"(?:push\w*|bid|attempt\w*|tr(?:y|ied|ying)|seek\w*|sought)\s+(?:\w+\s+){0,2}?for\s+"
        r"(?:an?\s+)?(?:[\w-]+\s+){0,2}?breakthrough",
    ),
    # ---- captured: specific phrases ----
    (
        "captured",
        "",
        r"under\s+(?:the\s+)?(?:(?:full|complete|total|effective|firm|partial)\s+)?"
        r"(?:Russian|Russia['’]s|Moscow['’]s|enemy|occupation|occupiers['’]?)\s+"
        r"(?:military\s+)?control\b",
    ),
    (
        "captured",
        "",
        r"under\s+(?:the\s+)?(?:(?:full|complete|total|effective|firm|partial)\s+)?control\s+of\s+"
        r"(?:the\s+)?(?:Russia|Moscow|enemy|occup)\w*",
    ),
    ("captured", "", r"in\s+(?:the\s+)?(?:Russian|enemy)\s+hands\b"),
    ("captured", "", r"in\s+the\s+hands\s+of\s+(?:the\s+)?(?:Russia|Moscow|enemy|occup)\w*"),
    ("captured", "", r"(?:Russian|Russia|Moscow|enemy)[-‑](?:held|controlled|occupied)\b"),
    ("captured", "", r"held\s+by\s+(?:the\s+)?(?:Russia|Moscow|enemy|occup)\w*"),
    (
        "captured",
        "",
        r"(?:(?:gain(?:ed|s|ing)?|establish(?:ed|es|ing)?|secur(?:e|ed|es|ing)|get|got|"
        rf"obtain(?:ed)?)\s+(?:an?\s+)?(?:{_W}\s+)?)?foothold\b",
    ),
    (
        "captured",
        "flag",
        r"(?:rais(?:e|ed|es|ing)|hoist(?:ed|s|ing)?|plant(?:ed|s|ing)?)\s+(?:the\s+|a\s+)?"
        r"(?:(?:Russian|Ukrainian|national)\s+)?flags?\b",
    ),
    # ---- entered ----
    (
        "entered",
        "",
        r"enter(?:ed|s|ing)?\b(?!\s+(?:into\s+)?(?:force|talks|negotiations|service|politics|"
        r"an?\s+(?:agreement|deal|new\s+phase)))",
    ),
    (
        "entered",
        "",
        r"cross(?:ed|es|ing)?\s+(?:over\s+)?(?:into\b|"
        rf"the\s+(?:{_W}\s+){{0,2}}?(?:border|frontier|river|line|boundary)\b|"
        r"the\s+(?-i:[A-Z])|(?-i:[A-Z]))",
    ),
    ("entered", "", r"(?:broke|break|breaking|broken)\s+(?:into|through)\b"),
    ("entered", "", r"pushed\s+(?:deep\s+|deeper\s+|further\s+)?into\b"),
    (
        "entered",
        "",
        r"(?<!seeking\sa\s)(?<!peace\s)(?<!diplomatic\s)(?<!political\s)breakthroughs?\b"
        r"(?!\s+(?:to\s+end|in\s+(?:the\s+)?(?:talks|negotiations|peace)))",
    ),
    ("entered", "", r"breach(?:ed|es|ing)?\b"),
    (
        "entered",
        "",
        r"reach(?:ed|es|ing)?\b(?!\s+(?:(?:an?\s+|the\s+|its\s+|their\s+)?(?:[\w-]+\s+)?"
        r"(?:agreement|deal|consensus|milestone|record|peak|compromise|understanding|"
        r"conclusion|decision|out|audience|target|goal|level|point|stage)\b|\d))",
    ),
    ("entered", "", r"infiltrat(?:e|ed|es|ing)\b|penetrat(?:e|ed|es|ing|ion)\b|incursions?\b"),
    (
        "entered",
        "",
        r"(?:forc(?:e|ed|ing)|made|make|making|fight|fought)\s+(?:its|their|his|our)\s+way\s+into\b",
    ),
    # ---- advancing ----
    (
        "advancing",
        "",
        r"offensives?\b(?!\s+(?:weapons|capabilit))",
    ),
    (
        "advancing",
        "",
        r"assault(?:s|ed|ing)?\b(?!\s+(?:groups?|units?|brigades?|forces|troops|rifles?|"
        r"regiments?|battalions?|detachments?|corps|divisions?|squads?|compan(?:y|ies)|aircraft|"
        r"helicopters?|boats?|teams?|infantry|vehicles?))",
    ),
    ("advancing", "", r"storm(?:ed|ing|s)?\b(?!\s*(?:shadow|-z\b|z\b))"),
    (
        "advancing",
        "",
        r"advanc(?:e|ed|es|ing)\b(?!\s+(?:weapons?|systems?|air\b|technolog\w*|unmanned|"
        r"missiles?|fighters?|jets?|drones?|equipment|training|notice|warning|payments?|degree))",
    ),
    ("advancing", "push", r"push(?:ed|es|ing)?\b"),
    (
        "advancing",
        "",
        r"encircl(?:e|ed|es|ing|ement)\b|surrounded\b|envelop(?:ed|ing|ment)\b|sieges?\b|"
        r"besieg(?:e|ed|ing)\b",
    ),
    (
        "advancing",
        "",
        r"clos(?:e|ed|es|ing)\s+in\s+on\b|approach(?:ed|es|ing)\b|converg(?:e|ed|es|ing)\s+on\b",
    ),
    (
        "advancing",
        "",
        r"(?:gain(?:ed|s|ing)?|made|make|making)\s+(?:(?:some|further|significant|small|marginal|"
        r"slow|steady|new|more|rapid|major|tactical|territorial|confirmed|any)\s+){0,2}"
        r"(?:gains|ground|progress|headway|advances)\b",
    ),
    (
        "advancing",
        "",
        r"gain(?:ed|s)?\s+(?:about\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+|some\s+)?"
        r"[\d,.]+\s*(?:square|sq|km)|gains\b",
    ),
    (
        "advancing",
        "",
        r"(?:moving|moved|move|drive|drove|driving|thrust|thrusting|marching)\s+"
        r"(?:on|toward|towards|into|deeper)\b",
    ),
    # ---- captured: general ----
    (
        "captured",
        "control",
        r"(?:(?:t(?:ook|aken|ake|akes|aking)|seiz(?:e|ed|es|ing)|gain(?:ed|s|ing)?|"
        r"establish(?:ed|es|ing)?|assum(?:e|ed|es|ing)|los[te]|losing)\s+"
        r"(?:(?:full|complete|total|effective|firm|stable|partial)\s+)?)?control(?:s|led|ling)?\b",
    ),
    ("captured", "capture", r"captur(?:e|ed|es|ing)\b|seiz(?:e|ed|es|ing|ure)\b"),
    (
        "captured",
        "",
        r"t(?:ook|aken|ake|akes|aking)(?:\s+over)?(?=\s+(?:(?:the\s+)?(?:village|town|city|"
        r"settlement|hamlet|selyshche|outskirts|centre|center|rest|remainder|remaining|entire|"
        r"whole|strategic|key|front-?line|eastern|western|northern|southern|central)\b|"
        r"(?:all|most|much|part|parts|half|a\s+chunk|a\s+swathe|a\s+slice|a\s+fifth|a\s+third)"
        r"\s+of\b|(?-i:[A-Z])))",
    ),
    (
        "captured",
        "",
        r"occup(?:y|ies|ied|ying|ation)\b(?!\s+(?:authorities|officials|administration|forces|"
        r"troops|army|regime|governor|head|leaders?|authority))",
    ),
    (
        "captured",
        "",
        r"fell\b(?!\s+(?:on|onto|upon|short|silent|ill|apart|asleep|back|behind|by|below|"
        r"to\s+(?:\d|its|their|a\s+record)|\d))|fallen\b|fall\s+of\b|falls\s+to\b",
    ),
    ("captured", "", r"capitulat(?:e|ed|es|ing|ion)\b"),
    ("captured", "", r"loss\s+of\b(?!\s+(?:life|lives|power|electricity|contact|control))"),
    (
        "captured",
        "withdraw",
        r"(?:withdr(?:ew|awn|aw|awing|aws|awal)|pull(?:ed|s|ing)?\s+(?:back|out)|"
        rf"retreat(?:ed|s|ing)?)\s+(?:{_W}\s+){{0,4}}?from\b|pull(?:ed|s|ing)?\s+out\s+of\b",
    ),
    # ---- attacked ----
    (
        "attacked",
        "",
        r"under\s+(?:(?:heavy|constant|intense|daily|Russian|enemy|Ukrainian)\s+){0,2}"
        r"(?:attack|fire|bombardment|shelling)\b",
    ),
    (
        "attacked",
        "",
        r"(?:drone|missile|rocket|air|artillery|ballistic|cruise|glide[- ]bomb|bomb|mortar|MLRS|"
        r"Shahed|Iskander|Kinzhal|Oreshnik|HIMARS|ATACMS|Kalibr)s?[- ]"
        r"(?:attack|strike|barrage|raid)s?\b",
    ),
    ("attacked", "", r"air\s*strikes?\b|air\s+raids?\b"),
    (
        "attacked",
        "",
        r"struck\b|strik(?:e|es|ing)\b(?!\s+(?:a\s+deal|an?\s+agreement|a\s+balance))",
    ),
    (
        "attacked",
        "",
        r"shell(?:ed|ing|s)\b|bomb(?:ed|ing|ings|s)?\b|bombard(?:ed|ing|ment|ments)?\b",
    ),
    ("attacked", "", r"hit(?:s|ting)?\b(?!\s+(?:a\s+)?(?:record|high|low|milestone|\d))"),
    ("attacked", "", r"target(?:ed|ing)\b|attack(?:ed|s|ing)?\b|barrages?\b"),
    ("attacked", "", r"explosions?\b|blasts?\b"),
    (
        "attacked",
        "",
        r"drones?\b(?![- ](?:operators?|units?|detachments?|pilots?|production|makers?|"
        r"manufactur\w*|jamming|warfare|line|wall|industry|developers?|footage|compan(?:y|ies)|"
        r"battalions?|regiments?|brigades?|forces|crews?|teams?|deliver\w*|systems?\s+forces))",
    ),
    (
        "attacked",
        "",
        r"missiles?\b(?![- ](?:defen[cs]es?|systems?|production|launchers?|makers?))|"
        r"rockets?\b(?![- ]launchers?)",
    ),
    (
        "attacked",
        "",
        r"kill(?:ed|ing)\b|injur(?:ed|ing)\b|wound(?:ed|ing)\b|damag(?:e|ed|ing)\b|"
        r"destroy(?:ed|ing|s)?\b",
    ),
    # ---- evacuated ----
    (
        "evacuated",
        "",
        r"evacuat(?:e|ed|es|ing|ion|ions)\b|forced\s+to\s+(?:leave|flee)\b",
    ),
    ("evacuated", "flee", r"fled\b|flee(?:s|ing)?\b"),
]

_TRIGGER_RE = re.compile(
    # a trigger starts a word, never inside a hyphenated one ("non-stop", "anti-drone")
    "|".join(rf"(?P<t{i}>(?<![\w'’-])(?:{pat}))" for i, (_, _, pat) in enumerate(_TRIGGERS)),
    re.IGNORECASE,
)
#: Stems of every word a trigger can start with: the big pattern is tried only at such words
#: (scanning it at every character costs ten times more). Kept in step with _TRIGGERS.
_TRIGGER_STEMS = tuple(
    """repel repuls push beat fought fend held hold drove driven driv thwart foil stop halt block
    liberat recaptur retook retak regain reclaim won win de-occup deoccup expel oust clear attempt
    tried tries trying try seek sought aim plan intend bid effort pressing goal attack counter
    launch under gain establish secur get got obtain foothold rais hoist plant enter cross broke
    break breach reach infiltrat penetrat incursion forc made make making fight offensive assault
    storm advanc encircl surround envelop siege besieg clos approach converg mov thrust marching
    took tak seiz assum los control captur occup fell fall capitulat withdr pull retreat drone
    missile rocket air artillery ballistic cruise glide bomb mortar mlrs shahed iskander kinzhal
    oreshnik himars atacms kalibr struck strik shell hit target barrage explosion blast kill injur
    wound damag destroy evacuat fled flee""".split()
)
#: Common words that start a trigger only in a fixed phrase ("in Russian hands",
#: "Russian-held", "were stopped"): checked before the big pattern is tried.
_TRIGGER_CONTEXT = {
    "in": re.compile(r"\s+(?:the\s+)?(?:russian|enemy|hands)\b", re.I),
    "were": re.compile(r"\s+(?:stopped|halted)\b", re.I),
}
for _w in ("was", "been", "being"):
    _TRIGGER_CONTEXT[_w] = _TRIGGER_CONTEXT["were"]
_HYPHEN_ACTORS = ("russia", "moscow", "enemy")
_TRIGGER_KEYS = frozenset(stem[:3] for stem in _TRIGGER_STEMS)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_TRIGGER_INFO = {f"t{i}": (event, flag) for i, (event, flag, _) in enumerate(_TRIGGERS)}

# --------------------------------------------------------------------------------------------
# Attribution
# --------------------------------------------------------------------------------------------

_STANCE_OF_VERB: dict[str, str] = {}
for _stance, _words in (
    (
        "claimed",
        "said says say saying stated told tells telling added adds adding wrote writes writing "
        "posted announced announces announcing declared declares declaring claimed claims claim "
        "claiming insisted insists insisting asserted asserts alleged alleges stressed warned "
        "cautioned explained informed reiterated emphasised emphasized boasted accused revealed "
        "specified clarified argued urged urging appealed",
    ),
    (
        "reported",
        "reported reports reporting noted notes noting indicated indicates "
        "indicating showed shows show observed documented",
    ),
    (
        "confirmed",
        "confirmed confirms confirm confirming verified verifies acknowledged "
        "acknowledges admitted admits conceded concedes",
    ),
    ("denied", "denied denies deny denying rejected rejects rejecting refuted refutes dismissed"),
    ("disputed", "disputed disputes disputing contested contests challenged questioned"),
    (
        "assessed",
        "assessed assesses assess estimated estimates believes believe suggested suggests",
    ),
):
    for _w in _words.split():
        _STANCE_OF_VERB[_w] = _stance

_SPEECH_RE = re.compile(
    r"(?<![\w'’-])(?:(?P<acc>according\s+to|citing|quoting|(?:as\s+)?cited\s+by|(?:as\s+)?quoted\s+by|"
    r"in\s+the\s+words\s+of)\s+|(?P<verb>"
    + "|".join(sorted(_STANCE_OF_VERB, key=len, reverse=True))
    + r")\b|(?P<media>(?:released|published|posted|shared|showed|circulated)\s+(?:\w+\s+)?"
    r"(?:images?|videos?|footage|photos?|pictures?|a\s+statement))\b|(?P<nconf>no\s+(?:independent\s+)?(?:confirmation|reports?|evidence)|unconfirmed))",
    re.IGNORECASE,
)
#: Words an attribution can start with (the pattern is tried only there).
_SPEECH_KEYS = frozenset(_STANCE_OF_VERB) | frozenset(
    """according citing quoting cited as quoted in no unconfirmed released published posted
    shared showed circulated""".split()
)
#: Verb forms that are also nouns ("the claim", "reports of"): nouns need an owner to count.
_NOUNISH = frozenset(
    "claim claims report reports show shows estimates notes states denial confirmation".split()
)
_PARTICIPLES = frozenset(w for w in _STANCE_OF_VERB if w.endswith("ing"))
_NOUN_OWNER_BEFORE = re.compile(
    r"(?:(?P<poss>(?:(?:the|(?-i:[A-Z])[\w’'.-]*)\s+){0,4}(?-i:[A-Z])[\w’'.-]*['’]s)|"
    r"(?P<adj>Russian|Ukrainian|Kremlin|Moscow|"
    r"Kyiv|Western|Ukraine|Russia))\s+(?:(?:latest|new|own|earlier|previous|official|daily|"
    r"repeated|recent|unconfirmed)\s+)?$",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|these|those|such|its|their|his|her|our|of|with|to|by|for|on|about|new|"
    r"unconfirmed|recent|earlier|previous|latest|false|similar|media|multiple|numerous|"
    r"and|or|no|any|further)|['’]s)\s+$",
    re.IGNORECASE,
)
_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|is|are|been|being|be|it\s+is|has\s+been)\s+(?:\w+ly\s+)?$", re.IGNORECASE
)
_FRAME_NEG_BEFORE = re.compile(
    r"(?:\b(?:not|never|cannot)|n['’]t|\bunable\s+to|\bfailed\s+to)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(
    r"[,;:()\[\]“”\"—–]|\s-\s|\b(?:that|which|who|whom|while|and|but|though|although|because|"
    r"when|after|before|since|if|whereas|where|as|so|then)\b",
    re.IGNORECASE,
)
_NP_LEAD = re.compile(
    r"^(?:\s|but\b|and\b|however\b|meanwhile\b|also\b|earlier\b|later\b|previously\b|"
    r"despite\b|with\b|after\b|before\b|while\b|as\b|amid\b|ironically\b|notably\b|"
    r"nonetheless\b|nevertheless\b|moreover\b|additionally\b|however\b|"
    r"separately\b|still\b|yet\b|now\b|then\b|on\s+\w+(?:\s+\d+)?\b|in\s+\w+\b|"
    r"(?:unconfirmed\s+claims|assessed\s+\w+\s+\w+|refinement\s+of[^:]*)\b)+",
    re.IGNORECASE,
)
_NP_TRAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|previously|later|earlier|then|now|again|already|on\s+\w+"
    r"(?:\s+\d+)?|in\s+a\s+\w+|hours|days|late|early|last|this|\w+day|today|yesterday|morning|"
    r"evening|night|week|recently|publicly|officially|reportedly|separately|initially|first|"
    r"further|would|will|could|may|might|can|did|does|do|is|are|was|were|categorically|"
    r"repeatedly|quickly|immediately|\w+ly))+\s*$",
    re.IGNORECASE,
)
_NP_AFTER_END = re.compile(
    r"[,.;:()“”\"!?]|\s(?:that|which|who|in\s+a|on\s+\w+day|by\s+phone|during|while|adding|"
    r"dismissing|noting|saying|after|before|as|to\s+(?:reporters|journalists)|late|earlier|"
    r"on\s+(?:social|state|Telegram|X\b)|in\s+(?:his|her|its|their|an?)\s)\b",
    re.IGNORECASE,
)

_MEDIA = re.compile(
    r"\b(?:AFP|Reuters|AP|Associated\s+Press|BBC|CNN|NBC(?:\s+News)?|CBS|ABC|Bloomberg|"
    r"Guardian|New\s+York\s+Times|Washington\s+Post|Kyiv\s+(?:Independent|Post)|Suspilne|"
    r"Ukrainska\s+Pravda|Ukrinform|Interfax-Ukraine|RBC-Ukraine|Digi24|Hromadske|Meduza|Mezha|"
    r"Forbes|Sky\s+News|Financial\s+Times|Wall\s+Street\s+Journal|Economist|Politico|"
    r"Al\s+Jazeera|Fox\s+News|Axios|DW|Deutsche\s+Welle|Dagens|Newsweek|open[- ]source\s+maps?)\b"
)
_UKR = r"(?:Ukrain\w*(?:['’]s)?|Kyiv['’]s)"
_CATEGORY_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("deepstate", re.compile(r"deep\s*state", re.I)),
    (
        "isw",
        re.compile(
            r"\bISW\b|Institute\s+for\s+the\s+Study\s+of\s+War|geolocated|\bwe\s+assess", re.I
        ),
    ),
    (
        "russian_officials",
        re.compile(
            r"(?:Russia|Russian|Moscow|Kremlin)[-‑\s](?:installed|appointed|backed)|"
            r"occupation\s+(?:authorities|officials|administration|head|governor|leader)|"
            r"pro-?Russian|separatist|\bDPR\b|\bLPR\b|People['’]s\s+Republic|"
            r"(?<!Ukrainian\s)(?:mil|military\s+|war\s+|z-?)?bloggers?|milbloggers?|"
            r"war\s*correspondents?|Telegram\s+channels?|(?:Russian\s+)?state\s+(?:media|TV|"
            r"television|news\s+agency)|\bTASS\b|\bRIA\b|Izvestia|Zvezda|Rybar|Podolyaka",
            re.I,
        ),
    ),
    (
        "russian_mod",
        re.compile(
            r"(?:Russia|Russian|Moscow|Kremlin)(?:['’]s)?\s+(?:[\w-]+\s+){0,2}?(?:defen[cs]e\s+"
            r"ministry|ministry\s+of\s+defen[cs]e|defen[cs]e\s+minist|MoD\b|military|"
            r"armed\s+forces|army|general\s+staff|troops|forces|command|units|grouping|"
            r"group\s+of\s+forces)|ministry\s+of\s+defen[cs]e\s+of\s+(?:the\s+)?Russia|"
            r"Konashenkov|Belousov|Shoigu|Gerasimov",
            re.I,
        ),
    ),
    (
        "russian_officials",
        re.compile(
            r"Kremlin|Putin|Peskov|Lavrov|Zakharova|Medvedev|Ushakov|Nebenzia|Pushilin|Balitsky|"
            r"Saldo|Pasechnik|Russian\s+(?:officials?|government|authorities|president|foreign|"
            r"diplomats?|leader|negotiators?|sources|side|embassy|envoy|claims?)",
            re.I,
        ),
    ),
    (
        "local_authorities",
        re.compile(
            r"\bgovernor|\bmayor|(?<!presidential\s)(?<!Trump\s)(?<!Biden\s)administration|"
            r"prosecutor|\bpolice\b|emergency\s+service|rescuers|city\s+council|"
            r"regional\s+(?:council|authorities|officials|head)|local\s+(?:\w+\s+)?(?:authorities|"
            r"officials|administration|council|government)|\bhromada|village\s+(?:head|council)|"
            r"\bstarosta|Syniehubov|Synehubov|Filashkin|Lysak|Prokudin|Vilkul|Terekhov|"
            r"Klitschko|Gladkov|Khinshtein|Sadovyi|Lyakh|Starukh|Malashko|Kiper",
            re.I,
        ),
    ),
    (
        "ukrainian_military",
        re.compile(
            r"General\s+Staff|Armed\s+Forces\s+of\s+Ukraine|\bAFU\b|\bZSU\b|brigade|battalion|"
            r"regiment|\bcorps\b|operational[- ](?:strategic|tactical)|tactical\s+group|"
            r"group\s+of\s+forces|military\s+group|grouping|Khortytsia|Hortizia|Hortytsia|Tavria|"
            r"Defen[cs]e\s+Forces|Air\s+Force|air\s+defen[cs]es?|\bNavy\b|Naval\s+Forces|"
            r"Border\s+(?:Guard|Service)|border\s+guards|National\s+Guard|Unmanned\s+Systems|"
            r"\bHUR\b|military\s+intelligence|Main\s+Intelligence|\bSBU\b|commander-in-chief|"
            r"Syrsk|Zaluzhn|Voloshyn|Trehubov|Tryhubov|Tregubov|Ihnat|Pletenchuk|Lykhovyi|"
            r"Demchenko|Budanov|Brovdi|"
            rf"{_UKR}\s+(?:[\w-]+\s+){{0,2}}?(?:military|army|armed\s+forces|forces|troops|"
            r"command|commanders?|defenders|soldiers?|officers?|units?|spokes\w+|servicem[ae]n|"
            r"marines|paratroopers)",
            re.I,
        ),
    ),
    (
        "ukrainian_officials",
        re.compile(
            r"Zelensk\w*|Sybiha|Kuleba|Yermak|Shmyhal|Svyrydenko|Umerov|Lubinets|Stefanchuk|"
            rf"Podolyak\b|{_UKR}\s+(?:[\w-]+\s+){{0,2}}?(?:officials?|government|authorities|"
            r"president|presidency|presidential|foreign|ministry|minister|parliament|ombudsman|"
            r"prosecutor|leadership|side|negotiators?|delegation|embassy|envoy|diplomats?)|"
            r"\bKyiv\b|\bUkraine\b",
            re.I,
        ),
    ),
]
_GENERIC_MILITARY = re.compile(
    r"^(?:the|a|an|one|another)?\s*(?:spokes(?:person|man|woman)|commander|military|army|"
    r"soldiers?|troops|officers?|brigade|unit|command|group|corps|battalion)\b",
    re.I,
)
_GENERIC_RUSSIA = re.compile(r"\bRussia\b|\bMoscow\b|\bRussians?\b", re.I)
_PRONOUN = re.compile(
    r"^(?:he|she|it|they|his\s+(?:\w+\s+)?office|her\s+(?:\w+\s+)?office|its\s+\w+)$", re.I
)
_TITLE = re.compile(
    r"\b(?:spokes(?:person|man|woman)|governor|mayor|president|minister|commander|chief|head|"
    r"colonel|captain|general|lieutenant|major|sergeant|officer|analyst|blogger|milblogger|"
    r"advis[eo]r|official|envoy|ambassador|deputy|secretary|director|senator|ombudsman)\b",
    re.I,
)
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-zà-ÿ’'-]+(?:\s+(?:[A-Z][a-z’'-]*)?[A-Z][a-zà-ÿ’'-]+)+\b")
_NOT_NAME = frozenset(
    """ministry defence defense staff forces force brigade group institute army guard service
    council office administration command news independent post times press corps general
    russian ukrainian ukraine russia kremlin moscow kyiv military armed state air navy national
    border southern northern eastern western central operational strategic tactical the a
    president minister governor mayor spokesperson spokesman spokeswoman commander chief head
    colonel captain lieutenant major sergeant deputy""".split()
)
_KNOWN_PEOPLE: dict[str, str] = {}
for _cat, _names in (
    (
        "russian_officials",
        "putin peskov lavrov zakharova medvedev ushakov nebenzia pushilin "
        "balitsky saldo pasechnik podolyaka",
    ),
    ("russian_mod", "belousov shoigu gerasimov konashenkov"),
    (
        "ukrainian_officials",
        "zelensky zelenskyy zelenskiy sybiha kuleba yermak shmyhal svyrydenko "
        "umerov lubinets podolyak",
    ),
    (
        "ukrainian_military",
        "syrskyi syrsky zaluzhnyi zaluzhny voloshyn trehubov tryhubov tregubov "
        "ihnat pletenchuk lykhovyi demchenko budanov brovdi",
    ),
    (
        "local_authorities",
        "syniehubov synehubov filashkin lysak prokudin vilkul terekhov klitschko "
        "gladkov khinshtein sadovyi lyakh starukh malashko kiper",
    ),
):
    for _n in _names.split():
        _KNOWN_PEOPLE[_n] = _cat

_HEDGE = re.compile(
    r"\b(?:likely|probably|possibly|apparently|appear(?:s|ed)?\s+to|assess(?:ed|es)?|"
    r"estimated?)\b",
    re.I,
)
_MONITORS = frozenset({"deepstate", "isw"})
_RUSSIAN_SIDE = frozenset({"russian_mod", "russian_officials"})

# --------------------------------------------------------------------------------------------
# Negation, actors, places
# --------------------------------------------------------------------------------------------

_CLAUSE_CUT = re.compile(
    r"[,;:()“”\"—–]|\b(?:but|because|although|though|while|whereas|which|who|that|and|when|"
    r"after|before|since|if|as|despite)\b",
    re.IGNORECASE,
)
_NEG_WINDOW = re.compile(
    r"(?:\b(?:not|never|no|cannot|nor|without)|n['’]t|\bunable\s+to|\bfail(?:ed|s|ing)?\s+to|"
    r"\bunlikely\s+to|\bno\s+longer)\b(?P<rest>(?:\s+[\w’'-]+){0,4}?)\s*$",
    re.IGNORECASE,
)
_NEG_IS_FRAME = re.compile(
    r"\b(?:confirm\w*|verif\w*|comment\w*|say|said|know|known|clear|observed|only)\b", re.I
)
_QUALIFIED = re.compile(
    r"\b(?:stable|full|fully|complete|completely|effective|firm|firmly|total|entire|entirely)\b",
    re.I,
)
_SIDE = re.compile(
    r"(?P<ru>\bRussian?s?\b|\bRussia['’]s|\bMoscow['’]s|\benemy\b|\boccupiers?\b|\bKremlin)|"
    r"(?P<ua>\bUkrainians?\b|\bUkraine['’]s|\bKyiv['’]s|\bour\s+(?:forces|troops|units|"
    r"defenders|soldiers)|\bdefenders\b)",
    re.IGNORECASE,
)
_CONTROL_SKIP_BEFORE = re.compile(
    r"\b(?:regain\w*|retak\w*|retook|restor\w*|recover\w*|maintain\w*|retain\w*|keep\w*|kept|"
    r"hold\w*|held|arms|fire|border|air\s+traffic|mission|quality|birth|damage|crowd|operational|"
    r"chang\w*)\s+(?:the\s+)?"
    r"(?:\w+\s+)?$",
    re.I,
)
_CONTROL_NP_AFTER = re.compile(
    r"^\s*(?:of|over)\b|^\s+(?:the|these|those|its|their|most|all|much|part|parts|about|nearly|"
    r"almost|\d|more|less|roughly|around|some|large|half|a\s+(?:third|fifth|quarter)|"
    r"(?-i:[A-Z]))",
    re.I,
)
_CONTROL_BEFORE_OK = re.compile(
    r"\b(?:under|in|no|full|complete|total|effective|stable|firm|partial)\s+(?:\w+\s+)?$", re.I
)
_CAPTURE_NOT_PLACE = re.compile(
    rf"^\s+(?:{_W}\s+){{0,3}}?(?:soldiers|servicemen|prisoners|POWs|troops|tanks?|equipment|"
    r"weapons|vehicles|documents|fighters|mercenaries|personnel|men|on\s+(?:video|camera|film)|"
    r"in\s+(?:footage|images?|photos?|a\s+video))\b",
    re.I,
)
_PASSIVE_REPULSE = re.compile(r"\b(?:was|were|been|being|are|is)\s+(?:\w+ly\s+)?$", re.I)
_AVERTED = re.compile(
    r"\b(?:avoid|avoiding|prevent|preventing|averting|avert|risk\s+of|threat\s+of|fears?\s+of|"
    r"danger\s+of|possibility\s+of|prospect\s+of)\s+(?:an?\s+|the\s+|further\s+|new\s+)?$",
    re.I,
)
_MILITARY_SUBJECT = re.compile(
    r"\b(?:enemy|troops|forces|soldiers|units|russians|occupiers|invaders|fighters)\s+"
    r"(?:\w+\s+)?$",
    re.I,
)
_PEACE_AFTER = re.compile(r"\s+for\s+(?:peace|talks|sanctions|a\s+deal|negotiat)", re.I)
_PEACE_BEFORE = re.compile(
    r"\b(?:peace|diplomatic|sanctions|political|legislative|lobbying|pr)\s+$", re.I
)
_AGENT_AFTER = re.compile(
    r"^(?:\s+(?:on|in|last|this|early|late)\s+\w+)?(?:,\s+\w+,)?"
    r"(?P<aux>(?:\s+(?:has|have|had|is|are|was|were|been|being|be|will|would|could|may|might|"
    r"can|should|must|also|already|"
    r"now|then|"
    r"previously|reportedly|again|still|itself|first|\w+ly|not|never))*)\s+"
    r"(?P<verb>[A-Za-z][\w-]*)",
)
_AGENT_VERBS = re.compile(
    r"(?:captur|seiz|took|tak|enter|advanc|attack|struck|strik|shell|bomb|launch|fir|target|hit|"
    r"push|liberat|recaptur|retook|retak|occup|annex|control|say|said|claim|announc|confirm|"
    r"deni|deny|report|stat|told|tell|insist|reject|disput|declar|accus|warn|seek|sought|want|"
    r"demand|gain|withdr|evacuat|repel|repuls|encircl|invad|sent|send|us|continu|began|begin|"
    r"start|aim|tri|try|attempt|assert|acknowledg|admit|reclaim|regain|dismiss|indicat|"
    r"cautio|add|wrote|writ|not|open|threat|demand|insist|accept|agre|intensif|escalat|utiliz|"
    r"celebrat|los[te]|fire|releas|publish|eye|view|launch|renew|resum|stepp|step|pound)\w*$",
    re.I,
)
_PASSIVE_AUX = re.compile(r"\b(?:is|are|was|were|been|being|be)\b")
_ACTOR_POSSESSIVE = re.compile(
    r"^['’]s\s+(?:[\w-]+\s+){0,2}?(?:forces|troops|military|army|armed|defen[cs]e|ministry|"
    r"government|president|officials?|leader(?:ship)?|brigade|corps|navy|air|command|"
    r"general|foreign|soldiers|units|grouping|offensive|invasion|war|attacks?|strikes?|"
    r"claims?|drones?|missiles?|campaign|proxies|envoy|parliament|security|"
    r"intelligence|delegation|negotiators?|side|\d+\w*|special|demands|position|onslaught|"
    r"troops|assaults?|shelling|bombardment|terms|conditions|proposal|plan|aims|goals|"
    r"ambitions|grip|term|word|euphemism|version|narrative|military-"
    r"industrial)\b",
    re.I,
)
_POSSESSIVE = re.compile(r"^['’]s\b")
_NEW_PERSON = re.compile(
    r"(?:^|[.!?]\s+|\n)[“\"]?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,\s+(?:a|an|the)\s", re.M
)
_CAPITALS = frozenset(
    {"kyiv", "kiev", "moscow", "washington", "minsk", "brussels", "ukraine", "russia"}
)
_POLITICAL_BEFORE = re.compile(
    r"\b(?:for|to|with|from|against|by|between|on\s+whether|catching|pressure\s+on)\s+$", re.I
)
_COORDINATED_ACTOR = re.compile(
    r"^\s+and\s+(?:[\w-]+\s+){0,2}?(?:forces|troops|militar\w*|army|armies|units)\b", re.I
)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|near|of|at|toward|towards|to|into|from|around|outside|on|for|by|across|through|"
    r"over|inside|within|against|beyond|between)\s+(?:the\s+)?$",
    re.I,
)
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .]*)?\s*(?:\([^)]*\)\s*)?[—–-]")
#: Country names: an "other" claim about a whole country says nothing a map can show.
_COUNTRIES = frozenset({"russia", "ukraine", "russian federation", "belarus", "u.s.", "us"})
_PAREN_REFERENCE = re.compile(rf"\((?:[^()]*?\b)?(?:{_DIRECTIONS}|both|all)\b[^()]*$", re.I)
_COORDINATION = re.compile(r"^\s*(?:,|,?\s*(?:and|or|&))\s*(?:the\s+)?$", re.I)
_PASSIVE_GAP = re.compile(
    r"^(?:\s+|[\s,]*(?:(?:which|that|who|where)\s+)?(?:(?:has|have|had|is|are|was|were|being|"
    r"been|be|also|now|reportedly|already|largely|fully|partially|almost|nearly|completely|just|"
    r"recently|itself|still|\w+ly)\s+)*(?:has|have|had|is|are|was|were|being|been|be|which|"
    r"that)\s+(?:(?:also|now|reportedly|already|largely|fully|partially|almost|nearly|"
    r"completely|just|recently|itself|still|\w+ly)\s+)*)$",
    re.I,
)
_SUBORDINATE = re.compile(
    r",\s*(?:in\s+what|which|who|as(?!\s+well)|while|whereas|although|though|but|amid|after|"
    r"before|when|"
    r"where|despite|even|sparking|prompting|raising)\b",
    re.I,
)
_REFERS_TO_CLAIM = re.compile(
    r"\s+(?:it|this|that|them|these|those|the\s+(?:claims?|reports?|statement|announcement))"
    r"(?:\s+(?:claims?|reports?))?\s*(?:[,.;:!?)]|$)",
    re.I,
)
_CONTRAST = re.compile(r";|,\s*(?:but|while|whereas|although|though|yet)\b", re.I)
_AUX_ONLY = re.compile(
    r"\s*(?:(?:had|have|has|were|was|been|also|reportedly|\w+ly)\s+)*(?:[\w’'-]+\s+){0,2}?$", re.I
)
_CONCESSIVE = re.compile(r",\s*(?:even\s+though|although|though|whereas|while|even\s+as)\b", re.I)
_CLAUSE_WORDS = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|could|can|did|does|do|may|might)\b", re.I
)
_CLAUSE_CLOSE = re.compile(
    r"\s*(?:[,.;:!?)”\"’\[]|$|(?:on|in|at|to|by|during|late|early|earlier|later|this|last|via|"
    r"through|after|before|when|while|as|adding|citing|according|hours|days)\b|"
    r"\w+day\b|(?-i:[A-Z]))",
    re.I,
)
_FRONTED_LOCATIVE = re.compile(r"[\s“\"]*(?:In|Near|Around|Outside|At|Inside|Along)\b")
_FRONTED_ADVERBIAL = re.compile(
    r"[\s“\"]*(?:[A-Z]\w*ly,\s*)?(?:Following|During|As|After|Before|While|Since|With|Despite|"
    r"Amid|Although|Though|When|Once|Until|Prior|Ahead|Because|If|Unlike|Like|Even|Ironically|"
    r"Meanwhile|For|Over|Throughout|Apart|Besides)\b"
)
_ANAPHOR = re.compile(
    r"\b(?:the|this|that|these|those|both|the\s+two|the\s+three)\s+(?:two\s+|three\s+)?"
    r"(?:villages?|towns?|city|cities|settlements?|regions?|oblasts?|areas?|localit(?:y|ies)|"
    r"hamlets?|district)\b|\bthere\b",
    re.I,
)
_PRONOUN_START = re.compile(
    r"^[\s“\"‘]*(?:they|it|he|she|we|the\s+enemy|the\s+russians|russian\s+(?:forces|troops))\b",
    re.I,
)
_LABEL = re.compile(r"[\[\]\d\s]*(?P<label>[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,5}?):\s")
_INTENT_LABEL = re.compile(r"\b(?:objective|goal|aim|task|mission|plans?|intent\w*)\b", re.I)
_REGION_NOUN = re.compile(r"\b(?:regions?|oblasts?|provinces?|raions?|districts?|areas?)\b", re.I)
_SETTLEMENT_NOUN = re.compile(
    r"\b(?:villages?|towns?|city|cities|settlements?|hamlets?|localit(?:y|ies))\b", re.I
)
_REFERRING = re.compile(r"^[\s\w]{0,30}?\breferring\s+to\b", re.I)


# --------------------------------------------------------------------------------------------
# Internal records
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Frame:
    lo: int  # first character of the attribution (claimant or verb)
    hi: int  # last character + 1
    verb_start: int
    verb_end: int
    stance: str
    claimant: str | None
    text: str | None
    postposed: bool
    transparent: bool
    noun: bool = False
    person: bool = False
    np_span: Span | None = None
    reaction: bool = False  # "…, a claim Kyiv rejected", "…, which Ukraine's military denied"


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    event: str
    flag: str
    places: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class _History:
    doc: str = ""
    entries: list[tuple[int, str, bool, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def last(self, pos: int, *, person: bool | None) -> tuple[str, str] | None:
        """The claimant a pronoun at ``pos`` refers to (None when unclear)."""
        for p, cat, is_person, text in reversed(self.entries):
            if p > pos:
                continue
            if pos - p > 800:
                return None
            if person is None or is_person == person:
                if person and _NEW_PERSON.search(self.doc, p + len(text), pos):
                    return None  # "Katerina, a mother of two, fled …  “…,” she said."
                return cat, text
        return None

    def last_matching(self, pos: int, pattern: re.Pattern[str]) -> tuple[str, str] | None:
        for p, cat, _, text in reversed(self.entries):
            if p <= pos and pos - p <= 1500 and pattern.search(text):
                return cat, text
        return None


# --------------------------------------------------------------------------------------------
# Claimant classification
# --------------------------------------------------------------------------------------------


def _category(np: str) -> str | None:
    for cat, rule in _CATEGORY_RULES:
        if rule.search(np):
            if cat == "ukrainian_officials" and _MEDIA.search(np):
                continue
            return cat
    return None


def _names(np: str) -> list[str]:
    """Surnames in a noun phrase: the last of two or more capitalised words that are not titles
    or organisation words ("Captain Oleksandr Marchenko" -> Marchenko)."""
    out = []
    for m in _CAPITALISED_RUN.finditer(np):
        words = [w for w in m.group(0).split() if w.lower().strip("’'") not in _NOT_NAME]
        if len(words) >= 2:
            out.append(words[-1])
    return out


def _is_person(np: str) -> bool:
    return bool(_TITLE.search(np) or _names(np)) or np.lower() in ("he", "she")


def _classify(np: str, pos: int, hist: _History) -> tuple[str | None, bool]:
    """Category of a claimant noun phrase (None: unknown speaker or media) and whether a person."""
    np = np.strip()
    if not np:
        return None, False
    low = np.lower()
    if _PRONOUN.match(np):
        if low in ("he", "she") or low.startswith(("his", "her")):
            found = hist.last(pos, person=True)
        elif low == "it" or low.startswith("its"):
            found = hist.last(pos, person=False) or hist.last(pos, person=None)
        else:
            found = hist.last(pos, person=None)
        if found is None and low.startswith(("his", "her", "its")):
            return (
                None,
                False,
            )  # resolved by the caller from the sentence ("Zelensky …, his office said")
        return (found[0] if found else None), low in ("he", "she")
    person = _is_person(np)
    cat = _category(np)
    words = re.findall(r"[\w’'-]+", low)
    if cat is None:
        for w in reversed(words):
            if w in hist.names:
                return hist.names[w], True
            if w in _KNOWN_PEOPLE:
                return _KNOWN_PEOPLE[w], True
    if cat is None and _MEDIA.search(np):
        return None, False
    if cat is None and re.match(r"^(?:the\s+)?(?:defen[cs]e\s+)?ministry\b", np, re.I):
        found = hist.last_matching(pos, re.compile(r"ministry|MoD", re.I))
        return (found[0] if found else None), False
    if cat is None and re.match(
        r"^(?:the|this|that)\s+(?:\w+\s+)?(?:footage|imagery|video)", np, re.I
    ):
        found = hist.last_matching(pos, re.compile(r"footage|imagery|geolocat", re.I))
        return (found[0] if found else None), False
    if cat is None and re.search(r"\b(?:analysts?|experts?|observers?|commentators?)\b", np, re.I):
        return None, person
    if cat is None and _GENERIC_MILITARY.match(np):
        found = hist.last_matching(
            pos, re.compile(r"spokes|command|military|army|brigade|forces|troops|staff", re.I)
        )
        if found and found[0] in ("russian_mod", "ukrainian_military"):
            return found[0], person
        return "ukrainian_military", person
    if cat is None and _GENERIC_RUSSIA.search(np):
        cat = "russian_officials"
    return cat, person


def _register(np: str, cat: str, hist: _History) -> None:
    for name in _names(np):
        hist.names.setdefault(name.lower(), cat)


# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------


def _np_before(text: str, lo: int, pos: int) -> tuple[int, int, str, str]:
    """The claimant noun phrase ending at ``pos`` (subject of a verb), its span and boundary."""
    last = None
    for m in _BOUNDARY.finditer(text, lo, pos):
        last = m
    start = last.end() if last else lo
    boundary = last.group(0).lower() if last else ""
    seg = text[start:pos]
    lead = _NP_LEAD.match(seg)
    if lead:
        start += lead.end()
        seg = seg[lead.end() :]
    trail = _NP_TRAIL.search(seg)
    if trail:
        seg = seg[: trail.start()]
    return start, start + len(seg), seg.strip(), boundary


def _np_after(text: str, pos: int, hi: int) -> tuple[int, int, str]:
    m = _NP_AFTER_END.search(text, pos, hi)
    end = m.start() if m else hi
    seg = text[pos:end]
    stripped = seg.strip()
    start = pos + (len(seg) - len(seg.lstrip()))
    return start, start + len(stripped), stripped


def _appositives(
    text: str, ss: int, cut: int, pos: int, hist: _History
) -> list[tuple[int, int, str]]:
    """Comma-separated noun phrases before ``cut``, right to left, up to the first that names a
    claimant (and a bare name just before it): the subject of "…, X, said"."""
    segs: list[tuple[int, int, str]] = []
    while cut > ss and len(segs) < 3:
        prev = text.rfind(",", ss, cut)
        seg_start = prev + 1 if prev >= 0 else ss
        lead = _NP_LEAD.match(text, seg_start, cut)
        s2 = lead.end() if lead else seg_start
        np2 = text[s2:cut].strip()
        if not np2 or len(np2.split()) > 16 or re.search(r"[“”\"]", np2):
            break
        s2 = text.index(np2, s2)
        segs.insert(0, (s2, s2 + len(np2), np2))
        if _classify(np2, pos, hist)[0]:
            if prev > ss:
                p2 = text.rfind(",", ss, prev)
                name = text[(p2 + 1 if p2 >= 0 else ss) : prev].strip()
                if name and len(name.split()) <= 4 and all(w[0].isupper() for w in name.split()):
                    n0 = text.index(name, p2 + 1 if p2 >= 0 else ss)
                    segs.insert(0, (n0, n0 + len(name), name))
            return segs
        if prev < 0:
            break
        cut = prev
    return segs if segs and _classify(", ".join(x[2] for x in segs), pos, hist)[0] else segs[-1:]


def _first_claimant(text: str, lo: int, hi: int) -> tuple[str, int, int] | None:
    """The earliest claimant named in ``text[lo:hi]`` (the subject of a trailing participle)."""
    best: tuple[int, str, int] | None = None
    for cat, rule in [*_CATEGORY_RULES, ("russian_officials", _GENERIC_RUSSIA)]:
        m = rule.search(text, lo, hi)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), cat, m.end())
    return (best[1], best[0], best[2]) if best else None


def _frames(
    text: str, sentences: list[Span], hist: _History, candidates: list[int]
) -> list[_Frame]:
    frames: list[_Frame] = []
    i = 0
    for ss, se in sentences:
        in_sentence: list[_Frame] = []
        while i < len(candidates) and candidates[i] < ss:
            i += 1
        done = ss
        while i < len(candidates) and candidates[i] < se:
            pos = candidates[i]
            i += 1
            if pos < done:
                continue
            m = _SPEECH_RE.match(text, pos, se)
            if m is None:
                continue
            done = m.end()
            frame = _frame(text, m, ss, se, in_sentence, hist)
            if frame is None:
                continue
            in_sentence.append(frame)
            if frame.claimant and frame.text:
                hist.entries.append((frame.lo, frame.claimant, frame.person, frame.text))
                if frame.person:
                    _register(frame.text, frame.claimant, hist)
        frames.extend(in_sentence)
    return frames


def _frame(
    text: str, m: re.Match[str], ss: int, se: int, previous: list[_Frame], hist: _History
) -> _Frame | None:
    before = text[max(ss, m.start() - 60) : m.start()]
    if m.group("nconf"):
        start, end, np, _ = _np_before(text, ss, m.start())
        np = re.sub(r"\s+(?:has|have|had|is|are|was|were|there)$", "", np)
        np = re.sub(r"^(?:there\s+(?:is|was|are|were)|there)$", "", np, flags=re.I)
        cat, person = _classify(np, m.start(), hist)
        if cat is None and np.lower() in ("it", "they") and previous:
            cat, person = previous[-1].claimant, previous[-1].person
        return _Frame(
            m.start(),
            m.end(),
            m.start(),
            m.end(),
            "disputed",
            cat,
            np or None,
            postposed=False,
            transparent=False,
            person=person,
        )
    if m.group("acc"):
        start, end, np = _np_after(text, m.end(), se)
        if not np:
            return None
        cat, person = _classify(np, m.start(), hist)
        postposed = bool(re.search(r"[,—–(]\s*$", before))
        stance = "claimed"
        return _Frame(
            m.start(),
            end,
            m.start(),
            m.end(),
            stance,
            cat,
            np,
            postposed,
            transparent=cat is None and bool(_MEDIA.search(np) or "cited" in m.group("acc")),
            person=person,
            np_span=(start, end),
        )
    if m.group("media"):
        start, end, np, _ = _np_before(text, ss, m.start())
        cat, person = _classify(np, m.start(), hist)
        if cat is None:
            return None
        return _Frame(
            start,
            m.end(),
            m.start(),
            m.end(),
            "claimed",
            cat,
            np,
            postposed=False,
            transparent=False,
            person=person,
            np_span=(start, end),
        )
    verb = m.group("verb")
    low = verb.lower()
    if verb[0].isupper() and m.start() != ss and low not in ("assessed",):
        return None
    stance = _STANCE_OF_VERB[low]
    if _FRAME_NEG_BEFORE.search(before) and stance in ("confirmed", "claimed", "reported"):
        if stance != "confirmed":
            return None  # "has not claimed", "did not say": nobody claims anything
        stance = "disputed"
    prev_word = before.rstrip().rsplit(None, 1)[-1].lower() if before.strip() else ""
    noun = low in _NOUNISH and bool(
        _DETERMINER_BEFORE.search(before)
        or not before.strip()
        or prev_word in _STANCE_OF_VERB
        or prev_word in ("russian", "ukrainian", "kremlin", "western", "unconfirmed")
    )
    if noun:
        owner = _NOUN_OWNER_BEFORE.search(before)
        if not owner:
            return None
        np = owner.group("poss") or owner.group("adj")
        np = re.sub(r"['’]s$", "", np).strip()
        np = _BOUNDARY.split(np)[-1].strip()
        cat, person = _classify(np, m.start(), hist)
        if cat is None:
            return None
        lo = m.start() - len(before) + owner.start()
        return _Frame(
            lo,
            m.end(),
            m.start(),
            m.end(),
            "claimed" if stance == "reported" else stance,
            cat,
            np,
            postposed=False,
            transparent=False,
            noun=True,
            person=person,
        )
    if re.search(r"\b(?:the|a|an|its|their|his|her|our|this|that|these|those)\s+$", before, re.I):
        return None  # "the claimed territory", "the estimated Russian advance"
    if _PASSIVE_BEFORE.search(before):
        after = re.match(r"\s+by\s+", text[m.end() : se])
        if not after:
            return None
        start, end, np = _np_after(text, m.end() + after.end(), se)
        cat, person = _classify(np, m.start(), hist)
        return _Frame(
            m.start(),
            end,
            m.start(),
            m.end(),
            stance,
            cat,
            np or None,
            postposed=bool(re.search(r"[,—–]\s*(?:as\s+)?(?:was\s+|were\s+)?$", before)),
            transparent=cat is None and bool(_MEDIA.search(np)),
            person=person,
        )
    if low in _PARTICIPLES and re.search(r",\s*$", before) and previous:
        prev = previous[-1]
        return _Frame(
            m.start(),
            m.end(),
            m.start(),
            m.end(),
            stance
            if stance != "claimed"
            else prev.stance
            if prev.stance in ("denied", "disputed")
            else stance,
            prev.claimant,
            prev.text,
            postposed=False,
            transparent=prev.transparent,
            person=prev.person,
        )
    inverted = False
    if re.search(r"[,”\"’]\s*$", before) and re.match(
        r"\s+(?:the\s+|a\s+|an\s+)?(?-i:[A-Z])", text[m.end() : se]
    ):
        _, _, after_np = _np_after(text, m.end(), se)
        inverted = (
            len(after_np.split()) <= 8
            and not _CLAUSE_WORDS.search(after_np)
            and not _TRIGGER_RE.search(after_np)
        )  # "…,” said Kremlin spokesperson Dmitry Peskov"; not "…, said Russian troops were …"
    if inverted:
        start, end, np = _np_after(text, m.end(), se)
        cat, person = _classify(np, m.start(), hist)
        if cat is None:  # "said Viktor Trehubov, spokesman for the Khortytsia group"
            nxt = re.match(r",\s*", text[end:se])
            if nxt:
                _, e2, np2 = _np_after(text, end + nxt.end(), se)
                cat2, _ = _classify(np2, m.start(), hist)
                if cat2:
                    cat, end, np, person = cat2, e2, f"{np}, {np2}", True
        return _Frame(
            m.start(),
            end,
            m.start(),
            m.end(),
            stance,
            cat,
            np or None,
            postposed=True,
            transparent=cat is None and bool(_MEDIA.search(np)),
            person=person,
            np_span=(start, end),
        )
    lo = max([ss] + [f.verb_end for f in previous if f.verb_end <= m.start()])
    start, end, np, boundary = _np_before(text, lo, m.start())
    reaction = False
    if boundary in ("which", "that") and np and _STANCE_OF_VERB[low] in ("denied", "disputed"):
        reaction = True  # "…, which Ukraine's military denied"
    elif boundary in ("who", "which") or (not np and boundary == ","):
        # "Witkoff, who said"; "…administration, Ivan Fedorov, said";
        # "Dmitry Medvedev, Russia's former president …, indicated"
        segs = _appositives(text, ss, text.rfind(",", ss, max(ss, start)), m.start(), hist)
        if segs:
            start, end = segs[0][0], segs[-1][1]
            np = text[start:end].strip()
    if not np and boundary in ("and", "but", "or") and previous:
        prev = previous[-1]
        return _Frame(
            m.start(),
            m.end(),
            m.start(),
            m.end(),
            stance,
            prev.claimant,
            prev.text,
            postposed=False,
            transparent=prev.transparent,
            person=prev.person,
        )
    if not np and low in _PARTICIPLES:
        found = _first_claimant(text, ss, m.start())  # "Russia used Dnipro …, claiming to"
        if found is None:
            return None
        cat, fs, fe = found
        return _Frame(
            m.start(),
            m.end(),
            m.start(),
            m.end(),
            stance,
            cat,
            text[fs:fe],
            postposed=False,
            transparent=False,
            np_span=(fs, fe),
        )
    if len(np.split()) > 14:
        np = " ".join(np.split()[-14:])
    cat, person = _classify(np, m.start(), hist)
    if cat is None and re.match(r"(?:his|her|its|their)\s", np, re.I):
        found = _first_claimant(text, ss, start)  # "Zelensky visited …, his office said"
        if found is not None:
            cat = found[0]
    if cat is None and low.startswith("assess"):
        cat = "isw"
    claim_noun = _A_CLAIM.match(np)
    if claim_noun and _STANCE_OF_VERB[low] in ("denied", "disputed", "confirmed"):
        reaction = True  # "…, a claim Kyiv rejected"
        start += claim_noun.end()
        np = np[claim_noun.end() :]
        cat, person = _classify(np, m.start(), hist)
    postposed = (
        bool(np)
        and not reaction
        and bool(re.search(r"[,”\"’—–]\s*$", text[max(ss, start - 4) : start]))
        and bool(_CLAUSE_CLOSE.match(text, m.end(), min(se, m.end() + 40)))
        and not re.match(r"(?:part\s+of\s+)?what\b", np, re.I)
    )
    return _Frame(
        start if np else m.start(),
        m.end(),
        m.start(),
        m.end(),
        stance,
        cat,
        np or None,
        postposed,
        transparent=cat is None and bool(_MEDIA.search(np)) if np else True,
        person=person,
        np_span=(start, end) if np else None,
        reaction=reaction,
    )


_A_CLAIM = re.compile(
    r"(?:a|an|the)\s+(?:\w+\s+)?(?:claim|report|assertion|statement|allegation)\s+", re.I
)


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

_FOOTNOTE_SPLIT = re.compile(r"[.!?][”\"’)]*(?:\[\d+\])+(?=\s+\S)")
_CONTINUING_WORDS = frozenset(
    """the a an of in on at to for with by from and or but nor eastern western northern southern
    central its their his her our into near toward towards as that which who than whose""".split()
)
_SENTENCE_TERMINAL = frozenset('.!?:;”"’)]…')


def _sentences(text: str, start: int, end: int) -> list[Span]:
    """:func:`tracker.mentions.sentence_spans`, with hard-wrapped lines joined and citation
    markers ("….[45] A Russian milblogger") treated as sentence ends."""
    out: list[Span] = []
    for ss, se in sentence_spans(text, start, end):
        if out:
            ps, pe = out[-1]
            gap = text[pe:ss]
            tail = text[pe - 1] if pe > ps else "."
            if gap.count("\n") == 1 and not gap.strip() and tail not in _SENTENCE_TERMINAL:
                head = text[ss]
                last_word = text[ps:pe].rsplit(None, 1)[-1].lower()
                if head.islower() or (tail == "," or last_word in _CONTINUING_WORDS):
                    out[-1] = (ps, se)  # a line wrapped inside a sentence
                    continue
        out.append((ss, se))
    split: list[Span] = []
    for ss, se in out:
        pos = ss
        for m in _FOOTNOTE_SPLIT.finditer(text, ss, se):
            split.append((pos, m.end()))
            pos = m.end()
            while pos < se and text[pos].isspace():
                pos += 1
        if pos < se:
            split.append((pos, se))
    return split


# --------------------------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------------------------


def _quotes(text: str, start: int, end: int) -> list[Span]:
    regions: list[Span] = []
    open_at: int | None = None
    straight = False
    for m in re.finditer(r"[“”\"\n]", text[start:end]):
        pos = start + m.start()
        ch = m.group(0)
        if ch == "\n":
            if open_at is not None:
                regions.append((open_at, pos))
            open_at = None
        elif ch == "“" or (ch == '"' and open_at is None):
            if open_at is not None and not straight:
                regions.append((open_at, pos))
            open_at, straight = pos, ch == '"'
        elif open_at is not None:
            regions.append((open_at, pos + 1))
            open_at = None
    if open_at is not None:
        regions.append((open_at, end))
    return regions


def _quote_speaker(text: str, q: Span, frames: list[_Frame], starts: list[int]) -> _Frame | None:
    i = bisect_left(starts, q[1] - 1)
    for f in frames[i : i + 3]:
        gap = text[q[1] : f.lo] if f.lo >= q[1] else None
        if gap is not None and len(gap) <= 4 and re.fullmatch(r"[\s,.;]*", gap):
            return f
    j = bisect_right(starts, q[0]) - 1
    while j >= 0 and frames[j].hi > q[0]:
        j -= 1
    if j >= 0:
        f = frames[j]
        gap = text[f.hi : q[0]]
        if len(gap) <= 60 and not re.search(r"[.!?”\"]", gap) and re.search(r"[:,]\s*$", gap):
            return f
        if re.fullmatch(r"[\s.]{1,3}", gap) and re.search(
            r"[”\"][\s,]*$", text[max(0, f.lo - 4) : f.lo]
        ):
            return f  # “…,” she said. “…”: the same speaker goes on
    return None


# --------------------------------------------------------------------------------------------
# Triggers and places
# --------------------------------------------------------------------------------------------


def _clause_start(text: str, ss: int, pos: int) -> int:
    last = ss
    for m in _CLAUSE_CUT.finditer(text, max(ss, pos - 120), pos):
        last = m.end()
    return last


def _side(text: str, lo: int, hi: int) -> str | None:
    side = None
    for m in _SIDE.finditer(text, lo, hi):
        side = "ru" if m.group("ru") else "ua"
    return side


def _keep_trigger(text: str, ss: int, se: int, m: re.Match[str], flag: str) -> str | None:
    """None to drop the trigger, else a possibly updated event flag."""
    s, e = m.start(), m.end()
    before = text[max(ss, s - 40) : s]
    after = text[e : min(se, e + 60)]
    if _AVERTED.search(before):
        return None  # "withdrew … to avoid encirclement", "fears of an offensive"
    if flag == "control":
        word = m.group(0).lower()
        if _CONTROL_SKIP_BEFORE.search(before):
            return None
        bare = word.startswith("control")
        if bare and not (_CONTROL_NP_AFTER.match(after) or _CONTROL_BEFORE_OK.search(before)):
            return None
        if re.match(r"\s*(?:of|over|by)\s+(?:the\s+)?(?:Ukrain|Kyiv)", after, re.I):
            return None
        if re.search(r"(?:Ukrainian|Ukraine['’]s|Kyiv['’]s)\s+(?:\w+\s+)?$", before, re.I):
            return None
        if _side(text, _clause_start(text, ss, s), s) == "ua" and not word.startswith("los"):
            return None
    elif flag == "flee":
        if _MILITARY_SUBJECT.search(before):
            return None  # "the enemy fled": a retreat, not an evacuation
    elif flag == "capture":
        if _CAPTURE_NOT_PLACE.match(after):
            return None
    elif flag == "push" and (_PEACE_BEFORE.search(before) or _PEACE_AFTER.match(after)):
        return None  # "the U.S. peace push", "a push for talks"
    return flag


def _negation(text: str, ss: int, t: _Trigger) -> tuple[bool, bool]:
    """(negated, qualified) for the trigger from the words before it in its clause."""
    lo = _clause_start(text, ss, t.start)
    window = text[lo : t.start]
    m = _NEG_WINDOW.search(window)
    if not m:
        return False, False
    rest = m.group("rest")
    if _NEG_IS_FRAME.search(rest):
        return False, False
    qualified = bool(_QUALIFIED.search(rest) or _QUALIFIED.search(text[t.start : t.end]))
    return True, qualified


def _excluded_spans(
    text: str, ss: int, spans: list[Span], frames: list[_Frame]
) -> tuple[list[Span], list[Span], list[Span]]:
    """The sentence's spans that are places the claims are about; the places named inside a
    local authority's name ("Kharkiv Governor …") and inside any claimant's name ("the Siversk
    tactical group"), which stand in when nothing else is left."""
    keep: list[Span] = []
    actors: list[Span] = []
    in_claimant: list[Span] = []
    named = [f for f in frames if f.claimant or f.transparent]
    np_spans = [f.np_span for f in named if f.np_span] + [
        (f.lo, f.verb_start) for f in named if f.lo < f.verb_start
    ]
    local = [
        f.np_span for f in frames if f.claimant == "local_authorities" and f.np_span is not None
    ]
    dl = _DATELINE.match(text, ss, min(len(text), ss + 60))
    dateline_end = dl.end() if dl else -1
    for i, (s, e) in enumerate(spans):
        after = text[e : e + 80]
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if e <= dateline_end:
            actors.append((s, e))
            continue
        if any(a <= s and e <= b for a, b in np_spans):
            actors.append((s, e))
            if text[s:e].lower() not in _CAPITALS:
                in_claimant.append((s, e))
            continue
        if _ACTOR_POSSESSIVE.match(after):
            actors.append((s, e))
            continue
        if nxt and _POSSESSIVE.match(after) and nxt[0] - e < 40:
            actors.append((s, e))  # container: "Russia's Kursk region", "Kherson's district"
            continue
        if text[s:e].lower() in _CAPITALS and _POLITICAL_BEFORE.search(text, max(ss, s - 20), s):
            actors.append((s, e))  # "a blow for Kyiv", "a warning to Kyiv"
            continue
        if _COORDINATED_ACTOR.match(after):
            actors.append((s, e))
            continue
        am = _AGENT_AFTER.match(after)
        if (
            am
            and _AGENT_VERBS.match(am.group("verb"))
            and not re.match(r"(?-i:[A-Z][a-z]+\s+[A-Z])", am.group("verb") + after[am.end() :])
            and not _LOCATIVE_BEFORE.search(text, max(ss, s - 12), s)
        ):
            aux = am.group("aux")
            verb = am.group("verb")
            if not (_PASSIVE_AUX.search(aux) and not verb.endswith("ing")):
                actors.append((s, e))
                continue
        keep.append((s, e))
    # parenthetical reference points: "Radkivka (north of Kupyansk)"
    refs = [sp for sp in keep if _PAREN_REFERENCE.search(text[max(ss, sp[0] - 40) : sp[0]])]
    if refs and len(refs) < len(keep):
        keep = [sp for sp in keep if sp not in refs]
    local_named = [sp for sp in in_claimant if any(a <= sp[0] and sp[1] <= b for a, b in local)]
    return keep, local_named, in_claimant


def _assign_places(
    text: str, ss: int, triggers: list[_Trigger], places: list[Span], frames: list[_Frame]
) -> None:
    """Give each place to the event it belongs to: the trigger before it (objects follow their
    verb) unless it is the subject of a passive or intransitive trigger after it."""
    if not triggers:
        return
    barriers = [f.verb_start for f in frames if f.postposed]
    verbs = [f.verb_start for f in frames]
    starts = [t.start for t in triggers]
    ends = [t.end for t in triggers]
    # coordinated spans ("Zaporizke and Novoheorhiivka") share a trigger
    groups: list[list[Span]] = []
    for sp in places:
        if groups and _COORDINATION.match(text[groups[-1][-1][1] : sp[0]]):
            groups[-1].append(sp)
        else:
            groups.append([sp])
    fronted: dict[int, list[Span]] = {}
    for group in groups:
        last_end = group[-1][1]
        first_start = group[0][0]
        j = bisect_left(starts, last_end)
        nxt = triggers[j] if j < len(triggers) else None
        prev_i = bisect_right(ends, first_start) - 1
        prev = triggers[prev_i] if prev_i >= 0 else None
        if prev is not None and (
            any(prev.end <= b < first_start for b in barriers)
            or _SUBORDINATE.search(text, prev.end, first_start)
        ):
            prev = None  # "X captured A, the ministry said, as … B": B is not about the capture
        if nxt is not None and _PASSIVE_GAP.match(text[last_end : nxt.start]):
            if nxt.flag == "expel":
                continue  # "Ukraine had been driven out": the expelled, not the place
            target = nxt
        elif prev is not None:
            target = prev
        elif nxt is not None:
            if any(last_end <= v < nxt.start for v in verbs):
                continue  # "During talks in Istanbul, Russia insisted that Kyiv withdraw …"
            if "," in text[last_end : nxt.start]:
                if _FRONTED_LOCATIVE.match(text, ss):
                    fronted.setdefault(j, []).extend(group)  # "In Vuhledar, …"
                elif _FRONTED_ADVERBIAL.match(text, ss):
                    continue  # "Following an uprising in Kyiv in 2014, Russia seized Crimea"
            target = nxt
        else:
            continue
        if target is not None:
            target.places.extend(group)
    for j, spans in fronted.items():
        own = [sp for sp in triggers[j].places if sp not in spans]
        if own:  # a fronted "In X, …" gives way to the trigger's own object
            triggers[j].places = own
    for i, t in enumerate(triggers):
        if t.places:
            continue
        for k in [*range(i - 1, -1, -1), *range(i + 1, len(triggers))]:
            if triggers[k].places:
                t.places = list(triggers[k].places)
                break


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def extract_claims(
    text: str, spans: Sequence[tuple[int, int]], *, start: int = 0, end: int | None = None
) -> list[Claim]:
    """Claims made in ``text[start:end]`` about the place mentions ``spans``.

    Parameters
    ----------
    text : str
        The document text.
    spans : sequence of (int, int)
        ``(start, end)`` offsets of the place mentions found in ``text`` (any order).
    start, end : int, optional
        Limit the extraction to this part of ``text`` (default: all of it).

    Returns
    -------
    list of Claim
        In text order. Only sentences with at least one mention (or plainly continuing one
        that has) yield claims.

    Raises
    ------
    ValueError
        When ``start``/``end`` do not delimit a part of ``text``. Spans outside
        ``text[start:end]`` are ignored.

    Examples
    --------
    >>> text = "Russian forces captured Pishchane, the Russian Defence Ministry said."
    >>> [(c.event, c.claimant, c.stance, c.negated, c.trigger)
    ...  for c in extract_claims(text, [(24, 33)])]
    [('captured', 'russian_mod', 'claimed', False, 'captured')]
    >>> text = "“They did not capture Siversk,” the brigade said."
    >>> [(c.event, c.claimant, c.stance, c.negated, c.quote)
    ...  for c in extract_claims(text, [(22, 29)])]
    [('captured', 'ukrainian_military', 'denied', True, True)]
    """
    end = len(text) if end is None else end
    if not 0 <= start <= end <= len(text):
        raise ValueError(
            f"`start`/`end` were {start!r}/{end!r} but are expected to satisfy "
            f"0 <= start <= end <= len(text) ({len(text)})"
        )
    sentences = _sentences(text, start, end)
    if not sentences:
        return []
    sorted_spans = sorted(
        (int(s), int(e)) for s, e in spans if start <= s < e <= end and e <= len(text)
    )
    hist = _History(doc=text)
    speech_at, trigger_at = _candidates(text, start, end)
    frames = _frames(text, sentences, hist, speech_at)
    frame_starts = [f.lo for f in frames]
    quotes = _quotes(text, start, end)
    speakers = {q: _quote_speaker(text, q, frames, frame_starts) for q in quotes}
    quote_starts = [q[0] for q in quotes]

    sent_starts = [s for s, _ in sentences]
    span_starts = [s for s, _ in sorted_spans]
    per_sentence: list[list[Span]] = []
    for ss, se in sentences:
        i, j = bisect_left(span_starts, ss), bisect_left(span_starts, se)
        per_sentence.append(sorted_spans[i:j])

    triggers_by_sentence: list[list[re.Match[str]]] = [[] for _ in sentences]
    for m in _trigger_matches(text, end, trigger_at):
        k = bisect_right(sent_starts, m.start()) - 1
        if k >= 0 and m.end() <= sentences[k][1]:
            triggers_by_sentence[k].append(m)

    frames_of: list[list[_Frame]] = []
    places_of: list[list[Span]] = []
    local_of: list[list[Span]] = []
    in_claimant_of: list[list[Span]] = []
    for k, (ss, se) in enumerate(sentences):
        fi, fj = bisect_left(frame_starts, ss), bisect_left(frame_starts, se)
        sframes = [f for f in frames[fi:fj] if f.verb_start < se]
        frames_of.append(sframes)
        if per_sentence[k]:
            places, local, in_claimant = _excluded_spans(text, ss, per_sentence[k], sframes)
        else:
            places, local, in_claimant = [], [], []
        places_of.append(places)
        local_of.append(local)
        in_claimant_of.append(in_claimant)

    claims: list[Claim] = []
    produced: list[list[Claim]] = [[] for _ in sentences]
    for k, (ss, se) in enumerate(sentences):
        raw = triggers_by_sentence[k]
        places = places_of[k]
        whole = False  # the places are about every event of the sentence
        if not places and local_of[k]:
            places, whole = local_of[k], True  # "Kharkiv Governor X said … in the city"
        if not places:
            if not raw:
                continue  # nothing happens, or only actors are named ("Kyiv said")
            q = _in_quote(ss, quotes, quote_starts)
            quoted_on = q is not None and q[0] < ss  # a quotation that began before
            places = _borrowed_places(
                text, k, sentences, places_of, produced, frames_of[k], quoted_on
            )
            if not places and in_claimant_of[k] and _ANAPHOR.search(text, ss, se):
                places = in_claimant_of[k]  # "a spokesperson for the Siversk group … the town"
            if not places:
                continue
            whole = True
        out = _sentence_claims(
            text,
            ss,
            se,
            raw,
            places,
            frames_of[k],
            quotes,
            quote_starts,
            speakers,
            borrowed=whole,
        )
        produced[k] = out
        claims.extend(out)
    return claims


def _candidates(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Word starts where an attribution or an event trigger may begin (one pass over words)."""
    speech_at: list[int] = []
    trigger_at: list[int] = []
    for w in _WORD.finditer(text, start, end):
        word = w.group().lower()
        if word in _SPEECH_KEYS:
            speech_at.append(w.start())
        context = _TRIGGER_CONTEXT.get(word)
        if context is not None:
            if context.match(text, w.end()):
                trigger_at.append(w.start())
        elif word.startswith(_HYPHEN_ACTORS):
            if "-" in word:
                trigger_at.append(w.start())
        elif word[:3] in _TRIGGER_KEYS and word.startswith(_TRIGGER_STEMS):
            trigger_at.append(w.start())
    return speech_at, trigger_at


def _trigger_matches(text: str, end: int, candidates: list[int]) -> list[re.Match[str]]:
    """The trigger pattern's matches at the candidate positions, left to right, not overlapping
    (what ``_TRIGGER_RE.finditer`` finds, at a tenth of the cost)."""
    out: list[re.Match[str]] = []
    done = -1
    for pos in candidates:
        if pos < done:
            continue
        m = _TRIGGER_RE.match(text, pos, end)
        if m is not None:
            out.append(m)
            done = m.end()
    return out


def _borrowed_places(
    text: str,
    k: int,
    sentences: list[Span],
    places_of: list[list[Span]],
    produced: list[list[Claim]],
    sframes: list[_Frame],
    quoted_on: bool,
) -> list[Span]:
    """Places of the sentence this one refers to ("both villages", a continuing quotation)."""
    ss, se = sentences[k]
    body = text[ss:se]
    anaphor = _ANAPHOR.search(body)
    if k + 1 < len(sentences) and anaphor:
        ns, ne = sentences[k + 1]
        if _REFERRING.match(text[ns:ne]) and places_of[k + 1]:
            # "… those settlements," Tryhubov added. He was referring to two villages, X and Y
            return _matching_kind(text, anaphor.group(0), places_of[k + 1])
    if k == 0 or "\n\n" in text[sentences[k - 1][1] : ss]:
        return []
    prev_claims = produced[k - 1]
    prev_places = sorted({sp for c in prev_claims for sp in c.place_spans})
    if not prev_places and quoted_on:
        # “We are still in Pokrovsk. The Russians were pushed back …”
        return [sp for sp in places_of[k - 1] if text[sp[0] : sp[1]].lower() not in _COUNTRIES]
    if not prev_places:
        return []
    same_speaker = bool(
        sframes
        and sframes[0].claimant
        and sframes[0].lo - ss < 20
        and sframes[0].claimant == prev_claims[-1].claimant
    )
    continuing = bool(
        anaphor
        or _PRONOUN_START.match(body)
        or body.lstrip().startswith(("“", '"'))
        or same_speaker
    )
    if not continuing:
        return []
    return _matching_kind(text, anaphor.group(0), prev_places) if anaphor else prev_places


def _matching_kind(text: str, anaphor: str, spans: list[Span]) -> list[Span]:
    """The spans an anaphor can mean: "the region" a region, "both villages" settlements."""
    if _REGION_NOUN.search(anaphor):
        kept = [sp for sp in spans if _REGION_NOUN.search(text[sp[0] : sp[1]])]
    elif _SETTLEMENT_NOUN.search(anaphor):
        kept = [sp for sp in spans if not _REGION_NOUN.search(text[sp[0] : sp[1]])]
    else:
        kept = spans
    return kept or spans


def _sentence_claims(
    text: str,
    ss: int,
    se: int,
    raw: list[re.Match[str]],
    places: list[Span],
    frames: list[_Frame],
    quotes: list[Span],
    quote_starts: list[int],
    speakers: dict[Span, _Frame | None],
    *,
    borrowed: bool = False,
) -> list[Claim]:
    triggers: list[_Trigger] = []
    label = _LABEL.match(text, ss, se)
    label_end = label.end("label") if label else ss
    if label and _INTENT_LABEL.search(label.group("label")):
        return []  # "Russian objective: Capture the entirety of Donetsk Oblast"
    for m in raw:
        if m.start() < label_end:
            continue  # "Assessed Russian advances: …"
        event, flag = _TRIGGER_INFO[m.lastgroup or ""]
        if any(f.verb_start <= m.start() < f.verb_end for f in frames):
            continue  # "claimed" is an attribution, not an event
        kept = _keep_trigger(text, ss, se, m, flag)
        if kept is None:
            continue
        triggers.append(_Trigger(m.start(), m.end(), event, kept))
    # a repulse absorbs the attack it repels: "repelled 17 Russian attacks near X"
    merged: list[_Trigger] = []
    for t in triggers:
        if (
            merged
            and merged[-1].event == "repelled"
            and t.event in ("advancing", "attacked")
            and t.start - merged[-1].end < 50
            and not re.search(r"[.;]|\b(?:and|but|while)\b", text[merged[-1].end : t.start])
        ):
            continue
        if (
            merged
            and t.event == "repelled"
            and merged[-1].event in ("advancing", "attacked")
            and t.start - merged[-1].end < 60
            and _PASSIVE_REPULSE.search(text, merged[-1].end, t.start)
        ):
            merged[-1] = t  # "Ukrainian counterattacks near Maliivka had been repelled"
            continue
        if (
            merged
            and t.event == "repelled"
            and merged[-1].event == "advancing"
            and t.start - merged[-1].end < 30
            and _AUX_ONLY.fullmatch(text, merged[-1].end, t.start)
        ):
            merged[-1] = t  # "Ukrainian counterattacks had pushed Russian forces out of …"
            continue
        merged.append(t)
    triggers = merged

    claims: list[Claim] = []
    if triggers:
        if borrowed:
            for t in triggers:
                t.places = list(places)
        else:
            _assign_places(text, ss, triggers, places, frames)
        used: set[int] = set()
        for t in triggers:
            if not t.places:
                continue
            claims.extend(_claim(text, ss, se, t, frames, quotes, quote_starts, speakers, used))
        for f in frames:
            # "Moscow claimed its troops had captured X, but the General Staff denied it"
            if (
                f.claimant
                and id(f) not in used
                and f.stance in ("denied", "disputed", "confirmed")
                and (f.reaction or _REFERS_TO_CLAIM.match(text, f.verb_end, se))
            ):
                earlier = [c for c in claims if c.trigger_end <= f.lo and c.claimant != f.claimant]
                for c in earlier:
                    used.add(id(f))
                    claims.append(
                        Claim(
                            c.event,
                            f.claimant,
                            f.text,
                            f.stance,
                            f.stance == "denied" or c.negated,
                            c.quote,
                            ss,
                            se,
                            c.trigger,
                            c.trigger_start,
                            c.trigger_end,
                            c.place_spans,
                        )
                    )
        for f in frames:
            # "Moscow claims to have taken Toretsk, but Ukrainian troops are still fighting in
            # the town, according to Kyiv": a second speaker who names no event
            if (
                claims
                and f.postposed
                and f.claimant
                and not f.transparent
                and id(f) not in used
                and _CONTRAST.search(text, ss, f.lo)
            ):
                spans = tuple(sp for sp in places if text[sp[0] : sp[1]].lower() not in _COUNTRIES)
                if spans:
                    claims.append(
                        Claim(
                            "other",
                            f.claimant,
                            f.text,
                            _final_stance(f.stance, f.claimant, False, False, text, ss, se),
                            False,
                            False,
                            ss,
                            se,
                            text[f.verb_start : f.verb_end],
                            f.verb_start,
                            f.verb_end,
                            spans,
                        )
                    )
    elif places:
        frame = next(
            (f for f in frames if f.claimant and not f.transparent and not f.noun), None
        ) or next((f for f in frames if f.claimant and not f.transparent), None)
        if frame is None:  # a sentence of a quotation whose speaker is named elsewhere
            q = _in_quote(ss, quotes, quote_starts) or _in_quote(
                ss + len(text[ss:se]) - len(text[ss:se].lstrip()), quotes, quote_starts
            )
            speaker = speakers.get(q) if q is not None else None
            if speaker is not None and speaker.claimant:
                frame = speaker
        if frame is not None:
            stance = _final_stance(
                frame.stance, frame.claimant or "reporter", False, False, text, ss, se
            )
            claims.append(
                Claim(
                    "other",
                    frame.claimant or "reporter",
                    frame.text,
                    stance,
                    False,
                    _in_quote(frame.verb_start, quotes, quote_starts) is not None,
                    ss,
                    se,
                    text[frame.verb_start : frame.verb_end],
                    frame.verb_start,
                    frame.verb_end,
                    tuple(sp for sp in places if text[sp[0] : sp[1]].lower() not in _COUNTRIES),
                )
            )
            if not claims[-1].place_spans:
                claims.pop()
    # merge neighbours that say the same thing
    out: list[Claim] = []
    for c in claims:
        if out:
            p = out[-1]
            if (p.event, p.claimant, p.stance, p.negated, p.quote) == (
                c.event,
                c.claimant,
                c.stance,
                c.negated,
                c.quote,
            ):
                spans = tuple(sorted(set(p.place_spans) | set(c.place_spans)))
                out[-1] = Claim(
                    p.event,
                    p.claimant,
                    p.claimant_text,
                    p.stance,
                    p.negated,
                    p.quote,
                    p.sentence_start,
                    p.sentence_end,
                    p.trigger,
                    p.trigger_start,
                    p.trigger_end,
                    spans,
                )
                continue
        out.append(c)
    return out


def _in_quote(pos: int, quotes: list[Span], quote_starts: list[int]) -> Span | None:
    i = bisect_right(quote_starts, pos) - 1
    if i >= 0 and quotes[i][0] <= pos < quotes[i][1]:
        return quotes[i]
    return None


def _governing(text: str, frames: list[_Frame], t: _Trigger) -> list[_Frame]:
    usable = [f for f in frames if not f.transparent and not f.reaction]
    following = [f for f in usable if f.lo >= t.end]
    preceding = [f for f in usable if f.verb_end <= t.start and f.hi <= t.start + 1]
    if following and following[0].postposed and not _CONTRAST.search(text, t.end, following[0].lo):
        return [following[0]]
    if preceding and _CONCESSIVE.search(text, preceding[-1].verb_end, t.start):
        preceding = []  # "Russia declared …, even though it did not fully control these areas"
    if preceding:
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
    return []


def _final_stance(
    stance: str, claimant: str, negated: bool, qualified: bool, text: str, ss: int, se: int
) -> str:
    if claimant in _MONITORS and stance in ("claimed", "reported"):
        return "assessed"
    if claimant == "reporter":
        if stance in ("claimed", "reported"):
            stance = "reported"
            if _HEDGE.search(text, ss, se):
                stance = "assessed"
        return stance
    if negated and stance in ("claimed", "reported"):
        return "disputed" if qualified else "denied"
    return stance


def _claim(
    text: str,
    ss: int,
    se: int,
    t: _Trigger,
    frames: list[_Frame],
    quotes: list[Span],
    quote_starts: list[int],
    speakers: dict[Span, _Frame | None],
    used: set[int],
) -> list[Claim]:
    q = _in_quote(t.start, quotes, quote_starts)
    chosen: list[_Frame] = []
    if q is not None and speakers.get(q) is not None:
        chosen = [speakers[q]]  # type: ignore[list-item]
    else:
        chosen = _governing(text, frames, t)
    negated, qualified = _negation(text, ss, t)
    used.update(id(f) for f in chosen)
    out: list[Claim] = []
    for f in chosen or [None]:
        claimant = (f.claimant if f else None) or "reporter"
        claimant_text = f.text if f else None
        stance = f.stance if f else "reported"
        if f is not None and f.claimant is None:
            stance = (
                stance
                if stance in ("confirmed", "denied", "disputed", "assessed")
                else ("reported")
            )
        neg = negated
        if stance == "denied":
            neg = True
        event = t.event
        if t.flag == "attempt":
            event = "advancing"
        elif t.flag == "liberate":
            lo = _clause_start(text, ss, t.start)
            if claimant in _RUSSIAN_SIDE or _side(text, lo, t.start) == "ru":
                event = "captured"
        elif t.flag == "withdraw":
            lo = _clause_start(text, ss, t.start)
            if _side(text, max(ss, lo - 60), t.start) == "ru":
                event = "liberated"
        elif t.flag == "flag" and re.search(r"ukrainian", text[t.start : t.end], re.I):
            event = "liberated"
        final = _final_stance(stance, claimant, neg, qualified, text, ss, se)
        out.append(
            Claim(
                event,
                claimant,
                claimant_text if claimant != "reporter" or f else None,
                final,
                neg,
                q is not None,
                ss,
                se,
                text[t.start : t.end],
                t.start,
                t.end,
                tuple(sorted(set(t.places))),
            )
        )
    return out
