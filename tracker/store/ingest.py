"""``tracker ingest`` and ``tracker reprocess``: parse articles into the store.

Ingest reads articles with the same reader as ``tracker parse``
(:func:`tracker.articles.iter_articles`: files, directories, stdin), one batch at a time:
the articles of a batch that are stored already (same normalised text) are reported
``unchanged`` without being parsed again, the others are parsed and written in one
transaction. Killing the process loses at most the batch being parsed; the next ingest
stores the rest.

Reprocess re-parses stored articles (their text and metadata as stored) with the tracker
and data build of now, replaces their mentions and claims, and reports what changed.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date as Date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..articles import DEFAULT_MAX_BYTES, ReadProblem, iter_articles
from ..models import Article, ParsedArticle
from . import schema
from .database import ArticleStore, WriteResult, metadata_change
from .query import load_docs
from .rows import article_id, body_of, source_of, to_rows

if TYPE_CHECKING:
    from ..data.store import Store as BuiltData

__all__ = [
    "DEFAULT_BATCH",
    "FLUSH_SECONDS",
    "IngestSummary",
    "Reprocessed",
    "diff_docs",
    "ingest",
    "reprocess",
]

#: Articles per transaction.
DEFAULT_BATCH = 50
#: A batch is written once it has waited this long for more parsed articles.
FLUSH_SECONDS = 5.0


@dataclass
class IngestSummary:
    """What an ingest (or reprocess) did: how many articles had each outcome, how many
    files could not be read."""

    counts: Counter[str] = field(default_factory=Counter)
    problems: int = 0
    changed: int = 0  # reprocess: articles whose parse changed

    @property
    def total(self) -> int:
        """Articles stored or found stored."""
        return sum(self.counts.values())


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True, slots=True)
class _Known:
    """An article of the input that is stored already (reported, not parsed)."""

    result: WriteResult
    article: Article


def _incoming(a: Article, source: str | None) -> dict[str, Any]:
    return {
        "url": a.url,
        "title": a.title,
        "source": source or source_of(a.url),
        "published": Date.fromisoformat(a.date) if a.date else None,
    }


def _unchanged(
    a: Article, text_id: str, stored: dict[str, Any], source: str | None, replace: bool
) -> WriteResult | None:
    """The ``unchanged`` result of an article stored already (None when it must be stored
    again: metadata it lacked, or *replace* with other metadata)."""
    fill, clash = metadata_change(_incoming(a, source), stored, replace=replace)
    if fill:
        return None
    note = None
    if clash:
        note = (
            f"stored already with {', '.join(clash)}; kept as stored (ingest --replace "
            "stores it with the metadata given now)"
        )
    return WriteResult("unchanged", text_id, stored["name"], stored["version"], note=note)


class _Batches:
    """Parsed documents collected into write batches: full ones, or every *flush_s*
    seconds, so that a slow parse never keeps much unwritten."""

    def __init__(
        self,
        write: Callable[[list[ParsedArticle]], None],
        size: int,
        flush_s: float = FLUSH_SECONDS,
    ) -> None:
        self.write, self.size, self.flush_s = write, size, flush_s
        self.pending: list[ParsedArticle] = []
        self.since = 0.0

    def add(self, doc: ParsedArticle) -> None:
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append(doc)
        if len(self.pending) >= self.size or time.monotonic() - self.since >= self.flush_s:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            docs, self.pending = self.pending, []
            self.write(docs)


def _frontline_notice(data: BuiltData, day: str) -> str | None:
    from ..frontline import frontline_of

    return frontline_of(data).notice(day)


def ingest(
    paths: Iterable[str],
    store: ArticleStore,
    *,
    data: BuiltData | None = None,
    date: str | None = None,
    jobs: int | None = 1,
    batch: int = DEFAULT_BATCH,
    source: str | None = None,
    replace: bool = False,
    max_bytes: int | None = None,
    on_result: Callable[[WriteResult, Article], None] | None = None,
    on_problem: Callable[[ReadProblem], None] | None = None,
    on_note: Callable[[str | None], None] | None = None,
) -> IngestSummary:
    """Parse the articles under *paths* into *store* (see the module docstring).

    Parameters
    ----------
    paths
        Files, directories, ``"-"`` for stdin.
    store
        The open store (:func:`tracker.store.open_store` with ``create=True``).
    data
        The built data (default: loaded once the first article needs parsing).
    date
        Article date for every article (``YYYY-MM-DD`` or ``today``).
    jobs
        Parser processes (:func:`tracker.parallel.parse_stream`; None: every core).
    batch
        Articles per transaction (a batch is also written after
        :data:`FLUSH_SECONDS` of parsing).
    source
        The publication of every article (default: each URL's host).
    replace
        Store an article already stored again with the metadata given now.
    on_result, on_problem, on_note
        Called with each article's :class:`~tracker.store.database.WriteResult` and the
        article, with each file that could not be read, and with notes (a date outside the
        front-line archive, waiting for another writer).
    """
    from ..data.store import load
    from ..parallel import parse_stream

    summary = IngestSummary()
    size = max(1, batch)
    items = iter_articles(paths, date=date, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    loaded: dict[str, BuiltData | None] = {"data": data}

    def built() -> BuiltData:
        data = loaded["data"]
        if data is None:
            data = loaded["data"] = load()
        return data

    def report(result: WriteResult, article: Article) -> None:
        summary.counts[result.outcome] += 1
        if on_result is not None:
            on_result(result, article)

    def feed() -> Iterator[Article | ReadProblem | _Known]:
        for chunk in _chunks(items, size):
            arts = [x for x in chunk if isinstance(x, Article)]
            ids = {id(a): article_id(body_of(a)) for a in arts}
            known = store.known(ids.values()) if arts else {}
            for item in chunk:
                if isinstance(item, Article):
                    text_id = ids[id(item)]
                    stored = known.get(text_id)
                    same = stored and _unchanged(item, text_id, stored, source, replace)
                    if same:
                        yield _Known(same, item)
                        continue
                yield item

    def other(item: Any) -> None:
        if isinstance(item, _Known):
            report(item.result, item.article)
        elif isinstance(item, ReadProblem):
            summary.problems += 1
            if on_problem is not None:
                on_problem(item)

    def noticed(article: Article) -> None:
        if article.date and on_note is not None:
            on_note(_frontline_notice(built(), article.date))

    def write(docs: list[ParsedArticle]) -> None:
        build = built().build_id
        rows = [(to_rows(d, source=source), build) for d in docs]
        for result, doc in zip(
            store.write(rows, replace=replace, on_wait=on_note), docs, strict=True
        ):
            report(result, doc.article)

    batches = _Batches(write, size)
    parsed = parse_stream(feed(), jobs=jobs, store=data, on_other=other, on_article=noticed)
    for doc in parsed:
        batches.add(doc)
    batches.flush()
    return summary


# -- reprocess ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reprocessed:
    """One reprocessed article: its id, name and what changed (empty: the same parse)."""

    id: str
    name: str
    changes: tuple[str, ...]
    before: tuple[str, str]  # (tracker version, data build) of the stored parse


def _place(m: Any) -> str:
    p = m.place
    if p is None:
        return m.status
    return f"{p.katottg} ({p.name}, {p.oblast})"


def diff_docs(old: ParsedArticle, new: ParsedArticle, *, limit: int = 20) -> list[str]:
    """What changed from the parse *old* to *new* of one article, one line per change
    (mentions by span: place or status; claims by mention and trigger: event, claimant,
    stance, negation, DeepState verdict), at most *limit* lines plus a count of the rest."""
    lines: list[str] = []
    before = {(m.mention.start, m.mention.end): m for m in old.mentions}
    after = {(m.mention.start, m.mention.end): m for m in new.mentions}
    for span in sorted(before.keys() | after.keys()):
        a, b = before.get(span), after.get(span)
        label = f"{(a or b).mention.text!r} at {span[0]}"  # type: ignore[union-attr]
        if a is None:
            lines.append(f"+ mention {label}: {_place(b)}")
            continue
        if b is None:
            lines.append(f"- mention {label}: was {_place(a)}")
            continue
        if _place(a) != _place(b):
            lines.append(f"~ mention {label}: {_place(a)} -> {_place(b)}")
        ca = {_claim_key(c): c for c in a.claims}
        cb = {_claim_key(c): c for c in b.claims}
        for key in sorted(ca.keys() | cb.keys()):
            x, y = ca.get(key), cb.get(key)
            what = f"claim {key[1]!r} on {label}"
            if x is None:
                lines.append(f"+ {what}: {_claim_text(y)}")
            elif y is None:
                lines.append(f"- {what}: was {_claim_text(x)}")
            elif _claim_text(x) != _claim_text(y):
                lines.append(f"~ {what}: {_claim_text(x)} -> {_claim_text(y)}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"... and {len(lines) - limit} more change(s)"]
    return lines


def _claim_key(c: Any) -> tuple[int, str]:
    return (c.claim.trigger_start, c.claim.trigger)


def _claim_text(c: Any) -> str:
    claim = c.claim
    verdict = c.frontline_check.verdict if c.frontline_check else None
    neg = "not " if claim.negated else ""
    return f"{neg}{claim.event}, {claim.claimant}, {claim.stance}" + (
        f" [{verdict}]" if verdict else ""
    )


def reprocess(
    store: ArticleStore,
    *,
    data: BuiltData | None = None,
    force: bool = False,
    dry_run: bool = False,
    jobs: int | None = 1,
    batch: int = DEFAULT_BATCH,
    on_result: Callable[[Reprocessed], None] | None = None,
    on_note: Callable[[str | None], None] | None = None,
) -> IngestSummary:
    """Re-parse the stored articles made by another tracker version or data build (every one
    with *force*), replace their mentions and claims, and report what changed.

    Parameters
    ----------
    store
        The open store.
    data
        The built data (default: loaded).
    force
        Reprocess every article, also those parsed by this tracker and data build.
    dry_run
        Only report what would change; store nothing.
    jobs, batch
        As for :func:`ingest`.
    on_result, on_note
        Called with each :class:`Reprocessed` article, and with notes.
    """
    from ..data.store import load
    from ..parallel import parse_stream
    from ..version import __version__

    data = data or load()
    summary = IngestSummary()
    size = max(1, batch)
    a = schema.articles
    query = sa.select(a.c.id).order_by(a.c.published, a.c.name, a.c.id)
    if not force:
        query = query.where(
            sa.or_(a.c.tracker_version != __version__, a.c.data_build != data.build_id)
        )
    with store.connect() as conn:
        ids = list(conn.execute(query).scalars())
    olds: dict[str, tuple[ParsedArticle, Any]] = {}

    def feed() -> Iterator[Article]:
        for chunk in _chunks(ids, size):
            with store.connect() as conn:
                stored = load_docs(conn, chunk)
                made = {
                    r.id: r
                    for r in conn.execute(
                        sa.select(a.c.id, a.c.tracker_version, a.c.data_build, a.c.source).where(
                            a.c.id.in_(chunk)
                        )
                    )
                }
            for text_id in chunk:
                if text_id in stored:
                    olds[text_id] = (stored[text_id], made[text_id])
                    yield stored[text_id].article

    def write(docs: list[ParsedArticle]) -> None:
        rows = []
        for new in docs:
            text_id = article_id(body_of(new.article))
            old, made_by = olds.pop(text_id)
            changes = tuple(diff_docs(old, new))
            summary.counts["reprocessed"] += 1
            summary.changed += bool(changes)
            if on_result is not None:
                before = (made_by.tracker_version, made_by.data_build)
                on_result(Reprocessed(text_id, old.article.id, changes, before))
            article_rows = to_rows(new, source=made_by.source)
            rows.append((article_rows, data.build_id))
        if rows and not dry_run:
            store.write(rows, reprocess=True, on_wait=on_note)

    def noticed(article: Article) -> None:
        if article.date and on_note is not None:
            on_note(_frontline_notice(data, article.date))

    batches = _Batches(write, size)
    for doc in parse_stream(feed(), jobs=jobs, store=data, on_article=noticed):
        batches.add(doc)
    batches.flush()
    return summary


def cpu_count() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
