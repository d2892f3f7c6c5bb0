"""``tracker map --db``: the stored period drawn with the time slider, in a real headless Chromium
(on a real SQLite file and a real PostgreSQL server); article text from the store stays inert."""

from __future__ import annotations

import pytest

from tests.store_fixtures import EXAMPLES, ingest_examples, run


@pytest.fixture(autouse=True)
def _data(built):
    return built


def _settlements(url: str, since: str | None = None) -> set[str]:
    from tracker.store import open_store
    from tracker.store.query import period_ids, stored_docs

    with open_store(url) as store:
        docs = stored_docs(store, period_ids(store, since=since))
    return {
        m.place.katottg
        for d in docs
        for m in d.mentions
        if m.place is not None
        and m.place.lon is not None
        and m.place.category in ("K", "M", "T", "X", "C")
    }


def test_map_of_the_store_in_chromium(new_db, tmp_path, open_page):
    ingest_examples(new_db)
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Russian troops entered Zaporizke <img src=x onerror=alert(1)> and Novoheorhiivka "
        "`${alert(2)}` <script>alert(3)</script>, officials said.\n",
        encoding="utf-8",
    )
    assert run("ingest", str(hostile), "--db", new_db, "--date", "2025-08-28").exit_code == 0
    out = tmp_path / "store.html"
    result = run("map", "--db", new_db, "-o", str(out), "--offline")
    assert result.exit_code == 0, result.stderr
    expected = _settlements(new_db)
    assert f"{len(expected)} places" in result.stderr
    with open_page(out, block_network=True) as pg:
        page = pg.page
        page.wait_for_selector(".leaflet-container")
        # the time slider over the stored dates (the folium plugin, or the tracker's own)
        page.wait_for_selector(".leaflet-timeline-control, #trk-slider", state="attached")
        page.wait_for_timeout(500)
        html = page.content()
        assert not pg.console_errors and not pg.page_errors, pg.report()
        assert pg.requests == [] and pg.dialogs == [], pg.report()  # no alert() ran
    assert "<img src=x" not in html and "<script>alert(3)" not in html
    assert min(EXAMPLES.values()) in out.read_text(encoding="utf-8")  # the first stored date
    # a period of the store: only what was published then
    august = tmp_path / "august.html"
    result = run("map", "--db", new_db, "--since", "2025-08-01", "-o", str(august), "--offline")
    assert result.exit_code == 0, result.stderr
    assert f"{len(_settlements(new_db, '2025-08-01'))} places" in result.stderr
