"""Region answers on the real boundary layers."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner

import tracker
from tracker.cli import main


@pytest.fixture(autouse=True)
def _data(built):
    return built


def test_region_at_novoheorhiivka():
    r = tracker.region_at(36.56987, 47.86949)
    assert r.oblast == "Dnipropetrovsk" and r.oblast_iso == "UA-12"
    assert r.raion == "Synelnykove" and r.hromada == "Velykomykhailivka"
    assert r.units_generalised
    assert r.across_border == "Donetsk" and 0.5 < r.km_to_oblast_border < 0.9
    assert r.borders[0][0] == "Donetsk"
    assert [o for o, _ in r.borders][:2] == ["Donetsk", "Zaporizhzhia"]
    assert r.nearest_settlement.katottg == "UA12140050080041206"
    assert r.km_to_nearest_settlement < 0.1


def test_zaporizke_nearest_border_is_zaporizhzhia_then_donetsk():
    # Both geoBoundaries and the Ministry layer put Zaporizke 1.6 km from the
    # Zaporizhzhia border and 2.9 km from the Donetsk border.
    r = tracker.region_at(36.53318, 47.85349)
    assert r.oblast == "Dnipropetrovsk"
    kms = dict(r.borders)
    assert 1.4 < kms["Zaporizhzhia"] < 1.8
    assert 2.7 < kms["Donetsk"] < 3.1


def test_point_on_shared_border_is_covered(store):
    ob = store.oblasts.set_index("oblast_code")
    shared = shapely.intersection(
        shapely.boundary(ob.geometry["UA12"]), shapely.boundary(ob.geometry["UA14"])
    )
    coords = shapely.get_coordinates(shared)
    assert len(coords) > 10
    lon, lat = coords[len(coords) // 2]
    r = tracker.region_at(lon, lat)
    assert r.on_border
    assert r.oblast in ("Dnipropetrovsk", "Donetsk")
    assert r.km_to_oblast_border == 0.0


def test_points_outside_ukraine():
    with pytest.raises(tracker.OutsideUkraine, match="outside Ukraine"):
        tracker.region_at(20.0, 50.0)  # Poland
    with pytest.raises(tracker.OutsideUkraine):
        tracker.region_at(31.0, 45.6)  # Black Sea, off Odesa: territorial waters are not land
    with pytest.raises(tracker.InvalidCoordinates):
        tracker.region_at(200.0, 48.0)


def test_cli_reverse_json():
    result = CliRunner().invoke(main, ["where", "47.86949,36.56987", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["oblast"] == "Dnipropetrovsk"
    assert data["borders"][0]["oblast"] == "Donetsk"


def test_regions_for_points_matches_single_lookups(store):
    rng = np.random.default_rng(7)
    places = store.places
    located = places[places["lon"].notna() & places["category"].isin(["M", "C"])]
    sample = located.sample(300, random_state=3)
    frame = gpd.GeoDataFrame(
        sample[["katottg"]],
        geometry=gpd.points_from_xy(sample["lon"], sample["lat"]),
        crs=4326,
    ).to_crs(3857)  # any CRS is accepted
    out = tracker.regions_for_points(frame)
    assert list(out.index) == list(frame.index)
    expected = sample["oblast"].to_numpy()
    assert (out["oblast"].to_numpy() == expected).mean() > 0.99
    for i in rng.choice(len(sample), 5, replace=False):
        single = tracker.region_at(sample["lon"].iat[i], sample["lat"].iat[i])
        assert single.oblast == out["oblast"].iat[i]
        assert single.km_to_oblast_border == pytest.approx(
            out["km_to_oblast_border"].iat[i], abs=1e-3
        )


def test_regions_for_points_rejects_bad_shape():
    with pytest.raises(tracker.InvalidCoordinates, match="shape"):
        tracker.regions_for_points(np.zeros((3, 3)))


def test_regions_for_points_rejects_geometries_that_are_not_points():
    polygons = gpd.GeoSeries([shapely.Point(36.5, 47.8), shapely.box(36, 47, 37, 48)], crs=4326)
    wrong = r"1 geometries that are not points.*Polygon"
    with pytest.raises(tracker.InvalidCoordinates, match=wrong):
        tracker.regions_for_points(polygons)


def test_regions_for_points_missing_and_empty_points_are_outside():
    points = gpd.GeoSeries([shapely.Point(36.5332, 47.8535), None, shapely.Point()], crs=4326)
    out = tracker.regions_for_points(points, borders=False, units=False)
    assert out["oblast"].iloc[0] == "Dnipropetrovsk"
    assert out["oblast"].iloc[1:].isna().all() and not out["on_border"].iloc[1:].any()


def test_regions_for_points_many_points_agree_with_one_at_a_time():
    """The grid path (many points) and the exact path (few) give the same oblasts."""
    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(22.1, 40.3, 20_000), rng.uniform(44.3, 52.4, 20_000)
    many = tracker.regions_for_points(np.c_[lon, lat], borders=False, units=False)
    few = [
        tracker.regions_for_points(np.c_[lon[i : i + 1], lat[i : i + 1]], borders=False)
        for i in range(0, 20_000, 97)
    ]
    few = [f["oblast"].iloc[0] for f in few]
    got = many["oblast"].iloc[::97].tolist()
    assert [a if isinstance(a, str) else None for a in got] == [
        a if isinstance(a, str) else None for a in few
    ]
