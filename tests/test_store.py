"""The article store on a real SQLite file and a real PostgreSQL server (the same tests on both):
ingest twice, versions, events queries, history, status, GeoPackage export, reprocess,
schema checks, damaged and newer stores."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.store_fixtures import (
    ARTICLES,
    ENGINES,
    EXAMPLES,
    drop_url,
    fresh_url,
    ingest_examples,
    require_engine,
    run,
)

ZAPORIZKE = "UA12140050040024246"  # Zaporizke, Velykomykhailivka hromada, Dnipropetrovsk


@pytest.fixture(autouse=True)
def _data(built):
    return built


@pytest.fixture(scope="module", params=ENGINES)
def stored(request, built, tmp_path_factory):
    """A store of each engine holding the three example articles (read-only tests)."""
    require_engine(request.param)
    url = fresh_url(request.param, tmp_path_factory.mktemp("store"))
    results = ingest_examples(url)
    yield {"url": url, "engine": request.param, "first": results}
    drop_url(url)


def _status(url: str) -> dict:
    result = run("db", "status", "--db", url, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _events(url: str, *args: str) -> list[dict]:
    result = run("events", "--db", url, "--json", *args)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def _fresh_docs():
    import tracker

    docs = {}
    for name, day in EXAMPLES.items():
        docs[name] = tracker.parse((ARTICLES / name).read_text(encoding="utf-8"), date=day)
    return docs


# -- ingest ------------------------------------------------------------------------------------


def test_ingest_twice_changes_nothing(stored):
    url = stored["url"]
    assert all(r.stdout.startswith("new ") for r in stored["first"])
    before = _status(url)
    assert before["articles"] == before["article_versions"] == 3
    assert before["mentions"] == sum(len(d.mentions) for d in _fresh_docs().values())
    assert before["claims"] == sum(
        len(m.claims) for d in _fresh_docs().values() for m in d.mentions
    )
    again = run("ingest", *(str(ARTICLES / n) for n in EXAMPLES), "--db", url)
    assert again.exit_code == 0, again.stderr
    lines = again.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("unchanged ") for line in lines), lines
    assert "3 unchanged" in again.stderr
    after = _status(url)
    for key in ("articles", "article_versions", "mentions", "claims", "places", "dates"):
        assert after[key] == before[key], key
    assert after["ingested"] == before["ingested"]


def test_stored_articles_are_the_parse(stored):
    """What comes back from the store is the parse, field for field (DESIGN.md §5 JSON)."""
    from tracker.store import open_store
    from tracker.store.query import period_ids, stored_docs

    with open_store(stored["url"]) as store:
        docs = {d.article.path: d for d in stored_docs(store, period_ids(store))}
    fresh = _fresh_docs()
    assert len(docs) == 3
    for name, doc in fresh.items():
        back = docs[str(ARTICLES / name)]
        assert back.article.text == (ARTICLES / name).read_text(encoding="utf-8")
        got, want = back.to_dict(), doc.to_dict()
        for key in ("id", "path"):  # the reader's id and path, not tracker.parse's
            got.pop(key), want.pop(key)
        assert got == want


def test_article_record(stored):
    from tracker.store import open_store, schema

    with open_store(stored["url"]) as store, store.connect() as conn:
        rows = conn.execute(sa.select(schema.articles)).mappings().all()
    from tracker.data.store import load
    from tracker.version import __version__

    assert {str(r["published"]) for r in rows} == set(EXAMPLES.values())
    for r in rows:
        assert len(r["id"]) == 32 and r["version"] == 1 and r["is_current"]
        assert r["tracker_version"] == __version__ and r["data_build"] == load().build_id
        assert r["ingested_at"] is not None and r["bytes"] == len(r["text"].encode())


def test_versions_metadata_and_replace(new_db, tmp_path):
    url_of = "https://example.org/news/zaporizke"
    base = (ARTICLES / "004_35ed6482ca630a39.txt").read_text(encoding="utf-8")
    first = tmp_path / "v1.md"
    first.write_text(f"---\nurl: {url_of}\ntitle: First\n---\n{base}", encoding="utf-8")
    assert run("ingest", str(first), "--db", new_db).stdout.startswith("new ")
    # the same text again, now with a date it lacked: updated in place
    dated = run("ingest", str(first), "--db", new_db, "--date", "2025-08-27")
    assert dated.stdout.startswith("updated "), dated.stdout
    # another date for the same text is kept as stored, with a note
    other = run("ingest", str(first), "--db", new_db, "--date", "2025-08-28")
    assert other.stdout.startswith("unchanged ") and "--replace" in other.stderr
    # the same URL with a changed text: a new version, the old one kept
    second = tmp_path / "v2.md"
    changed = base.replace("entered two villages", "entered three villages")
    assert changed != base
    second.write_text(f"---\nurl: {url_of}\ntitle: Second\n---\n{changed}", encoding="utf-8")
    version = run("ingest", str(second), "--db", new_db, "--date", "2025-08-28")
    assert version.exit_code == 0, version.stderr
    assert version.stdout.startswith("new version ") and "version 2 of" in version.stdout
    status = _status(new_db)
    assert status["articles"] == 1 and status["article_versions"] == 2
    current = _events(new_db)
    everything = _events(new_db, "--all-versions")
    assert current and {e["title"] for e in current} == {"Second"}
    assert {e["title"] for e in everything} == {"First", "Second"}
    assert {e["version"] for e in everything} == {1, 2}
    replaced = run("ingest", str(first), "--db", new_db, "--date", "2025-08-28", "--replace")
    assert replaced.stdout.startswith("updated ")
    assert {e["date"] for e in _events(new_db, "--all-versions", "--since", "2025-08-28")} == {
        "2025-08-28"
    }


def test_ingest_bad_inputs(new_db, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("ingest", str(empty), "--db", new_db)
    assert result.exit_code == 2 and "no article" in result.stderr
    assert run("ingest", "/nonexistent/x.txt", "--db", new_db).exit_code == 2
    assert run("ingest", str(empty), "--db", new_db, "--date", "2025-13-40").exit_code == 2


# -- queries -----------------------------------------------------------------------------------


def test_events_by_place_oblast_date_claimant(stored):
    url = stored["url"]
    every = _events(url)
    assert len(every) == _status(url)["claims"]
    assert [e["date"] for e in every] == sorted(e["date"] for e in every)
    by_name = _events(url, "--place", "Zaporizke")
    by_code = _events(url, "--place", ZAPORIZKE)
    assert by_name and by_name == by_code
    assert {e["katottg"] for e in by_name} == {ZAPORIZKE}
    assert {e["date"] for e in by_name} == {"2025-08-27"}
    assert {"captured", "entered"} & {e["event"] for e in by_name}
    dnipro = _events(url, "--oblast", "Dnipropetrovsk")
    assert dnipro and {e["oblast"] for e in dnipro} == {"Dnipropetrovsk"}
    assert _events(url, "--oblast", "UA-12") == dnipro  # any spelling of the oblast
    assert len(dnipro) < len(every)
    may = _events(url, "--since", "2025-05-01", "--until", "2025-05-31")
    assert may and {e["date"] for e in may} == {"2025-05-07"}
    assert _events(url, "--since", "2025-09-01") == []
    russian = _events(url, "--claimant", "russian_mod")
    assert russian and {e["claimant"] for e in russian} == {"russian_mod"}
    tryhubov = _events(url, "--claimant", "Tryhubov")
    assert tryhubov and all("Tryhubov" in e["claimant_text"] for e in tryhubov)
    captured = _events(url, "--event", "captured", "--stance", "claimed")
    assert captured and {(e["event"], e["stance"]) for e in captured} == {("captured", "claimed")}


def test_events_formats_and_api(stored):
    import tracker

    url = stored["url"]
    rows = _events(url, "--place", "Zaporizke")
    as_csv = run("events", "--db", url, "--place", "Zaporizke", "--csv").stdout
    table = list(csv.DictReader(io.StringIO(as_csv)))
    assert [r["event"] for r in table] == [e["event"] for e in rows]
    gj = json.loads(run("events", "--db", url, "--place", "Zaporizke", "--geojson").stdout)
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == len(rows)
    assert gj["features"][0]["geometry"]["type"] == "Point"
    text = run("events", "--db", url, "--place", "Zaporizke")
    assert text.exit_code == 0 and "Zaporizke (Dnipropetrovsk)" in text.stdout
    # each line quotes the claim's words: no two claims print as the same line
    lines = text.stdout.splitlines()
    assert len(lines) == len(rows) and len(set(lines)) == len(lines)
    assert all(f"“{e['trigger']}”" in line for e, line in zip(rows, lines, strict=True))
    frame = tracker.events(place="Zaporizke", db=url)
    assert len(frame) == len(rows) and frame.crs.to_epsg() == 4326
    assert list(frame["event"]) == [e["event"] for e in rows]
    assert frame.geometry.iloc[0].x == pytest.approx(rows[0]["lon"])


def test_events_bad_filters(stored):
    url = stored["url"]
    for args in (
        ["--event", "exploded"],
        ["--stance", "maybe"],
        ["--since", "yesterday"],
        ["--since", "2025-09-01", "--until", "2025-08-01"],
        ["--oblast", "Atlantis"],
        ["--place", " "],
    ):
        result = run("events", "--db", url, *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1


def test_history_merges_stored_claims(stored, tmp_path):
    url = stored["url"]
    result = run("history", "Zaporizke", "--oblast", "Dnipropetrovsk", "--db", url, "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["place"]["katottg"] == ZAPORIZKE
    kinds = [e["kind"] for e in out["timeline"]]
    assert "control" in kinds and "claim" in kinds
    control = [e for e in out["timeline"] if e["kind"] == "control"]
    assert {"occupied", "not occupied"} <= {e["status"] for e in control}
    claims = [e for e in out["timeline"] if e["kind"] == "claim"]
    assert len(claims) == len(_events(url, "--place", ZAPORIZKE))
    assert all(e.get("stored") for e in claims)
    # the same article given with --articles (dated as stored) adds nothing twice
    copy = tmp_path / "004_35ed6482ca630a39.txt"
    text = (ARTICLES / copy.name).read_text(encoding="utf-8")
    copy.write_text(f"---\ndate: 2025-08-27\n---\n{text}", encoding="utf-8")
    both = run("history", ZAPORIZKE, "--db", url, "--json", "--articles", str(copy))
    assert both.exit_code == 0, both.stderr
    again = [e for e in json.loads(both.stdout)["timeline"] if e["kind"] == "claim"]
    assert len(again) == len(claims)
    text = run("history", ZAPORIZKE, "--db", url)
    assert "claim: " in text.stdout and "(DeepStateMap)" in text.stdout


def test_db_status(stored):
    from tracker.data.store import load

    info = _status(stored["url"])
    assert info["engine"] == stored["engine"]
    assert info["schema"] == info["schema_head"] == "0001"
    assert info["dates"] == {"first": "2025-05-07", "last": "2025-08-27", "undated": 0}
    assert info["current_data_build"] == load().build_id
    assert [b["data_build"] for b in info["builds"]] == [load().build_id]
    if stored["engine"] == "sqlite":
        assert info["journal_mode"] == "wal"
        check = run("db", "status", "--db", stored["url"], "--check")
        assert check.exit_code == 0 and "integrity  ok" in check.stdout
    else:
        assert info["server"]
    text = run("db", "status", "--db", stored["url"]).stdout
    assert "articles   3" in text and "schema     0001" in text


def test_export_gpkg(stored, tmp_path):
    import pyogrio

    out = tmp_path / "store.gpkg"
    result = run("export", "--db", stored["url"], "--gpkg", str(out))
    assert result.exit_code == 0, result.stderr
    layers = {name: geom for name, geom in pyogrio.list_layers(out)}
    assert set(layers) == {"articles", "mentions", "claims", "control_changes"}
    assert layers["articles"] is None
    assert {layers[n] for n in ("mentions", "claims", "control_changes")} == {"Point"}
    for name in ("mentions", "claims", "control_changes"):
        assert pyogrio.read_info(out, layer=name)["crs"] == "EPSG:4326"
    info = {name: pyogrio.read_info(out, layer=name)["features"] for name in layers}
    status = _status(stored["url"])
    events = _events(stored["url"])
    assert info["articles"] == 3
    assert info["claims"] == sum(e["lon"] is not None for e in events)
    assert 0 < info["mentions"] <= status["mentions"]
    changes = pyogrio.read_dataframe(out, layer="control_changes")
    zap = changes[changes["katottg"] == ZAPORIZKE]
    assert list(zap["status"]) == [
        c.status for c in __import__("tracker").control_history(ZAPORIZKE)[1]
    ]
    articles = pyogrio.read_dataframe(out, layer="articles", read_geometry=False)
    assert set(articles["text"]) == {(ARTICLES / n).read_text(encoding="utf-8") for n in EXAMPLES}


def test_map_from_store_needs_an_input(stored, tmp_path):
    none = run("map", "-o", str(tmp_path / "m.html"))
    assert none.exit_code == 2 and "--db" in none.stderr
    empty = run(
        "map", "--db", stored["url"], "--since", "2030-01-01", "-o", str(tmp_path / "m.html")
    )
    assert empty.exit_code == 2 and "holds no article" in empty.stderr
    assert not (tmp_path / "m.html").exists()


# -- reprocess ---------------------------------------------------------------------------------


def test_reprocess_reports_what_changed(new_db):
    from tracker.store import open_store, schema

    ingest_examples(new_db)
    nothing = run("reprocess", "--db", new_db)
    assert nothing.exit_code == 0 and "nothing to reprocess" in nothing.stderr
    before = _events(new_db)
    # a parse by "another build": one claim's verdict and one mention's place differ
    with open_store(new_db) as store, store.engine.begin() as conn:
        conn.execute(sa.update(schema.articles).values(data_build="old-build"))
        conn.execute(
            sa.update(schema.claims)
            .where(schema.claims.c.katottg == ZAPORIZKE, schema.claims.c.verdict.is_not(None))
            .values(verdict="no data", frontline_check=None)
        )
    dry = run("reprocess", "--db", new_db, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "would reprocess 3 article(s), 1 changed" in dry.stderr
    assert _events(new_db) != before  # nothing stored by --dry-run
    done = run("reprocess", "--db", new_db)
    assert done.exit_code == 0, done.stderr
    assert "reprocessed 3 article(s), 1 changed" in done.stderr
    assert done.stdout.count("changed (") == 1
    assert "claimed -> captured, russian_mod, claimed [corroborated]" in done.stdout
    assert _events(new_db) == before
    assert "nothing to reprocess" in run("reprocess", "--db", new_db).stderr
    forced = run("reprocess", "--db", new_db, "--all", "--json")
    assert [json.loads(line)["changes"] for line in forced.stdout.splitlines()] == [[], [], []]


# -- schema, damage, errors ----------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_schema_matches_the_migrations(new_db):
    """The migrations build exactly the tables of tracker/store/schema.py."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from tracker.store import open_store, schema
    from tracker.store.database import MIGRATIONS

    ingest_examples(new_db)
    with open_store(new_db) as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    # PostGIS: the generated geom columns (and their indexes) exist only on the server
    diff = [d for d in diff if "geom" not in repr(d) and "spatial_ref_sys" not in repr(d)]
    assert diff == []
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [schema.SCHEMA_HEAD]


