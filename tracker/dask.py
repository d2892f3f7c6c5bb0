"""Beyond one machine: the parse stage on a Dask cluster (``pip install frontline-tracker[dask]``).

Two ways in:

* :func:`parse_bag` — ``tracker.dask.parse_bag(paths)`` is a ``dask.bag`` of
  :class:`~tracker.models.ParsedArticle`, one per article file, in input order, for your own
  pipeline (``.map(lambda d: d.to_dict())``, ``.to_dataframe()``, ...).
* :func:`parse_to_parts` — what ``tracker parse ARCHIVE/ --dask tcp://scheduler:8786 -o out/``
  runs: the files are cut into partitions (contiguous runs, in input order); each partition is
  parsed on a worker and written there as ``out/part-00000.jsonl``, ``part-00001.jsonl``, ...
  (JSON Lines, the output of ``tracker parse --json``: the parts concatenated in order are the
  serial run's output). A part is written to a temporary file and renamed, so a failed or
  retried partition never leaves half a part; failed partitions are retried (``retries``) and
  the ones that still fail are reported.

Every worker process loads the built data once (on its first partition) from the data
directory the client names: the client's ``TRACKER_DATA_DIR`` (or *data_dir*), which must be a
path every worker can read (a shared file system), as must the input files and the output
directory. ``address="local:N"`` starts a ``LocalCluster`` of N worker processes on this
machine instead of connecting to a scheduler.

This module is named like the library it uses; inside it, ``import dask`` is the library
(imports are absolute).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, TrackerError

__all__ = ["PartsReport", "article_paths", "parse_bag", "parse_to_parts"]

#: Partitions per worker when none is given (small partitions balance uneven files).
PARTITIONS_PER_WORKER = 4


def _need_dask() -> None:
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as err:
        raise TrackerError(
            "Dask is not installed; run `pip install 'frontline-tracker[dask]'`"
        ) from err


def article_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The article files *paths* name, in the order ``tracker parse`` reads them
    (directories expanded, sorted, hidden files skipped).

    Raises
    ------
    InputError
        For ``-`` (standard input cannot be shared with workers) or a path that does not exist.
    """
    import stat

    from .articles import expand_dir

    out: list[str] = []
    for item in [paths] if isinstance(paths, (str, Path)) else paths:
        name = os.fsdecode(item)
        if name == "-":
            raise InputError("--dask reads files, not standard input; give files or directories")
        try:
            mode = os.stat(name).st_mode
        except OSError as err:
            raise InputError(f"{name}: {err.strerror or err}; give an existing file") from err
        if stat.S_ISDIR(mode):
            out += [str(p) for p in expand_dir(Path(name), [])[0]]
        else:
            out.append(str(Path(name).absolute()))
    return out


def _chunks(items: Sequence[str], n: int) -> list[list[str]]:
    """*items* cut into at most *n* contiguous, nearly equal runs (order kept)."""
    n = max(1, min(n, len(items)))
    size, extra = divmod(len(items), n)
    out, pos = [], 0
    for k in range(n):
        step = size + (k < extra)
        out.append(list(items[pos : pos + step]))
        pos += step
    return [c for c in out if c]


def _parse_files(
    files: Sequence[str], date: str | None, data_dir: str, max_bytes: int | None
) -> tuple[list[Any], list[str]]:
    """Parse *files* in a worker (the data loaded once per worker process)."""
    from .articles import DEFAULT_MAX_BYTES, ReadProblem, iter_articles
    from .data.store import load
    from .gazetteer import load as load_gazetteer
    from .parsing import parse_article

    store = load(data_dir)
    gaz = load_gazetteer(data_dir)
    docs, problems = [], []
    for item in iter_articles(list(files), date=date, max_bytes=max_bytes or DEFAULT_MAX_BYTES):
        if isinstance(item, ReadProblem):
            problems.append(item.message)
            continue
        docs.append(parse_article(item, gazetteer=gaz, store=store))
    return docs, problems


def _data_dir(data_dir: str | os.PathLike[str] | None) -> str:
    from . import config

    path = Path(data_dir) if data_dir is not None else config.data_dir()
    return str(path.expanduser().resolve())


