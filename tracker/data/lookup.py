"""What every command looks up at start, as plain arrays (``lookup.npz`` of a build).

A command that reads a few names (``tracker where NAME``, the parse of one line) needs the
gazetteer's columns (:attr:`tracker.gazetteer.Gazetteer.col`), its sorted spellings and loose
keys, the first words of multi-word spellings and the foreign-place index, not pandas and not
geometry. The data build computes all of them once, from the tables as a reader reads them
back, and writes them as one uncompressed NumPy archive (``numpy.savez``: no pickled objects);
:class:`Lookup` maps the file and makes each array, a view of its bytes, the first time it is
asked for.

Strings are stored as one UTF-8 blob each (joined by ``"\\n"``, which no name holds) with the
offset of each: one string is read alone, all of them with one ``split`` (the fastest way to
make many Python strings), and a sorted list is searched by bisection in its UTF-8 until it
has been searched often enough to be worth making into a Python list. Missing values and
the cells of object columns that are not text are coded beside them, so that a decoded
column is the very array pandas gives (``str`` cells, ``nan`` or ``None`` where missing,
Python ``bool`` cells with ``None`` for a three-valued column).

The layout of the archive is :data:`LAYOUT`; a reader ignores an archive of another layout
(and computes what it needs in the process, as for a build without one).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LAYOUT",
    "SETTLEMENT_CATEGORIES",
    "LayoutMismatch",
    "Lookup",
    "NameIndex",
    "SortedTable",
    "arrays",
    "border_arrays",
    "border_km",
    "columns",
    "name_index_arrays",
    "write",
]

#: Version of the archive's layout: bump when a member changes meaning.
LAYOUT = 1
#: KATOTTG categories of settlements: K special-status city, M city, T urban-type settlement,
#: X selyshche, C village (O oblast, P raion, H hromada are units).
SETTLEMENT_CATEGORIES = ("K", "M", "T", "X", "C")

_SEP = "\n"


class _Members(Protocol):
    """Named arrays: a dict of them, or a :class:`Lookup`."""

    def get(self, name: str) -> np.ndarray | None: ...

    def __getitem__(self, name: str) -> np.ndarray: ...


# codes of the cells of an object column: 0 the value itself, then the missing markers
_VALUE, _NAN, _NONE = 0, 1, 2
_FALSE, _TRUE = 3, 4


# -- the gazetteer's columns --------------------------------------------------------------------
def _regional_centres(col: Mapping[str, np.ndarray]) -> np.ndarray:
    """The biggest city (K/M) of each first-level unit: its regional centre."""
    import pandas as pd

    out = np.zeros(len(col["category"]), dtype=bool)
    cities = np.flatnonzero(np.isin(col["category"], ["K", "M"]))
    if cities.size == 0:
        return out
    frame = pd.DataFrame(
        {"pid": cities, "oblast": col["oblast4"][cities], "pop": col["population"][cities]}
    )
    best = frame.sort_values("pop", ascending=False).drop_duplicates("oblast")
    out[best["pid"].to_numpy()] = True
    return out


def columns(places: pd.DataFrame) -> dict[str, np.ndarray]:
    """The places table as one numpy array per column, plus ``oblast4`` (the KATOTTG oblast
    prefix), ``is_region``, ``is_settlement``, ``is_regional_centre`` and
    ``is_hromada_centre`` (:attr:`tracker.gazetteer.Gazetteer.col`)."""
    from ..names import fold

    p = places
    cols = {name: p[name].to_numpy() for name in p.columns}
    for name in ("lon", "lat", "front_km", "km_to_oblast_border", "km_to_state_border"):
        cols[name] = p[name].to_numpy(dtype=float)
    cols["geonameid"] = p["geonameid"].to_numpy(dtype=float, na_value=np.nan)
    cols["population"] = p["population"].fillna(0).to_numpy(dtype=np.int64)
    cols["oblast4"] = p["oblast_code"].str[:4].to_numpy()
    cols["is_region"] = p["category"].isin(["O", "P", "H"]).to_numpy()
    cols["is_settlement"] = p["category"].isin(SETTLEMENT_CATEGORIES).to_numpy()
    cols["is_regional_centre"] = _regional_centres(cols)
    folded: dict[str, str] = {}  # names repeat: fold each distinct one once

    def same(name: str, hromada: Any) -> bool:
        if not isinstance(hromada, str):
            return False
        for text in (name, hromada):
            if text not in folded:
                folded[text] = fold(text)
        return folded[name] == folded[hromada]

    cols["is_hromada_centre"] = cols["is_settlement"] & np.asarray(
        [same(n, h) for n, h in zip(cols["name"], cols["hromada"], strict=True)], dtype=bool
    )
    return cols


# -- strings and object columns as arrays --------------------------------------------------------
def _put_strings(out: dict[str, np.ndarray], name: str, values: Sequence[str]) -> None:
    """*values* as ``name`` (their UTF-8 joined by ``"\\n"``) and ``name#o`` (where each
    starts, and one past the end: string *i* is ``blob[o[i] : o[i + 1] - 1]``)."""
    encoded = []
    for value in values:
        if _SEP in value:
            raise ValueError(f"{name}: a value holds a line break ({value!r}); cannot store it")
        encoded.append(value.encode("utf-8"))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.fromiter((len(e) + 1 for e in encoded), np.int64, len(encoded)))
    if offsets[-1] >= 2**31:
        raise ValueError(f"{name}: {offsets[-1]:,} bytes of text, too many to store")
    out[name] = np.frombuffer(b"\n".join(encoded), dtype=np.uint8)
    out[f"{name}#o"] = offsets.astype(np.int32)


def _get_strings(members: _Members, name: str) -> list[str]:
    count = len(members[f"{name}#o"]) - 1
    if count == 0:
        return []
    values = members[name].tobytes().decode("utf-8").split(_SEP)
    if len(values) != count:
        raise ValueError(f"{name}: {len(values)} strings, {count} expected")
    return values


def _get_string(members: _Members, name: str, i: int) -> str:
    offsets = members[f"{name}#o"]
    return members[name][offsets[i] : offsets[i + 1] - 1].tobytes().decode("utf-8")


def _code(cell: Any) -> int:
    if cell is None:
        return _NONE
    if isinstance(cell, bool | np.bool_):
        return _TRUE if cell else _FALSE
    if isinstance(cell, str):
        return _VALUE
    if isinstance(cell, float) and cell != cell:
        return _NAN
    raise ValueError(f"cannot store the cell {cell!r} ({type(cell).__name__}) of an object column")


#: The cell an object column holds for each code that is not text.
_MARKERS: dict[int, Any] = {_NAN: np.nan, _NONE: None, _FALSE: False, _TRUE: True}


def _put_column(out: dict[str, np.ndarray], name: str, values: np.ndarray) -> None:
    """A numeric column as it is (``c:``); an object column as one code per cell (``o:``)
    and the text of every cell (``s:``, empty where the cell is not text)."""
    if values.dtype != object:
        out[f"c:{name}"] = np.ascontiguousarray(values)
        return
    codes = np.fromiter((_code(v) for v in values), dtype=np.int8, count=len(values))
    out[f"o:{name}"] = codes
    texts = [v if c == _VALUE else "" for v, c in zip(values, codes, strict=True)]
    _put_strings(out, f"s:{name}", texts)


def _get_column(members: _Members, name: str) -> np.ndarray:
    plain = members.get(f"c:{name}")
    if plain is not None:
        return plain
    codes = members[f"o:{name}"]
    out = np.empty(len(codes), dtype=object)
    out[:] = _get_strings(members, f"s:{name}")
    for code, cell in _MARKERS.items():
        hit = codes == code
        if hit.any():
            out[hit] = cell
    return out


def _get_cell(members: _Members, name: str, row: int) -> Any:
    plain = members.get(f"c:{name}")
    if plain is not None:
        return plain[row]
    code = int(members[f"o:{name}"][row])
    return _get_string(members, f"s:{name}", row) if code == _VALUE else _MARKERS[code]


# -- the name indexes ----------------------------------------------------------------------------
def _runs(keys: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct values of sorted *keys* and where each run starts (plus the end)."""
    distinct: list[str] = []
    starts: list[int] = []
    previous: str | None = None
    for i, key in enumerate(keys):
        if key != previous:
            if previous is not None and key < previous:
                raise ValueError(f"the index is not sorted ({previous!r} before {key!r})")
            distinct.append(key)
            starts.append(i)
            previous = key
    starts.append(len(keys))
    return distinct, np.asarray(starts, dtype=np.int32)


