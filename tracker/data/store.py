"""Loading the built data, once per process.

``load()`` returns the :class:`Store` for the current data directory; the name
index is built on first use, the boundary layers only when a region question
is asked, a DeepState snapshot only when its date is, so ``tracker where NAME``
never pays for geometry it does not need. This package only loads: the stage
modules (:mod:`tracker.gazetteer`, :mod:`tracker.frontline`...) ask the questions.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import data_dir
from .manifest import BUILDS, Build, damaged, open_build

if TYPE_CHECKING:
    import pandas as pd

    from .lookup import Lookup, SortedTable

__all__ = ["Store", "load", "reset"]

_cache: dict[Path, Store] = {}


class Store:
    """The built tables of one data directory."""

    def __init__(self, directory: Path) -> None:
        build = open_build(directory)  # resolves the pointer once, leases and checks the build
        #: the data directory (``TRACKER_DATA_DIR``)
        self.root: Path = build.root
        #: the build directory its pointer named when loaded (every table is read from here)
        self.directory: Path = build.path
        self.build_id: str = build.build_id
        self.manifest: dict = build.manifest
        self._build: Build = build

    def read_table(self, name: str) -> pd.DataFrame:
        """Read the table *name* of this build.

        Raises
        ------
        DataDamaged
            When the file passed the cheap checks at load time but cannot be decoded.
        """
        import pandas as pd
        import pyarrow as pa  # type: ignore[import-untyped]

        try:
            return pd.read_parquet(self.directory / f"{name}.parquet")
        except (OSError, ValueError, pa.ArrowException) as err:
            raise self._undecodable(f"{name}.parquet", err) from err

    def _undecodable(self, file: str, err: BaseException) -> Exception:
        first = (str(err).splitlines() or [type(err).__name__])[0][:160]
        return damaged(self.root, f"{BUILDS}/{self.build_id}/{file}", f"cannot be read: {first}")

    def close(self) -> None:
        """Release this store's lease on its build (:func:`reset` does it for cached stores)."""
        self._build.close()

    @cached_property
    def places(self) -> pd.DataFrame:
        """One row per place (the id of a place is its row number), read on first use."""
        return self.read_table("places")

    @cached_property
    def names(self) -> pd.DataFrame:
        """Every searchable spelling: ``place, variant, key, skeleton, source`` (sorted by key)."""
        return self.read_table("names")

    @cached_property
    def skeletons(self) -> pd.DataFrame:
        """``skeleton, place, key`` sorted by skeleton (loose spellings)."""
        return self.read_table("skeletons")

    @cached_property
    def lookup(self) -> Lookup | None:
        """The arrays looked up at start (:class:`tracker.data.lookup.Lookup`: the gazetteer's
        columns and name indexes, read without pandas), or None for a build without them."""
        if "lookup.npz" not in self.manifest.get("files", {}):
            return None
        import zipfile

        from .lookup import LayoutMismatch, Lookup

        try:
            return Lookup(self.directory / "lookup.npz")
        except LayoutMismatch:
            return None  # written by another version of the tracker: computed in the process
        except (OSError, ValueError, zipfile.BadZipFile) as err:
            raise self._undecodable("lookup.npz", err) from err

    def _geo(self, table: str) -> pd.DataFrame:
        import shapely

        frame = self.read_table(table)
        frame["geometry"] = shapely.from_wkb(frame["geometry"].to_numpy())
        return frame

    @cached_property
    def oblasts(self) -> pd.DataFrame:
        """Oblast polygons (EPSG:4326) with ``oblast, iso, oblast_code``."""
        return self._geo("oblasts")

    @cached_property
    def raions(self) -> pd.DataFrame:
        """Raion polygons (generalised OPORA, EPSG:4326) with ``raion_code``."""
        return self._geo("raions")

    @cached_property
    def hromadas(self) -> pd.DataFrame:
        """Hromada polygons (generalised OPORA, EPSG:4326) with ``hromada_code``."""
        return self._geo("hromadas")

    @cached_property
    def regions(self) -> Any:
        """The :class:`tracker.spatial.RegionIndex` over the boundary layers."""
        from ..spatial import RegionIndex

        return RegionIndex(self.oblasts, self._geo("borders"), self.raions, self.hromadas)

    @cached_property
    def interior(self) -> Any:
        """Ukraine shrunk 3 km from its border and coast (where the line of contact runs)."""
        import shapely

        frame = self.read_table("interior")
        geom = shapely.from_wkb(frame["geometry"].iloc[0])
        shapely.prepare(geom)
        return geom

    def optional_table(self, name: str) -> dict[str, list] | None:
        """Table *name* of :data:`~tracker.data.manifest.OPTIONAL_TABLES` as ``{column: list}``
        (read with pyarrow: no pandas needed), or None when this build has none."""
        if f"{name}.parquet" not in self.manifest.get("files", {}):
            return None
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        try:
            table = pq.read_table(self.directory / f"{name}.parquet")
        except (OSError, ValueError, pa.ArrowException) as err:
            raise self._undecodable(f"{name}.parquet", err) from err
        return {column: table.column(column).to_pylist() for column in table.column_names}

    @cached_property
    def foreign(self) -> dict[str, list] | None:
        """The foreign-place index built with the data (``key, name, kind, country, lon, lat,
        cased``; :mod:`tracker.data.foreign`), or None for a build without it."""
        found = self.lookup.foreign() if self.lookup is not None else None
        return found if found is not None else self.optional_table("foreign")

    @cached_property
    def foreign_table(self) -> SortedTable | None:
        """The foreign-place index of the ``lookup`` archive, read a row at a time by key
        (:class:`tracker.data.lookup.SortedTable`), or None for a build without it."""
        return self.lookup.foreign_table() if self.lookup is not None else None

    @cached_property
    def first_words(self) -> dict[str, list] | None:
        """Folded first words of the multi-word spellings and their loose keys (``word,
        skeleton``), or None for a build without them."""
        if self.lookup is not None:
            words = self.lookup.strings("first_words")
            loose = self.lookup.strings("first_skeletons")
            if words is not None and loose is not None:
                return {"word": words, "skeleton": loose}
        return self.optional_table("first_words")

    @cached_property
    def snapshots(self) -> Any:
        """The DeepState snapshots, loaded one date at a time
        (:class:`tracker.data.snapshots.Snapshots`; the questions asked of them are
        :func:`tracker.frontline.frontline_of`'s)."""
        from .snapshots import Snapshots

        return Snapshots(self.directory)


def load(directory: str | Path | None = None) -> Store:
    """Return the loaded :class:`Store` for *directory* (default: the configured data dir)."""
    path = Path(directory) if directory is not None else data_dir()
    path = path.expanduser().resolve()
    store = _cache.get(path)
    if store is None:
        store = _cache[path] = Store(path)
    return store


def reset() -> None:
    """Forget loaded data (after a rebuild, or in tests) and release the leases on its builds."""
    for store in _cache.values():
        store.close()
    _cache.clear()
