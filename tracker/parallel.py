"""Every core: parse documents in worker processes that share the loaded data.

:func:`parse_stream` turns a stream of articles (and read problems) into parsed documents
**in input order**, with at most *window* documents in flight, so that memory stays flat
however long the stream is. The workers get the documents in batches of up to
:data:`BATCH_CHARS` characters of text (one round trip between the processes per batch, not
per document: on a directory of 3 KB articles this halved the parent's CPU time, which is
taken from the workers on a machine with as many cores as workers).

With ``jobs=1`` (or a single document) everything runs in this process. With ``jobs > 1``
the parent loads the gazetteer, parses the first document itself (which also fills the
lazily built indexes), and only then forks the workers: they inherit the loaded tables
copy-on-write instead of each loading them again (POSIX ``fork``; where fork is unavailable
the work stays serial).

The output is the same whatever *jobs* is: each document is parsed by the same function
on the same data, and the results are handed back in the order the documents came.

The Dask variant (one machine is not enough) is :mod:`tracker.dask`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .models import Article, ParsedArticle

__all__ = ["default_jobs", "parse_stream"]

#: A batch sent to a worker ends with the document that brings its text to this many characters.
BATCH_CHARS = 32_000

#: What the workers parse with: set in the parent just before the fork.
_STATE: dict[str, Any] = {}


def default_jobs() -> int:
    """The number of processors this process may run on (``--jobs`` default)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _check_jobs(jobs: int | None) -> int:
    from .errors import InputError

    if jobs is None:
        return default_jobs()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InputError(f"`jobs` was {jobs!r}; expected a whole number >= 1 (1: serial)")
    return jobs


