"""The gazetteer: every Ukrainian place and every spelling of its name, as fast lookups.

:class:`Gazetteer` wraps the built ``places`` and ``names`` tables: one row per place (id =
row number), numpy columns for vectorised ranking (:attr:`Gazetteer.col`), a sorted index of
folded spellings and a looser "skeleton" index for variant spellings, and :meth:`Gazetteer.place`
to turn a row into a :class:`~tracker.models.Place`. :func:`load` gives the gazetteer of the
built data; :meth:`Gazetteer.from_frames` builds a tiny one in code, spelled exactly as the data
build would spell it, so that stage tests need no data build.

Examples
--------
>>> import pandas as pd
>>> gaz = Gazetteer.from_frames(pd.DataFrame({
...     "katottg": ["UA12140050040024246"], "name_uk": ["Запорізьке"], "category": ["C"],
...     "lon": [36.53318], "lat": [47.85349]}))
>>> gaz.place(0).name, gaz.place(0).oblast
('Zaporizke', 'Dnipropetrovsk')
>>> sorted(gaz.lookup_key("zaporizke"))
[0]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .data.lookup import SETTLEMENT_CATEGORIES, NameIndex, border_km, columns
from .models import Place
from .units import OBLASTS, oblast_by

if TYPE_CHECKING:
    import pandas as pd

    from .data.lookup import Lookup

__all__ = ["SETTLEMENT_CATEGORIES", "Gazetteer", "load", "places_frame", "state_names"]

#: Which spelling source wins when a place has one key from several sources.
SOURCE_RANK = {
    "official": 0,
    "kmu-2010": 1,
    "admin": 2,
    "transliteration": 3,
    "russian-form": 4,
    "alias": 5,
    "occupation-name": 6,
    "geonames": 7,
    "geonames-other": 8,
    "old-name": 9,
}
_KIND = {
    "O": "oblast",
    "K": "city",
    "M": "city",
    "T": "urban-type settlement",
    "X": "selyshche",
    "C": "village",
    "P": "raion",
    "H": "hromada",
}
#: Columns of the places table and the value a tiny in-code gazetteer gets when it omits one
#: (``geonameid``: pandas' NA, set in :meth:`Gazetteer.from_frames`).
_DEFAULTS: dict[str, Any] = {
    "name": None,
    "kind": None,
    "oblast": None,
    "oblast_iso": None,
    "oblast_code": None,
    "raion": None,
    "raion_uk": None,
    "raion_code": None,
    "hromada": None,
    "hromada_uk": None,
    "hromada_code": None,
    "lon": np.nan,
    "lat": np.nan,
    "geonameid": None,
    "coord_quality": None,
    "population": 0,
    "polygon_oblast_code": None,
    "agrees_with_codifier": None,
    "km_to_oblast_border": np.nan,
    "across_border_code": None,
    "km_to_state_border": np.nan,
    "state_border_code": None,
    "front_km": np.nan,
}


@lru_cache(maxsize=1)
def state_names() -> dict[str, str]:
    """ISO 3166-1 code -> name of Ukraine's land neighbours (``knowledge/state_borders.toml``)."""
    from .knowledge import table

    return dict(table("state_borders")["neighbours"])


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _is_na(value: Any) -> bool:
    """True for None, NaN and pandas' NA (recognised without importing pandas)."""
    return value is None or type(value).__name__ == "NAType" or value != value


def _num(value: Any) -> float | None:
    return None if _is_na(value) else float(value)


class _Columns(dict[str, np.ndarray]):
    """:attr:`Gazetteer.col` of a build with a ``lookup`` archive: each column is decoded the
    first time it is asked for."""

    def __init__(self, lookup: Lookup) -> None:
        super().__init__()
        self._lookup = lookup
        self._names = frozenset(lookup.column_names())

    def __missing__(self, name: str) -> np.ndarray:
        if name not in self._names:
            raise KeyError(name)
        value = self[name] = self._lookup.column(name)
        return value


def _centres(frame: pd.DataFrame) -> list[str | None]:
    """For raion and hromada rows, the settlement each is named after (None elsewhere)."""
    from .data.variants import centre_names

    settlements = frame[frame["category"].isin(SETTLEMENT_CATEGORIES)].assign(
        rank=lambda f: f["category"].map({"K": 0, "M": 0, "T": 1, "X": 2, "C": 3})
    )
    found: dict[str, str] = {}
    for category, column in (("P", "raion_code"), ("H", "hromada_code")):
        units = frame[frame["category"] == category]
        if len(units) and settlements[column].notna().any():
            found.update(
                {str(k): str(v) for k, v in centre_names(units, settlements, column).items()}
            )
    return [found.get(c) for c in frame["katottg"]]


