"""One document into one :class:`~tracker.models.Article`: a file (its bytes, text, sidecar)
or standard input, read with the bounds of :mod:`.read`, decoded by :mod:`.encoding`, and
built — the text of a page or of a file after its front matter, the metadata merged (the
``date`` argument, then the document's own, then the sidecar) and, lacking a date, the
dateline's."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..models import Article
from ..paths import unsurrogate
from .dates import dateline_date, resolve_date
from .encoding import decode
from .html import html_text
from .metadata import Meta, front_matter, read_sidecar
from .problems import ReadFailure, ReadProblem
from .read import read_limited, read_regular
from .selection import ARTICLE_SUFFIXES, stem
from .sizes import DEFAULT_MAX_BYTES, too_large

__all__ = ["build", "read_file", "read_stdin"]


def build(
    text: str,
    *,
    display: str,
    fmt: str,
    article_id: str,
    path: str | None,
    date_override: str | None,
    sidecar: Meta,
) -> Article:
    """The Article for decoded *text*; in-document metadata wins over *sidecar*.

    Parameters
    ----------
    text : str
        The decoded document.
    display : str
        Its name in messages.
    fmt : {"text", "markdown", "html"}
        How to read it.
    article_id : str
        The article id.
    path : str, optional
        The file it came from.
    date_override : str, optional
        The checked ``date`` argument: wins over any date of the document.
    sidecar : Meta
        The metadata of its sidecar.

    Returns
    -------
    Article

    Raises
    ------
    ReadFailure
        When it has no text (not fatal), malformed front matter or a date that is not one.
    """
    body, own, body_start = _body(text, display, fmt)
    meta = {**sidecar, **own}
    date = date_override
    if date is None and "date" in meta:
        value, where = meta["date"]
        date = resolve_date(value, where, display)
    if date is None:
        found = dateline_date(body[body_start:])
        date = found[0] if found else None
    return Article(
        id=article_id,
        text=body,
        path=path,
        title=meta["title"][0] if "title" in meta else None,
        url=meta["url"][0] if "url" in meta else None,
        date=date,
        format=fmt,
        body_start=body_start,
    )


def _body(text: str, display: str, fmt: str) -> tuple[str, Meta, int]:
    """The article text, its own metadata, and where its body starts (past front matter)."""
    if fmt == "html":
        body, own = html_text(text, display)
        if not body.strip():
            raise ReadFailure(f"{display}: no text in the page, skipped", fatal=False)
        return body, own, 0
    own, body_start = front_matter(text, display)
    if not text[body_start:].strip():
        what = "no text after the front matter" if body_start else "empty file"
        raise ReadFailure(f"{display}: {what}, skipped", fatal=False)
    return text, own, body_start


def read_file(
    path: Path, display: str, *, date: str | None, name: str | None, limit: int
) -> Article | ReadProblem:
    """One file as an article (its format from its extension; unknown ones are text).

    Parameters
    ----------
    path : Path
        A regular file.
    display : str
        Its name in messages.
    date : str, optional
        The checked ``date`` argument.
    name : str, optional
        The article id; default the file's :func:`~.selection.stem`.
    limit : int
        The most bytes read.

    Returns
    -------
    Article or ReadProblem
    """
    suffix = path.suffix.lower()
    if suffix == ".json":
        return ReadProblem(
            display, f"{display}: JSON file (article metadata?), not an article; skipped", False
        )
    fmt = ARTICLE_SUFFIXES.get(suffix, "text")
    try:
        data = read_regular(path, display, limit)
        text = decode(data, display)
        del data
        sidecar = read_sidecar(path, display)
        # a file name that is not UTF-8 becomes valid text ("caf\\xe9") in id and path
        article_id = name or unsurrogate(stem(path))
        return build(
            text,
            display=display,
            fmt=fmt,
            article_id=article_id,
            path=unsurrogate(display),
            date_override=date,
            sidecar=sidecar,
        )
    except ReadFailure as err:
        return ReadProblem(display, err.message, err.fatal)


def read_stdin(
    stream: TextIO, *, date: str | None, name: str | None, limit: int = DEFAULT_MAX_BYTES
) -> Article | ReadProblem:
    """Standard input as an article (HTML when it starts as a page, text otherwise).

    Parameters
    ----------
    stream : TextIO
        The stream; its binary ``buffer``, when it has one, is decoded as a file is.
    date : str, optional
        The checked ``date`` argument.
    name : str, optional
        The article id; default ``"stdin"``.
    limit : int
        The most bytes (characters, for a stream without a buffer) read.

    Returns
    -------
    Article or ReadProblem
    """
    display = "-"
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            reader = getattr(buffer, "read1", None) or buffer.read
            text = decode(read_limited(reader, limit, "stdin"), "stdin")
        else:
            text = stream.read(limit + 1)
            if len(text) > limit:
                raise too_large("stdin", limit, None)
            if "\x00" in text:
                raise ReadFailure("stdin: binary data, not an article")
            text = text.removeprefix("\ufeff")
        head = text.lstrip()[:64].lower()
        fmt = "html" if head.startswith(("<!doctype html", "<html")) else "text"
        return build(
            text,
            display="stdin",
            fmt=fmt,
            article_id=name or "stdin",
            path=None,
            date_override=date,
            sidecar={},
        )
    except ReadFailure as err:
        return ReadProblem(display, err.message, err.fatal)
    except (OSError, UnicodeDecodeError) as err:
        return ReadProblem(display, f"stdin: cannot read: {err}")
