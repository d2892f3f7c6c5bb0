"""Parsed articles -> JSON, GeoJSON and CSV text, and an atomic file writer.

The JSON output is the contract of DESIGN.md §5 (one object per document, JSON Lines when
several). GeoJSON has one Point per located mention with flat properties (ready for QGIS,
geojson.io or a web map); CSV has ACLED-like columns, one row per resolved Ukrainian place,
with cells that a spreadsheet would run as formulas neutralised.

Examples
--------
>>> from tracker.parsing import parse  # doctest: +SKIP
>>> doc = parse("Russian troops entered Zaporizke.", date="2025-08-27")  # doctest: +SKIP
>>> print(render([doc], "csv").splitlines()[0])  # doctest: +SKIP
event_date,country,admin1,admin2,admin3,location,location_uk,katottg,latitude,...
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeAlias

from .errors import InputError
from .models import ParsedArticle, ResolvedMention

__all__ = [
    "ATTRIBUTION",
    "CSV_COLUMNS",
    "FORMATS",
    "geojson_dumps",
    "render",
    "to_csv",
    "to_geojson",
    "to_json",
    "write_atomic",
]

#: One parsed article or several (every function accepts both).
Docs: TypeAlias = Sequence[ParsedArticle] | ParsedArticle

#: The output formats of :func:`render` (and of ``tracker parse --json/--geojson/--csv``).
FORMATS: tuple[str, ...] = ("json", "geojson", "csv")

#: Credit owed by every map or table made from the tracker's places (see README, "Data sources").
ATTRIBUTION = (
    "Places: KATOTTG codifier (Ministry for Communities and Territories Development of Ukraine); "
    "coordinates and names: GeoNames (geonames.org, CC BY 4.0), "
    "© OpenStreetMap contributors (ODbL 1.0); "
    "boundaries: geoBoundaries (Runfola et al.) / © OpenStreetMap contributors (ODbL 1.0), "
    "OPORA 2020 (CC BY 4.0)"
)

#: The CSV header, in order (ACLED-like names first).
CSV_COLUMNS: tuple[str, ...] = (
    "event_date",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "location_uk",
    "katottg",
    "latitude",
    "longitude",
    "geo_precision",
    "confidence",
    "source",
    "source_id",
    "notes",
    "mention",
    "start",
    "end",
)

#: A spreadsheet treats a cell starting with one of these as a formula (or strips it).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

_DIGITS = 6  # coordinate decimals: about 0.1 m, more than any source here is worth


def _docs(docs: Docs) -> list[ParsedArticle]:
    """*docs* as a list, checked to hold parsed articles only."""
    if isinstance(docs, ParsedArticle):
        return [docs]
    if isinstance(docs, str | bytes) or not isinstance(docs, Iterable):
        raise TypeError(
            f"`docs` was {type(docs).__name__} but is expected to be a sequence of ParsedArticle "
            "(from tracker.parse)"
        )
    out = list(docs)
    for i, doc in enumerate(out):
        if not isinstance(doc, ParsedArticle):
            raise TypeError(
                f"`docs[{i}]` was {type(doc).__name__} but is expected to be a ParsedArticle "
                "(from tracker.parse)"
            )
    return out


# -- JSON ----------------------------------------------------------------------------------------


def to_json(docs: Docs) -> str:
    """Documents as JSON: the DESIGN.md §5 contract, ``ParsedArticle.to_dict()`` per document.

    Parameters
    ----------
    docs : sequence of ParsedArticle
        The parsed documents (a single ParsedArticle is accepted too).

    Returns
    -------
    str
        One pretty-printed object (``indent=2``) when there is exactly one document, JSON Lines
        (one compact object per line, lines joined by ``"\\n"``) otherwise; ``""`` for none.
        Keys are sorted and non-ASCII text is kept as is. No trailing newline.

    Examples
    --------
    >>> from tracker.parsing import parse  # doctest: +SKIP
    >>> a, b = parse("Shelling of Kherson."), parse("Strikes on Odesa.")  # doctest: +SKIP
    >>> len(to_json([a, b]).splitlines())  # doctest: +SKIP
    2
    """
    items = _docs(docs)
    if len(items) == 1:
        return json.dumps(items[0].to_dict(), ensure_ascii=False, sort_keys=True, indent=2)
    return "\n".join(
        json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for d in items
    )


# -- GeoJSON -------------------------------------------------------------------------------------


def _alternatives(m: ResolvedMention) -> str | None:
    """``"name (oblast[, hromada hromada]) score; ..."`` or None when there are none.

    The hromada tells apart the namesakes of one oblast (three Zaporizke in Dnipropetrovsk).
    """
    if not m.alternatives:
        return None
    return "; ".join(
        f"{p.name} ({p.oblast}{f', {p.hromada} hromada' if p.hromada else ''}) {score:.3f}"
        for p, score in m.alternatives
    )


def _point(lon: Any, lat: Any) -> list[float] | None:
    """``[lon, lat]`` rounded, or None when either is missing."""
    if lon is None or lat is None:
        return None
    return [round(float(lon), _DIGITS), round(float(lat), _DIGITS)]


def _feature(doc: ParsedArticle, m: ResolvedMention) -> dict[str, Any] | None:
    """The Point feature of one mention, or None when it has no place or no coordinates."""
    a, mention = doc.article, m.mention
    props: dict[str, Any] = {
        "doc_id": a.id,
        "doc_title": a.title,
        "doc_url": a.url,
        "doc_date": a.date,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "kind": mention.kind,
        "sentence": m.sentence,
        "confidence": round(m.confidence, 3),
        "status": m.status,
        "geo_precision": m.geo_precision,
    }
    place_props = dict.fromkeys(
        (
            "katottg",
            "name",
            "name_uk",
            "category",
            "place_kind",
            "oblast",
            "oblast_iso",
            "raion",
            "hromada",
            "km_to_oblast_border",
            "across_border",
            "oblast_by_polygon",
            "agrees_with_codifier",
            "stated_region",
            "stated_region_agrees",
            "geometry_contradicts_text",
            "country",
        )
    )
    if mention.foreign:
        foreign = mention.foreign
        coords = _point(foreign.get("lon"), foreign.get("lat"))
        place_props.update(
            name=foreign.get("name"), place_kind=foreign.get("kind"), country=foreign.get("country")
        )
    elif m.place is not None:
        p = m.place
        coords = _point(p.lon, p.lat)
        regions = m.regions or {}
        place_props.update(
            katottg=p.katottg,
            name=p.name,
            name_uk=p.name_uk,
            category=p.category,
            place_kind=p.kind,
            oblast=p.oblast,
            oblast_iso=p.oblast_iso,
            raion=p.raion,
            hromada=p.hromada,
            km_to_oblast_border=p.km_to_oblast_border,
            across_border=p.across_border,
            oblast_by_polygon=regions.get("oblast_by_polygon"),
            agrees_with_codifier=regions.get("agrees_with_codifier", p.agrees_with_codifier),
            stated_region=regions.get("stated_region"),
            stated_region_agrees=regions.get("stated_region_agrees"),
            geometry_contradicts_text=regions.get("geometry_contradicts_text"),
            country="UA",
        )
    else:
        return None
    if coords is None:
        return None
    props.update(place_props)
    props["evidence"] = " | ".join(m.evidence) if m.evidence else None
    props["alternatives"] = _alternatives(m)
    props["attribution"] = ATTRIBUTION
    return {
        "type": "Feature",
        "id": f"{a.id}:{mention.start}-{mention.end}",
        "geometry": {"type": "Point", "coordinates": coords},
        "properties": props,
    }


def to_geojson(docs: Docs) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one Point per mention that names a place with coordinates.

    Resolved Ukrainian places and foreign places (cities, regions) with coordinates become
    features; unresolved mentions, rivers and places without coordinates (countries) do not.

    Parameters
    ----------
    docs : sequence of ParsedArticle
        The parsed documents (a single ParsedArticle is accepted too).

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``. Coordinates are ``[lon, lat]``
        (RFC 7946) rounded to 6 decimals. Every feature has the same flat properties (strings,
        numbers, booleans or null; no nested objects): ``doc_id``, ``doc_title``, ``doc_url``,
        ``doc_date``, ``start``, ``end``, ``text``, ``kind`` (of the mention), ``sentence``,
        ``confidence``, ``status``, ``geo_precision``, ``katottg``, ``name``, ``name_uk``,
        ``category``, ``place_kind``, ``oblast``, ``oblast_iso``, ``raion``, ``hromada``,
        ``km_to_oblast_border``, ``across_border``, ``oblast_by_polygon``,
        ``agrees_with_codifier``, ``stated_region``, ``stated_region_agrees``,
        ``geometry_contradicts_text``, ``country`` (``"UA"`` or the foreign ISO code),
        ``evidence`` (joined with ``" | "``), ``alternatives``
        (``"name (oblast, hromada hromada) score; ..."``) and ``attribution``.

    Examples
    --------
    >>> from tracker.parsing import parse  # doctest: +SKIP
    >>> fc = to_geojson([parse("Russian troops entered Zaporizke.")])  # doctest: +SKIP
    >>> fc["features"][0]["geometry"]  # doctest: +SKIP
    {'type': 'Point', 'coordinates': [36.53318, 47.85349]}
    """
    features = []
    for doc in _docs(docs):
        for m in doc.mentions:
            feature = _feature(doc, m)
            if feature is not None:
                features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def geojson_dumps(docs: Docs, *, indent: int | None = None) -> str:
    """:func:`to_geojson` as text (UTF-8 kept, ``"type"`` first; compact unless *indent*)."""
    return json.dumps(to_geojson(docs), ensure_ascii=False, indent=indent)