class _FrameIndex:
    """The spellings and loose keys of the ``names`` / ``skeletons`` tables as Python lists,
    searched by bisection (a gazetteer made in code, a build without ``lookup.npz``); the
    interface of :class:`tracker.data.lookup.NameIndex`."""

    def __init__(
        self,
        names: pd.DataFrame | Callable[[], pd.DataFrame],
        skeletons: pd.DataFrame | Callable[[], pd.DataFrame] | None,
    ) -> None:
        self._names_frame = names
        self._skeleton_frame = skeletons

    @cached_property
    def _names(self) -> pd.DataFrame:
        return self._names_frame() if callable(self._names_frame) else self._names_frame

    @cached_property
    def _keys(self) -> tuple[list[str], list[int], list[str]]:
        names = self._names  # sorted by key
        return names["key"].tolist(), names["place"].tolist(), names["source"].tolist()

    @cached_property
    def _skeletons(self) -> tuple[list[str], list[int], list[str]]:
        frame = self._skeleton_frame
        if callable(frame):
            frame = frame()
        if frame is None:
            frame = (
                self._names[["skeleton", "place", "key"]]
                .drop_duplicates()
                .sort_values(["skeleton", "place"], kind="stable")
            )
        return frame["skeleton"].tolist(), frame["place"].tolist(), frame["key"].tolist()

    @cached_property
    def keys(self) -> list[str]:
        """Every distinct folded spelling, sorted."""
        return list(dict.fromkeys(self._keys[0]))

    def spellings(self, key: str) -> list[tuple[int, str]]:
        """``[(place id, source)]`` of every spelling folded to *key*, in table order."""
        index, places, sources = self._keys
        a, b = bisect_left(index, key), bisect_right(index, key)
        return list(zip(places[a:b], sources[a:b], strict=True))

    def loose(self, sk: str) -> list[tuple[int, str]]:
        """``[(place id, folded spelling)]`` of the loose key *sk*, in table order."""
        index, places, keys = self._skeletons
        a, b = bisect_left(index, sk), bisect_right(index, sk)
        return list(zip(places[a:b], keys[a:b], strict=True))


