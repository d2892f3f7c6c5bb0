"""Front-line snapshots: status, history, area — on the real DeepState archive."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

import tracker
from tracker.cli import main

ZAPORIZKE = "UA12140050040024246"


@pytest.fixture(autouse=True)
def _data(built):
    return built


@pytest.fixture(scope="module")
def front(built):
    from tracker.data.store import load
    from tracker.frontline import frontline_of

    return frontline_of(load())


def test_zaporizke_history_by_code_and_by_context():
    for args in ([ZAPORIZKE], ["Zaporizke", "--context", "near Velykomykhailivka"]):
        result = CliRunner().invoke(main, ["history", *args, "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["place"]["katottg"] == ZAPORIZKE
        changes = [(e["date"], e["status"]) for e in data["timeline"] if e["kind"] == "control"]
        assert ("2025-08-27", "occupied") in changes
        assert ("2026-07-15", "not occupied") in changes
        i = changes.index(("2025-08-27", "occupied"))
        assert changes[i - 1][1] == "not occupied"


def test_status_of_the_seed_villages_on_the_article_date(front):
    zap, novo = front.status([36.53318, 36.56987], [47.85349, 47.86949], "2025-08-27")
    assert zap.status == novo.status == "occupied"
    assert zap.km_to_line < 0 and novo.km_to_line < 0  # inside: negative
    before = front.status([36.53318, 36.56987], [47.85349, 47.86949], "2025-08-26")
    assert [b.status for b in before] == ["not occupied", "not occupied"]
    assert 1.0 < before[0].km_to_line < 1.8 and 1.9 < before[1].km_to_line < 2.7  # 1.4, 2.3 km


def test_missing_day_falls_back_and_says_so(front):
    st = front.status([36.5], [47.8], "2025-03-31")[0]  # no snapshot on 2025-03-31
    assert st.snapshot == "2025-03-30" and st.date == "2025-03-31"
    assert st.note is None and "note" not in st.to_dict()
    early = front.status([36.5], [47.8], "2020-01-01")[0]  # before the archive: the oldest
    assert early.snapshot == front.dates[0].isoformat() and early.date == "2020-01-01"
    assert "before the oldest DeepState snapshot" in early.note
    with pytest.raises(tracker.InvalidQuery, match="before the first DeepState snapshot"):
        front.index_for("2020-01-01")  # area statistics still refuse it
    with pytest.raises(tracker.InvalidQuery, match="YYYY-MM-DD"):
        front.status([36.5], [47.8], "27 August")


@pytest.mark.parametrize(("day", "expected"), [("2025-05-01", 112_700), ("2025-09-30", 115_000)])
def test_area_within_half_a_percent_of_an_equal_area_computation(front, day, expected):
    ours = front.area_km2(day)
    geom = front.occupied(front.index_for(day))
    # independent: Lambert azimuthal equal-area centred on the occupied area
    series = gpd.GeoSeries([shapely.make_valid(geom)], crs=4326)
    c = series.to_crs(3857).centroid.to_crs(4326).iloc[0]
    laea = f"+proj=laea +lat_0={c.y} +lon_0={c.x} +ellps=WGS84 +units=m"
    independent = series.to_crs(laea).area.iloc[0] / 1e6
    assert abs(ours - independent) / independent < 0.005
    assert abs(ours - expected) / expected < 0.01


def test_frontline_stats_cli_and_oblast():
    result = CliRunner().invoke(
        main,
        [
            "frontline",
            "stats",
            "--from",
            "2025-08-25",
            "--to",
            "2025-08-27",
            "--oblast",
            "Dnipropetrovsk",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    series = [row["occupied_km2"] for row in data["series"]]
    assert len(series) == 3 and series[-1] > series[0] > 0
    assert data["gained_km2"] > 0 and data["oblast"] == "Dnipropetrovsk"
    bad = CliRunner().invoke(
        main, ["frontline", "stats", "--from", "2025-09-01", "--to", "2025-08-01"]
    )
    assert bad.exit_code == 2 and "swap" in bad.stderr


def test_status_cli_point_and_place():
    result = CliRunner().invoke(main, ["status", "47.87,36.57", "--date", "2025-08-27"])
    assert result.exit_code == 0 and "occupied" in result.output
    result = CliRunner().invoke(main, ["status", ZAPORIZKE, "--date", "2025-08-26", "--json"])
    data = json.loads(result.output)
    assert data["status"] == "not occupied" and data["source"] == "DeepStateMap"


def test_parse_output_carries_frontline_on_the_date():
    doc = tracker.parse(
        "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region.",
        date="2025-08-27",
    )
    for m in doc.mentions:
        if m.mention.text in ("Zaporizke", "Novoheorhiivka"):
            assert m.frontline.status == "occupied"
            assert m.frontline.snapshot == "2025-08-27"
