"""The parse stage on a real ``dask.distributed.LocalCluster`` of two worker processes: the
parts, concatenated in order, are the serial ``tracker parse`` output; a partition that
fails is reported, the others are written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.bag", reason="needs the dask extra: pip install -e '.[dask]'")
distributed = pytest.importorskip("distributed")

pytestmark = [pytest.mark.dask, pytest.mark.data]

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="module")
def client(built):
    import logging

    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Dev-set texts as files (written at test time from ../shared, never committed)."""
    folder = tmp_path_factory.mktemp("archive")
    rows = [
        json.loads(line)
        for line in (SHARED / "eval" / "dev" / "corpus.jsonl").read_text().splitlines()
        if line.strip()
    ]
    for i, row in enumerate(rows[:9]):
        front = f"---\ndate: {row['published'][:10]}\n---\n" if row.get("published") else ""
        (folder / f"doc{i:02d}.md").write_text(front + row["text"])
    return folder


@pytest.fixture(scope="module")
def serial(archive, tmp_path_factory) -> bytes:
    """``tracker parse ARCHIVE --jobs 1 -o serial.jsonl``: the output to match."""
    from click.testing import CliRunner

    from tracker.cli import main

    out = tmp_path_factory.mktemp("serial") / "serial.jsonl"
    result = CliRunner().invoke(main, ["parse", str(archive), "--jobs", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_local_cluster_parts_equal_the_serial_run(client, archive, serial, tmp_path):
    from tracker.dask import parse_to_parts

    report = parse_to_parts([archive], tmp_path / "parts", client=client, partitions=4)
    assert report.workers == 2
    assert not report.failed and not report.problems
    assert [Path(p).name for p in report.parts] == [f"part-{i:05d}.jsonl" for i in range(4)]
    joined = b"".join(Path(p).read_bytes() for p in report.parts)
    assert joined == serial
    assert report.documents == serial.count(b"\n") == 9


def test_parse_bag_gives_the_serial_documents_in_order(client, archive, serial):
    from tracker.dask import parse_bag
    from tracker.outputs import compact_json

    docs = parse_bag([archive], npartitions=3).compute()
    assert [compact_json(d.to_dict()) for d in docs] == serial.decode().splitlines()


def test_a_failing_partition_is_reported_and_the_others_written(client, archive, tmp_path):
    """A part that cannot be written (a directory stands where it goes) fails its partition
    after the retries; the report names it and the other parts are written."""
    from tracker.dask import parse_to_parts

    out = tmp_path / "parts"
    (out / "part-00001.jsonl").mkdir(parents=True)
    (out / "part-00001.jsonl" / "keep").write_text("x")
    report = parse_to_parts([archive], out, client=client, partitions=3, retries=1)
    assert len(report.failed) == 1 and report.failed[0].startswith("part 00001 ")
    assert [Path(p).name for p in report.parts] == ["part-00000.jsonl", "part-00002.jsonl"]
    assert all(Path(p).stat().st_size > 0 for p in report.parts)