class Gazetteer:
    """Places and their spellings (see the module docstring).

    Parameters
    ----------
    places
        The ``places`` table: one row per place (``katottg, name, name_uk, category, kind,
        oblast, oblast_iso, oblast_code, raion*, hromada*, lon, lat, population, ...``), or a
        function that reads it (called on first use).
    names
        Every searchable spelling, sorted by ``key``: ``place, variant, key, skeleton, source``
        (or a function that reads it).
    skeletons
        ``skeleton, place, key`` sorted by skeleton (default: derived from *names*).
    regions
        A function that gives the :class:`tracker.spatial.RegionIndex` (see
        :attr:`region_index`).
    lookup
        The build's ``lookup`` archive (:class:`tracker.data.lookup.Lookup`): then the
        columns and name indexes are read from it, and the tables only when asked for.
    """

    def __init__(
        self,
        places: pd.DataFrame | Callable[[], pd.DataFrame],
        names: pd.DataFrame | Callable[[], pd.DataFrame],
        skeletons: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
        *,
        regions: Callable[[], Any] | None = None,
        lookup: Lookup | None = None,
    ) -> None:
        self._places = places
        self._regions = regions
        self._names_frame = names
        self._skeleton_frame = skeletons
        self._lookup = lookup
        #: place id -> its :class:`Place` (immutable), filled on first use
        self._place_cache: dict[int, Place] = {}
        #: initial -> the spellings with it (keys_with_initial), filled on first use
        self._pools: dict[str, list[str]] = {}

    @cached_property
    def places(self) -> pd.DataFrame:
        """The ``places`` table (a DataFrame; read on first use when given as a function)."""
        return self._places() if callable(self._places) else self._places

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_frames(
        cls, places: pd.DataFrame, *, old_names: dict[str, Sequence[str]] | None = None
    ) -> Gazetteer:
        """A gazetteer from a small places table written in code (for tests and examples).

        Only ``katottg``, ``name_uk`` and ``category`` are required; the Latin name, kind,
        oblast and every other column are filled as the data build would fill them, and the
        spellings come from :mod:`tracker.data.variants` (the data build's own functions).

        Parameters
        ----------
        places
            One row per place. Settlements may give ``lon``, ``lat``, ``population``,
            ``raion_code``, ``hromada_code``, ``gn_name`` / ``gn_alternates`` (GeoNames
            spellings); units (categories O, P, H) their ``name_uk`` (the adjective for P/H) and,
            for P/H, ``centre_uk``: the settlement they are named after (then spelled
            "<centre> raion" and named after it, as the build does).
        old_names
            KATOTTG code -> former Ukrainian names.
        """
        frame = _filled(places)
        return cls(frame, _name_rows(frame, old_names or {}))

    # -- columns --------------------------------------------------------------------------------
    @cached_property
    def col(self) -> dict[str, np.ndarray]:
        """The places table as one numpy array per column (fast per-row access), plus
        ``oblast4`` (the KATOTTG oblast prefix), ``is_region``, ``is_settlement``,
        ``is_regional_centre`` and ``is_hromada_centre`` (:func:`tracker.data.lookup.columns`;
        with a ``lookup`` archive each column is read the first time it is asked for)."""
        if self._lookup is not None:
            return _Columns(self._lookup)
        return columns(self.places)

    def __len__(self) -> int:
        return len(self.col["katottg"])

    # -- spellings ------------------------------------------------------------------------------
    @cached_property
    def _index(self) -> NameIndex | _FrameIndex:
        if self._lookup is not None:
            return self._lookup.name_index()
        return _FrameIndex(self._names_frame, self._skeleton_frame)

    def lookup_key(self, key: str) -> dict[int, str]:
        """Folded spelling -> {place id: source of that spelling} (official first)."""
        out: dict[int, str] = {}
        for place, source in self._index.spellings(key):
            if place not in out or SOURCE_RANK.get(source, 9) < SOURCE_RANK.get(out[place], 9):
                out[place] = source
        return out

    def lookup_skeleton(self, sk: str) -> list[tuple[int, str]]:
        """Loose key (:func:`tracker.names.skeleton`) -> [(place id, folded spelling)]."""
        return self._index.loose(sk)

    @cached_property
    def all_keys(self) -> list[str]:
        """Every distinct folded spelling, for the misspelling fallback."""
        return list(self._index.keys)

    @cached_property
    def first_words(self) -> frozenset[str]:
        """Folded first words of every multi-word spelling ("velyka" of "velyka novosilka")."""
        return frozenset(key.split(" ", 1)[0] for key in self.all_keys if " " in key)

    @cached_property
    def first_skeletons(self) -> frozenset[str]:
        """Loose keys of those first words (for variant spellings of multi-word names)."""
        from .names import skeleton

        return frozenset(skeleton(w) for w in self.first_words)

    def keys_with_initial(self, initial: str) -> list[str]:
        """The distinct spellings that start with *initial* (one character), sorted: the pool
        of the misspelling fallback (misspellings rarely change the first letter). The
        spellings are sorted, so each pool is one slice of :attr:`all_keys`, found by
        bisection and kept.

        Examples
        --------
        >>> gaz = load()  # doctest: +SKIP
        >>> all(k.startswith("z") for k in gaz.keys_with_initial("z"))  # doctest: +SKIP
        True
        """
        found = self._pools.get(initial)
        if found is None:
            keys = self.all_keys
            if initial:
                found = keys[bisect_left(keys, initial) : bisect_left(keys, chr(ord(initial) + 1))]
            else:  # (the empty spelling, if any, sorts first)
                found = keys[:1] if keys and keys[0] == "" else []
            self._pools[initial] = found
        return found

    @cached_property
    def katottg_index(self) -> dict[str, int]:
        """KATOTTG code -> place id."""
        return {code: i for i, code in enumerate(self.col["katottg"].tolist())}

    @cached_property
    def display_names(self) -> list[str]:
        """Distinct display names, for spelling suggestions."""
        return sorted({n for n in self.col["name"].tolist() if not _is_na(n)})

    @cached_property
    def oblast_katottg(self) -> dict[str, str]:
        """KATOTTG prefix ("UA12") -> the full code of that first-level unit."""
        units = np.isin(self.col["category"], ["O", "K"])
        return {code[:4]: code for code in self.col["oblast_code"][units] if code[:4] not in ("",)}

    # -- places ---------------------------------------------------------------------------------
    def place(self, pid: int) -> Place:
        """The :class:`Place` of row *pid* (built once, then cached)."""
        cached = self._place_cache.get(pid)
        if cached is None:
            cached = self._place_cache[pid] = self._build_place(int(pid))
        return cached

    def _cell(self, name: str, pid: int) -> Any:
        """``col[name][pid]``, without reading the whole column when it is not read yet."""
        col = self.col
        if self._lookup is not None and name not in col:
            return self._lookup.cell(name, pid)
        return col[name][pid]

    def _build_place(self, pid: int) -> Place:
        def c(name: str) -> Any:
            return self._cell(name, pid)

        across = _text(c("across_border_code"))
        km = _num(c("km_to_oblast_border"))
        gid = _num(c("geonameid"))
        agrees = c("agrees_with_codifier")
        across_unit = oblast_by(across) if across else None
        state_km = _num(c("km_to_state_border"))
        state = _text(c("state_border_code"))
        return Place(
            katottg=c("katottg"),
            name=c("name"),
            name_uk=c("name_uk"),
            category=c("category"),
            kind=c("kind"),
            oblast=c("oblast"),
            oblast_iso=c("oblast_iso"),
            raion=_text(c("raion")),
            raion_uk=_text(c("raion_uk")),
            raion_code=_text(c("raion_code")),
            hromada=_text(c("hromada")),
            hromada_uk=_text(c("hromada_uk")),
            hromada_code=_text(c("hromada_code")),
            lon=_num(c("lon")),
            lat=_num(c("lat")),
            population=int(c("population")) or None,
            geonameid=int(gid) if gid is not None else None,
            coord_quality=_text(c("coord_quality")),
            km_to_oblast_border=round(km, 3) if km is not None else None,
            across_border=across_unit.name if across_unit else None,
            agrees_with_codifier=None if _is_na(agrees) else bool(agrees),
            km_to_state_border=round(state_km, 3) if state_km is not None else None,
            state_border_with=state_names().get(state) if state else None,
        )

    def km_to_border_with(self, pids: Sequence[int] | np.ndarray, other: str) -> np.ndarray | None:
        """Geodesic km from each place of *pids* to its oblast's border with oblast *other*
        (KATOTTG prefix; NaN where the two do not touch or the place has no coordinates).

        Read from the build's ``lookup`` archive (computed at build time), else computed with
        :attr:`region_index`; None for a gazetteer made in code.
        """
        idx = np.asarray(pids, dtype=np.int64)
        if self._lookup is not None:
            km = border_km(self._lookup, idx, other)
            if km is not None:
                return km
        index = self.region_index
        if index is None:
            return None
        col = self.col
        return index.km_to_border_with(col["lon"][idx], col["lat"][idx], col["oblast4"][idx], other)

    @property
    def region_index(self) -> Any:
        """The :class:`tracker.spatial.RegionIndex` of the built data (loaded on first use), or
        None for a gazetteer made in code."""
        return self._regions() if self._regions is not None else None

    # -- located settlements --------------------------------------------------------------------
    @cached_property
    def located(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(place ids, lon, lat) of settlements with coordinates."""
        c = self.col
        sel = np.flatnonzero(~np.isnan(c["lon"]) & c["is_settlement"])
        return sel, c["lon"][sel], c["lat"][sel]

    @cached_property
    def settlement_tree(self) -> Any:
        """STRtree over located settlements (same order as :attr:`located`)."""
        import shapely

        _, lon, lat = self.located
        return shapely.STRtree(shapely.points(lon, lat))


@lru_cache(maxsize=4)
def _of_store(store: Any) -> Gazetteer:
    gaz = Gazetteer(
        lambda: store.places,
        lambda: store.names,
        lambda: store.skeletons,
        regions=lambda: store.regions,
        lookup=store.lookup,
    )
    first = store.first_words  # built with the data (None for an older build: computed)
    if first is not None:
        gaz.__dict__["first_words"] = frozenset(first["word"])
        gaz.__dict__["first_skeletons"] = frozenset(first["skeleton"])
    return gaz


def load(directory: str | Path | None = None) -> Gazetteer:
    """The gazetteer of the built data in *directory* (default: the configured data directory).

    Raises
    ------
    DataNotBuilt
        When there is no (whole) build; the message names the command to run.
    """
    from .data.store import load as load_data

    return _of_store(load_data(directory))


def places_frame(kind: str | None = None, *, gazetteer: Gazetteer | None = None) -> Any:
    """The gazetteer as a GeoDataFrame of points (EPSG:4326), optionally one ``kind`` only.

    Parameters
    ----------
    kind
        ``"village"``, ``"city"``, ``"selyshche"``, ``"hromada"``, ``"raion"``, ``"oblast"``,
        or None for all.

    Examples
    --------
    >>> places_frame("city").crs.to_epsg()  # doctest: +SKIP
    4326
    """
    import geopandas as gpd

    frame = (gazetteer or load()).places
    if kind is not None:
        frame = frame[frame["kind"] == kind]
    return gpd.GeoDataFrame(
        frame.copy(), geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    )


def _filled(places: pd.DataFrame) -> pd.DataFrame:
    """*places* with every column the data build fills: defaults, the centre a unit is named
    after, oblast code / name / ISO code, Latin name, kind, and raion / hromada names."""
    import pandas as pd

    from .names import official_latin

    frame = places.reset_index(drop=True).copy()
    for column, default in _DEFAULTS.items():
        if column not in frame:
            frame[column] = pd.NA if column == "geonameid" else default
    if "centre_uk" not in frame:  # as the build: the settlement a unit is named after
        frame["centre_uk"] = _centres(frame)
    prefix = frame["katottg"].str[:4]
    first_level = frame["category"].isin(["O", "K"])
    # as the build: a settlement's oblast_code is its first-level unit's code
    unit_code = dict(zip(prefix[first_level], frame.loc[first_level, "katottg"], strict=True))
    frame["oblast_code"] = [
        c if isinstance(c, str) else unit_code.get(p, p)
        for c, p in zip(frame["oblast_code"], prefix, strict=True)
    ]
    units = [oblast_by(p) for p in prefix]
    frame["oblast"] = [u.name if u else None for u in units]
    frame["oblast_iso"] = [u.iso if u else None for u in units]
    frame["name"] = [
        n if isinstance(n, str)
        else (u.name if cat == "O" and u else official_latin(centre or uk))
        for n, uk, cat, u, centre in zip(
            frame["name"], frame["name_uk"], frame["category"], units,
            [c if isinstance(c, str) else None for c in frame["centre_uk"]], strict=True,
        )
    ]  # fmt: skip
    frame["kind"] = frame["category"].map(_KIND)
    by_code = dict(zip(frame["katottg"], frame["name"], strict=True))
    uk_by_code = dict(zip(frame["katottg"], frame["name_uk"], strict=True))
    for level in ("raion", "hromada"):
        codes = frame[f"{level}_code"]
        frame[level] = [by_code.get(c) if isinstance(c, str) else None for c in codes]
        frame[f"{level}_uk"] = [uk_by_code.get(c) if isinstance(c, str) else None for c in codes]
    return frame


def _name_rows(frame: pd.DataFrame, old_names: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The ``names`` table of a :func:`_filled` frame, spelled by the data build's own
    functions (:mod:`tracker.data.variants`), sorted by key as the build sorts it."""
    import pandas as pd

    from .data.variants import NAME_COLUMNS, names_for_oblast, names_for_settlement, names_for_unit

    rows: list[tuple[int, str, str, str, str]] = []
    oblast_by_prefix = {u.katottg_prefix: u for u in OBLASTS}
    for pid, row in enumerate(frame.itertuples(index=False)):
        cat, code, name_uk = str(row.category), str(row.katottg), str(row.name_uk)
        if cat in SETTLEMENT_CATEGORIES:
            gn_name, gn_alternates = (
                getattr(row, "gn_name", None),
                getattr(row, "gn_alternates", None),
            )
            rows += names_for_settlement(
                pid, name_uk, old_names.get(code, ()), gn_name, gn_alternates
            )
        elif cat in ("P", "H"):
            centre = row.centre_uk if isinstance(row.centre_uk, str) else None
            rows += names_for_unit(pid, cat, name_uk, centre)
        else:
            rows += names_for_oblast(pid, oblast_by_prefix[code[:4]])
    names = pd.DataFrame(rows, columns=list(NAME_COLUMNS))
    return names.sort_values(["key", "place"], kind="stable").reset_index(drop=True)