def name_index_arrays(
    keys: Sequence[str],
    places: Sequence[int],
    sources: Sequence[str],
    skeletons: Sequence[str],
    skeleton_places: Sequence[int],
    skeleton_keys: Sequence[str],
) -> dict[str, np.ndarray]:
    """The members of :class:`NameIndex`: the spellings (sorted by key) and the loose keys
    (sorted by skeleton) as runs of distinct keys over parallel arrays."""
    out: dict[str, np.ndarray] = {}
    distinct, starts = _runs(keys)
    _put_strings(out, "keys", distinct)
    out["key_start"] = starts
    out["key_place"] = np.asarray(places, dtype=np.int32)
    names = sorted(set(sources))
    if len(names) > 255 or len(keys) >= 2**31:
        raise ValueError(f"{len(names)} sources of {len(keys):,} spellings: too many to store")
    code = {s: i for i, s in enumerate(names)}
    _put_strings(out, "sources", names)
    out["key_source"] = np.asarray([code[s] for s in sources], dtype=np.uint8)
    sk_distinct, sk_starts = _runs(skeletons)
    _put_strings(out, "skeletons", sk_distinct)
    out["skeleton_start"] = sk_starts
    out["skeleton_place"] = np.asarray(skeleton_places, dtype=np.int32)
    key_id = {k: i for i, k in enumerate(distinct)}
    extra = sorted(set(skeleton_keys) - key_id.keys())  # loose keys of no spelling (none so far)
    _put_strings(out, "skeleton_extra_keys", extra)
    key_id.update({k: len(distinct) + i for i, k in enumerate(extra)})
    out["skeleton_key"] = np.asarray([key_id[k] for k in skeleton_keys], dtype=np.int32)
    return out


