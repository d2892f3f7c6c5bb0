"""A geopy-compatible geocoder over the tracker's offline gazetteer.

``OfflineGeocoder`` answers ``geocode(name)`` and ``reverse("lat, lon")`` like any
geopy geocoder (returning :class:`geopy.location.Location`), so code written for
geopy works offline. An online fallback (e.g. Nominatim) can be given explicitly;
it is never used by default, it is asked only when the gazetteer has no answer, and
its answers are kept only when they fall inside Ukraine.
"""

from __future__ import annotations

from typing import Any

from geopy.location import Location

from .errors import OutsideUkraine, PlaceNotFound
from .models import Candidate, parse_lonlat

__all__ = ["OfflineGeocoder", "nominatim_fallback"]


def _address(name: str, hromada: str | None, raion: str | None, oblast: str) -> str:
    """The one-line address of a place: "Zaporizke, Velykomykhailivka hromada, …, Ukraine"."""
    parts = (
        name,
        hromada and f"{hromada} hromada",
        raion and f"{raion} raion",
        f"{oblast} oblast",
        "Ukraine",
    )
    return ", ".join(p for p in parts if p)


def _location(c: Candidate) -> Location:
    address = _address(c.name, c.hromada, c.raion, c.oblast)
    raw = c.to_dict()
    raw["source"] = "tracker gazetteer (KATOTTG + GeoNames)"
    return Location(address, (c.lat, c.lon), raw)


class OfflineGeocoder:
    """geopy-style geocoder backed by :func:`tracker.where` and :func:`tracker.region_at`.

    Parameters
    ----------
    fallback
        Optional online geopy geocoder, asked only when the gazetteer finds nothing
        (see :func:`nominatim_fallback`). Default None: never touches the network.

    Examples
    --------
    >>> geocoder = OfflineGeocoder()                                 # doctest: +SKIP
    >>> geocoder.geocode("Novoheorhiivka, Dnipropetrovsk Oblast")    # doctest: +SKIP
    Location(Novoheorhiivka, Velykomykhailivka hromada, ..., (47.86949, 36.56987, 0.0))
    """

    def __init__(self, fallback: Any = None) -> None:
        self.fallback = fallback

    def geocode(
        self, query: str, *, exactly_one: bool = True, limit: int | None = None, **_: Any
    ) -> Location | list[Location] | None:
        """Locations for a place name, best first (None when nothing is found)."""
        from . import where

        try:
            found = [c for c in where(query, limit=None) if c.lat is not None]
        except PlaceNotFound:
            found = []
        if not found and self.fallback is not None:
            return self._ask_fallback(query, exactly_one)
        if not found:
            return None
        if exactly_one:
            return _location(found[0])
        return [_location(c) for c in found[: limit or len(found)]]

    def reverse(self, query: Any, *, exactly_one: bool = True, **_: Any) -> Location | None:
        """The nearest settlement to a ``"lat, lon"`` string, (lat, lon) pair or geopy Point."""
        from . import region_at

        if isinstance(query, str):
            point = parse_lonlat(query)
            if point is None:
                raise ValueError(f"`query` was {query!r}; expected 'LAT, LON'")
            lat, lon = point.lat, point.lon
        else:
            lat, lon = float(query[0]), float(query[1])
        try:
            r = region_at(lon, lat)
        except OutsideUkraine:
            return None
        nearest = r.nearest_settlement
        if nearest is None:  # a point inside Ukraine always has a nearest settlement
            return None
        address = _address(nearest.name, r.hromada, r.raion, r.oblast)
        raw = r.to_dict()
        raw["source"] = "tracker gazetteer (KATOTTG + GeoNames), geoBoundaries, OPORA"
        return Location(address, (lat, lon), raw)

    def _ask_fallback(self, query: str, exactly_one: bool) -> Location | list[Location] | None:
        from . import region_at

        answer = self.fallback.geocode(query, exactly_one=False)
        kept = []
        for loc in answer or []:
            try:
                region_at(loc.longitude, loc.latitude)
            except (OutsideUkraine, ValueError):
                continue
            raw = dict(loc.raw or {})
            raw["source"] = f"online fallback ({type(self.fallback).__name__})"
            kept.append(Location(loc.address, (loc.latitude, loc.longitude), raw))
        if not kept:
            return None
        return kept[0] if exactly_one else kept


def nominatim_fallback(user_agent: str, *, min_delay_seconds: float = 1.0):
    """An opt-in Nominatim geocoder with geopy's RateLimiter (1 request/s, Nominatim's policy).

    The returned object has a ``geocode(query, exactly_one=...)`` method; pass it as
    ``OfflineGeocoder(fallback=...)``. Creating it does not touch the network.
    """
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    nominatim = Nominatim(user_agent=user_agent)

    class _Limited:
        def __init__(self) -> None:
            self._call = RateLimiter(nominatim.geocode, min_delay_seconds=min_delay_seconds)

        def geocode(self, query: str, exactly_one: bool = True):
            return self._call(query, exactly_one=exactly_one, country_codes="ua")

    return _Limited()
