"""The reader's entry points: one article from a file, stdin or a string
(:func:`read_article`, :func:`from_text`), every article of files and directories
(:func:`iter_articles`), a file's bytes with the same bounds (:func:`read_bytes`), and the files
reading would open (:func:`input_files`)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from ..errors import InputError
from ..models import Article
from .dates import check_date
from .document import build, read_file, read_stdin
from .kinds import stat_input
from .problems import ReadFailure, ReadProblem
from .read import read_regular
from .selection import ARTICLE_SUFFIXES, expand_dir, globs, skipped_message, stem
from .sizes import DEFAULT_MAX_BYTES, check_limit

__all__ = [
    "from_text",
    "input_files",
    "input_sources",
    "iter_articles",
    "read_article",
    "read_bytes",
]


def read_article(
    path_or_text: str | Path,
    *,
    date: str | None = None,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Read one article file (or, for a string with a line break, the text itself).

    Parameters
    ----------
    path_or_text : str or Path
        A file to read. A ``str`` holding a newline is taken as the article text and handed
        to :func:`from_text`; ``"-"`` reads ``sys.stdin``.
    date : str, optional
        The publication date, ``YYYY-MM-DD`` or ``"today"``; wins over any date in the file
        or its sidecar.
    name : str, optional
        The article id; default the file stem (``"stdin"`` for ``"-"``).
    max_bytes : int
        Refuse a file (or stdin) larger than this (default :data:`DEFAULT_MAX_BYTES`).

    Returns
    -------
    Article

    Raises
    ------
    InputError
        When *date* is malformed, or the file is missing, not a regular file, too large,
        binary, not UTF-8, empty, or has malformed front matter or sidecar; the message is
        the :class:`ReadProblem` message.

    Examples
    --------
    >>> read_article("Russian troops entered Zaporizke.\\n", date="2025-08-27").date
    '2025-08-27'
    """
    date = check_date(date)
    limit = check_limit(max_bytes)
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return from_text(path_or_text, date=date, id=name or "text")
    if isinstance(path_or_text, str) and path_or_text == "-":
        result = read_stdin(sys.stdin, date=date, name=name, limit=limit)
    else:
        path = Path(path_or_text)
        display = str(path)
        info = stat_input(path, display)
        if isinstance(info, ReadProblem):
            if "no such file" in info.message:
                raise InputError(
                    f"{display}: no such file (to parse a string, use tracker.articles.from_text)"
                )
            raise InputError(info.message)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{display}: is a directory; use iter_articles() to read a directory")
        result = read_file(path, display, date=date, name=name, limit=limit)
    if isinstance(result, ReadProblem):
        raise InputError(result.message)
    return result


def from_text(
    text: str,
    *,
    date: str | None = None,
    id: str = "text",
    title: str | None = None,
    url: str | None = None,
    format: str = "text",
) -> Article:
    """Build an article from a string.

    Front matter at the start of *text* is read as for a file (for ``format="text"`` or
    ``"markdown"``); *title*, *url* and *date* win over it. A leading BOM character is
    dropped; otherwise the text is kept exactly (``format="html"`` extracts the page text).

    Parameters
    ----------
    text : str
        The article.
    date : str, optional
        Publication date, ``YYYY-MM-DD``.
    id : str
        The article id.
    title, url : str, optional
        Metadata to attach.
    format : {"text", "markdown", "html"}
        How to read *text*.

    Returns
    -------
    Article

    Raises
    ------
    InputError
        For a malformed *date*, an unknown *format*, empty text or malformed front matter.

    Examples
    --------
    >>> a = from_text("---\\ntitle: Hi\\n---\\nBody.\\n")
    >>> a.title, a.text[a.body_start:]
    ('Hi', 'Body.\\n')
    """
    date = check_date(date)
    if format not in ("text", "markdown", "html"):
        raise InputError(f"unknown format {format!r}; expected text, markdown or html")
    if not isinstance(text, str):
        raise InputError(f"from_text() needs a str, not {type(text).__name__}")
    article = _from_string(text.removeprefix("\ufeff"), id, format, date)
    extra = {k: v for k, v in (("title", title), ("url", url)) if v is not None}
    if extra:
        fields = {f: getattr(article, f) for f in Article.__dataclass_fields__}
        article = Article(**{**fields, **extra})
    return article


def _from_string(text: str, id: str, fmt: str, date: str | None) -> Article:
    try:
        return build(
            text, display=id, fmt=fmt, article_id=id, path=None, date_override=date, sidecar={}
        )
    except ReadFailure as err:
        raise InputError(err.message) from None


