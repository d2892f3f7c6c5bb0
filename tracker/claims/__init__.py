"""Sentences -> claims: what the text says happened at a place, who says so, and how.

For every sentence that mentions a place the stage finds

* the **event** from trigger words and their inflections ("captured", "the capture of",
  "fallen under Russian control", "pushing toward", "repelled", "retook", "shelled",
  "evacuation"): :mod:`.triggers`;
* the **claimant** from the attribution around it: the subject of a speech or report verb,
  "according to X", "citing X", "X's data/map", the speaker named next to a quotation, and
  pronouns or surnames that refer back to a claimant named earlier ("he said", "it said",
  "Tryhubov added"): :mod:`.attribution`, :mod:`.claimants`;
* the **places** the event is about, its own or a neighbouring sentence's ("both villages"):
  :mod:`.places`;
* the **stance** from the attribution verb (claimed, confirmed, denied, disputed, reported,
  assessed), hedges ("likely") and qualified negation ("no stable control"), and **negation**
  scoped to the trigger's clause: :mod:`.stance`;

and then checks territorial claims against the DeepState snapshots (:mod:`.crosscheck`) and
attaches them to the resolved mentions (:mod:`.attach`). :mod:`.sentences` gives the sentence
and quotation spans, :mod:`.extract` puts it together, :mod:`.evaluate` scores it against
hand-made gold claims.

It is a set of rules over English sentence structure, written for wire services, ISW
assessments, General Staff summaries and newspaper reporting, with no model and no gazetteer
(the place mentions come from :mod:`tracker.mentions`). What the rules know (trigger words,
speech verbs and their stances, claimant names, the people quoted) is data under
``tracker/knowledge/claims/`` and ``tracker/knowledge/people.txt``, read by
:mod:`.lexicon`.
"""

from __future__ import annotations

from typing import get_args

from ..models import Claim, Claimant, CrossCheck, Event, MentionClaim, Stance, Verdict
from .attach import attach_claims
from .crosscheck import TERRITORIAL_EVENTS, check_claim
from .extract import extract_claims

__all__ = [
    "CLAIMANTS",
    "EVENTS",
    "STANCES",
    "TERRITORIAL_EVENTS",
    "VERDICTS",
    "Claim",
    "Claimant",
    "CrossCheck",
    "Event",
    "MentionClaim",
    "Stance",
    "Verdict",
    "attach_claims",
    "check_claim",
    "extract_claims",
]

#: Event types, from the most to the least specific.
EVENTS: tuple[Event, ...] = get_args(Event)
#: Who says so.
CLAIMANTS: tuple[Claimant, ...] = get_args(Claimant)
#: How they say it.
STANCES: tuple[Stance, ...] = get_args(Stance)
#: The verdicts of the DeepState check.
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
