"""Stance and negation: how a claimant says what happened, and whether it did not.

* The attribution verb gives the stance (claimed, confirmed, denied, disputed, reported,
  assessed; ``knowledge/claims/stances.toml``).
* Negation is scoped to the trigger's clause ("did not manage to gain a foothold", "failed to
  capture"); a negated frame ("not confirmed", "no comment") does not negate the event.
* A party's negated statement is a denial ("…did not manage to gain a foothold," Tryhubov
  said); a qualified one ("no *stable* control", "not *fully*") is "disputed"; an unconfirmed
  one ("have not confirmed the fall of X", "no confirmation that") is "disputed" without
  negating the event.
* DeepState and ISW are monitors: what they say, map or report is "assessed". The reporter's
  own voice is "reported" ("assessed" when hedged with "likely").
"""

from __future__ import annotations

from ..models import Claimant, Stance
from .lexicon import patterns
from .sentences import clause_start

__all__ = ["MONITORS", "final_stance", "negation"]

#: Claimants that map the front rather than fight on it.
MONITORS: frozenset[Claimant] = frozenset({"deepstate", "isw"})
_STANCES = patterns("stances")


def negation(text: str, ss: int, start: int, end: int) -> tuple[bool, bool]:
    """``(negated, qualified)`` of the trigger at ``text[start:end]``, from the words before it
    in its clause (the sentence starts at *ss*).

    Examples
    --------
    >>> text = "They did not manage to gain a stable foothold."
    >>> negation(text, 0, text.find("gain"), text.find("."))
    (True, True)
    """
    lo = clause_start(text, ss, start)
    m = _STANCES["negation_window"].search(text[lo:start])
    if not m:
        return False, False
    rest = m.group("rest")
    if _STANCES["negation_is_frame"].search(rest):
        return False, False
    qualified = bool(
        _STANCES["qualified"].search(rest) or _STANCES["qualified"].search(text[start:end])
    )
    return True, qualified


def final_stance(
    stance: Stance,
    claimant: Claimant,
    negated: bool,
    qualified: bool,
    text: str,
    ss: int,
    se: int,
) -> Stance:
    """The stance of a claim once its claimant and negation are known."""
    if claimant in MONITORS and stance in ("claimed", "reported"):
        return "assessed"
    if claimant == "reporter":
        if stance in ("claimed", "reported"):
            stance = "reported"
            if _STANCES["hedge"].search(text, ss, se):
                stance = "assessed"
        return stance
    if negated and stance in ("claimed", "reported"):
        return "disputed" if qualified else "denied"
    return stance