def parse_bag(
    paths: Iterable[str | os.PathLike[str]],
    *,
    date: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    max_bytes: int | None = None,
    npartitions: int | None = None,
) -> Any:
    """A ``dask.bag`` of the parsed articles under *paths* (one per readable file, in order).

    Parameters
    ----------
    paths
        Files and directories every worker can read.
    date
        Article date for every article (YYYY-MM-DD), as ``tracker parse --date``.
    data_dir
        The built data every worker loads (default: this process's ``TRACKER_DATA_DIR`` or the
        default data directory), a path every worker can read.
    max_bytes
        Largest document read (default 50 MB).
    npartitions
        Partitions of the bag (default: about 100 files each).

    Examples
    --------
    >>> from tracker.dask import parse_bag  # doctest: +SKIP
    >>> bag = parse_bag(["archive/"])  # doctest: +SKIP
    >>> bag.map(lambda d: len(d.mentions)).sum().compute()  # doctest: +SKIP
    4711
    """
    _need_dask()
    import dask.bag as db

    from .articles import check_date

    files = article_paths(paths)
    if not files:
        raise InputError("no article files under the paths given")
    day, where = check_date(date), _data_dir(data_dir)
    parts = npartitions or max(1, len(files) // 100)
    bag = db.from_sequence(files, npartitions=min(parts, len(files)))
    return bag.map_partitions(lambda chunk: _parse_files(list(chunk), day, where, max_bytes)[0])


@dataclass
class PartsReport:
    """What :func:`parse_to_parts` did."""

    parts: list[str] = field(default_factory=list)  # the part files written, in order
    documents: int = 0
    workers: int = 0
    problems: list[str] = field(default_factory=list)  # files that could not be read
    failed: list[str] = field(default_factory=list)  # partitions that failed after retries


def _write_part(
    index: int,
    files: list[str],
    out_dir: str,
    date: str | None,
    data_dir: str,
    max_bytes: int | None,
) -> dict[str, Any]:
    """One partition on a worker: parse its files, write ``part-<index>.jsonl`` atomically."""
    from .outputs import AtomicWriter, compact_json

    docs, problems = _parse_files(files, date, data_dir, max_bytes)
    target = Path(out_dir) / f"part-{index:05d}.jsonl"
    with AtomicWriter(target) as sink:
        for doc in docs:
            sink.write(compact_json(doc.to_dict()) + "\n")
    return {"part": str(target), "documents": len(docs), "problems": problems}


def _client(address: str) -> tuple[Any, Any]:
    """A ``distributed.Client`` for *address* (``local:N`` starts a LocalCluster)."""
    from distributed import Client, LocalCluster

    if address.startswith("local"):
        _, _, count = address.partition(":")
        try:
            workers = int(count) if count else None
        except ValueError as err:
            raise InputError(
                f"--dask was {address!r}; expected local:N or tcp://HOST:PORT"
            ) from err
        import logging

        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return Client(cluster), cluster
    try:
        return Client(address, timeout="20s"), None
    except OSError as err:
        raise TrackerError(
            f"cannot reach the Dask scheduler at {address!r}: {err}; check the address"
        ) from err


def parse_to_parts(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    address: str | None = None,
    client: Any = None,
    date: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    max_bytes: int | None = None,
    partitions: int | None = None,
    retries: int = 2,
) -> PartsReport:
    """Parse the articles under *paths* on a Dask cluster, one JSON Lines part per partition.

    Parameters
    ----------
    paths
        Files and directories every worker can read.
    out_dir
        The directory the parts go to (made if missing; every worker must be able to write
        there). Parts of an earlier run beyond this run's last one are removed.
    address
        ``tcp://scheduler:8786`` or ``local:N``; or give *client* (a ``distributed.Client``).
    retries
        Times a failed partition is tried again before it is reported.

    Returns
    -------
    PartsReport
        Parts written, documents, workers, unreadable files and failed partitions.
    """
    _need_dask()
    from distributed import wait

    from .articles import check_date

    files = article_paths(paths)
    if not files:
        raise InputError("no article files under the paths given")
    out = Path(out_dir).absolute()
    if out.exists() and not out.is_dir():
        raise InputError(f"-o {os.fsdecode(out_dir)!r} is not a directory; --dask writes parts")
    out.mkdir(parents=True, exist_ok=True)
    day, where = check_date(date), _data_dir(data_dir)
    own = None
    if client is None:
        if address is None:
            raise InputError("give a Dask scheduler address (tcp://HOST:PORT or local:N)")
        client, own = _client(address)
    report = PartsReport()
    try:
        report.workers = len(client.scheduler_info().get("workers", {}))
        chunks = _chunks(files, partitions or PARTITIONS_PER_WORKER * max(1, report.workers))
        futures = [
            client.submit(
                _write_part, i, chunk, str(out), day, where, max_bytes, retries=retries, pure=False
            )
            for i, chunk in enumerate(chunks)
        ]
        wait(futures)
        for i, (chunk, future) in enumerate(zip(chunks, futures, strict=True)):
            if future.status != "finished":
                err = future.exception()
                first = (str(err).splitlines() or [type(err).__name__])[0][:200]
                report.failed.append(f"part {i:05d} ({chunk[0]} ...): {first}")
                continue
            result = future.result()
            report.parts.append(result["part"])
            report.documents += result["documents"]
            report.problems += result["problems"]
        for stale in out.glob("part-*.jsonl"):
            if stale.name[5:10].isdigit() and int(stale.name[5:10]) >= len(chunks):
                stale.unlink()
    finally:
        if own is not None:
            client.close()
            own.close()
    return report