# -- CSV -----------------------------------------------------------------------------------------


def _safe(value: Any) -> Any:
    """A CSV cell: None -> ``""``; text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _coord(value: float | None) -> float | str:
    return "" if value is None else round(float(value), _DIGITS)


def to_csv(docs: Docs) -> str:
    """ACLED-like CSV: one row per mention resolved to a Ukrainian place.

    Foreign, unresolved and river mentions are left out (they are in the JSON).

    Parameters
    ----------
    docs : sequence of ParsedArticle
        The parsed documents (a single ParsedArticle is accepted too).

    Returns
    -------
    str
        A header (:data:`CSV_COLUMNS`) and the rows, ``"\\n"`` line ends, minimal quoting.
        ``event_date`` is the document date (or empty), ``country`` is ``Ukraine``,
        ``admin1``/``admin2``/``admin3`` are oblast/raion/hromada, ``source`` is the document
        URL, title or id, ``notes`` the sentence with white space collapsed. Text cells come
        from untrusted articles: any starting with ``=``, ``+``, ``-``, ``@`` or a tab, CR or
        LF is prefixed with ``'`` so that spreadsheets show it instead of running it.

    Examples
    --------
    >>> import csv, io  # doctest: +SKIP
    >>> rows = list(csv.DictReader(io.StringIO(to_csv(docs))))  # doctest: +SKIP
    >>> rows[0]["admin1"], float(rows[0]["latitude"])  # doctest: +SKIP
    ('Dnipropetrovsk', 47.85349)
    """
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for doc in _docs(docs):
        a = doc.article
        source = a.url or a.title or a.id
        for m in doc.mentions:
            p = m.place
            if p is None or m.mention.foreign or m.status != "resolved":
                continue
            row = (
                a.date,
                "Ukraine",
                p.oblast,
                p.raion,
                p.hromada,
                p.name,
                p.name_uk,
                p.katottg,
                _coord(p.lat),
                _coord(p.lon),
                m.geo_precision,
                round(m.confidence, 3),
                source,
                a.id,
                " ".join(m.sentence.split()),
                m.mention.text,
                m.mention.start,
                m.mention.end,
            )
            writer.writerow([_safe(v) for v in row])
    return buf.getvalue()


# -- dispatch and writing ------------------------------------------------------------------------

_RENDERERS: dict[str, Callable[[Docs], str]] = {
    "json": to_json,
    "geojson": geojson_dumps,
    "csv": to_csv,
}


def render(docs: Docs, fmt: str) -> str:
    """*docs* as text in format *fmt* (one of :data:`FORMATS`).

    Raises
    ------
    InputError
        When *fmt* is not one of :data:`FORMATS`.

    Examples
    --------
    >>> render([], "csv").splitlines()[0].split(",")[:3]
    ['event_date', 'country', 'admin1']
    """
    try:
        renderer = _RENDERERS[fmt]
    except (KeyError, TypeError):
        raise InputError(f"`fmt` was {fmt!r} but is expected to be in {FORMATS}") from None
    return renderer(docs)


def _new_file_mode(target: Path) -> int:
    """The mode *target* keeps (when it exists) or would get from ``open`` (umask applied)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, data: str) -> None:
    """Write *data* (UTF-8) to *path* so that readers see the old file or the new, never half.

    The text goes to a temporary file in the same directory, is flushed and fsynced, then
    moved over *path* with :func:`os.replace`. On any error the temporary file is removed and
    the error re-raised. An existing file keeps its permissions.

    Parameters
    ----------
    path : str or Path
        The file to write (created or replaced).
    data : str
        The text; written as is (no newline translation).

    Raises
    ------
    InputError
        When the directory of *path* does not exist, is not a directory or is not writable,
        or when *path* is a directory.
    OSError
        Any other failure to write (disk full, ...), after removing the temporary file.

    Examples
    --------
    >>> write_atomic("out/places.csv", "a,b\\n")  # doctest: +SKIP
    """
    if not isinstance(data, str):
        raise TypeError(f"`data` was {type(data).__name__} but is expected to be str")
    target = Path(path)
    directory = target.parent
    if not directory.exists():
        raise InputError(
            f"cannot write {str(target)!r}: directory {str(directory)!r} does not exist; "
            "create it first or choose another output path"
        )
    if not directory.is_dir():
        raise InputError(
            f"cannot write {str(target)!r}: {str(directory)!r} is not a directory; "
            "choose another output path"
        )
    if target.is_dir():
        raise InputError(
            f"cannot write {str(target)!r}: it is a directory; give a file name as output path"
        )
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot write {str(target)!r}: directory {str(directory)!r} is not writable; "
            "fix its permissions or choose another output path"
        )
    mode = _new_file_mode(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    except PermissionError as err:
        raise InputError(
            f"cannot write {str(target)!r}: directory {str(directory)!r} is not writable "
            f"({err.strerror}); fix its permissions or choose another output path"
        ) from err
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # make the rename itself durable (best effort: not every platform can open a directory)
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