def iter_articles(
    paths: Iterable[str | Path],
    *,
    date: str | None = None,
    stdin: TextIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    glob: str | Sequence[str] | None = None,
) -> Iterator[Article | ReadProblem]:
    """Read every article named by *paths*, one bad file never losing the others.

    Directories are expanded recursively, in sorted order, to the files whose extension is
    one of :data:`ARTICLE_SUFFIXES` and whose name does not start with one of
    :data:`NOT_ARTICLES` (README, LICENSE, CHANGELOG), or to the files *glob* names; hidden
    files and directories are skipped, symlinks to directories are not followed, and one
    non-fatal ReadProblem per directory counts what was skipped. A file named explicitly is
    read whatever its extension (unknown extensions as plain text). ``"-"`` reads *stdin*.
    Only regular files, directories and stdin are articles: a device, named pipe or socket is
    a ReadProblem.

    Parameters
    ----------
    paths : iterable of str or Path
        Files, directories or ``"-"``. A single ``str`` or ``Path`` is taken as one path.
    date : str, optional
        Publication date for every article, ``YYYY-MM-DD`` or ``"today"``; checked at once.
    stdin : TextIO, optional
        The stream read for ``"-"``; default ``sys.stdin``. When it has a binary
        ``buffer`` the bytes are decoded with the same rules as a file.
    max_bytes : int
        The most bytes read per document (default :data:`DEFAULT_MAX_BYTES`, 50 MB); a
        larger file or stdin is a ReadProblem, and is never read whole.
    glob : str or sequence of str, optional
        Shell patterns choosing the articles of a directory instead of the rule above: a
        pattern without ``/`` matches file names (``"*.txt"``, ``"2025-*"``), one with ``/``
        the path below the directory (``"reuters/*.html"``).

    Yields
    ------
    Article or ReadProblem
        One per file, in order.

    Raises
    ------
    InputError
        At the call (before anything is read) when *date* is not ``YYYY-MM-DD`` or
        *max_bytes* is not a positive number.
    """
    date = check_date(date)
    limit = check_limit(max_bytes)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _iter_articles(list(paths), date, stdin, limit, globs(glob))


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of one regular file, read with the same bounds as an article.

    Raises
    ------
    InputError
        When *path* is missing, a symlink loop, not a regular file (a directory, device,
        FIFO, socket) or larger than *max_bytes*.
    """
    limit = check_limit(max_bytes)
    display = os.fsdecode(path)
    info = stat_input(Path(path), display)
    if isinstance(info, ReadProblem):
        raise InputError(info.message)
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{display}: is a directory; give a file")
    try:
        return read_regular(Path(path), display, limit)
    except ReadFailure as err:
        raise InputError(err.message) from None


def input_files(
    paths: Iterable[str | Path], glob: str | Sequence[str] | None = None
) -> Iterator[str]:
    """Every file that reading *paths* may open, without reading any: ``"-"`` for stdin,
    each regular file named, its JSON sidecars, and the article files of each directory
    (the names of :func:`input_sources`).

    Used to refuse an output path that is one of the inputs (:func:`tracker.paths.check_output`).
    """
    return (name for name, _ in input_sources(paths, glob))


def input_sources(
    paths: Iterable[str | Path], glob: str | Sequence[str] | None = None
) -> Iterator[tuple[str, str | None]]:
    """:func:`input_files` with what each is: ``(name, None)`` for stdin and each article
    file, ``(sidecar, article)`` for each place an article's metadata is read from
    (``x.meta.json``, ``x.json``), whether it exists or not. One walk of the directories gives
    :func:`tracker.paths.check_output` both the inputs and the sidecar names it refuses.

    Examples
    --------
    >>> list(input_sources(["/news/x.txt"]))  # doctest: +SKIP
    [('/news/x.txt', None), ('/news/x.meta.json', '/news/x.txt'), ('/news/x.json', '/news/x.txt')]
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for item in paths:
        name = os.fsdecode(item)
        if name == "-":
            yield "-", None
            continue
        path = Path(item)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError):
            continue
        files = expand_dir(path, [], glob=globs(glob))[0] if is_dir else [path]
        for file in files:
            article, base = str(file), stem(file)
            yield article, None
            yield str(file.with_name(f"{base}.meta.json")), article
            yield str(file.with_name(f"{base}.json")), article


def _iter_articles(
    paths: list[str | Path],
    date: str | None,
    stdin: TextIO | None,
    limit: int,
    glob: tuple[str, ...] | None = None,
) -> Iterator[Article | ReadProblem]:
    for item in paths:
        if os.fsdecode(item) == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield read_stdin(stream, date=date, name=None, limit=limit)
            continue
        path = Path(item)
        display = os.fsdecode(item)
        info = stat_input(path, display)
        if isinstance(info, ReadProblem):
            yield info
        elif stat.S_ISDIR(info.st_mode):
            yield from _iter_directory(path, display, date, limit, glob)
        else:
            yield read_file(path, display, date=date, name=None, limit=limit)


def _iter_directory(
    path: Path, display: str, date: str | None, limit: int, glob: tuple[str, ...] | None
) -> Iterator[Article | ReadProblem]:
    """The problems of listing a directory, what it skipped, then its articles."""
    problems: list[ReadProblem] = []
    skipped: dict[str, list[str]] = {}
    files, problems = expand_dir(path, problems, glob=glob, skipped=skipped)
    yield from problems
    if skipped:
        yield ReadProblem(display, skipped_message(display, skipped, glob), False)
    if not files and not problems:
        kinds = " ".join(ARTICLE_SUFFIXES)
        what = f"files matching {' '.join(glob)}" if glob else f"article files ({kinds})"
        yield ReadProblem(display, f"{display}: directory holds no {what}")
    for file in files:
        yield read_file(file, str(file), date=date, name=None, limit=limit)
