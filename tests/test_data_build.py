"""The data build from the mirror: coverage floors, atomic writes, status."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.data.build import build
from tracker.errors import SourceError


def test_coverage_floors(built, capsys):
    cov, counts = built["coverage"], built["counts"]
    with capsys.disabled():
        print(
            f"\ncoverage: {cov['settlements_with_coordinates']} / {counts['settlements']} "
            f"settlements located ({cov['share_with_coordinates']:.2%}); matched by "
            f"{cov['matched_by']}; GeoNames unmatched {cov['geonames_unmatched']}"
        )
    assert 29_000 <= counts["settlements"] <= 30_500
    assert counts["hromadas"] >= 1_400 and counts["raions"] == 136 and counts["oblasts"] == 27
    # measured 91.1 %; the floor catches a regression of the join
    assert cov["share_with_coordinates"] >= 0.905
    assert sum(cov["matched_by"].values()) == cov["settlements_with_coordinates"]
    assert cov["matched_by"]["unique-in-raion"] >= 23_000
    unmatched = sum(cov["geonames_unmatched"].values())
    assert (
        0 < unmatched < cov["geonames_populated_places"] - cov["settlements_with_coordinates"] + 1
    )
    assert cov["located_outside_codifier_oblast"] <= 20
    assert cov["hromada_polygons_with_code"] >= 1_460
    assert cov["raion_polygons_with_code"] == 136
    assert built["deepstate"]["snapshots"] >= 700
    assert set(built["inputs"]) >= {"geonames/UA.zip", "settlements/osm_ua_name_places.csv"}


def test_failed_build_keeps_previous(sources_dir, tmp_path):
    target = tmp_path / "built"
    target.mkdir()
    (target / "marker").write_text("previous build")
    broken = tmp_path / "broken-sources"
    broken.mkdir()
    with pytest.raises(SourceError, match="missing"):
        build(broken, target)
    assert (target / "marker").read_text() == "previous build"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_status_cli(built):
    result = CliRunner().invoke(main, ["data", "status"])
    assert result.exit_code == 0, result.output
    assert "settlements have coordinates" in result.output
    assert "GeoNames:" in result.output and "geonames/UA.zip" in result.output