def test_postgis_geometry(engine, new_db):
    if engine != "postgresql":
        pytest.skip("PostGIS is a PostgreSQL extension")
    from tracker.store import open_store

    ingest_examples(new_db)
    with open_store(new_db) as store:
        if store.postgis is None:
            pytest.skip("the server has no PostGIS")
        with store.connect() as conn:
            x, y = conn.execute(
                sa.text("SELECT ST_X(geom), ST_Y(geom) FROM claims WHERE katottg = :k LIMIT 1"),
                {"k": ZAPORIZKE},
            ).one()
            srid = conn.execute(
                sa.text("SELECT ST_SRID(geom) FROM mentions WHERE geom IS NOT NULL LIMIT 1")
            ).scalar()
    assert (round(x, 4), round(y, 4)) == (36.5332, 47.8535) and srid == 4326


def test_newer_schema_is_refused(new_db):
    from tracker.store import open_store

    ingest_examples(new_db)
    with open_store(new_db) as store, store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    for args in (["events"], ["db", "status"], ["ingest", str(ARTICLES)], ["reprocess"]):
        result = run(*args, "--db", new_db)
        assert result.exit_code == 3, (args, result.stderr)
        assert "newer than this tracker's 0001" in result.stderr
        assert "pip install -U frontline-tracker" in result.stderr


