"""Distance to the state border (tracker.data.boundaries.state_border_pieces, region_at, the
places table, `tracker where`; issue 11 and format 8): "how far is this village from Russia?".
On the real build: Vovchansk by the Russian border, Chernihiv by Belarus, Kropyvnytskyi in the
middle of the country."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

VOVCHANSK = "UA63140010010035757"


@pytest.fixture(autouse=True)
def _data(built):
    return built


@pytest.fixture(scope="module")
def gaz(built):
    from tracker.gazetteer import load

    return load()


@pytest.mark.parametrize(
    ("lat", "lon", "country", "most_km"),
    [
        (50.29078, 36.94108, "Russia", 10.0),  # Vovchansk
        (51.4982, 31.2893, "Belarus", 60.0),  # Chernihiv
        (48.6208, 22.2879, "Slovakia", 10.0),  # Uzhhorod
        (45.3516, 28.8303, "Romania", 5.0),  # Izmail, on the Danube
    ],
)
def test_region_at_names_the_nearest_neighbour(lat, lon, country, most_km):
    """A point near a land border: the neighbour across it and the km."""
    from tracker.regions import region_at

    state, km = region_at(lon, lat).state_border
    assert state == country and 0 < km < most_km


def test_region_at_in_central_ukraine_is_far_from_any_state_border():
    """Kropyvnytskyi: more than 150 km from every neighbour (the coast is no state border)."""
    from tracker.regions import region_at

    _, km = region_at(32.2623, 48.5079).state_border
    assert km > 150


def test_every_located_settlement_has_its_state_border(gaz):
    """Place.km_to_state_border / state_border_with for settlements with a point; none for
    units and unlocated settlements."""
    from tracker.gazetteer import state_names

    col = gaz.col
    located = col["is_settlement"] & ~np.isnan(col["lon"])
    km = col["km_to_state_border"]
    assert np.isfinite(km[located]).all() and (km[located] >= 0).all()
    assert set(col["state_border_code"][located]) <= set(state_names())
    assert np.isnan(km[~located]).all()
    place = gaz.place(gaz.katottg_index[VOVCHANSK])
    assert place.state_border_with == "Russia" and 0 < place.km_to_state_border < 10


def test_regions_for_points_has_the_state_border_columns():
    """The vectorised lookup gives the same neighbour and km as region_at."""
    from tracker.regions import region_at, regions_for_points

    frame = regions_for_points([[36.94108, 50.29078], [32.2623, 48.5079]])
    assert frame["state_border_with"].tolist()[0] == "Russia"
    one = region_at(36.94108, 50.29078).state_border
    assert frame["km_to_state_border"].iloc[0] == pytest.approx(one[1], abs=0.01)


def test_cli_where_vovchansk_names_the_border_with_russia():
    """`tracker where Vovchansk`: the city's line says how far Russia is."""
    from tracker.cli import main

    result = CliRunner().invoke(main, ["where", "Vovchansk", "--limit", "1"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "Vovchansk" in first and "km to the border with Russia" in first


def test_cli_where_a_point_names_the_state_border():
    """`tracker where LAT,LON` by the border: a line for the state border."""
    from tracker.cli import main

    result = CliRunner().invoke(main, ["where", "50.29078,36.94108"])
    assert result.exit_code == 0, result.output
    assert "km to the state border with Russia" in result.output