class _Sorted:
    """Sorted distinct strings (``_put_strings``), searched in their UTF-8 until they have been
    searched :data:`LIST_AFTER` times, then as one Python list (worth making only then)."""

    #: Searches in the UTF-8 (about 10 µs each) before the list is made (about 40 ms).
    LIST_AFTER = 2000

    def __init__(self, members: _Members, name: str) -> None:
        self._members, self._name = members, name
        self._blob = members[name].tobytes()
        self._offsets = members[f"{name}#o"]
        self._n = len(self._offsets) - 1
        self._list: list[str] | None = None
        self._searches = 0

    def __len__(self) -> int:
        return self._n

    def find(self, value: str) -> int:
        """The position of *value*, or -1."""
        from bisect import bisect_left

        values = self._list
        if values is not None:
            i = bisect_left(values, value)
            return i if i < self._n and values[i] == value else -1
        self._searches += 1
        if self._searches > self.LIST_AFTER:
            self.tolist()
            return self.find(value)
        # UTF-8 sorts as the code points do (surrogates too, with surrogatepass)
        target = value.encode("utf-8", "surrogatepass")
        blob, offsets = self._blob, self._offsets
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[offsets[mid] : offsets[mid + 1] - 1] < target:
                lo = mid + 1
            else:
                hi = mid
        if lo < self._n and blob[offsets[lo] : offsets[lo + 1] - 1] == target:
            return lo
        return -1

    def __getitem__(self, i: int) -> str:
        if self._list is not None:
            return self._list[i]
        return self._blob[self._offsets[i] : self._offsets[i + 1] - 1].decode("utf-8")

    def tolist(self) -> list[str]:
        """Every string, in order (the list searched from now on)."""
        if self._list is None:
            self._list = _get_strings(self._members, self._name)
        return self._list


