"""Maps in a real headless Chromium: content, clicks, offline, and untrusted text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import tracker
from tracker.cli import main
from tracker.maps import build_map, save_map

pytest_plugins = ["tests.browser_fixtures"]

SEED = Path(__file__).resolve().parents[2] / "shared" / "articles" / "004_35ed6482ca630a39.txt"
HOSTILE = (
    "Russian troops entered Zaporizke <script>alert(1)</script> and Novoheorhiivka "
    "<img src=x onerror=alert(1)> in the Dnipropetrovsk region, `${alert(2)}` officials said."
)


@pytest.fixture(autouse=True)
def _data(built):
    return built


@pytest.fixture(scope="module")
def seed_doc(built):
    return tracker.parse(
        SEED.read_text(encoding="utf-8"),
        date="2025-08-27",
        id="nbc",
        title="NBC News: troops enter Dnipropetrovsk region",
        url="https://www.nbcnews.com/example",
    )


def _resolved_settlements(docs) -> set[str]:
    return {
        m.place.katottg
        for d in docs
        for m in d.mentions
        if m.place is not None
        and m.place.lon is not None
        and m.place.category in ("K", "M", "T", "X", "C")
    }


def test_offline_seed_map_in_chromium(tmp_path, open_page, seed_doc):
    out = tmp_path / "seed.html"
    m = build_map([seed_doc], offline=True)
    size = save_map(m, out, offline=True)
    assert size < 15_000_000
    expected = _resolved_settlements([seed_doc])
    assert m.tracker_summary["markers"] == len(expected) >= 2
    with open_page(out, block_network=True) as pg:
        page = pg.page
        page.wait_for_selector(".leaflet-container")
        page.wait_for_timeout(500)
        assert not pg.console_errors, pg.report()
        assert pg.requests == [], pg.report()  # offline: not one request leaves the page
        markers = page.locator(".trk-marker")
        assert markers.count() == len(expected)
        codes = {markers.nth(i).get_attribute("data-katottg") for i in range(markers.count())}
        assert codes == expected
        for control in (
            ".leaflet-control-layers",
            ".leaflet-control-search",
            ".leaflet-control-measure",
            ".leaflet-control-scale",
        ):
            assert page.locator(control).count() == 1, control
        # markers 3 km apart overlap at this zoom: click the element itself, not a point
        page.locator(".trk-marker[data-name='Novoheorhiivka']").dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        assert "Novoheorhiivka" in text and "Новогеоргіївка" in text
        assert "Velykomykhailivka" in text and "Donetsk oblast border" in text
        assert "Zaporizke and Novoheorhiivka" in text  # the quoted sentence
        assert "occupied" in text and "NBC News" in text


def test_untrusted_text_is_inert(tmp_path, open_page):
    doc = tracker.parse(
        HOSTILE, date="2025-08-27", title="<img src=x onerror=alert(3)>", url="javascript:alert(4)"
    )
    out = tmp_path / "hostile.html"
    save_map(build_map([doc], offline=True), out, offline=True)
    with open_page(out, block_network=True) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        for i in range(page.locator(".trk-marker").count()):
            page.locator(".trk-marker").nth(i).dispatch_event("click")
            page.wait_for_timeout(200)
        assert pg.dialogs == [], pg.report()
        assert page.locator("img[src='x']").count() == 0
        assert page.locator(".leaflet-popup-content script").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        assert "<script>alert(1)</script>" in page.locator(".leaflet-popup-content").inner_text()
        assert not pg.console_errors, pg.report()


def test_cli_map_and_bad_inputs(tmp_path):
    runner = CliRunner()
    article = tmp_path / "a.txt"
    article.write_text("Russian troops entered Zaporizke and Novoheorhiivka.", encoding="utf-8")
    out = tmp_path / "map.html"
    result = runner.invoke(main, ["map", str(article), "-o", str(out), "--date", "2025-08-27"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "2 places" in result.stderr
    nothing = tmp_path / "b.txt"
    nothing.write_text("Nothing happened here today.", encoding="utf-8")
    result = runner.invoke(main, ["map", str(nothing), "-o", str(tmp_path / "empty.html")])
    assert result.exit_code == 0 and "no place" in result.stderr
    assert (tmp_path / "empty.html").is_file()  # still a valid map of the oblasts
    (tmp_path / "none").mkdir()
    result = runner.invoke(main, ["map", str(tmp_path / "none"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "no article" in result.stderr
    result = runner.invoke(main, ["map", str(article), "-o", str(tmp_path / "no" / "x.html")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_where_map(tmp_path, open_page):
    out = tmp_path / "where.html"
    result = CliRunner().invoke(main, ["where", "Zaporizke", "--map", str(out), "--offline"])
    assert result.exit_code == 0, result.output
    with open_page(out, block_network=True) as pg:
        pg.page.wait_for_selector(".trk-marker")
        assert pg.page.locator(".trk-marker").count() == 13
        assert not pg.console_errors and pg.requests == [], pg.report()


def test_online_map_uses_osm_tiles(tmp_path, seed_doc):
    out = tmp_path / "online.html"
    save_map(build_map([seed_doc]), out)
    page = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in page and "DeepStateMap" in page


def test_time_slider_when_articles_span_several_dates(tmp_path, open_page):
    docs = [
        tracker.parse("Russian forces advanced near Pokrovsk.", date="2025-05-07", id="a"),
        tracker.parse(
            "Russian troops entered Zaporizke and Novoheorhiivka.", date="2025-08-27", id="b"
        ),
    ]
    out = tmp_path / "dates.html"
    save_map(build_map(docs, offline=True), out, offline=True)
    with open_page(out, block_network=True) as pg:
        page = pg.page
        page.wait_for_selector(".leaflet-timeline-control")
        assert not pg.console_errors and pg.requests == [], pg.report()
        assert "2025-05-07" in page.locator(".leaflet-timeline-control").inner_text()
    single = tmp_path / "one.html"
    save_map(build_map(docs[:1], offline=True), single, offline=True)
    assert "leaflet-timeline" not in single.read_text(encoding="utf-8").split("<body>")[1]
