"""Maps in a real headless Chromium (network blocked): what an analyst sees and does.

The seed article (NBC, 27 August 2025) is read from ../shared/articles; the other articles are
written here. Each map is built once per module and opened as often as needed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import tracker
from tracker.cli import main
from tracker.maps import build_map, save_map

SEED = Path(__file__).resolve().parents[2] / "shared" / "articles" / "004_35ed6482ca630a39.txt"
HOSTILE = (
    "Russian troops entered Zaporizke <script>alert(1)</script> and Novoheorhiivka "
    "<img src=x onerror=alert(1)> in the Dnipropetrovsk region, `${alert(2)}` officials said. "
    "{{ 7*7 }} {% raw %} </script><script>alert(5)</script>"
)
#: Codes that must never reach a reader (claimant types, verdict keys, the seed's file id).
RAW = re.compile(
    r"russian_mod|russian_officials|ukrainian_military|ukrainian_officials|local_authorities"
    r"|\bdeepstate\b|\bisw\b|004_35ed|\b[a-z]+_[a-z]+\b"
)


@pytest.fixture(autouse=True)
def _data(built):
    return built


@pytest.fixture(scope="module")
def seed_doc(built):
    return tracker.parse(
        SEED.read_text(encoding="utf-8"),
        date="2025-08-27",
        id="004_35ed6482ca630a39",
        url="https://www.nbcnews.com/example",
    )


@pytest.fixture(scope="module")
def seed_map(seed_doc, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seed.html"
    m = build_map([seed_doc], offline=True)
    size = save_map(m, out, offline=True)
    return m, out, size


@pytest.fixture(scope="module")
def dated_docs(built):
    return [
        tracker.parse(
            "Russian forces advanced near Pokrovsk and Myrnohrad, the General Staff said.",
            date="2025-05-07",
            id="a",
            title="Report A",
        ),
        tracker.parse(
            "Russia's defence ministry claimed the capture of Udachne near Pokrovsk.",
            date="2025-06-15",
            id="c",
            title="Report C",
        ),
        tracker.parse(
            "Russian troops entered Zaporizke and Novoheorhiivka, DeepState said.",
            date="2025-08-27",
            id="b",
            title="Report B",
        ),
    ]


def _settlements(docs) -> dict[str, tuple[float, float]]:
    return {
        m.place.katottg: (m.place.lat, m.place.lon)
        for d in docs
        for m in d.mentions
        if m.place is not None
        and m.place.lon is not None
        and m.place.category in ("K", "M", "T", "X", "C")
    }


def _open(open_page, path):
    session = open_page(path, block_network=True)
    return session


def _markers(page) -> set[str]:
    loc = page.locator(".trk-marker")
    return {loc.nth(i).get_attribute("data-katottg") for i in range(loc.count())}


def _eval(page, script: str):
    return page.evaluate(f"(() => {{ const h = window.trackerMaps[0]; {script} }})()")


def _popup_texts(page) -> list[str]:
    texts = []
    loc = page.locator(".trk-marker")
    for i in range(loc.count()):
        _eval(page, "h.map.closePopup(); return 1;")
        page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 0")
        loc.nth(i).dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        texts.append(popup.inner_text())
    return texts


# -- the seed map ---------------------------------------------------------------------------


def test_offline_seed_map_reads_and_requests_nothing(seed_map, seed_doc, open_page):
    m, out, size = seed_map
    assert size < 3_000_000
    expected = _settlements([seed_doc])
    assert m.tracker_summary["markers"] == len(expected) >= 3
    with _open(open_page, out) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        page.wait_for_timeout(300)
        assert not pg.console_errors, pg.report()
        assert pg.requests == [], pg.report()  # offline: not one request leaves the page
        assert _markers(page) == set(expected)
        for control in (
            ".leaflet-control-layers",
            ".leaflet-control-search",
            ".leaflet-control-measure",
            ".leaflet-control-scale",
        ):
            assert page.locator(control).count() == 1, control
        # markers 3 km apart overlap: click the element itself, not a point
        page.locator(".trk-marker[data-name='Novoheorhiivka']").dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        assert "Novoheorhiivka" in text and "Новогеоргіївка" in text
        assert "Velykomykhailivka hromada" in text and "Donetsk oblast border" in text
        assert "inside the occupied area (DeepStateMap, 2025-08-27)" in text
        assert re.search(r"(?<![\d-])-\d+\.\d+ km", text) is None  # no signed distances
        assert "Russian Ministry of Defence" in text and "Ukrainian military" in text
        assert "Zaporizke and Novoheorhiivka" in text  # the quoted sentence
        link = popup.locator("a")
        assert link.count() == 1 and link.get_attribute("href") == "https://www.nbcnews.com/example"
        assert "KYIV, Ukraine" in link.inner_text()  # a title from the first line, not the id


def test_popups_have_no_raw_identifiers(seed_map, open_page):
    _, out, _ = seed_map
    with _open(open_page, out) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        texts = _popup_texts(page)
        assert len(texts) == 3
        for text in texts:
            body = text.replace(text.splitlines()[-1], "")  # the last line is the KATOTTG code
            assert not RAW.search(body), (RAW.search(body), text)
        legend = page.locator("#trk-legend").inner_text()
        assert not RAW.search(legend), legend
        claims = [t for t in texts if "What is claimed" in t]
        for text in claims:  # the same claim of one article is listed once
            lines = [line for line in text.splitlines() if "(claimed)" in line]
            assert len(lines) == len(set(lines)), text


def test_initial_view_fits_the_story_not_kyiv(seed_map, seed_doc, open_page):
    _, out, _ = seed_map
    places = _settlements([seed_doc])
    kyiv = [code for code, _ in places.items() if code.startswith("UA80")]
    assert kyiv, "the seed article names Kyiv"
    story = [c for c in places if c not in kyiv]
    with _open(open_page, out) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        for code in story:
            lat, lon = places[code]
            assert _eval(page, f"return h.map.getBounds().contains([{lat}, {lon}]);"), code
        lat, lon = places[kyiv[0]]
        assert not _eval(page, f"return h.map.getBounds().contains([{lat}, {lon}]);")
        assert _eval(page, "return h.map.getZoom();") >= 10
        also = page.locator("#trk-unresolved").text_content()  # listed, collapsed
        assert "Kyiv (far from the story)" in also


def test_village_labels_at_zoom_11_in_latin_and_ukrainian(seed_map, open_page):
    _, out, _ = seed_map
    with _open(open_page, out) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        _eval(page, "h.map.setView([47.8695, 36.5699], 11, {animate: false}); return 1;")
        page.wait_for_timeout(300)
        villages = page.locator(".trk-label.trk-village")
        assert villages.count() >= 10
        names = villages.all_inner_texts()
        cyrillic = re.compile("[А-Яа-яІіЇїЄєҐґ]")
        both = [n for n in names if re.search("[A-Za-z]", n) and cyrillic.search(n)]
        assert len(both) == len(names), names  # every village in Latin and Ukrainian
        places = page.locator(".trk-label.trk-place-label").all_inner_texts()
        assert any("Novoheorhiivka" in n for n in places), places
        _eval(page, "h.map.setView([47.8695, 36.5699], 9, {animate: false}); return 1;")
        page.wait_for_timeout(300)
        assert page.locator(".trk-label.trk-village").count() == 0  # villages from zoom 11
        assert page.locator(".trk-label.trk-town, .trk-label.trk-city").count() >= 3


def test_only_the_story_oblasts_are_emphasised(seed_map, open_page):
    _, out, _ = seed_map
    with _open(open_page, out) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        _eval(page, "h.map.setView([48.2, 36.0], 7, {animate: false}); return 1;")
        page.wait_for_timeout(300)
        story = set(page.locator(".trk-oblast-label.trk-story").all_inner_texts())
        assert story == {"DNIPROPETROVSK", "DONETSK"}, story
        assert page.locator(".trk-oblast-label").count() > len(story)
        n = _eval(page, "return h.data.basemap.story_lines.features.length;")
        assert n == 2
        assert _eval(page, "return h.data.basemap.shared_lines.features.length;") == 1
        legend = page.locator("#trk-legend").inner_text()
        for row in ("line of contact", "oblast border", "border between the story's oblasts"):
            assert row in legend


# -- dates: never without a front line, and a slider that shows time -----------------------


def test_undated_map_draws_the_newest_front_line_and_says_so(built, tmp_path, open_page):
    article = tmp_path / "undated.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "undated.html"
    result = CliRunner().invoke(main, ["map", str(article), "-o", str(out), "--offline"])
    assert result.exit_code == 0, result.output
    note = re.search(
        r"note: front line: newest snapshot (\d{4}-\d\d-\d\d); no article date", result.stderr
    )
    assert note, result.stderr
    with _open(open_page, out) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        assert not pg.console_errors, pg.report()
        shown = page.locator("#trk-front-note").inner_text()
        assert f"newest snapshot {note.group(1)}; no article date" in shown
        assert page.locator(".leaflet-trk-front-pane path").count() >= 1  # the occupied area
        text = _popup_texts(page)[0]
        assert "(the map's date)" in text and "DeepStateMap" in text
    result = CliRunner().invoke(
        main, ["map", str(article), "-o", str(tmp_path / "none.html"), "--no-frontline"]
    )
    assert result.exit_code == 0 and "newest snapshot" not in result.stderr


def test_slider_steps_through_the_article_dates(dated_docs, tmp_path, open_page):
    out = tmp_path / "slider.html"
    m = build_map(dated_docs, offline=True)
    save_map(m, out, offline=True)
    assert m.tracker_summary["steps"] == 3
    named = [_settlements([d]) for d in dated_docs]
    cumulative = [set().union(*named[: k + 1]) for k in range(3)]
    with _open(open_page, out) as pg:
        page = pg.page
        page.wait_for_selector(".trk-slider")
        assert not pg.console_errors and pg.requests == [], pg.report()
        areas = []
        for k, day in enumerate(("2025-05-07", "2025-06-15", "2025-08-27")):
            _eval(page, f"h.setStep({k}); return 1;")
            page.wait_for_timeout(150)
            assert _markers(page) == cumulative[k], (k, _markers(page))
            assert page.locator(".trk-marker.trk-current").count() == len(named[k])
            assert page.locator(".trk-marker.trk-earlier").count() == len(cumulative[k]) - len(
                named[k]
            )
            info = page.locator("#trk-title").inner_text()
            assert f"front line: {day}" in info and f"{day}: " in info
            assert "newly occupied" in info  # the change since the step before
            paths = page.locator(".leaflet-trk-front-pane path")
            areas.append(paths.first.get_attribute("d"))
            assert page.locator(".leaflet-container").get_attribute("data-step") == day
        assert len(set(areas)) == 3  # each step draws the front line of its own day
        page.locator(".trk-step-prev").click()
        assert page.locator(".trk-step-date").inner_text() == "2025-06-15"
        assert _markers(page) == cumulative[1]
    single = tmp_path / "one.html"
    save_map(build_map(dated_docs[:1], offline=True), single, offline=True)
    assert (
        "trk-slider"
        not in single.read_text(encoding="utf-8").split("</style>")[-1].split("trackerMap(")[-1]
    )
    assert build_map(dated_docs[:1]).tracker_summary["steps"] == 0


# -- untrusted text, other maps ----------------------------------------------------------------


def test_untrusted_text_is_inert(built, tmp_path, open_page):
    doc = tracker.parse(
        HOSTILE, date="2025-08-27", title="<img src=x onerror=alert(3)>", url="javascript:alert(4)"
    )
    out = tmp_path / "hostile.html"
    save_map(
        build_map([doc], offline=True, title="<b onmouseover=alert(6)>t</b>"), out, offline=True
    )
    page_text = out.read_text(encoding="utf-8")
    assert "<script>alert" not in page_text and "<img src=x" not in page_text
    with _open(open_page, out) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        texts = _popup_texts(page)
        assert pg.dialogs == [], pg.report()
        assert page.locator("img[src='x']").count() == 0
        assert page.locator(".leaflet-popup-content script").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        assert page.locator("#trk-title b").count() == 0
        assert any("<script>alert(1)</script>" in t for t in texts)
        assert any("{{ 7*7 }}" in t for t in texts)  # no template ran over it
        assert "<b onmouseover=alert(6)>t</b>" in page.locator("#trk-title").inner_text()
        assert not pg.console_errors, pg.report()


def test_cli_map_and_bad_inputs(built, tmp_path):
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


def test_where_map(built, tmp_path, open_page):
    out = tmp_path / "where.html"
    result = CliRunner().invoke(main, ["where", "Zaporizke", "--map", str(out), "--offline"])
    assert result.exit_code == 0, result.output
    with _open(open_page, out) as pg:
        pg.page.wait_for_selector(".trk-marker")
        assert pg.page.locator(".trk-marker").count() == 13
        assert not pg.console_errors and pg.requests == [], pg.report()


def test_online_map_uses_osm_tiles(seed_doc, tmp_path):
    out = tmp_path / "online.html"
    save_map(build_map([seed_doc]), out)
    page = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in page and "DeepStateMap" in page


def test_clustered_map_loads_offline(built, tmp_path, open_page):
    from tracker.gazetteer import load as load_gazetteer

    gaz = load_gazetteer()
    ids, _, _ = gaz.located
    names = [gaz.place(int(i)).name for i in ids[5000:5060]]
    doc = tracker.parse(
        "Shelling hit " + ", ".join(dict.fromkeys(names)) + ".", date="2025-08-27", id="many"
    )
    m = build_map([doc], offline=True)
    assert m.tracker_summary["markers"] >= 50
    out = tmp_path / "many.html"
    save_map(m, out, offline=True)
    with _open(open_page, out) as pg:
        pg.page.wait_for_selector(".marker-cluster, .trk-marker")
        pg.page.wait_for_timeout(300)
        assert not pg.console_errors and pg.requests == [], pg.report()
