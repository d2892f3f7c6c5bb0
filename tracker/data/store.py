"""Loading the built data, once per process.

``load()`` returns the :class:`Store` for the current data directory; the name
index is built on first use, the boundary layers only when a region question
is asked, so ``tracker where NAME`` never pays for geometry it does not need.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import data_dir
from ..errors import DataNotBuilt

__all__ = ["Store", "load", "reset"]

#: Which spelling source wins when a place has one key from several sources.
_SOURCE_RANK = {
    "official": 0,
    "kmu-2010": 1,
    "admin": 2,
    "transliteration": 3,
    "alias": 4,
    "occupation-name": 5,
    "geonames": 6,
    "old-name": 7,
}
BUILD_HINT = "tracker data build --sources ../shared/geodata"
_TABLES = (
    "places",
    "names",
    "skeletons",
    "oblasts",
    "raions",
    "hromadas",
    "borders",
    "frontline",
    "control",
    "interior",
)
_cache: dict[Path, Store] = {}


class Store:
    """The built tables of one data directory."""

    def __init__(self, directory: Path) -> None:
        from .build import FORMAT_VERSION

        self.directory = directory
        manifest_path = directory / "manifest.json"
        if not manifest_path.is_file() or any(
            not (directory / f"{t}.parquet").is_file() for t in _TABLES
        ):
            raise DataNotBuilt(
                f"no built data in {str(directory)!r}; run: {BUILD_HINT} "
                "(or set TRACKER_DATA_DIR to a built directory)"
            )
        self.manifest = json.loads(manifest_path.read_text())
        if self.manifest.get("format") != FORMAT_VERSION:
            raise DataNotBuilt(
                f"the data in {str(directory)!r} was built by another version "
                f"(format {self.manifest.get('format')}, need {FORMAT_VERSION}); run: {BUILD_HINT}"
            )
        self.places: pd.DataFrame = pd.read_parquet(directory / "places.parquet")
        #: place id -> its :class:`tracker.models.Place` (immutable), filled on first use
        self.place_cache: dict[int, object] = {}

    @cached_property
    def col(self) -> dict[str, np.ndarray]:
        """The places table as one numpy array per column (fast per-row access), plus
        ``oblast4`` (the KATOTTG oblast prefix of every place)."""
        cols = {name: self.places[name].to_numpy() for name in self.places.columns}
        cols["lon"] = self.places["lon"].to_numpy(dtype=float)
        cols["lat"] = self.places["lat"].to_numpy(dtype=float)
        cols["front_km"] = self.places["front_km"].to_numpy(dtype=float)
        cols["km_to_oblast_border"] = self.places["km_to_oblast_border"].to_numpy(dtype=float)
        cols["geonameid"] = self.places["geonameid"].to_numpy(dtype=float, na_value=np.nan)
        cols["oblast4"] = self.places["oblast_code"].str[:4].to_numpy()
        cols["is_region"] = self.places["category"].isin(["O", "P", "H"]).to_numpy()
        cols["is_settlement"] = self.places["category"].isin(["K", "M", "T", "X", "C"]).to_numpy()
        return cols

    @cached_property
    def oblast_katottg(self) -> dict[str, str]:
        """KATOTTG prefix ("UA12") -> the full code of that first-level unit."""
        p = self.places
        units = p[p["category"].isin(["O", "K"])]
        return {code[:4]: code for code in units["oblast_code"] if code[:4] not in ("",)}

    @cached_property
    def names(self) -> pd.DataFrame:
        """Every searchable spelling: ``place, variant, key, skeleton, source``."""
        return pd.read_parquet(self.directory / "names.parquet")

    @cached_property
    def _keys(self) -> tuple[list[str], list[int], list[str]]:
        names = self.names  # written sorted by key
        return names["key"].tolist(), names["place"].tolist(), names["source"].tolist()

    @cached_property
    def _skeletons(self) -> tuple[list[str], list[int], list[str]]:
        frame = pd.read_parquet(self.directory / "skeletons.parquet")  # sorted by skeleton
        return frame["skeleton"].tolist(), frame["place"].tolist(), frame["key"].tolist()

    @staticmethod
    def _slice(index: list[str], value: str) -> slice:
        return slice(bisect_left(index, value), bisect_right(index, value))

    def lookup_key(self, key: str) -> dict[int, str]:
        """Folded spelling -> {place id: source of that spelling} (official first)."""
        index, places, sources = self._keys
        sl = self._slice(index, key)
        out: dict[int, str] = {}
        for place, source in zip(places[sl], sources[sl], strict=True):
            if place not in out or _SOURCE_RANK.get(source, 9) < _SOURCE_RANK.get(out[place], 9):
                out[place] = source
        return out

    def lookup_skeleton(self, sk: str) -> list[tuple[int, str]]:
        """Loose key -> [(place id, folded spelling)]."""
        index, places, keys = self._skeletons
        sl = self._slice(index, sk)
        return list(zip(places[sl], keys[sl], strict=True))

    @cached_property
    def all_keys(self) -> list[str]:
        """Every distinct folded spelling, for the misspelling fallback."""
        return self.names["key"].unique().tolist()

    @cached_property
    def first_words(self) -> frozenset[str]:
        """Folded first words of every multi-word spelling ("velyka" of "velyka novosilka")."""
        return frozenset(key.split(" ", 1)[0] for key in self.all_keys if " " in key)

    @cached_property
    def first_skeletons(self) -> frozenset[str]:
        """Loose keys of those first words (for variant spellings of multi-word names)."""
        from ..names import skeleton

        return frozenset(skeleton(w) for w in self.first_words)

    @cached_property
    def keys_by_initial(self) -> dict[str, list[str]]:
        """Distinct spellings by their first letter (misspellings rarely change it)."""
        out: dict[str, list[str]] = {}
        for key in self.all_keys:
            out.setdefault(key[:1], []).append(key)
        return out

    @cached_property
    def katottg_index(self) -> dict[str, int]:
        """KATOTTG code -> place id."""
        return {code: i for i, code in enumerate(self.places["katottg"].tolist())}

    @cached_property
    def display_names(self) -> list[str]:
        """Distinct display names, for spelling suggestions."""
        return sorted(set(self.places["name"].dropna().tolist()))

    def _geo(self, table: str) -> pd.DataFrame:
        import shapely

        frame = pd.read_parquet(self.directory / f"{table}.parquet")
        frame["geometry"] = shapely.from_wkb(frame["geometry"].to_numpy())
        return frame

    @cached_property
    def oblasts(self) -> pd.DataFrame:
        """Oblast polygons (EPSG:4326) with ``oblast, iso, oblast_code``."""
        return self._geo("oblasts")

    @cached_property
    def regions(self):
        """The :class:`tracker.regions.RegionIndex` over the boundary layers."""
        from ..regions import RegionIndex

        return RegionIndex(
            self.oblasts, self._geo("borders"), self._geo("raions"), self._geo("hromadas")
        )

    @cached_property
    def interior(self):
        """Ukraine shrunk 3 km from its border and coast (where the line of contact runs)."""
        import shapely

        frame = pd.read_parquet(self.directory / "interior.parquet")
        geom = shapely.from_wkb(frame["geometry"].iloc[0])
        shapely.prepare(geom)
        return geom

    @cached_property
    def frontline(self):
        """The DeepState snapshot archive (:class:`tracker.frontline.Frontline`)."""
        from ..frontline import Frontline

        return Frontline(self)

    @cached_property
    def located(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(place ids, lon, lat) of settlements with coordinates."""
        p = self.places
        sel = np.flatnonzero(
            p["lon"].notna().to_numpy() & p["category"].isin(["K", "M", "T", "X", "C"]).to_numpy()
        )
        return sel, p["lon"].to_numpy()[sel], p["lat"].to_numpy()[sel]

    @cached_property
    def settlement_tree(self):
        """STRtree over located settlements (same order as :attr:`located`)."""
        import shapely

        _, lon, lat = self.located
        return shapely.STRtree(shapely.points(lon, lat))


def load(directory: str | Path | None = None) -> Store:
    """Return the loaded :class:`Store` for *directory* (default: the configured data dir)."""
    path = Path(directory) if directory is not None else data_dir()
    path = path.expanduser().resolve()
    store = _cache.get(path)
    if store is None:
        store = _cache[path] = Store(path)
    return store


def reset() -> None:
    """Forget loaded data (after a rebuild, or in tests)."""
    _cache.clear()
