"""Output formats: JSON (DESIGN §5), GeoJSON, ACLED-like CSV, and the atomic writer."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest

from tracker import outputs
from tracker.errors import InputError
from tracker.outputs import (
    CSV_COLUMNS,
    FORMATS,
    geojson_dumps,
    render,
    to_csv,
    to_geojson,
    to_json,
    write_atomic,
)

TEXT = (
    "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region, "
    "near the border with Donetsk region. Talks were held in Istanbul."
)
DATE = "2025-08-27"

# An article with a spreadsheet formula on the line that names a place, and a hostile title.
HOSTILE = (
    "Shelling was reported overnight.\n"
    '=HYPERLINK("http://x","click") Novoheorhiivka was shelled in the Dnipropetrovsk region.\n'
)
HOSTILE_TITLE = "@SUM(1+1) report"

UKRAINE_BBOX = (22.0, 44.0, 40.5, 52.5)  # lon_min, lat_min, lon_max, lat_max


@pytest.fixture(scope="module")
def doc(built):
    from tracker.parsing import parse

    return parse(TEXT, date=DATE, id="doc-1", url="https://example.org/a")


@pytest.fixture(scope="module")
def hostile(built):
    from tracker.parsing import parse

    return parse(HOSTILE, date=DATE, id="doc-2", title=HOSTILE_TITLE)


def _by_text(parsed, text):
    return next(m for m in parsed.mentions if m.mention.text == text)


# -- JSON ------------------------------------------------------------------------------------


def test_json_single_document_is_one_pretty_object(doc):
    text = to_json([doc])
    assert text.startswith("{\n  ")  # indent=2
    obj = json.loads(text)
    assert obj == json.loads(json.dumps(doc.to_dict()))
    assert obj["id"] == "doc-1"
    assert obj["date"] == DATE
    assert "Запорізьке" in text  # ensure_ascii=False
    assert list(obj) == sorted(obj)  # sort_keys


def test_json_several_documents_are_json_lines(doc, hostile):
    text = to_json([doc, hostile])
    lines = text.split("\n")
    assert len(lines) == 2
    objs = [json.loads(line) for line in lines]
    assert [o["id"] for o in objs] == ["doc-1", "doc-2"]
    assert render([doc, hostile], "json") == text
    assert to_json([]) == ""


def test_json_has_the_design_fields(doc):
    obj = json.loads(to_json([doc]))
    mentions = {m["text"]: m for m in obj["mentions"]}
    z = mentions["Zaporizke"]
    assert TEXT[z["start"] : z["end"]] == "Zaporizke"
    assert z["kind"] == "settlement"
    assert z["place"]["katottg"] == "UA12140050040024246"
    assert z["place"]["oblast"] == "Dnipropetrovsk"
    n = mentions["Novoheorhiivka"]
    assert TEXT[n["start"] : n["end"]] == "Novoheorhiivka"
    assert n["place"]["katottg"] == "UA12140050080041206"
    assert n["place"]["hromada"] == "Velykomykhailivka"
    for m in obj["mentions"]:
        assert {"start", "end", "text", "kind", "sentence", "confidence", "place"} <= set(m)
        if m["place"] is not None and "country" not in m["place"]:  # Ukrainian place
            assert m["place"]["katottg"].startswith("UA")
            assert m["place"]["oblast"]
    assert mentions["Istanbul"]["place"]["country"] == "TR"


# -- GeoJSON ---------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_of_points(doc):
    fc = to_geojson([doc])
    assert fc["type"] == "FeatureCollection"
    assert fc["features"]
    keys = None
    for f in fc["features"]:
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] == "Point"
        coords = f["geometry"]["coordinates"]
        assert len(coords) == 2 and all(isinstance(c, float) for c in coords)
        assert all(round(c, 6) == c for c in coords)
        props = f["properties"]
        assert not [k for k, v in props.items() if isinstance(v, dict | list)]  # flat
        keys = keys or set(props)
        assert set(props) == keys  # one schema for every feature
        assert "GeoNames" in props["attribution"]
        assert "OpenStreetMap" in props["attribution"]
        assert "geoBoundaries" in props["attribution"]
        assert "KATOTTG" in props["attribution"]
        if props["country"] == "UA":
            lon, lat = coords
            assert UKRAINE_BBOX[0] <= lon <= UKRAINE_BBOX[2]
            assert UKRAINE_BBOX[1] <= lat <= UKRAINE_BBOX[3]
            assert props["katottg"].startswith("UA")
            assert props["oblast"]
    # geojson_dumps round-trips to the same collection
    assert json.loads(geojson_dumps([doc])) == fc
    assert json.loads(render([doc], "geojson")) == fc


def test_geojson_settlement_properties(doc):
    feats = {f["properties"]["text"]: f for f in to_geojson([doc])["features"]}
    n = feats["Novoheorhiivka"]
    place = _by_text(doc, "Novoheorhiivka").place
    assert n["geometry"]["coordinates"] == [round(place.lon, 6), round(place.lat, 6)]  # lon, lat
    p = n["properties"]
    assert p["katottg"] == "UA12140050080041206"
    assert p["oblast"] == "Dnipropetrovsk"
    assert p["hromada"] == "Velykomykhailivka"
    assert p["doc_id"] == "doc-1"
    assert p["doc_url"] == "https://example.org/a"
    assert p["doc_date"] == DATE
    assert TEXT[p["start"] : p["end"]] == "Novoheorhiivka"
    assert p["kind"] == "settlement"
    assert p["status"] == "resolved"
    assert p["stated_region"] == "Dnipropetrovsk region"
    assert p["stated_region_agrees"] is True
    assert p["oblast_by_polygon"] == "Dnipropetrovsk"
    assert isinstance(p["evidence"], str) and " | " in p["evidence"]
    assert p["alternatives"] is None or " (" in p["alternatives"]
    for f in feats.values():  # every Ukrainian settlement carries its KATOTTG code
        if f["properties"]["kind"] == "settlement":
            assert f["properties"]["katottg"]


def test_geojson_foreign_places(doc):
    feats = {f["properties"]["text"]: f for f in to_geojson([doc])["features"]}
    istanbul = feats["Istanbul"]["properties"]
    assert istanbul["country"] == "TR"
    assert istanbul["katottg"] is None
    assert istanbul["status"] == "foreign"
    lon, lat = feats["Istanbul"]["geometry"]["coordinates"]
    assert 28 < lon < 30 and 40 < lat < 42  # lon first


def test_geojson_leaves_out_mentions_without_coordinates(doc):
    located = [
        m
        for m in doc.mentions
        if (m.place is not None and m.place.lon is not None)
        or (m.mention.foreign and m.mention.foreign.lon is not None)
    ]
    assert len(to_geojson([doc])["features"]) == len(located)


# -- CSV -------------------------------------------------------------------------------------


def _rows(text):
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


def test_csv_header_and_rows(doc):
    text = to_csv([doc])
    assert "\r" not in text
    rows = _rows(text)
    by_mention = {r["mention"]: r for r in rows}
    assert "Istanbul" not in by_mention  # foreign places are omitted
    n = by_mention["Novoheorhiivka"]
    assert n["event_date"] == DATE
    assert n["country"] == "Ukraine"
    assert n["admin1"] == "Dnipropetrovsk"
    assert n["admin2"] == "Synelnykove"
    assert n["admin3"] == "Velykomykhailivka"
    assert n["location"] == "Novoheorhiivka"
    assert n["location_uk"] == "Новогеоргіївка"
    assert n["katottg"] == "UA12140050080041206"
    lat, lon = float(n["latitude"]), float(n["longitude"])
    assert 47.5 < lat < 48.2 and 36.2 < lon < 36.9
    assert n["geo_precision"] == "1"
    assert 0.0 <= float(n["confidence"]) <= 1.0
    assert n["source"] == "https://example.org/a"
    assert n["source_id"] == "doc-1"
    assert TEXT[int(n["start"]) : int(n["end"])] == "Novoheorhiivka"
    assert n["notes"].startswith("Russian troops entered Zaporizke")
    resolved_ua = [m for m in doc.mentions if m.place is not None and not m.mention.foreign]
    assert len(rows) == len(resolved_ua)
    assert render([doc], "csv") == text


def test_csv_without_date_or_url(built):
    from tracker.parsing import parse

    p = parse("Fighting near Novoheorhiivka in the Dnipropetrovsk region.", id="x")
    rows = _rows(to_csv([p]))
    assert rows and all(r["event_date"] == "" for r in rows)
    assert all(r["source"] == "x" for r in rows)


def test_csv_neutralises_formulas(hostile):
    rows = _rows(to_csv([hostile]))
    n = next(r for r in rows if r["mention"] == "Novoheorhiivka")
    assert n["notes"].startswith("'=HYPERLINK(")
    assert "\n" not in n["notes"]
    assert n["source"] == "'" + HOSTILE_TITLE
    assert n["admin3"] == "Velykomykhailivka"
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Київ", "Київ"),
        ("a=b", "a=b"),
        (None, ""),
        (1.5, 1.5),
    ],
)
def test_safe_cell(value, expected):
    assert outputs._safe(value) == expected


# -- render ----------------------------------------------------------------------------------


def test_render_unknown_format(doc):
    assert FORMATS == ("json", "geojson", "csv", "geojsonseq")
    with pytest.raises(InputError, match="xml"):
        render([doc], "xml")


def test_render_rejects_non_documents():
    with pytest.raises(TypeError, match="ParsedArticle"):
        to_csv(["not a document"])


# -- write_atomic ----------------------------------------------------------------------------


def test_write_atomic_writes_and_replaces(tmp_path):
    target = tmp_path / "out.csv"
    write_atomic(target, "a,b\nКиїв,1\n")
    assert target.read_bytes() == "a,b\nКиїв,1\n".encode()
    target.chmod(0o640)
    write_atomic(str(target), "new\r\n")
    assert target.read_bytes() == b"new\r\n"  # no newline translation
    assert target.stat().st_mode & 0o777 == 0o640  # permissions kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_write_atomic_cleans_up_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_write_atomic_cleans_up_when_fsync_fails(tmp_path, monkeypatch):
    def broken_fsync(fd):
        raise OSError("fsync failed")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="fsync failed"):
        write_atomic(tmp_path / "out.json", "new")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_missing_directory(tmp_path):
    target = tmp_path / "no" / "such" / "out.csv"
    with pytest.raises(InputError) as info:
        write_atomic(target, "x")
    message = str(info.value)
    assert str(target) in message and "does not exist" in message
    assert "\n" not in message
    assert not (tmp_path / "no").exists()


def test_write_atomic_parent_is_a_file(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match="not a directory"):
        write_atomic(tmp_path / "file" / "out.csv", "x")


def test_write_atomic_target_is_a_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        write_atomic(tmp_path, "x")


def test_write_atomic_unwritable_directory(tmp_path, monkeypatch):
    # root ignores permission bits, so make the temp-file creation fail as it would for a user
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outputs.tempfile, "mkstemp", denied)
    with pytest.raises(InputError) as info:
        write_atomic(tmp_path / "out.csv", "x")
    assert str(tmp_path / "out.csv") in str(info.value)
    assert "not writable" in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only directories")
def test_write_atomic_read_only_directory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(InputError, match="not writable"):
            write_atomic(locked / "out.csv", "x")
    finally:
        locked.chmod(0o700)


def test_write_atomic_render_roundtrip(doc, tmp_path):
    for fmt in FORMATS:
        path = Path(tmp_path) / f"out.{fmt}"
        write_atomic(path, render([doc], fmt))
        assert path.read_text(encoding="utf-8") == render([doc], fmt)


def test_a_document_rendered_for_another_format_is_refused():
    """DocumentWriter writes a Rendered document only in the format it was rendered for."""
    from tracker.models import Article, ParsedArticle
    from tracker.outputs import DocumentWriter, render_document

    doc = ParsedArticle(article=Article(id="a", text="No place here."), mentions=())
    writer = DocumentWriter(io.StringIO(), "json")
    with pytest.raises(TypeError, match="Rendered document in 'json'"):
        writer.add(render_document(doc, "csv"))
    with pytest.raises(InputError, match="`fmt` was 'xml'"):
        render_document(doc, "xml")
    writer.add(render_document(doc, "json"))
    assert writer.count == 1


@pytest.mark.parametrize(
    "data",
    [
        {"b": [1.5, None, True], "a": "Київ", "c": {"z": 0.125, "y": []}},
        {"path": "caf\udce9.txt", "n": 3},  # a lone surrogate: an undecodable file name
        {"x": np.float64(0.1), "k": np.int64(7)},
    ],
)
def test_compact_and_pretty_json_are_what_the_standard_library_writes(data):
    want = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=int)
    line = outputs.compact_json(data)
    assert line == want
    assert outputs.pretty_json(line) == json.dumps(
        json.loads(want), ensure_ascii=False, sort_keys=True, indent=2
    )


def test_a_rendered_document_keeps_its_dict_only_in_its_own_process(doc):
    # a worker sends back the text alone; the dict serves a document written on its own
    import pickle

    rendered = outputs.render_document(doc, "json")
    assert rendered.data is not None
    assert rendered.text is None  # the line is made only when it is needed
    assert rendered.line() == outputs.compact_json(doc.to_dict())
    assert outputs.pretty_json(rendered.data) == outputs.pretty_json(rendered.line())
    back = pickle.loads(pickle.dumps(rendered))
    assert back.data is None
    assert back.text == rendered.encoded() == rendered.line().encode("utf-8")
    assert back.line() == rendered.line()
    assert back[2:4] == rendered[2:4]
    one, two = io.StringIO(), io.StringIO()
    for sink, item in ((one, rendered), (two, back)):
        with outputs.DocumentWriter(sink, "json") as writer:
            writer.add(item)
    assert one.getvalue() == two.getvalue()


@pytest.mark.parametrize("count", [1, 2])
def test_json_reaches_a_binary_sink_as_the_bytes_a_text_sink_would_get(doc, count):
    # an AtomicWriter takes orjson's bytes as they are (no decoding and encoding again); a
    # lone surrogate (an undecodable file name) is still written as an escape
    import dataclasses

    odd = dataclasses.replace(doc, article=dataclasses.replace(doc.article, id="caf\udce9"))
    docs = [odd, doc][:count]

    class Binary:
        binary = True

        def __init__(self) -> None:
            self.chunks: list[bytes | str] = []

        def write(self, chunk) -> None:
            self.chunks.append(chunk)

    binary, text = Binary(), io.StringIO()
    for sink in (binary, text):
        with outputs.DocumentWriter(sink, "json") as writer:
            for d in docs:
                writer.add(outputs.render_document(d, "json"))
    assert all(isinstance(c, bytes) for c in binary.chunks[:-1])  # (the final newline: text)
    got = b"".join(c if isinstance(c, bytes) else c.encode() for c in binary.chunks)
    assert got == text.getvalue().encode("utf-8")
    sep = b": " if count == 1 else b":"  # one document alone is pretty-printed
    assert b'"id"' + sep + b'"caf\\\\xe9"' in got