class NameIndex:
    """The sorted spellings and loose keys of a gazetteer, looked up by bisection.

    The distinct keys and loose keys are searched by bisection (:class:`_Sorted`); the place
    and source of every spelling are NumPy arrays, sliced per look-up.
    """

    def __init__(self, members: _Members) -> None:
        self._keys = _Sorted(members, "keys")
        self._key_start = members["key_start"]
        self._key_place = members["key_place"]
        self._key_source = members["key_source"]
        self.sources = _get_strings(members, "sources")
        self._members = members
        self._loose: _Sorted | None = None
        self._extra: list[str] = []

    @property
    def keys(self) -> list[str]:
        """Every distinct folded spelling, sorted (do not change the list)."""
        return self._keys.tolist()

    def spellings(self, key: str) -> list[tuple[int, str]]:
        """``[(place id, source)]`` of every spelling folded to *key*, in table order."""
        i = self._keys.find(key)
        if i < 0:
            return []
        a, b = int(self._key_start[i]), int(self._key_start[i + 1])
        names = self.sources
        return [
            (p, names[s])
            for p, s in zip(
                self._key_place[a:b].tolist(), self._key_source[a:b].tolist(), strict=True
            )
        ]

    def _key(self, k: int) -> str:
        n = len(self._keys)
        return self._keys[k] if k < n else self._extra[k - n]

    def loose(self, sk: str) -> list[tuple[int, str]]:
        """``[(place id, folded spelling)]`` of the loose key *sk*, in table order."""
        m = self._members
        if self._loose is None:
            self._extra = _get_strings(m, "skeleton_extra_keys")
            self._loose = _Sorted(m, "skeletons")
        i = self._loose.find(sk)
        if i < 0:
            return []
        starts = m["skeleton_start"]
        a, b = int(starts[i]), int(starts[i + 1])
        return [
            (p, self._key(k))
            for p, k in zip(
                m["skeleton_place"][a:b].tolist(), m["skeleton_key"][a:b].tolist(), strict=True
            )
        ]


