"""Every core: parse documents in worker processes that share the loaded data.

:func:`parse_stream` turns a stream of articles (and read problems) into parsed documents
**in input order**, with at most *window* documents in flight, so that memory stays flat
however long the stream is. With ``jobs=1`` (or a single document) everything runs in
this process. With ``jobs > 1`` the parent loads the gazetteer, parses the first document
itself (which also fills the lazily built indexes), and only then forks the workers: they
inherit the loaded tables copy-on-write instead of each loading them again (POSIX
``fork``; where fork is unavailable the work stays serial).

The output is the same whatever *jobs* is: each document is parsed by the same function
on the same data, and the results are handed back in the order the documents came.

The Dask variant (one machine is not enough) is :mod:`tracker.dask`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .models import Article, ParsedArticle

__all__ = ["default_jobs", "parse_stream"]

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
    SIGTERM it got meanwhile is delivered then)."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return context.Pool(jobs, initializer=_init_worker)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        return context.Pool(jobs, initializer=_init_worker)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _parse_in_worker(article: Article) -> Any:
    from .parsing import parse_article

    doc = parse_article(article, gazetteer=_STATE["gazetteer"], store=_STATE["store"])
    prepare = _STATE["prepare"]
    return doc if prepare is None else prepare(doc)


def _can_fork() -> bool:
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
        The most documents in flight at once (default ``4 * jobs``): bounds memory.
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
    from .parsing import parse_article

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
        doc = parse_article(article, gazetteer=data["gazetteer"], store=data["store"])
        return doc if prepare is None else prepare(doc)

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
    yield from _pooled(second, next_article, jobs, window or 4 * jobs, data)


def _pooled(
    second: Article,
    next_article: Callable[[], Article | None],
    jobs: int,
    window: int,
    data: dict[str, Any],
) -> Iterator[Any]:
    """Documents 2.. through a pool of forked workers, at most *window* in flight."""
    _STATE.update(data)
    context = multiprocessing.get_context("fork")
    pending: deque[Any] = deque()
    pool = _start_pool(context, jobs)
    try:
        article: Article | None = second
        while article is not None or pending:
            while article is not None and len(pending) < window:
                pending.append(pool.apply_async(_parse_in_worker, (article,)))
                article = next_article()
            yield pending.popleft().get()
    finally:
        # Also after an error, an interrupt or a consumer that stopped early: the workers finish
        # the at most *window* documents in flight and end when the queue tells them to. Not
        # Pool.terminate(): under load it could wait for ever on a worker it had signalled.
        pool.close()
        pool.join()
        _STATE.clear()
