"""``tracker export --gpkg FILE``: the store as a GeoPackage that QGIS opens directly.

Four layers (written with pyogrio; points in EPSG:4326):

``articles``
    One row per stored article (no geometry): id, name, title, url, source, published,
    version, ingested_at, tracker_version, data_build, counts, the text.
``mentions``
    A point per mention of a located place: the article, the surface text, the place
    (KATOTTG, names, oblast / raion / hromada), confidence, geo-precision, the front-line
    status on the article date, the sentence.
``claims``
    A point per claim about a located place: date, place, event, claimant, stance, negation,
    the DeepState verdict, the sentence.
``control_changes``
    A point per date on which a settlement named in the store entered or left the
    DeepState occupied area (from the built data's archive; left out, with a note, when
    the data is not built).

The file is written to a temporary file beside the target and renamed over it at the end,
so a failed export leaves the old file intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import OutputFailed
from . import schema
from .database import ArticleStore

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from ..paths import OutputTarget

__all__ = ["LAYERS", "export_gpkg"]

#: The layers of the GeoPackage, in order.
LAYERS = ("articles", "mentions", "claims", "control_changes")
_SETTLEMENT_CATEGORIES = ("K", "M", "T", "X", "C")


def _read(store: ArticleStore, query: sa.Select[Any]) -> pd.DataFrame:
    import pandas as pd

    with store.connect() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    import pandas as pd

    for col in columns:
        if col in frame:
            values = pd.to_datetime(frame[col], utc=True, errors="coerce")
            frame[col] = values.dt.tz_localize(None)
    return frame


def _points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    import geopandas as gpd

    frame = frame[frame["lon"].notna() & frame["lat"].notna()].reset_index(drop=True)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _layers(
    store: ArticleStore, *, all_versions: bool, on_note: Callable[[str], None] | None
) -> dict[str, Any]:
    a, m, c = schema.articles, schema.mentions, schema.claims
    current = sa.true() if all_versions else a.c.is_current.is_(True)
    articles = _read(
        store,
        sa.select(
            a.c.id,
            a.c.name,
            a.c.title,
            a.c.url,
            a.c.source,
            a.c.published,
            a.c.version,
            a.c.is_current,
            a.c.previous_id,
            a.c.ingested_at,
            a.c.reprocessed_at,
            a.c.tracker_version,
            a.c.data_build,
            a.c.n_mentions,
            a.c.n_claims,
            a.c.bytes,
            a.c.path,
            a.c.text,
        )
        .where(current)
        .order_by(a.c.published, a.c.name),
    )
    _dates(articles, "published", "ingested_at", "reprocessed_at")
    mentions = _read(
        store,
        sa.select(
            m.c.article_id,
            m.c.seq,
            a.c.published,
            a.c.title,
            a.c.url,
            m.c.start_offset,
            m.c.end_offset,
            m.c.surface,
            m.c.kind,
            m.c.status,
            m.c.katottg,
            m.c.name,
            m.c.name_uk,
            m.c.category,
            m.c.oblast,
            m.c.raion,
            m.c.hromada,
            m.c.country,
            m.c.confidence,
            m.c.geo_precision,
            m.c.frontline_status,
            m.c.km_to_line,
            m.c.frontline_snapshot,
            m.c.sentence,
            m.c.lon,
            m.c.lat,
        )
        .select_from(m.join(a, a.c.id == m.c.article_id))
        .where(current)
        .order_by(a.c.published, m.c.article_id, m.c.seq),
    )
    _dates(mentions, "published", "frontline_snapshot")
    claims = _read(
        store,
        sa.select(
            c.c.article_id,
            c.c.mention_seq,
            c.c.seq,
            a.c.published,
            a.c.title,
            a.c.url,
            c.c.katottg,
            c.c.place_name,
            c.c.oblast,
            c.c.event,
            c.c.claimant,
            c.c.claimant_text,
            c.c.stance,
            c.c.negated,
            c.c.quote,
            c.c.verdict,
            c.c.trigger,
            c.c.sentence,
            c.c.lon,
            c.c.lat,
        )
        .select_from(c.join(a, a.c.id == c.c.article_id))
        .where(current)
        .order_by(a.c.published, c.c.article_id, c.c.mention_seq, c.c.seq),
    )
    _dates(claims, "published")
    layers: dict[str, Any] = {
        "articles": articles,
        "mentions": _points(mentions),
        "claims": _points(claims),
    }
    settlements = mentions[
        mentions["category"].isin(_SETTLEMENT_CATEGORIES) & mentions["lon"].notna()
    ].drop_duplicates("katottg")[
        ["katottg", "name", "name_uk", "oblast", "raion", "hromada", "lon", "lat"]
    ]
    changes = _control_changes(settlements, on_note)
    if changes is not None:
        layers["control_changes"] = changes
    return layers


def _control_changes(
    settlements: pd.DataFrame, on_note: Callable[[str], None] | None
) -> gpd.GeoDataFrame | None:
    import pandas as pd

    from ..errors import DataNotBuilt

    try:
        from ..data.store import load
        from ..frontline import frontline_of

        front = frontline_of(load())
    except DataNotBuilt as err:
        if on_note is not None:
            on_note(f"no control_changes layer: {err}")
        return None
    rows: list[dict[str, Any]] = []
    for place in settlements.to_dict("records"):
        for change in front.history(str(place["katottg"])):
            rows.append(
                {
                    **{str(k): v for k, v in place.items()},
                    "date": change.date,
                    "status": change.status,
                }
            )
    for row in rows:
        row["source"] = "DeepStateMap"
    frame = pd.DataFrame(
        rows, columns=[*settlements.columns, "date", "status", "source"]
    ).sort_values(["katottg", "date"], kind="stable")
    return _points(_dates(frame, "date"))


def export_gpkg(
    store: ArticleStore,
    target: OutputTarget | str | os.PathLike[str],
    *,
    all_versions: bool = False,
    on_note: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the store to a GeoPackage (see the module docstring).

    Parameters
    ----------
    store
        The open store.
    target
        The ``.gpkg`` file (checked with :func:`tracker.paths.check_output`).
    all_versions
        Also older versions of articles (default: the current version of each).
    on_note
        Called with a note when a layer is left out.

    Returns
    -------
    dict
        Features per layer.

    Raises
    ------
    OutputFailed
        When the file cannot be written (exit 4); the old file is intact.
    """
    import pyogrio

    from ..paths import OutputTarget, check_output

    if not isinstance(target, OutputTarget):
        target = check_output(target)
    if target.real is None:
        from ..errors import InputError

        raise InputError("--gpkg - (standard output) is not supported; give a .gpkg file name")
    layers = _layers(store, all_versions=all_versions, on_note=on_note)
    final = target.real
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".gpkg", dir=final.parent)
    os.close(fd)
    os.unlink(tmp)  # GDAL creates the file itself
    counts: dict[str, int] = {}
    try:
        for name in LAYERS:
            frame = layers.get(name)
            if frame is None:
                continue
            geometry = "Point" if name != "articles" else None
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type=geometry,
                promote_to_multi=False,
            )
            counts[name] = len(frame)
        if target.mode is not None:
            os.chmod(tmp, target.mode)
        os.replace(tmp, final)
    except (OSError, RuntimeError, pyogrio.errors.DataSourceError) as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputFailed(
            f"cannot write {target.given}: {err}; the old file (if any) is unchanged"
        ) from err
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return counts