def test_damaged_sqlite_file(tmp_path):
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database at all\n" * 200)
    for args in (
        ["events"],
        ["db", "status"],
        ["ingest", str(ARTICLES / "001_dc9c6a9d17563651.txt")],
    ):
        result = run(*args, "--db", str(garbage))
        assert result.exit_code == 3, (args, result.stderr)
        assert "is damaged" in result.stderr and f"mv {garbage}" in result.stderr
    # a real store cut short
    good = tmp_path / "good.sqlite"
    assert (
        run("ingest", str(ARTICLES / "001_dc9c6a9d17563651.txt"), "--db", str(good)).exit_code == 0
    )
    data = good.read_bytes()
    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(data[: len(data) // 3])
    result = run("events", "--db", str(truncated))
    assert result.exit_code == 3 and "damaged" in result.stderr, result.stderr


def test_missing_store_and_bad_urls(tmp_path):
    missing = run("events", "--db", str(tmp_path / "none.sqlite"))
    assert missing.exit_code == 3 and "no article store" in missing.stderr
    assert not (tmp_path / "none.sqlite").exists()
    status = run("db", "status", "--db", str(tmp_path / "none.sqlite"))
    assert status.exit_code == 0 and "no article store" in status.stdout
    for bad in ("mysql://x@localhost/db", "sqlite://", str(tmp_path), "", "sqlite:////dev/null"):
        result = run("events", "--db", bad)
        assert result.exit_code == 2, (bad, result.stderr)
    for down in ("postgresql://nobody@127.0.0.1:1/none", "postgresql://x@no-such-host.invalid/x"):
        result = run("events", "--db", down)
        assert result.exit_code == 4 and "cannot connect" in result.stderr, result.stderr


def test_not_a_tracker_store(tmp_path):
    import sqlite3

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE articles (x)")
    result = run("ingest", str(ARTICLES / "001_dc9c6a9d17563651.txt"), "--db", str(other))
    assert result.exit_code == 3 and "not an article store" in result.stderr


def test_untrusted_text_is_stored_as_given_and_shown_inert(new_db, tmp_path):
    hostile = (
        "Russian troops entered Zaporizke \x1b[31m<script>alert(1)</script>\x1b[0m and "
        "Novoheorhiivka \u202e in the Dnipropetrovsk region, the Russian defence ministry "
        "claimed.\n"
    )
    path = tmp_path / "hostile.txt"
    path.write_text(hostile, encoding="utf-8")
    assert run("ingest", str(path), "--db", new_db, "--date", "2025-08-27").exit_code == 0
    from tracker.store import open_store, schema

    with open_store(new_db) as store, store.connect() as conn:
        text = conn.execute(sa.select(schema.articles.c.text)).scalar_one()
    assert text == hostile
    shown = run("events", "--db", new_db)
    assert shown.exit_code == 0 and shown.stdout
    assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
    raw = _events(new_db)
    assert any("\x1b[31m" in e["sentence"] for e in raw)  # JSON carries the data unchanged


def test_default_store_location(tmp_path, monkeypatch):
    from tracker.store import default_url, locate

    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert locate(None).path == tmp_path / "xdg" / "frontline-tracker" / "store.sqlite"
    assert default_url().startswith("sqlite:///")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.sqlite"))
    assert locate(None).path == tmp_path / "env.sqlite"
    result = run("ingest", str(ARTICLES / "001_dc9c6a9d17563651.txt"), "--date", "2025-05-07")
    assert result.exit_code == 0 and (tmp_path / "env.sqlite").is_file()
    assert Path(locate("sqlite:///rel.sqlite").path) == Path("rel.sqlite")
