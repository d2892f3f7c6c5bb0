"""The geopy-compatible offline geocoder; the online fallback is tested with a fake."""

from __future__ import annotations

import pytest
from geopy.location import Location

from tracker.geocoders import OfflineGeocoder


@pytest.fixture(autouse=True)
def _data(built):
    return built


class FakeOnline:
    """Stands in for Nominatim: records queries, answers from a fixed table."""

    def __init__(self, answers):
        self.answers = answers
        self.queries = []

    def geocode(self, query, exactly_one=True):
        self.queries.append(query)
        return self.answers


def test_geocode_offline_returns_geopy_location():
    loc = OfflineGeocoder().geocode("Novoheorhiivka, Dnipropetrovsk Oblast")
    assert isinstance(loc, Location)
    assert loc.raw["katottg"] == "UA12140050080041206"
    assert (round(loc.latitude, 4), round(loc.longitude, 4)) == (47.8695, 36.5699)
    assert "Velykomykhailivka hromada" in loc.address and "Dnipropetrovsk oblast" in loc.address


def test_geocode_many_and_unknown():
    many = OfflineGeocoder().geocode("Zaporizke", exactly_one=False, limit=5)
    assert len(many) == 5 and all(isinstance(x, Location) for x in many)
    assert OfflineGeocoder().geocode("Qwxyzzyville") is None


def test_reverse():
    loc = OfflineGeocoder().reverse("47.85349, 36.53318")
    assert loc.address.startswith("Zaporizke, Velykomykhailivka hromada")
    assert loc.raw["oblast"] == "Dnipropetrovsk"
    assert OfflineGeocoder().reverse((50.0, 20.0)) is None  # Poland


def test_fallback_only_when_gazetteer_has_nothing_and_only_inside_ukraine():
    inside = Location("Somewhere, Donetsk Oblast", (48.3, 37.2), {"osm": 1})
    outside = Location("Kraków", (50.06, 19.94), {"osm": 2})
    fake = FakeOnline([outside, inside])
    geocoder = OfflineGeocoder(fallback=fake)
    assert geocoder.geocode("Zaporizke").raw["katottg"]  # gazetteer answers; fallback not asked
    assert fake.queries == []
    loc = geocoder.geocode("Qwxyzzyville")
    assert fake.queries == ["Qwxyzzyville"]
    assert loc.raw["osm"] == 1 and "online fallback" in loc.raw["source"]


def test_nominatim_fallback_is_built_without_network(monkeypatch):
    from geopy.geocoders import Nominatim

    from tracker.geocoders import nominatim_fallback

    calls = []

    def fake_geocode(self, query, **kwargs):  # stands in for the HTTP request
        calls.append((self.headers["User-Agent"], query, kwargs))
        return "answer"

    monkeypatch.setattr(Nominatim, "geocode", fake_geocode)
    online = nominatim_fallback("tracker-tests", min_delay_seconds=0.0)
    assert calls == []  # building it asks nothing
    assert online.geocode("Zaporizke", exactly_one=False) == "answer"
    # one request, with our user agent, limited to Ukraine
    assert calls == [("tracker-tests", "Zaporizke", {"exactly_one": False, "country_codes": "ua"})]