# -- the archive ---------------------------------------------------------------------------------
def arrays(
    places: pd.DataFrame,
    names: pd.DataFrame,
    skeletons: pd.DataFrame,
    *,
    first_words: pd.DataFrame | None = None,
    foreign: pd.DataFrame | None = None,
    regions: Any = None,
) -> dict[str, np.ndarray]:
    """Every member of ``lookup.npz``, from the tables as a reader reads them back.

    Each table is written to Parquet in memory and read back first, so that the columns are
    exactly those :class:`tracker.data.store.Store` would give (dtypes, missing values), and
    every column is checked to decode to the same array.

    Parameters
    ----------
    places, names, skeletons
        The build's tables of those names.
    first_words, foreign
        The optional tables of those names, stored too when given.
    regions
        The :class:`tracker.spatial.RegionIndex` of the build: the distances of
        :func:`border_arrays` are stored too when given.
    """
    import pandas as pd

    def read_back(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.read_parquet(io.BytesIO(frame.to_parquet(index=False)))

    out: dict[str, np.ndarray] = {"layout": np.asarray([LAYOUT], dtype=np.int64)}
    cols = columns(read_back(places))
    _put_strings(out, "columns", list(cols))
    for name, values in cols.items():
        _put_column(out, name, values)
    for name, values in cols.items():
        _same_column(name, values, _get_column(out, name))
    n, s = read_back(names), read_back(skeletons)
    out.update(
        name_index_arrays(
            n["key"].tolist(),
            n["place"].tolist(),
            n["source"].tolist(),
            s["skeleton"].tolist(),
            s["place"].tolist(),
            s["key"].tolist(),
        )
    )
    if first_words is not None:
        words = read_back(first_words)
        _put_strings(out, "first_words", words["word"].tolist())
        _put_strings(out, "first_skeletons", words["skeleton"].tolist())
    if foreign is not None:
        import pyarrow as pa  # type: ignore[import-untyped]

        table = pa.Table.from_pandas(read_back(foreign), preserve_index=False)
        keys = table.column(table.column_names[0]).to_pylist()
        if any(a >= b for a, b in itertools.pairwise(keys)):
            raise ValueError("the foreign table is not sorted by its distinct keys")
        _put_strings(out, "foreign_columns", table.column_names)
        for name in table.column_names:
            _put_list(out, f"foreign.{name}", table.column(name).to_pylist())
    if regions is not None:
        out.update(border_arrays(cols, regions))
    return out


# -- distances to the borders between oblasts -----------------------------------------------------
def border_arrays(col: Mapping[str, np.ndarray], regions: Any) -> dict[str, np.ndarray]:
    """The geodesic km from every located place to its oblast's border with each neighbouring
    oblast ("near the border with the Y region"), computed once by *regions*
    (:meth:`tracker.spatial.RegionIndex.km_to_border_with`) so that a parse needs no
    polygons.

    Members: ``border_with.to`` (the neighbours' oblast prefixes), ``border_with.start`` (where
    each neighbour's rows begin, one more than neighbours), ``border_with.pid`` (place ids,
    ascending within a neighbour) and ``border_with.km``.
    """
    lon, lat, codes = col["lon"], col["lat"], col["oblast4"]
    located = np.isfinite(lon) & np.isfinite(lat)
    by_neighbour: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for code, others in sorted(regions.neighbours().items()):
        sel = np.flatnonzero(located & (codes == code))
        if sel.size == 0:
            continue
        for other in others:
            km = regions.km_to_border_with(lon[sel], lat[sel], codes[sel], other)
            ok = ~np.isnan(km)
            by_neighbour.setdefault(other, []).append((sel[ok], km[ok]))
    to = sorted(by_neighbour)
    pids, kms = [], []
    for other in to:
        pid = np.concatenate([p for p, _ in by_neighbour[other]])
        km = np.concatenate([k for _, k in by_neighbour[other]])
        order = np.argsort(pid, kind="stable")
        pids.append(pid[order])
        kms.append(km[order])
    out: dict[str, np.ndarray] = {}
    _put_strings(out, "border_with.to", to)
    out["border_with.start"] = np.cumsum([0, *map(len, pids)]).astype(np.int64)
    out["border_with.pid"] = np.concatenate(pids or [np.empty(0)]).astype(np.int64)
    out["border_with.km"] = np.concatenate(kms or [np.empty(0)]).astype(np.float64)
    return out


def border_km(members: _Members, pids: np.ndarray, other: str) -> np.ndarray | None:
    """Km from each place of *pids* to its oblast's border with oblast *other* (NaN where the
    oblasts do not touch or the place has no coordinates), from :func:`border_arrays`; None
    when the archive has no such members (a build before them)."""
    if members.get("border_with.km") is None:
        return None
    km = np.full(len(pids), np.nan)
    to = _get_strings(members, "border_with.to")
    if other not in to:
        return km
    k = to.index(other)
    start = members["border_with.start"]
    lo, hi = int(start[k]), int(start[k + 1])
    have = members["border_with.pid"][lo:hi]
    at = np.minimum(np.searchsorted(have, pids), max(len(have) - 1, 0))
    hit = (have[at] == pids) if len(have) else np.zeros(len(pids), dtype=bool)
    km[hit] = members["border_with.km"][lo:hi][at[hit]]
    return km


def _same_column(name: str, want: np.ndarray, got: np.ndarray) -> None:
    if want.dtype != got.dtype or len(want) != len(got):
        raise ValueError(f"column {name}: stored as {got.dtype}, read as {want.dtype}")
    if want.dtype != object:
        if not np.array_equal(want, got, equal_nan=want.dtype.kind == "f"):
            raise ValueError(f"column {name}: stored values differ")
        return
    for a, b in zip(want.tolist(), got.tolist(), strict=True):
        if type(a) is not type(b) or (a != b and a == a):
            raise ValueError(f"column {name}: stored {b!r} for {a!r}")


def _put_list(out: dict[str, np.ndarray], name: str, values: list[Any]) -> None:
    """A column of Python values (``to_pylist``): text, numbers or None."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, str) for v in present):
        _put_column(out, name, np.asarray(values, dtype=object))
    elif all(isinstance(v, float) for v in present):
        out[f"n:{name}"] = np.asarray([v is None for v in values], dtype=bool)
        out[f"c:{name}"] = np.asarray([np.nan if v is None else v for v in values], dtype=float)
    else:
        raise ValueError(f"{name}: cannot store a column of mixed values")


def _get_list(members: _Members, name: str) -> list[Any]:
    missing = members.get(f"n:{name}")
    values = _get_column(members, name).tolist()
    if missing is not None:
        values = [None if m else v for v, m in zip(values, missing.tolist(), strict=True)]
    else:
        values = [None if isinstance(v, float) and v != v else v for v in values]
    return values


def _get_list_cell(members: _Members, name: str, row: int) -> Any:
    """``_get_list(members, name)[row]``, the column left unread."""
    missing = members.get(f"n:{name}")
    if missing is not None and missing[row]:
        return None
    value = _get_cell(members, name, row)
    if isinstance(value, np.generic):
        value = value.item()
    return None if isinstance(value, float) and value != value else value


class SortedTable:
    """A table stored column by column (``_put_list``) and sorted by its first column, whose
    rows are found by that key without reading the others.

    Parameters
    ----------
    members
        The arrays (a :class:`Lookup`).
    prefix
        What the names of the table's members start with (``"foreign."``).
    columns
        The table's columns, the key first.
    """

    def __init__(self, members: _Members, prefix: str, columns: Sequence[str]) -> None:
        self._members, self._prefix, self.columns = members, prefix, list(columns)
        self._keys = _Sorted(members, f"s:{prefix}{self.columns[0]}")

    def __len__(self) -> int:
        return len(self._keys)

    def find(self, key: str) -> int:
        """The row of *key*, or -1."""
        return self._keys.find(key)

    def keys(self) -> list[str]:
        """Every key, sorted."""
        return self._keys.tolist()

    def column(self, name: str) -> list[Any]:
        """Every value of column *name*, in key order (None where missing)."""
        return _get_list(self._members, self._prefix + name)

    def row(self, i: int) -> dict[str, Any]:
        """Row *i* as ``{column: value}`` (None where missing)."""
        return {c: _get_list_cell(self._members, self._prefix + c, i) for c in self.columns}


def write(path: Path, members: Mapping[str, np.ndarray]) -> None:
    """Write *members* to *path* as an uncompressed NumPy archive (no pickled objects)."""
    with open(path, "wb") as fh:
        np.savez(fh, allow_pickle=False, **members)


class LayoutMismatch(ValueError):
    """The archive was written with another :data:`LAYOUT` (by another tracker version)."""


class Lookup:
    """The arrays of one ``lookup.npz``, memory-mapped (see the module docstring).

    ``numpy.savez`` stores each array uncompressed, so every member is a ``.npy`` lying at a
    fixed place in the file: the file is mapped once and each array is a read-only view of
    its bytes, made the first time it is asked for. Nothing is copied, and processes forked
    after loading share the pages.

    Parameters
    ----------
    path
        The archive.

    Raises
    ------
    LayoutMismatch
        When the archive has another :data:`LAYOUT` (the caller then ignores it).
    ValueError, OSError, zipfile.BadZipFile
        When *path* cannot be read as an uncompressed NumPy archive.
    """

    def __init__(self, path: Path) -> None:
        import mmap
        import zipfile

        self.path = Path(path)
        with zipfile.ZipFile(self.path) as archive:
            infos = archive.infolist()
        for info in infos:
            if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
                raise ValueError(f"{info.filename}: not an uncompressed NumPy array")
        self._where = {info.filename[:-4]: info.header_offset for info in infos}
        self.members = frozenset(self._where)
        with open(self.path, "rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        self._cache: dict[str, np.ndarray] = {}
        layout = self.get("layout")
        if layout is None or layout.shape != (1,) or int(layout[0]) != LAYOUT:
            raise LayoutMismatch(f"{path} has another layout (not {LAYOUT})")

    def _view(self, name: str) -> np.ndarray:
        """The array *name*: its ``.npy`` header read, its data a view of the mapped file."""
        import struct

        fmt = np.lib.format
        at = self._where[name]
        head = self._map[at : at + 30]
        if head[:4] != b"PK\x03\x04":
            raise ValueError(f"{name}: no zip entry where the directory says")
        start = at + 30 + sum(struct.unpack("<HH", head[26:30]))  # name and extra field
        npy = io.BytesIO(self._map[start : start + 65536 + 16])
        version = fmt.read_magic(npy)
        read_header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
        shape, fortran, dtype = read_header(npy)
        if dtype.hasobject:
            raise ValueError(f"{name}: an array of Python objects")
        count = int(np.prod(shape, dtype=np.int64))
        if count == 0:
            return np.empty(shape, dtype=dtype)
        flat = np.frombuffer(self._map, dtype=dtype, count=count, offset=start + npy.tell())
        return flat.reshape(shape, order="F" if fortran else "C")

    def get(self, name: str) -> np.ndarray | None:
        """The member *name*, or None when the archive has none."""
        got = self._cache.get(name)
        if got is None and name in self._where:
            got = self._cache[name] = self._view(name)
        return got

    def __getitem__(self, name: str) -> np.ndarray:
        got = self.get(name)
        if got is None:
            raise KeyError(name)
        return got

    def column_names(self) -> list[str]:
        """The names of the gazetteer's columns stored here, in :func:`columns`' order."""
        return _get_strings(self, "columns")

    def column(self, name: str) -> np.ndarray:
        """The gazetteer's column *name* (as :func:`columns` makes it)."""
        return _get_column(self, name)

    def cell(self, name: str, row: int) -> Any:
        """Row *row* of the gazetteer's column *name*, the column left unread (one value:
        ``column(name)[row]``)."""
        return _get_cell(self, name, row)

    def name_index(self) -> NameIndex:
        """The spellings and loose keys (:class:`NameIndex`)."""
        return NameIndex(self)

    def strings(self, name: str) -> list[str] | None:
        """The list of strings *name* (``first_words``...), or None when not stored."""
        return _get_strings(self, name) if name in self.members else None

    def foreign(self) -> dict[str, list[Any]] | None:
        """The foreign-place table as ``{column: list}``, or None when not stored."""
        names = self.strings("foreign_columns")
        if names is None:
            return None
        return {n: _get_list(self, f"foreign.{n}") for n in names}

    def foreign_table(self) -> SortedTable | None:
        """The foreign-place table, looked up by key (:class:`SortedTable`), or None."""
        names = self.strings("foreign_columns")
        if names is None or not names or names[0] != "key":
            return None
        return SortedTable(self, "foreign.", names)
