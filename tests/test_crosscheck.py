"""Territorial claims against the DeepState snapshots.

The rules on an archive made in code (fast), then on the real archive and the NBC seed article
(needs the data build).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.claims import VERDICTS, CrossCheck, check_claim
from tracker.frontline import ControlChange

ZAPORIZKE = "UA12140050040024246"


class _Archive:
    """Snapshots 2025-01-01 .. 2026-09-30; one settlement occupied on 2025-08-27, freed on
    2026-07-15."""

    def __init__(self) -> None:
        self.dates = [date(2025, 1, 1), date(2026, 9, 30)]

    def covers(self, when: date) -> bool:
        return when >= self.dates[0]

    def history(self, katottg: str) -> list[ControlChange]:
        if katottg != "X":
            return [ControlChange("2025-01-01", "not occupied")]
        return [
            ControlChange("2025-01-01", "not occupied"),
            ControlChange("2025-08-27", "occupied"),
            ControlChange("2026-07-15", "not occupied"),
        ]


def _verdict(event, negated, when, katottg="X"):
    check = check_claim(event, negated, katottg, when, _Archive())  # type: ignore[arg-type]
    return None if check is None else check.verdict


@pytest.mark.parametrize(
    ("event", "negated", "when", "verdict"),
    [
        ("captured", False, "2025-08-27", "corroborated"),  # occupied that day
        ("captured", False, "2025-08-20", "corroborated"),  # within 14 days
        ("entered", False, "2025-07-15", "not corroborated"),  # 43 days later
        ("captured", False, "2025-05-01", "contradicted"),  # not for 60 days
        ("captured", True, "2025-08-27", "contradicted"),  # "did not capture", but occupied
        ("captured", True, "2025-06-01", "corroborated"),
        ("liberated", False, "2026-07-14", "corroborated"),
        ("liberated", False, "2026-01-01", "contradicted"),
        ("liberated", True, "2026-01-01", "corroborated"),
        ("entered", False, "2024-01-01", "no data"),  # before the archive
        ("entered", False, "2026-10-05", "no data"),  # today's news, after the newest snapshot
        # 60 days without the change would contradict it, but the archive ends before that
        ("captured", False, "2026-09-15", "not corroborated"),
        ("entered", False, None, "no date"),
        ("attacked", False, "2025-08-27", None),  # not territorial
    ],
)
def test_verdicts(event, negated, when, verdict):
    assert _verdict(event, negated, when) == verdict
    assert verdict is None or verdict in VERDICTS


def test_a_claim_after_the_archive_says_so():
    check = check_claim("captured", False, "X", "2026-11-30", _Archive())  # type: ignore[arg-type]
    assert check is not None and check.verdict == "no data"
    assert check.note is not None and "2026-09-30" in check.note
    early = check_claim("captured", False, "X", "2026-09-15", _Archive())  # type: ignore[arg-type]
    assert early is not None and early.note is not None and "2026-09-30" in early.note
    # 60 days after 2026-07-01 are inside the archive: never occupied, contradicted
    assert _verdict("captured", False, "2026-07-01", katottg="Y") == "contradicted"


def test_liberating_a_place_never_occupied_is_not_corroborated():
    assert _verdict("liberated", False, "2025-08-27", katottg="Y") == "not corroborated"


def test_a_verdict_carries_its_dates_and_serialises_as_before():
    check = check_claim("captured", False, "X", "2025-08-20", _Archive())  # type: ignore[arg-type]
    assert isinstance(check, CrossCheck)
    assert check.to_dict() == {
        "source": "DeepStateMap",
        "window_days": 14,
        "date": "2025-08-20",
        "status_on_date": "not occupied",
        "window": ["2025-08-20", "2025-09-03"],
        "first_occupied": "2025-08-27",
        "verdict": "corroborated",
    }
    free = check_claim("liberated", False, "X", "2026-07-14", _Archive())  # type: ignore[arg-type]
    assert free is not None and free.to_dict()["first_free"] == "2026-07-15"
    undated = check_claim("entered", False, "X", None, None)
    assert undated is not None and undated.to_dict() == {
        "source": "DeepStateMap",
        "window_days": 14,
        "verdict": "no date",
        "note": "the article has no date",
    }


# --------------------------------------------------------------------------------------------
# the real archive (data build)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def front(built):
    from tracker.data.store import load
    from tracker.frontline import frontline_of

    return frontline_of(load())


@pytest.mark.data
def test_crosscheck_rules(front):
    def verdict(event, negated, when):
        return check_claim(event, negated, ZAPORIZKE, when, front).verdict

    assert verdict("captured", False, "2025-08-27") == "corroborated"
    early = check_claim("captured", False, ZAPORIZKE, "2025-08-20", front)
    assert early.verdict == "corroborated" and early.first_seen == "2025-08-27"
    assert verdict("captured", False, "2025-06-01") == "contradicted"
    assert verdict("captured", True, "2025-08-27") == "contradicted"
    assert verdict("liberated", False, "2026-07-14") == "corroborated"
    assert verdict("liberated", False, "2026-01-01") == "contradicted"
    assert check_claim("attacked", False, ZAPORIZKE, "2025-08-27", front) is None
    assert verdict("entered", False, "2023-01-01") == "no data"


@pytest.mark.data
def test_seed_004_claims_and_crosscheck(built):
    import tracker

    path = Path(__file__).resolve().parents[2] / "shared" / "articles" / "004_35ed6482ca630a39.txt"
    doc = tracker.parse(path.read_text(encoding="utf-8"), date="2025-08-27")
    for name in ("Zaporizke", "Novoheorhiivka"):
        claims = [c for m in doc.mentions if m.mention.text == name for c in m.claims]
        mod = [
            c for c in claims if c.claim.claimant == "russian_mod" and c.claim.event == "captured"
        ]
        assert mod and mod[0].frontline_check is not None
        assert mod[0].frontline_check.verdict == "corroborated"
        deepstate = [c for c in claims if c.claim.claimant == "deepstate"]
        assert deepstate and deepstate[0].claim.event == "captured"
        denial = [c for c in claims if c.claim.claimant == "ukrainian_military" and c.claim.negated]
        assert denial and denial[0].claim.stance in ("denied", "disputed")
        for c in claims:
            text = doc.article.text
            assert text[c.claim.trigger_start : c.claim.trigger_end] == c.claim.trigger
            assert c.to_dict()["event"] == c.claim.event  # the JSON shape of DESIGN.md §5
