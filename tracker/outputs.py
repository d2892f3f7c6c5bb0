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
import errno
import io
import json
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Protocol, TypeAlias

import orjson

from .errors import InputError, OutputFailed
from .models import ParsedArticle, ResolvedMention
from .paths import OutputTarget, check_output, unsurrogate
from .terminal import stdout_failure

__all__ = [
    "ATTRIBUTION",
    "CSV_COLUMNS",
    "FORMATS",
    "AtomicWriter",
    "DocumentWriter",
    "Rendered",
    "StdoutWriter",
    "compact_json",
    "geojson_dumps",
    "open_output",
    "pretty_json",
    "render",
    "render_document",
    "to_csv",
    "to_geojson",
    "to_json",
    "write_atomic",
]

#: One parsed article or several (every function accepts both).
Docs: TypeAlias = Sequence[ParsedArticle] | ParsedArticle

#: The output formats of :func:`render` (and of ``tracker parse --json/--geojson/--csv``).
FORMATS: tuple[str, ...] = ("json", "geojson", "csv", "geojsonseq")
#: The record separator that opens every record of a GeoJSON text sequence (RFC 8142).
RS = "\x1e"

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
        Keys are sorted and non-ASCII text is kept as is. No trailing newline. Bytes of a
        file name that are not UTF-8 appear as ``\\xNN`` (so the text is valid UTF-8).

    Examples
    --------
    >>> from tracker.parsing import parse  # doctest: +SKIP
    >>> a, b = parse("Shelling of Kherson."), parse("Strikes on Odesa.")  # doctest: +SKIP
    >>> len(to_json([a, b]).splitlines())  # doctest: +SKIP
    2
    """
    return _render_with(docs, "json")


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
        coords = _point(foreign.lon, foreign.lat)
        place_props.update(name=foreign.name, place_kind=foreign.kind, country=foreign.country)
    elif m.place is not None:
        p = m.place
        coords = _point(p.lon, p.lat)
        regions = m.regions.to_dict() if m.regions is not None else {}
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
    features = [f for doc in _docs(docs) for f in _features(doc)]
    return {"type": "FeatureCollection", "features": features}


def _features(doc: ParsedArticle) -> Iterator[dict[str, Any]]:
    for m in doc.mentions:
        feature = _feature(doc, m)
        if feature is not None:
            yield feature


def geojson_dumps(docs: Docs, *, indent: int | None = None) -> str:
    """:func:`to_geojson` as text (UTF-8 kept, ``"type"`` first; compact unless *indent*)."""
    if indent is None:
        return _render_with(docs, "geojson")
    return unsurrogate(
        json.dumps(to_geojson(docs), ensure_ascii=False, indent=indent), in_json=True
    )


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
    return _render_with(docs, "csv")


def _csv_rows(doc: ParsedArticle) -> Iterator[list[Any]]:
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
        yield [_safe(v) for v in row]


# -- streaming documents -----------------------------------------------------------------------


class Sink(Protocol):
    """Where :class:`DocumentWriter` writes: anything with ``write(str)``. A sink whose
    ``binary`` attribute is true (:class:`AtomicWriter`) also takes
    UTF-8 bytes, and JSON reaches it as the bytes it was encoded to (not decoded to text and
    encoded again)."""

    def write(self, chunk: Any, /) -> Any:
        """Write one chunk of text (or of UTF-8 bytes, where ``binary`` is true)."""


class Rendered(NamedTuple):
    """One document already turned into the text of one of :data:`FORMATS` (by
    :func:`render_document`, e.g. in a worker process): what :meth:`DocumentWriter.add` writes
    for it, and what the caller counts."""

    fmt: str
    #: json: the compact JSON line, UTF-8 (None while *data* stands for it); geojson: each
    #: feature's JSON; geojsonseq, csv: the text
    text: bytes | str | tuple[str, ...] | None
    #: resolved mentions of the document
    resolved: int
    #: bytes of the article's text (UTF-8)
    size: int
    #: json: the document's dict, kept in the process that rendered it (a document written
    #: alone is pretty-printed from it, and its compact line is made only when a second
    #: document follows); never pickled to another: its line goes instead
    data: dict[str, Any] | None = None

    def line(self) -> str:
        """The compact JSON line of a json document (made from *data* if not made yet)."""
        return self.encoded().decode("utf-8")

    def encoded(self) -> bytes:
        """:meth:`line` as written to a file: UTF-8 (a lone surrogate as an escape)."""
        if self.text is None:
            assert self.data is not None
            return _json_bytes(self.data, indent=False)
        assert isinstance(self.text, bytes)
        return self.text

    def __reduce__(self) -> tuple[Any, ...]:
        text = self.encoded() if self.fmt == "json" else self.text
        return (Rendered, (self.fmt, text, self.resolved, self.size))


def render_document(doc: ParsedArticle, fmt: str) -> Rendered:
    """*doc* as :class:`DocumentWriter` writes it in *fmt* (its piece of the stream).

    Examples
    --------
    >>> from tracker.models import Article, ParsedArticle
    >>> doc = ParsedArticle(article=Article(id="a", text="No place here."), mentions=())
    >>> render_document(doc, "csv").text
    ''
    >>> render_document(doc, "geojson").text
    ()
    """
    if fmt not in FORMATS:
        raise InputError(f"`fmt` was {fmt!r} but is expected to be in {FORMATS}")
    text: str | tuple[str, ...] | None
    data = None
    if fmt == "json":
        data = doc.to_dict()
        text = None  # (Rendered.line: made only if needed, or when sent to another process)
    elif fmt == "geojson":
        text = tuple(json.dumps(feature, ensure_ascii=False) for feature in _features(doc))
    elif fmt == "geojsonseq":
        text = "".join(
            f"{RS}{json.dumps(feature, ensure_ascii=False)}\n" for feature in _features(doc)
        )
    else:
        text = _csv_text(_csv_rows(doc))
    resolved = sum(m.place is not None for m in doc.mentions)
    size = len(doc.article.text.encode("utf-8", "surrogatepass"))
    return Rendered(fmt, text, resolved, size, data)


class DocumentWriter:
    """Write parsed documents one at a time, in one of :data:`FORMATS`.

    The output is the same as :func:`render` of all the documents, but only one document is
    held at a time: ``csv`` writes its header and then the rows of each document,
    ``geojson`` the FeatureCollection's features as they come (opened before the first and
    closed after the last), ``geojsonseq`` one RFC 8142 record (``RS`` + Feature + newline) per
    feature, ``json`` JSON Lines (a single
    document is pretty-printed, so the first one is held until a second arrives). Nothing is
    written before the first document (or :meth:`close`).

    Parameters
    ----------
    sink : Sink
        Where the text goes: an :class:`AtomicWriter`, :class:`StdoutWriter`, an
        ``io.StringIO``...
    fmt : str
        One of :data:`FORMATS`.
    final_newline : bool
        End the output with a newline (files and terminals); :func:`render` does not.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> with DocumentWriter(buf, "csv") as out:  # doctest: +SKIP
    ...     for doc in docs:
    ...         out.add(doc)
    """

    def __init__(self, sink: Sink, fmt: str, *, final_newline: bool = True) -> None:
        if fmt not in FORMATS:
            raise InputError(f"`fmt` was {fmt!r} but is expected to be in {FORMATS}")
        self.sink = sink
        self.fmt = fmt
        self._binary = bool(getattr(sink, "binary", False))
        self.final_newline = final_newline
        self.count = 0
        self._held: Rendered | None = None
        self._started = False
        self._last = ""
        self._closed = False

    def _write(self, text: str | bytes) -> None:
        if not text:
            return
        if isinstance(text, bytes):  # JSON already encoded (valid UTF-8: :func:`_json_bytes`)
            self._last = chr(text[-1])
            self.sink.write(text if self._binary else text.decode("utf-8"))
            return
        self.sink.write(unsurrogate(text, in_json=self.fmt != "csv"))
        self._last = text[-1]

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        if self.fmt == "geojson":
            self._write('{"type": "FeatureCollection", "features": [')
        elif self.fmt == "csv":
            self._write(_csv_text([CSV_COLUMNS]))

    def add(self, doc: ParsedArticle | Rendered) -> None:
        """Write one document, parsed or already :func:`render_document`-ed in this format
        (the JSON of a first document waits for a second one)."""
        if isinstance(doc, ParsedArticle):
            doc = render_document(doc, self.fmt)
        elif not isinstance(doc, Rendered) or doc.fmt != self.fmt:
            raise TypeError(
                f"`doc` was {type(doc).__name__} but is expected to be a ParsedArticle "
                f"(from tracker.parse) or a Rendered document in {self.fmt!r}"
            )
        if self._closed:
            raise ValueError("the DocumentWriter is closed")
        self._start()
        if self.fmt == "json":
            if self.count == 0:
                self._held = doc
            else:
                if self._held is not None:
                    self._write(self._held.encoded())
                    self._held = None
                self._write(b"\n" + doc.encoded())
        elif self.fmt == "geojson":
            assert isinstance(doc.text, tuple)
            for feature in doc.text:
                sep = "" if self._last == "[" else ", "
                self._write(sep + feature)
        else:
            assert isinstance(doc.text, str)
            self._write(doc.text)
        self.count += 1

    def close(self) -> None:
        """Finish the output (the held single JSON document, the GeoJSON closing brackets)."""
        if self._closed:
            return
        self._closed = True
        self._start()
        if self._held is not None:  # a single document: pretty-printed
            held = self._held
            data = held.data if held.data is not None else _json_loads(held.encoded())
            self._write(_json_bytes(data, indent=True))
            self._held = None
        if self.fmt == "geojson":
            self._write("]}")
        if self.final_newline and self._last not in ("", "\n"):
            self._write("\n")

    def __enter__(self) -> DocumentWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()


def compact_json(data: dict[str, Any]) -> str:
    """One line of JSON Lines: *data* with sorted keys, no spaces, UTF-8 as is.

    Examples
    --------
    >>> compact_json({"b": 1, "a": "Київ"})
    '{"a":"Київ","b":1}'
    """
    return _dumps(data, indent=False)


def pretty_json(data: str | dict[str, Any]) -> str:
    """A document indented by two spaces (one written on its own): its :func:`compact_json`
    line, or the dict itself (what the line was made of: the same text, without reading it
    back).

    Examples
    --------
    >>> print(pretty_json('{"a":[1,{"b":null}],"c":"Київ"}'))
    {
      "a": [
        1,
        {
          "b": null
        }
      ],
      "c": "Київ"
    }
    >>> data = {"c": "Київ", "a": [1, {"b": None}]}
    >>> pretty_json(data) == pretty_json(compact_json(data))
    True
    """
    value = _json_loads(data) if isinstance(data, str) else data
    return _dumps(value, indent=True)


def _json_loads(data: str | bytes) -> Any:
    try:
        return orjson.loads(data)
    except ValueError:  # a lone surrogate: the standard library reads it
        return json.loads(data)


def _dumps(value: Any, *, indent: bool) -> str:
    """*value* as JSON with sorted keys and UTF-8 as is, on one line or indented by two:
    with orjson (the standard library's very text, about ten times faster), else with the
    standard library (a lone surrogate from an undecodable file name, a type orjson refuses)."""
    try:
        return orjson.dumps(value, option=_orjson_option(indent)).decode()
    except TypeError:
        return _std_dumps(value, indent)


def _json_bytes(value: Any, *, indent: bool) -> bytes:
    """:func:`_dumps` as written to a file: UTF-8, a lone surrogate written as an escape
    (:func:`~tracker.paths.unsurrogate`). orjson's bytes are that already (it refuses lone
    surrogates): JSON written this way is never decoded to text and encoded again, which cost
    as much as making it (decoding 100 MB of mostly ASCII with some Cyrillic: 0.66 s)."""
    try:
        return orjson.dumps(value, option=_orjson_option(indent))
    except TypeError:
        return unsurrogate(_std_dumps(value, indent), in_json=True).encode("utf-8")


def _orjson_option(indent: bool) -> int:
    return _ORJSON | (orjson.OPT_INDENT_2 if indent else 0)


def _std_dumps(value: Any, indent: bool) -> str:
    if indent:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


#: Sorted keys; NumPy scalars written as numbers (as json.dumps writes a NumPy float).
_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _csv_text(rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _render_with(docs: Docs, fmt: str) -> str:
    items = _docs(docs)
    buf = io.StringIO()
    writer = DocumentWriter(buf, fmt, final_newline=False)
    for doc in items:
        writer.add(doc)
    writer.close()
    return buf.getvalue()


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
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise InputError(f"`fmt` was {fmt!r} but is expected to be in {FORMATS}")
    return _render_with(docs, fmt)


# -- writing -------------------------------------------------------------------------------------

#: errno values that mean "the medium", not the user's choice of path (exit code 4).
_IO_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG, errno.EPIPE}
)


def _umask_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


class AtomicWriter:
    """A file written in chunks that appears whole or not at all.

    The chunks go to a hidden temporary file beside the real target (``.NAME.XXXX.tmp``; for
    a symlink, beside the file it points to). :meth:`commit` flushes and fsyncs it, gives it
    the target's permissions (or the umask's for a new file) and renames it over the
    target in one step; :meth:`abort` deletes it. As a context manager it commits when the
    block succeeds and aborts on any exception (also Ctrl-C). The old file stays intact
    until the rename, and no temporary file is left behind when anything fails.

    Parameters
    ----------
    target : OutputTarget or str or PathLike
        The file to write; a path is checked with :func:`tracker.paths.check_output` first.
    encoding : str
        How text chunks are encoded (bytes are written as they are). A lone surrogate that
        cannot be encoded is written as ``\\udcXX`` instead of failing.

    Raises
    ------
    InputError
        (exit 2) From the path check, or when the directory refuses the temporary file.
    OutputFailed
        (exit 4) Disk full, read-only file system, I/O error, a failing fsync or rename.
        The message is one line naming the file and saying that it is unchanged.

    Examples
    --------
    >>> with AtomicWriter("out/places.jsonl") as out:  # doctest: +SKIP
    ...     for doc in docs:
    ...         out.write(json.dumps(doc.to_dict()) + "\\n")
    """

    #: takes UTF-8 bytes as well as text (a binary :class:`Sink`)
    binary = True

    def __init__(self, target: OutputTarget | str | os.PathLike[str], *, encoding: str = "utf-8"):
        if not isinstance(target, OutputTarget):
            target = check_output(target)
        if target.real is None:
            raise InputError("AtomicWriter writes files; use StdoutWriter for standard output")
        self.target = target
        self.path: Path = target.real
        self.encoding = encoding
        self.bytes_written = 0
        self._tmp: str | None = None
        self._file: BinaryIO | None = None

    # -- context manager -----------------------------------------------------------------------
    def __enter__(self) -> AtomicWriter:
        try:
            self.open()
        except BaseException:  # (Ctrl-C too: ``with`` calls no __exit__ when __enter__ fails)
            self.abort()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()

    # -- steps ---------------------------------------------------------------------------------
    def _failed(self, err: OSError, doing: str) -> OutputFailed:
        shown = self.target.given
        state = "it is unchanged" if self.target.exists else "nothing was written"
        return OutputFailed(
            f"cannot write {shown!r}: {err.strerror or err} ({doing}); {state}, "
            "no partial file left"
        )

    def open(self) -> None:
        """Create the temporary file (done by ``with``; called again it does nothing)."""
        if self._file is not None:
            return
        directory = self.path.parent
        with _signals_held():  # a file created but not yet named here would be left behind
            try:
                fd, self._tmp = tempfile.mkstemp(
                    dir=directory, prefix=f".{self.path.name}.", suffix=".tmp"
                )
            except PermissionError as err:
                raise InputError(
                    f"cannot write {self.target.given!r}: directory {str(directory)!r} is not "
                    f"writable ({err.strerror}); fix its permissions or choose another output "
                    "path"
                ) from err
            except OSError as err:
                raise self._failed(err, "creating a temporary file") from err
            self._file = os.fdopen(fd, "wb")

    def write(self, chunk: str | bytes) -> None:
        """Append *chunk* (text is encoded); on failure the temporary file is removed."""
        if self._file is None:
            self.open()
        assert self._file is not None
        data = chunk.encode(self.encoding, "backslashreplace") if isinstance(chunk, str) else chunk
        try:
            self._file.write(data)
        except OSError as err:
            self.abort()
            raise self._failed(err, "writing") from err
        self.bytes_written += len(data)

    def commit(self) -> None:
        """Flush, fsync and rename the temporary file over the target."""
        if self._file is None:
            self.open()
        assert self._file is not None and self._tmp is not None
        step = "flushing"
        try:
            self._file.flush()
            step = "syncing to disk"
            os.fsync(self._file.fileno())
            self._file.close()
            step = "setting permissions"
            mode = self.target.mode if self.target.mode is not None else _umask_mode()
            os.chmod(self._tmp, mode)
            step = "renaming into place"
            os.replace(self._tmp, self.path)
        except BaseException as err:
            self.abort()
            if isinstance(err, OSError):
                raise self._failed(err, step) from err
            raise
        self._tmp = None
        self._file = None
        # make the rename itself durable (best effort: not every platform can open a directory)
        with contextlib.suppress(OSError):
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def abort(self) -> None:
        """Close and delete the temporary file; the target is left as it was."""
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done, then arrive as they would have.

    Python runs signal handlers in the main thread only, whichever thread the system hands a
    signal to, so the main thread holds them by recording them meanwhile; in any other thread
    no signal handler can interrupt the block, and nothing waits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before: dict[signal.Signals, Any] = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(sig)
            if handler is None:  # set outside Python: it could not be put back
                continue
            before[sig] = handler
            signal.signal(sig, lambda number, frame: caught.append(number))
        yield
    finally:
        for held, handler in before.items():
            signal.signal(held, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)


class StdoutWriter:
    """Standard output with the :class:`AtomicWriter` interface (it cannot be atomic).

    A failure to write (a closed pipe, ``> /dev/full``) becomes a one-line
    :class:`~tracker.errors.OutputFailed` (exit code 4) whose ``stdout`` attribute is True.
    """

    def __enter__(self) -> StdoutWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()

    def write(self, chunk: str | bytes) -> None:
        """Write *chunk* to standard output."""
        import click

        try:
            click.echo(chunk, nl=False)
        except OSError as err:
            raise stdout_failure(err) from err

    def commit(self) -> None:
        """Flush standard output."""
        try:
            sys.stdout.flush()
        except OSError as err:
            raise stdout_failure(err) from err

    def abort(self) -> None:
        """Nothing to undo on standard output."""


def open_output(
    target: OutputTarget | str | os.PathLike[str] | None,
) -> AtomicWriter | StdoutWriter:
    """The writer for *target*: standard output for None or ``"-"``, else an AtomicWriter."""
    if target is None:
        return StdoutWriter()
    if not isinstance(target, OutputTarget):
        target = check_output(target)
    return StdoutWriter() if target.is_stdout else AtomicWriter(target)


def write_atomic(path: str | Path | OutputTarget, data: str | bytes) -> None:
    """Write *data* (text as UTF-8) to *path* so that readers see the old file or the new.

    The text goes to a temporary file in the same directory (for a symlink: beside the file
    it points to), is flushed and fsynced, then moved over *path* with :func:`os.replace`.
    On any error the temporary file is removed. An existing file keeps its permissions.

    Parameters
    ----------
    path : str or Path or OutputTarget
        The file to write (created or replaced), checked with
        :func:`tracker.paths.check_output` unless already an OutputTarget.
    data : str or bytes
        The content; text is written as is (no newline translation).

    Raises
    ------
    InputError
        When the path is refused (a directory, device, FIFO, socket, under /proc, /sys or
        /dev, a symlink loop) or its directory does not exist, is not a directory or is not
        writable.
    OutputFailed
        Any failure to write (disk full, read-only file, ...), after removing the temporary
        file; it is an ``OSError``.

    Examples
    --------
    >>> write_atomic("out/places.csv", "a,b\\n")  # doctest: +SKIP
    """
    if not isinstance(data, str | bytes):
        raise TypeError(f"`data` was {type(data).__name__} but is expected to be str")
    with AtomicWriter(path) as out:
        out.write(data)