def _init_worker() -> None:
    """A worker leaves signals to the parent: SIGTERM ends it at once (the parent's handler,
    inherited through fork, would raise inside the pool's queue), Ctrl-C is the parent's.
    SIGTERM was blocked from the fork (:func:`_start_pool`) until this point, so one sent to a
    worker that is still starting waits here and then ends it."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def _start_pool(context: Any, jobs: int) -> Any:
    """A pool of *jobs* forked workers whose SIGTERM is blocked until :func:`_init_worker` has
    put the default action back. Without that, a worker terminated while it was still starting
    (a short stream ends at once) ran the parent's handler instead, lived on, and the parent
    waited for it for ever. The parent's own mask is restored as soon as the workers exist (a
    SIGTERM it got meanwhile is delivered then).

    Everything the parent holds at the fork (the loaded data above all) is frozen out of the
    cyclic garbage collector for the workers (``gc.freeze``, as Python's documentation advises
    before a fork): their collections never traverse those objects, so they neither spend time
    on them nor write to (and so copy) the pages they share with the parent. The parent's
    objects are unfrozen again at once."""
    import gc
    import signal

    gc.freeze()
    try:
        if not hasattr(signal, "pthread_sigmask"):
            return context.Pool(jobs, initializer=_init_worker)
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            return context.Pool(jobs, initializer=_init_worker)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    finally:
        gc.unfreeze()


def _parse_in_worker(batch: list[Article]) -> tuple[list[Any], Any]:
    """The documents of *batch*, parsed (and prepared) in order, up to the first that raised,
    and what it raised (None: all went well; with the worker's traceback as its cause, as
    :class:`multiprocessing.pool.Pool` sends it): the documents before a failure still arrive."""
    from multiprocessing.pool import ExceptionWithTraceback  # type: ignore[attr-defined]

    done = []
    for article in batch:
        try:
            done.append(_parse_one(article, _STATE))
        except Exception as err:
            return done, ExceptionWithTraceback(err, err.__traceback__)
    return done, None


def _parse_one(article: Article, state: dict[str, Any]) -> Any:
    """*article* parsed with the data of *state* (and prepared), in this process or a worker."""
    from .parsing import parse_article

    doc = parse_article(article, gazetteer=state["gazetteer"], store=state["store"])
    prepare = state["prepare"]
    return doc if prepare is None else prepare(doc)


def _can_fork() -> bool:
    import multiprocessing  # (here: a serial parse never needs it)

    return "fork" in multiprocessing.get_all_start_methods()


def parse_stream(
    items: Iterable[Any],
    *,
    jobs: int | None = 1,
    store: Any = None,
    gazetteer: Any = None,
    on_other: Callable[[Any], None] | None = None,
    on_article: Callable[[Article], None] | None = None,
    window: int | None = None,
    prepare: Callable[[ParsedArticle], Any] | None = None,
) -> Iterator[Any]:
    """Parse every :class:`~tracker.models.Article` of *items*, in order.

    Parameters
    ----------
    items
        Articles, possibly mixed with other objects (e.g. :class:`tracker.articles.ReadProblem`),
        which are handed to *on_other* at their place in the stream and not parsed.
    jobs
        Worker processes (None: every processor, :func:`default_jobs`; 1: this process).
    store, gazetteer
        The built data and its gazetteer (default: loaded when the first article comes, so
        that a stream of bad inputs needs no data).
    on_other
        Called with every item that is not an article, in stream order.
    on_article
        Called with every article before it is parsed (in stream order; e.g. for notices).
    window
        The most documents in flight at once (default ``32 * jobs``): bounds memory, with
        :data:`BATCH_CHARS`.
    prepare
        Applied to each parsed document where it was parsed (in the worker), e.g.
        :func:`tracker.outputs.render_document`: its result is yielded instead, and only it
        comes back from the worker (less to copy between processes, and the parent's share
        of the work stays small).

    Yields
    ------
    ParsedArticle
        One per article (or ``prepare(doc)``), in the order of *items*, identical whatever
        *jobs* is.
    """
    jobs = _check_jobs(jobs)
    stream = iter(items)
    data = {"store": store, "gazetteer": gazetteer, "prepare": prepare}

    def ready() -> None:
        if data["gazetteer"] is None:
            from .data.store import load
            from .gazetteer import load as load_gazetteer

            data["store"] = data["store"] or load()
            data["gazetteer"] = load_gazetteer(data["store"].root)

    def serial(article: Article) -> Any:
        ready()
        return _parse_one(article, data)

    def next_article() -> Article | None:
        for item in stream:
            if isinstance(item, Article):
                if on_article is not None:
                    on_article(item)
                return item
            if on_other is not None:
                on_other(item)
        return None

    first = next_article()
    if first is None:
        return
    yield serial(first)  # also fills the lazily built indexes before any fork
    if jobs == 1 or not _can_fork():
        while (article := next_article()) is not None:
            yield serial(article)
        return
    second = next_article()
    if second is None:
        return
    yield from _pooled(second, next_article, jobs, window or 32 * jobs, data)


def _pooled(
    second: Article,
    next_article: Callable[[], Article | None],
    jobs: int,
    window: int,
    data: dict[str, Any],
) -> Iterator[Any]:
    """Documents 2.. through a pool of forked workers, at most *window* in flight: at most
    two batches per worker (one parsed, one waiting), each of at most ``window / batches``
    documents and about :data:`BATCH_CHARS` characters."""
    import multiprocessing

    _STATE.update(data)
    context = multiprocessing.get_context("fork")
    pending: deque[Any] = deque()
    pool = _start_pool(context, jobs)
    try:
        batches = min(2 * jobs, window)
        per_batch = max(1, window // batches)
        article: Article | None = second
        while article is not None or pending:
            while article is not None and len(pending) < batches:
                batch: list[Article] = []
                chars = 0
                while article is not None and len(batch) < per_batch and chars < BATCH_CHARS:
                    batch.append(article)
                    chars += len(article.text)
                    article = next_article()
                pending.append(pool.apply_async(_parse_in_worker, (batch,)))
            done, err = pending.popleft().get()
            yield from done
            if err is not None:
                raise err
    finally:
        # Also after an error, an interrupt or a consumer that stopped early: the workers finish
        # the at most *window* documents in flight and end when the queue tells them to. Not
        # Pool.terminate(): under load it could wait for ever on a worker it had signalled.
        pool.close()
        pool.join()
        _STATE.clear()
