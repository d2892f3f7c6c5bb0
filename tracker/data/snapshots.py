"""Loading the DeepState archive of a build, one date at a time (DeepStateMap).

The build writes every daily snapshot to ``frontline.parquet`` (``date``, ``geometry`` as
WKB; one row group per snapshot, so that one date is read without the others) and the
dates on which each front-area settlement entered or left the occupied area to
``control.parquet``. :class:`Snapshots` only loads: the list of dates when it is made, a
snapshot's geometry the first time that date is asked for, the control changes the first
time a settlement's history is asked for. The questions asked of them (status of a point,
line of contact, areas) are :mod:`tracker.frontline`'s.
"""

from __future__ import annotations

import threading
from datetime import date as Date
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = ["Snapshots"]


class Snapshots:
    """The snapshot archive of one build directory, loaded lazily.

    Parameters
    ----------
    directory
        The build directory holding ``frontline.parquet`` and ``control.parquet``.

    Examples
    --------
    >>> snaps = Snapshots(load().directory)  # doctest: +SKIP
    >>> snaps.dates[0], snaps.geometry(0).geom_type  # doctest: +SKIP
    (datetime.date(2024, 1, 1), 'MultiPolygon')
    """

    def __init__(self, directory: Path) -> None:
        import pyarrow.parquet as pq

        self.directory = Path(directory)
        self._file = pq.ParquetFile(self.directory / "frontline.parquet")
        table = self._file.read(columns=["date"])
        #: snapshot dates, oldest first
        self.dates: list[Date] = [Date.fromisoformat(d) for d in table.column("date").to_pylist()]
        meta = self._file.metadata
        #: one row group per snapshot (builds of this version); older builds are read whole
        self._per_row_group = meta.num_row_groups == meta.num_rows
        self._all_wkb: list[bytes] | None = None
        self._geoms: dict[int, Any] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.dates)

    def wkb(self, i: int) -> bytes:
        """The WKB of snapshot *i* (read from disk on each call; see :meth:`geometry`)."""
        if not 0 <= i < len(self.dates):
            raise IndexError(f"snapshot index {i} outside 0..{len(self.dates) - 1}")
        if self._per_row_group:
            return self._file.read_row_group(i, columns=["geometry"]).column(0)[0].as_py()
        if self._all_wkb is None:
            self._all_wkb = self._file.read(columns=["geometry"]).column(0).to_pylist()
        return self._all_wkb[i]

    def geometry(self, i: int) -> Any:
        """The occupied area of snapshot *i* as a prepared shapely geometry (read once)."""
        geom = self._geoms.get(i)
        if geom is None:
            import shapely

            with self._lock:
                geom = self._geoms.get(i)
                if geom is None:
                    geom = shapely.from_wkb(self.wkb(i))
                    shapely.prepare(geom)
                    self._geoms[i] = geom
        return geom

    @cached_property
    def changes(self) -> dict[str, list[tuple[str, bool]]]:
        """KATOTTG code -> ``[(date, occupied), ...]``: the first status of each front-area
        settlement and every change after it (``control.parquet``), read on first use."""
        import pyarrow.parquet as pq

        table = pq.read_table(self.directory / "control.parquet")
        out: dict[str, list[tuple[str, bool]]] = {}
        for code, day, occupied in zip(
            table.column("katottg").to_pylist(),
            table.column("date").to_pylist(),
            table.column("occupied").to_pylist(),
            strict=True,
        ):
            out.setdefault(code, []).append((day, occupied))
        return out
