"""Dates beyond the data: today's articles, --date today, dates before the archive.

The DeepState archive ends on its newest snapshot; an article dated later (the normal case:
the archive was fetched weeks ago) or earlier than the oldest snapshot is answered from the
nearest snapshot, says which in the output and once on stderr, and never crashes.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner

import tracker
from tracker.cli import main
from tracker.frontline import Snapshot

ZAPORIZKE = "UA12140050040024246"
ARTICLE = "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region.\n"


@pytest.fixture(scope="module")
def front(built):
    from tracker.data.store import load
    from tracker.frontline import frontline_of

    return frontline_of(load())


@pytest.fixture(scope="module")
def days(front) -> dict[str, str]:
    newest, oldest = front.dates[-1], front.dates[0]
    return {
        "newest": newest.isoformat(),
        "after": (newest + timedelta(days=10)).isoformat(),
        "later": (newest + timedelta(days=100)).isoformat(),
        "oldest": oldest.isoformat(),
        "before": (oldest - timedelta(days=400)).isoformat(),
        "next": (newest + timedelta(days=1)).isoformat(),
    }


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _notes(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("note: ")]


def _after_note(days) -> str:
    return (
        f"note: front line as of {days['newest']}, the newest snapshot; run "
        f"`tracker data fetch --deepstate-from {days['next']}` for later days"
    )


# -- the archive ---------------------------------------------------------------------------------


def test_nearest_snapshot_inside_and_outside_the_archive(front, days):
    assert front.nearest(days["newest"]).position == "exact"
    after = front.nearest(days["later"])
    assert after.position == "after" and after.used.isoformat() == days["newest"]
    assert after.index == len(front.dates) - 1 and after.outside
    before = front.nearest(days["before"])
    assert before.position == "before" and before.index == 0
    assert front.nearest("today").asked == date.today()
    gap = front.nearest("2025-03-31")  # a missing day inside the archive
    assert gap.position == "earlier" and not gap.outside and gap.note is None


def test_notice_wording(front, days):
    assert front.notice(days["after"]) == _after_note(days).removeprefix("note: ")
    before = front.notice(days["before"])
    assert before.startswith(f"front line as of {days['oldest']}, the oldest snapshot; run ")
    assert f"--deepstate-from {days['before']}" in before and "for earlier days" in before
    assert front.notice(days["newest"]) is None and front.notice(None) is None


# -- parse ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["after", "before"])
def test_parse_api_answers_from_the_nearest_snapshot(days, which):
    doc = tracker.parse(ARTICLE, date=days[which])
    fronts = [m.frontline for m in doc.mentions if m.mention.text == "Zaporizke"]
    assert fronts and fronts[0].status in ("occupied", "not occupied")
    expected = days["newest"] if which == "after" else days["oldest"]
    assert fronts[0].snapshot == expected and fronts[0].date == days[which]
    assert ("newest" if which == "after" else "oldest") in fronts[0].note


def test_parse_api_accepts_today_and_refuses_garbage():
    doc = tracker.parse(ARTICLE, date="today")
    assert doc.article.date == date.today().isoformat()
    with pytest.raises(tracker.InputError, match="not a date"):
        tracker.parse(ARTICLE, date="garbage")


def test_parse_cli_notes_once_for_several_late_articles(tmp_path, days):
    for i, day in enumerate((days["after"], days["later"], days["newest"])):
        (tmp_path / f"{i}.md").write_text(f"---\ndate: {day}\n---\n{ARTICLE}", "utf-8")
    result = _run("parse", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert _notes(result) == [_after_note(days)]
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    notes = [m["frontline"].get("note") for d in docs for m in d["mentions"] if m.get("frontline")]
    assert any(notes) and not all(notes)  # the article of the newest day has no note


def test_parse_cli_date_today(tmp_path, days):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = _run("parse", str(path), "--date", "today")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["date"] == date.today().isoformat()
    if date.today().isoformat() > days["newest"]:
        assert _notes(result) == [_after_note(days)]
    result = _run("-q", "parse", str(path), "--date", days["before"])
    assert result.exit_code == 0 and _notes(result) == []  # -q: only errors


# -- status / history ----------------------------------------------------------------------------


def test_status_after_and_before_the_archive(days):
    result = _run("status", ZAPORIZKE, "--date", days["later"])
    assert result.exit_code == 0, result.output
    assert f"DeepStateMap snapshot {days['newest']}, the newest snapshot" in result.stdout
    assert _notes(result) == [_after_note(days)]
    result = _run("status", "47.87,36.57", "--date", days["before"], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["snapshot"] == days["oldest"] and "oldest" in data["note"]
    assert len(_notes(result)) == 1
    assert _run("status", ZAPORIZKE, "--date", "today").exit_code == 0


def test_history_with_articles_after_the_archive(tmp_path, days):
    path = tmp_path / "late.md"
    path.write_text(
        f"---\ndate: {days['later']}\ntitle: Late news\n---\n"
        "The Russian Defence Ministry claimed its troops captured Zaporizke and "
        "Novoheorhiivka in the Dnipropetrovsk region.\n",
        encoding="utf-8",
    )
    result = _run("history", ZAPORIZKE, "--articles", str(path))
    assert result.exit_code == 0, result.output
    assert _notes(result) == [_after_note(days)]
    assert f"{days['newest']}  newest DeepStateMap snapshot" in result.stdout
    result = _run("history", ZAPORIZKE, "--articles", str(path), "--json")
    data = json.loads(result.stdout)
    assert data["snapshots"]["last"] == days["newest"]


def test_frontline_stats_to_today(days):
    start = (date.fromisoformat(days["newest"]) - timedelta(days=2)).isoformat()
    result = _run("frontline", "stats", "--from", start, "--to", days["after"], "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["series"][-1]["snapshot"] == days["newest"]
    assert _notes(result) == [_after_note(days)]


# -- maps ----------------------------------------------------------------------------------------


class _StillFront:
    """A front line that never moves: every snapshot the same polygon."""

    def __init__(self, dates, geom):
        self.dates = dates
        self._geom = geom

    def nearest(self, when):
        from bisect import bisect_right

        day = date.fromisoformat(when) if isinstance(when, str) else when
        i = bisect_right(self.dates, day) - 1
        if i < 0:
            return Snapshot(day, 0, self.dates[0], "before")
        return Snapshot(day, i, self.dates[i], "after" if day > self.dates[-1] else "exact")

    def occupied(self, i):
        return self._geom


def test_no_change_in_the_week_means_no_change_layer(front):
    from tracker.maps.layers import front_state

    days = [date(2025, 1, d) for d in range(1, 15)]
    still = _StillFront(days, front.occupied(0))
    state = front_state(still, None, "2025-01-10", None, source="the article date")
    assert state["area_label"].startswith("Occupied area on 2025-01-10")
    assert state["area"] is not None
    assert state["gained"] is None and state["lost"] is None
    empty = front_state(
        _StillFront(days, shapely.MultiPolygon()), None, "2025-01-10", None, source=""
    )
    assert empty["area"] is None and empty["gained"] is None


def test_change_layer_only_when_the_week_has_data(built, front, days):
    from tracker.data.store import load
    from tracker.maps.layers import front_state

    store = load()
    cases = {
        days["after"]: False,  # the week before lies after the newest snapshot too
        days["oldest"]: False,  # nothing before the oldest snapshot
        days["before"]: False,
        "2025-08-27": True,  # a week in which the line moved
    }
    for day, has_change in cases.items():
        state = front_state(front, store, day, None, source="the article date")
        assert state["area_label"].startswith(f"Occupied area on {day}"), day
        assert bool(state["gained"] or state["lost"]) == has_change, day
    state = front_state(front, store, days["after"], None, source="the article date")
    assert state["snapshot"] == days["newest"]
    assert "the newest snapshot" in state["area_label"] and "the newest snapshot" in state["note"]


@pytest.fixture(scope="module")
def late_maps(built, tmp_path_factory, days) -> dict[str, Path]:
    """``tracker map`` of an article dated today, and with --date after and on the archive."""
    folder = tmp_path_factory.mktemp("late-maps")
    today = folder / "today.md"
    today.write_text(f"---\ndate: {date.today().isoformat()}\n---\n{ARTICLE}", "utf-8")
    plain = folder / "plain.txt"
    plain.write_text(ARTICLE, encoding="utf-8")
    out = {}
    for name, args in {
        "today": [str(today)],
        "2026-09-01": [str(plain), "--date", "2026-09-01"],
        "2024-07-08": [str(plain), "--date", "2024-07-08"],
        "after": [str(plain), "--date", days["after"]],
        "before": [str(plain), "--date", days["before"]],
    }.items():
        target = folder / f"{name}.html"
        result = _run("map", *args, "-o", str(target), "--offline")
        assert result.exit_code == 0, (name, result.output)
        assert "Traceback" not in result.stderr
        out[name] = target
    return out


def test_late_maps_are_written_and_say_which_snapshot(late_maps, days):
    for path in late_maps.values():
        page = path.read_text(encoding="utf-8")
        assert "Occupied area on" in page and "DeepStateMap" in page
    assert f"DeepStateMap {days['newest']}, the newest snapshot" in late_maps["after"].read_text(
        encoding="utf-8"
    )
    assert f"DeepStateMap {days['oldest']}, the oldest snapshot" in late_maps["before"].read_text(
        encoding="utf-8"
    )


def test_late_maps_load_in_chromium_without_errors(late_maps, open_page):
    for name, path in late_maps.items():
        with open_page(path, block_network=True) as pg:
            pg.page.wait_for_selector(".leaflet-container")
            pg.page.wait_for_selector(".trk-marker")
            pg.page.wait_for_timeout(300)
            assert not pg.console_errors, (name, pg.report())
            assert not pg.page_errors, (name, pg.report())
            assert pg.requests == [], (name, pg.report())
