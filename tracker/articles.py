"""Read articles (plain text, Markdown, HTML) for ``tracker parse PATH...``.

One file becomes one :class:`~tracker.models.Article`. For ``.txt`` and ``.md`` files
``Article.text`` is the file's text exactly as decoded (UTF-8, a leading BOM removed, line
endings kept), so every offset a parser reports is an offset into the file. For ``.html``
files it is the visible text of the page, one block (paragraph, heading, list item...) per
line, so the same sentences give the same words as in a ``.txt`` file.

Metadata (title, url, date) comes, strongest first, from the ``date=`` argument, the
document itself (YAML front matter between two ``---`` lines, or the HTML ``<head>``) and a
JSON sidecar beside the file (``x.meta.json`` or ``x.json`` for ``x.txt``). An article with
no date from any of these takes the date of its dateline ("KYIV, June 8 (Reuters) -"; see
:func:`dateline_date` for how a missing year is chosen).

A directory holds articles and other files: it is read for files with an article extension
(:data:`ARTICLE_SUFFIXES`) whose name does not start with README, LICENSE or CHANGELOG
(:data:`NOT_ARTICLES`), or, with ``glob=``, for the files that pattern names; hidden files and
folders are never read, and what was skipped is reported once per directory.

:func:`iter_articles` never stops at a bad file: it yields a :class:`ReadProblem` for it and
goes on with the others.

Reads are bounded: only regular files, directories and ``-`` (stdin) are articles (a device
such as ``/dev/zero``, a named pipe or a socket is refused without being opened for long),
and at most :data:`DEFAULT_MAX_BYTES` (50 MB) are read per document (``max_bytes=`` /
``--max-bytes`` to change); a larger file or stdin is refused with a message, and binary
data on stdin is refused after its first block. A symlink loop, a dangling symlink and a
directory that cannot be listed each say exactly that.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shlex
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from .errors import InputError
from .models import Article
from .paths import describe_mode, unsurrogate

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "ReadProblem",
    "check_date",
    "dateline_date",
    "format_size",
    "from_text",
    "input_files",
    "iter_articles",
    "parse_size",
    "read_article",
    "read_bytes",
]

#: The most bytes read for one document (file or stdin) unless ``max_bytes`` says otherwise.
DEFAULT_MAX_BYTES = 50_000_000
#: The most bytes read from a JSON sidecar (metadata is small).
SIDECAR_MAX_BYTES = 1_000_000
#: Dates outside these years are refused (they are typos, and date arithmetic must not overflow).
FIRST_YEAR, LAST_YEAR = 1900, 2999
_CHUNK = 1 << 20
_SNIFF = 8192

#: File extensions read when a directory is expanded, and the format each one means.
ARTICLE_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

#: Files of a directory that are not articles whatever their extension (case-insensitive).
NOT_ARTICLES = ("readme", "license", "licence", "changelog")

_DATE_HELP = "expected YYYY-MM-DD (e.g. 2025-08-27) or an ISO timestamp (2025-08-27T10:00:00Z)"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")

_BOMS_OTHER = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/DOCX/ODT"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"{\\rtf", "RTF"),
    (b"\xd0\xcf\x11\xe0", "MS Office"),
)
#: Control bytes that never occur in text (tab, newlines, form feed and ESC excluded).
_CONTROL = frozenset(set(range(0x00, 0x09)) | set(range(0x0E, 0x1B)) | set(range(0x1C, 0x20)))

# -- HTML ----------------------------------------------------------------------------------------

_HTML_DROP = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
)
_HTML_BLOCK = frozenset(
    {
        "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "article",
        "section", "blockquote", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody",
        "tfoot", "caption", "header", "footer", "main", "nav", "aside", "figure",
        "figcaption", "pre", "hr", "address", "details", "summary", "form", "fieldset",
        "legend", "body", "html",
    }
)  # fmt: skip
_HTML_CELL = frozenset({"td", "th"})
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_BREAK = object()


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A file that could not be read as an article.

    Parameters
    ----------
    path : str
        The file as named on the command line (or found in a directory); ``"-"`` for stdin.
    message : str
        What is wrong and how to fix it; it starts with the path.
    fatal : bool
        False for files that are merely skipped (an empty file), True for real errors.
    """

    path: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return self.message


class _Problem(Exception):
    """Internal: carries a ReadProblem's message up to the place that knows the path."""

    def __init__(self, message: str, fatal: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.fatal = fatal


# -- public API ----------------------------------------------------------------------------------


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
    limit = _check_limit(max_bytes)
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return from_text(path_or_text, date=date, id=name or "text")
    if isinstance(path_or_text, str) and path_or_text == "-":
        result = _read_stdin(sys.stdin, date=date, name=name, limit=limit)
    else:
        path = Path(path_or_text)
        display = str(path)
        info = _stat_input(path, display)
        if isinstance(info, ReadProblem):
            if "no such file" in info.message:
                raise InputError(
                    f"{display}: no such file (to parse a string, use tracker.articles.from_text)"
                )
            raise InputError(info.message)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{display}: is a directory; use iter_articles() to read a directory")
        result = _read_file(path, display, date=date, name=name, limit=limit)
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
    try:
        article = _build(
            text.removeprefix("\ufeff"),
            display=id,
            fmt=format,
            article_id=id,
            path=None,
            date_override=date,
            sidecar={},
        )
    except _Problem as err:
        raise InputError(err.message) from None
    extra = {k: v for k, v in (("title", title), ("url", url)) if v is not None}
    if extra:
        fields = {f: getattr(article, f) for f in Article.__dataclass_fields__}
        article = Article(**{**fields, **extra})
    return article


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
    limit = _check_limit(max_bytes)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _iter_articles(list(paths), date, stdin, limit, _globs(glob))


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of one regular file, read with the same bounds as an article.

    Raises
    ------
    InputError
        When *path* is missing, a symlink loop, not a regular file (a directory, device,
        FIFO, socket) or larger than *max_bytes*.
    """
    limit = _check_limit(max_bytes)
    display = os.fsdecode(path)
    info = _stat_input(Path(path), display)
    if isinstance(info, ReadProblem):
        raise InputError(info.message)
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{display}: is a directory; give a file")
    try:
        return _read_regular(Path(path), display, limit)
    except _Problem as err:
        raise InputError(err.message) from None


def input_files(
    paths: Iterable[str | Path], glob: str | Sequence[str] | None = None
) -> Iterator[str]:
    """Every file that reading *paths* may open, without reading any: ``"-"`` for stdin,
    each regular file named, its JSON sidecars, and the article files of each directory.

    Used to refuse an output path that is one of the inputs (:func:`tracker.paths.check_output`).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for item in paths:
        name = os.fsdecode(item)
        if name == "-":
            yield "-"
            continue
        path = Path(item)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError):
            continue
        files = _expand_dir(path, [], glob=_globs(glob))[0] if is_dir else [path]
        for file in files:
            yield str(file)
            stem = _stem(file)
            yield str(file.with_name(f"{stem}.meta.json"))
            yield str(file.with_name(f"{stem}.json"))


# -- iteration -----------------------------------------------------------------------------------


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
            yield _read_stdin(stream, date=date, name=None, limit=limit)
            continue
        path = Path(item)
        display = os.fsdecode(item)
        info = _stat_input(path, display)
        if isinstance(info, ReadProblem):
            yield info
        elif stat.S_ISDIR(info.st_mode):
            problems: list[ReadProblem] = []
            skipped: dict[str, list[str]] = {}
            files, problems = _expand_dir(path, problems, glob=glob, skipped=skipped)
            yield from problems
            if skipped:
                yield ReadProblem(display, _skipped_message(display, skipped, glob), False)
            if not files and not problems:
                kinds = " ".join(ARTICLE_SUFFIXES)
                what = f"files matching {' '.join(glob)}" if glob else f"article files ({kinds})"
                yield ReadProblem(display, f"{display}: directory holds no {what}")
            for file in files:
                yield _read_file(file, str(file), date=date, name=None, limit=limit)
        else:
            yield _read_file(path, display, date=date, name=None, limit=limit)


def _stat_input(path: Path, display: str) -> os.stat_result | ReadProblem:
    """The stat of an input that is a regular file or a directory, or why it cannot be read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        try:
            dangling = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:
            dangling = False
        if dangling:
            target = os.readlink(path)
            return ReadProblem(
                display, f"{display}: is a symlink to {target!r}, which does not exist"
            )
        return ReadProblem(display, f"{display}: no such file or directory")
    except OSError as err:
        return ReadProblem(display, f"{display}: {_os_problem(err)}")
    except ValueError as err:  # an embedded NUL byte in the name
        return ReadProblem(display, f"{display}: not a usable file name ({err})")
    if stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode):
        return info
    return ReadProblem(display, f"{display}: {_not_an_article(info.st_mode)}")


def _os_problem(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links); fix or remove the link"
    if err.errno == errno.EACCES:
        return "permission denied; check its permissions (and those of its directories)"
    if err.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if err.errno == errno.ENOTDIR:
        return "a part of the path is not a directory"
    return f"cannot read: {err.strerror or err}"


def _not_an_article(mode: int) -> str:
    kind = describe_mode(mode) or "not a regular file"
    hint = (
        "; to read a pipe, redirect it to stdin: tracker parse - < PIPE"
        if stat.S_ISFIFO(mode)
        else ""
    )
    return f"is {kind}; only regular files, directories and - (stdin) are read{hint}"


def _globs(glob: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if glob is None:
        return None
    patterns = (glob,) if isinstance(glob, str) else tuple(glob)
    return tuple(p for p in patterns if p) or None


def _is_article_name(name: str) -> bool:
    """The default rule of a directory: an article extension, and not a README & co."""
    if Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
        return False
    return not name.lower().startswith(NOT_ARTICLES)


def _chosen(rel: str, name: str, glob: tuple[str, ...]) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(rel if "/" in g else name, g) for g in glob)


def _skipped_message(
    display: str, skipped: dict[str, list[str]], glob: tuple[str, ...] | None
) -> str:
    """``DIR: skipped 3 files (not articles: README.md, LICENSE; hidden: 1); ...``"""
    total = sum(len(v) for v in skipped.values())
    parts = []
    order = ("not articles", "not matching --glob", "hidden")
    for why, names in sorted(skipped.items(), key=lambda kv: order.index(kv[0])):
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        parts.append(f"{why}: {shown}" if why != "hidden" else f"hidden: {len(names)}")
    hint = "--glob PATTERN chooses others" if glob is None else "change --glob to choose others"
    noun = "file" if total == 1 else "files"
    return f"{display}: skipped {total} {noun} ({'; '.join(parts)}); {hint}"


def _expand_dir(
    root: Path,
    problems: list[ReadProblem],
    *,
    glob: tuple[str, ...] | None = None,
    skipped: dict[str, list[str]] | None = None,
) -> tuple[list[Path], list[ReadProblem]]:
    """Article files under *root*, recursively, sorted; hidden entries skipped.

    The files read are those of :func:`_is_article_name` (an article extension, not a README,
    LICENSE or CHANGELOG), or, with *glob*, those a pattern names. JSON files are sidecars and
    are neither read nor counted; everything else left out is added to *skipped* by reason
    (``"not articles"``, ``"not matching --glob"``, ``"hidden"``) when it is given.

    A directory that cannot be listed, a symlink loop and an article-named entry that is
    not a regular file (a FIFO called ``x.txt``) are added to *problems*.
    """

    def skip(why: str, entry: os.DirEntry[str]) -> None:
        if skipped is not None:
            rel = Path(entry.path).relative_to(root).as_posix()
            skipped.setdefault(why, []).append(rel)

    found: list[Path] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as err:
            shown = os.fsdecode(folder)
            why = "permission denied" if err.errno == errno.EACCES else (err.strerror or str(err))
            problems.append(
                ReadProblem(
                    shown, f"{shown}: cannot list the directory: {why}; its articles are skipped"
                )
            )
            continue
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                skip("hidden", entry)
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    continue
                if entry.name.lower().endswith(".json"):
                    continue  # sidecars (metadata of the article beside them)
                if glob is not None:
                    if not _chosen(path.relative_to(root).as_posix(), entry.name, glob):
                        skip("not matching --glob", entry)
                        continue
                elif not _is_article_name(entry.name):
                    skip("not articles", entry)
                    continue
                mode = os.stat(entry.path).st_mode
            except OSError as err:
                shown = os.fsdecode(entry.path)
                if err.errno == errno.ENOENT:
                    problems.append(
                        ReadProblem(
                            shown, f"{shown}: is a symlink to a missing file; skipped", False
                        )
                    )
                else:
                    problems.append(ReadProblem(shown, f"{shown}: {_os_problem(err)}"))
                continue
            if stat.S_ISREG(mode):
                found.append(path)
            elif not stat.S_ISDIR(mode):  # a symlink to a directory is not followed
                shown = os.fsdecode(entry.path)
                problems.append(
                    ReadProblem(shown, f"{shown}: {_not_an_article(mode)}; skipped", False)
                )
    return sorted(found, key=lambda p: p.relative_to(root).parts), problems


# -- reading -------------------------------------------------------------------------------------


def _read_file(
    path: Path, display: str, *, date: str | None, name: str | None, limit: int
) -> Article | ReadProblem:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return ReadProblem(
            display, f"{display}: JSON file (article metadata?), not an article; skipped", False
        )
    fmt = ARTICLE_SUFFIXES.get(suffix, "text")
    try:
        data = _read_regular(path, display, limit)
        text = _decode(data, display)
        del data
        sidecar = _read_sidecar(path, display)
        # a file name that is not UTF-8 becomes valid text ("caf\\xe9") in id and path
        article_id = name or unsurrogate(_stem(path))
        return _build(
            text,
            display=display,
            fmt=fmt,
            article_id=article_id,
            path=unsurrogate(display),
            date_override=date,
            sidecar=sidecar,
        )
    except _Problem as err:
        return ReadProblem(display, err.message, err.fatal)


def _too_large(display: str, limit: int, size: int | None) -> _Problem:
    what = f" ({format_size(size)})" if size is not None else ""
    return _Problem(
        f"{display}: larger than the limit of {format_size(limit)} per document{what}; "
        f"raise it with --max-bytes (e.g. --max-bytes {format_size(max(limit * 4, size or 0))})"
        " or split the file"
    )


def _read_regular(path: Path, display: str, limit: int) -> bytes:
    """The bytes of a regular file, at most *limit* of them (a _Problem otherwise).

    Opened non-blocking (a file swapped for a FIFO after the check never blocks) and checked
    again on the open descriptor; the size is checked before reading, and the read stops
    one byte past the limit (files in /proc report size 0).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise _Problem(f"{display}: {_os_problem(err)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Problem(f"{display}: {_not_an_article(info.st_mode)}")
        if info.st_size > limit:
            raise _too_large(display, limit, info.st_size)
        return _read_limited(lambda n: os.read(fd, n), limit, display)
    except OSError as err:
        raise _Problem(f"{display}: {_os_problem(err)}") from None
    finally:
        os.close(fd)


def _read_limited(read, limit: int, display: str) -> bytes:
    """Read with *read(n)* until EOF; a _Problem past *limit* bytes or for binary data
    (checked as soon as the first block is in, so ``/dev/zero`` is refused at once)."""
    chunks: list[bytes] = []
    total = 0
    sniffed = False
    while True:
        chunk = read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if not sniffed and total >= _SNIFF:
            sniffed = True
            _check_head(b"".join(chunks)[:_SNIFF], display)
        if total > limit:
            raise _too_large(display, limit, None)
    return b"".join(chunks)


def _read_stdin(
    stream: TextIO, *, date: str | None, name: str | None, limit: int = DEFAULT_MAX_BYTES
) -> Article | ReadProblem:
    display = "-"
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            reader = getattr(buffer, "read1", None) or buffer.read
            text = _decode(_read_limited(reader, limit, "stdin"), "stdin")
        else:
            text = stream.read(limit + 1)
            if len(text) > limit:
                raise _too_large("stdin", limit, None)
            if "\x00" in text:
                raise _Problem("stdin: binary data, not an article")
            text = text.removeprefix("\ufeff")
        head = text.lstrip()[:64].lower()
        fmt = "html" if head.startswith(("<!doctype html", "<html")) else "text"
        return _build(
            text,
            display="stdin",
            fmt=fmt,
            article_id=name or "stdin",
            path=None,
            date_override=date,
            sidecar={},
        )
    except _Problem as err:
        return ReadProblem(display, err.message, err.fatal)
    except (OSError, UnicodeDecodeError) as err:
        return ReadProblem(display, f"stdin: cannot read: {err}")


def _stem(path: Path) -> str:
    name = path.name
    for suffix in sorted(ARTICLE_SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return path.stem or name


def _decode(data: bytes, display: str) -> str:
    """UTF-8 text of *data* (BOM dropped), or a _Problem saying why it is not an article."""
    if not data.strip():
        raise _Problem(f"{display}: empty file, skipped", fatal=False)
    _check_head(data[:_SNIFF], display)
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = bom + err.start
        line = data.count(b"\n", 0, offset) + 1
        where = f"invalid byte 0x{data[offset]:02x} at offset {offset}, line {line}"
        guess = _guess_encoding(data)
        if guess is None and _mostly_utf8(data[:1_000_000]):
            raise _Problem(
                f"{display}: is not valid UTF-8 ({where}), though most of it is; fix that "
                f"line, or drop the invalid bytes: iconv -c -f utf-8 -t utf-8 "
                f"{_convert_hint(display)}"
            ) from None
        likely = f"it looks like {guess}; " if guess else ""
        raise _Problem(
            f"{display}: is not UTF-8 ({where}); {likely}convert it, e.g. "
            f"iconv -f {guess or 'ENCODING'} -t utf-8 {_convert_hint(display)}"
        ) from None
    if "\x00" in text:
        raise _Problem(f"{display}: binary file, not an article")
    if not text.strip():
        raise _Problem(f"{display}: empty file, skipped", fatal=False)
    return text


def _check_head(sample: bytes, display: str) -> None:
    """A _Problem when the first bytes show a UTF-16/32 BOM, a binary format or binary data."""
    data = sample
    for bom, encoding in _BOMS_OTHER:
        if data.startswith(bom):
            raise _Problem(
                f"{display}: is {encoding.upper()}, not UTF-8; convert it, e.g. "
                f"iconv -f {encoding} -t utf-8 {_convert_hint(display)}"
            )
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise _Problem(
                f"{display}: binary file, not an article (looks like {kind}; "
                "extract its text first)"
            )
    if b"\x00" in sample or sum(b in _CONTROL for b in sample) > len(sample) * 0.1:
        what = "binary data" if display == "stdin" else "binary file"
        raise _Problem(f"{display}: {what}, not an article")


def _convert_hint(display: str) -> str:
    if display == "stdin":
        return "< input > output.txt"
    path = Path(display)
    out = path.with_name(f"{_stem(path)}.utf8{path.suffix}")
    return f"{shlex.quote(display)} > {shlex.quote(str(out))}"


#: Single-byte encodings a non-UTF-8 article may be in, most likely first (ties go to the
#: first); each name is understood by both iconv and Python.
_GUESSES = (
    "cp1251",
    "koi8-u",
    "cp866",
    "maccyrillic",
    "iso-8859-5",
    "iso-8859-1",
    "cp1252",
    "iso-8859-15",
    "cp1250",
    "iso-8859-2",
)
#: Non-letters that real text holds in these code pages (quotes, dashes, numero, euro...).
_TEXT_SYMBOLS = frozenset("«»—–“”„‘’‚…№€•·°§©®™±×\u00a0¶¦¬")
_WORD = re.compile(r"[^\W\d_]+")


def _guess_encoding(data: bytes) -> str | None:
    """The encoding that decodes *data* into the most plausible text, in a spelling that
    iconv and Python both accept; None when the data is mostly UTF-8 or nothing fits.

    Every candidate of :data:`_GUESSES` that decodes the bytes is scored by what a wrong
    code page produces: control or unusual symbol characters, words mixing Latin and
    Cyrillic letters ("entrйes"), and words with capitals inside ("рОУЦКУШЛ", KOI8 read as
    CP1251). The lowest score wins; a tie goes to the earlier candidate.
    """
    sample = data[:1_000_000]
    if _mostly_utf8(sample):
        return None
    best: tuple[float, int] | None = None
    pick = None
    for rank, codec in enumerate(_GUESSES):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _implausibility(text)
        if best is None or (score, rank) < best:
            best, pick = (score, rank), codec
    return pick


def _mostly_utf8(data: bytes) -> bool:
    """True when *data* has many valid UTF-8 multi-byte characters and few invalid bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good > 4 * bad


def _implausibility(text: str) -> float:
    """How unlike real text the non-ASCII part of *text* is (0 = fully plausible)."""
    import unicodedata

    penalty = 0.0
    rare = 0
    for ch in text:
        if ord(ch) < 0x80 or ch.isalpha() or ch in _TEXT_SYMBOLS:
            continue
        rare += 1
        penalty += 10.0 if unicodedata.category(ch).startswith("C") else 1.0
    words = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        words += 1
        latin = any("a" <= ch.lower() <= "z" or "\u00c0" <= ch <= "\u024f" for ch in word)
        cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in word)
        if latin and cyrillic:
            penalty += 5.0
        if not (word.islower() or word.isupper() or word.istitle()):
            penalty += 2.0
    return penalty / max(1, words + rare)


def _read_sidecar(path: Path, display: str) -> dict[str, tuple[Any, str]]:
    """Metadata from ``x.meta.json`` (preferred) or ``x.json`` beside *path*."""
    stem = _stem(path)
    for candidate in (path.with_name(f"{stem}.meta.json"), path.with_name(f"{stem}.json")):
        if not candidate.is_file():
            continue
        where = f"sidecar {candidate.name}"
        try:
            raw = _read_regular(candidate, f"{display}: {where}", SIDECAR_MAX_BYTES).decode(
                "utf-8-sig"
            )
            value = json.loads(raw)
        except UnicodeDecodeError:
            raise _Problem(f"{display}: {where} is not UTF-8") from None
        except json.JSONDecodeError as err:
            raise _Problem(
                f"{display}: {where} is not valid JSON (line {err.lineno}, column {err.colno}: "
                f"{err.msg}); expected an object such as "
                '{"title": "...", "url": "https://...", "date": "2025-08-27"}'
            ) from None
        except OSError as err:
            raise _Problem(f"{display}: cannot read {where}: {err.strerror or err}") from None
        if not isinstance(value, dict):
            raise _Problem(
                f"{display}: {where} holds a JSON {type(value).__name__}, not an object with "
                "title/url/date"
            )
        return _pick_meta(value, where, display)
    return {}


# -- metadata ------------------------------------------------------------------------------------


def _pick_meta(values: dict, where: str, display: str) -> dict[str, tuple[Any, str]]:
    """title/url/date (each with where it came from) out of a front matter or sidecar dict."""
    lowered = {str(k).strip().lower(): v for k, v in values.items()}
    out: dict[str, tuple[Any, str]] = {}
    for key in ("title", "url", "source_url", "source"):
        value = lowered.get(key)
        if value is None or (key == "source" and "://" not in str(value)):
            continue
        field = "title" if key == "title" else "url"
        if field in out:
            continue
        if isinstance(value, (dict, list)):
            raise _Problem(f"{display}: {key!r} in {where} must be text, not a list or mapping")
        text = _SPACES.sub(" ", str(value)).strip()
        if text:
            out[field] = (text, where)
    for key in ("date", "published"):
        if lowered.get(key) is not None:
            out["date"] = (lowered[key], f"{key!r} in {where}")
            break
    return out


def _normalise_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` for a date, datetime or ISO string; None when it is not one (or its
    year is outside :data:`FIRST_YEAR` .. :data:`LAST_YEAR`)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        match = _ISO_DATE.match(text)
        if not match:
            return None
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            if len(text) > 10:
                dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return day.isoformat()


def check_date(date: str | None) -> str | None:
    """A date argument checked where it enters: ``YYYY-MM-DD`` (or ``"today"``) or None.

    Parameters
    ----------
    date : str or None
        ``YYYY-MM-DD`` with a year from 1900 to 2999, or ``"today"`` (the local date).

    Returns
    -------
    str or None
        The date as ``YYYY-MM-DD`` (``"today"`` resolved), or None for None.

    Raises
    ------
    InputError
        For anything else, naming the value and the expected form.

    Examples
    --------
    >>> check_date("2025-08-27")
    '2025-08-27'
    """
    if date is None:
        return None
    if isinstance(date, str) and date.strip().lower() == "today":
        return dt.date.today().isoformat()
    if (
        not isinstance(date, str)
        or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
        or _normalise_date(date) is None
    ):
        raise InputError(
            f"date {date!r} is not a date; expected YYYY-MM-DD (years {FIRST_YEAR}-{LAST_YEAR}) "
            "or 'today', e.g. 2025-08-27"
        )
    return date


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def parse_size(text: str | int) -> int:
    """A byte count from ``"50MB"``, ``"200M"``, ``"1.5GB"``, ``"64KiB"`` or ``"1000"``.

    Decimal units (kB = 1000 bytes, MB, GB, TB; the ``B`` is optional), binary with ``i``
    (KiB = 1024 bytes, MiB, GiB).

    Raises
    ------
    InputError
        When *text* is not a positive size.

    Examples
    --------
    >>> parse_size("50MB"), parse_size("1KiB"), parse_size("200")
    (50000000, 1024, 200)
    """
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        match = _SIZE.match(str(text))
        if not match:
            raise InputError(
                f"size {text!r} is not a size; expected bytes or a number with a unit, "
                "e.g. 50MB, 200M, 1.5GB, 64KiB"
            )
        unit = (match[2] or "").lower().rstrip("b")
        scale = (1024 ** "kmgt".index(unit[0]) * 1024) if unit.endswith("i") else _UNITS[unit]
        value = int(float(match[1]) * scale)
    if value < 1:
        raise InputError(f"size {text!r} must be at least 1 byte")
    return value


def format_size(size: int) -> str:
    """``50 MB``, ``1.5 kB``, ``812 bytes`` (decimal units, as :func:`parse_size` reads them)."""
    for unit, scale in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _check_limit(max_bytes: int) -> int:
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise InputError(f"`max_bytes` was {max_bytes!r}; expected a positive number of bytes")
    return max_bytes


def _resolve_date(value: Any, where: str, display: str) -> str:
    normal = _normalise_date(value)
    if normal is None:
        raise _Problem(f"{display}: date {str(value)!r} ({where}) is not a date; {_DATE_HELP}")
    return normal


# -- datelines ------------------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun",
         "july jul", "august aug", "september sept sep", "october oct", "november nov",
         "december dec")
    )
    for m in names.split()
}  # fmt: skip
_MONTH = r"(?P<month>(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r"))\.?"
_PLACE = r"[A-ZÀ-Ý][\w’'.-]*(?:[ -][A-ZÀ-Ý][\w’'.-]*){0,3}"
#: "KYIV, June 8 (Reuters) -", "KYIV, Ukraine, Aug. 27, 2025 (AP) —", "Kyiv, 8 June 2025 -",
#: "June 8 (Reuters) -": at the start of the text, a place (and a country) if any, the date,
#: a news agency in parentheses if any, then a dash or colon.
_DATELINE = re.compile(
    rf"^\s*(?:{_PLACE}(?:,\s*{_PLACE})?\s*[,(]?\s*)?"
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')})"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\)?\s*(?:\([^()\n]{1,40}\)\s*)?[-—–:]"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
#: How many years back a dateline without a year may reach.
DATELINE_YEARS = 6


def dateline_date(text: str, reference: dt.date | str | None = None) -> tuple[str, str] | None:
    """The date of an article's dateline, and how it was read; None when it has none.

    A dateline opens the text: "KYIV, June 8 (Reuters) -", "KYIV, Ukraine, Aug. 27, 2025
    (AP) —", "Kyiv, 8 June 2025 -". Its year, when it gives none, is the latest year in which
    that day is not after *reference* (default today) — an article is read after it was
    written — except that a weekday the first paragraph names ("said on Sunday") picks the
    latest of the last :data:`DATELINE_YEARS` years in which the day fell on that weekday.

    Parameters
    ----------
    text
        The article text (its body, after any front matter).
    reference
        The day the articles are read on (``YYYY-MM-DD`` or a date); default today.

    Returns
    -------
    (str, str) or None
        ``("2025-06-08", "dateline 'KYIV, June 8 (Reuters) -', year from the weekday
        (Sunday)")``.

    Examples
    --------
    >>> dateline_date("KYIV, June 8 (Reuters) - Russia said on Sunday ...", "2026-12-01")[0]
    '2025-06-08'
    >>> dateline_date("KYIV, June 8 (Reuters) - Russia said ...", "2026-12-01")[0]
    '2026-06-08'
    >>> dateline_date("Kyiv, 27 August 2025 - ...")[0]
    '2025-08-27'
    >>> dateline_date("KYIV, Ukraine — Russian troops entered two villages") is None
    True
    """
    head = text[:400]
    match = _DATELINE.match(head)
    if not match:
        return None
    month = _MONTHS[(match["month"] or match["month2"]).lower()]
    day = int(match["day"] or match["day2"])
    shown = " ".join(match.group(0).split())
    if match["year"]:
        try:
            return dt.date(int(match["year"]), month, day).isoformat(), f"dateline {shown!r}"
        except ValueError:
            return None
    if reference is None:
        ref = dt.date.today()
    elif isinstance(reference, str):
        ref = dt.date.fromisoformat(reference)
    else:
        ref = reference
    years = []
    for year in range(ref.year, ref.year - DATELINE_YEARS - 1, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February
            continue
        if candidate <= ref + dt.timedelta(days=1):
            years.append(candidate)
    if not years:
        return None
    paragraph = text[: max(text.find("\n", match.end()), match.end() + 300)]
    named = {w.lower() for w in _WEEKDAY.findall(paragraph[match.end() :])}
    if len(named) == 1:
        weekday = _WEEKDAYS.index(named.pop())
        for candidate in years:
            if candidate.weekday() == weekday:
                how = f"dateline {shown!r}, year from the weekday ({_WEEKDAYS[weekday].title()})"
                return candidate.isoformat(), how
    return years[0].isoformat(), f"dateline {shown!r}, the latest such day by {ref.isoformat()}"


# -- building ------------------------------------------------------------------------------------


def _build(
    text: str,
    *,
    display: str,
    fmt: str,
    article_id: str,
    path: str | None,
    date_override: str | None,
    sidecar: dict[str, tuple[Any, str]],
) -> Article:
    """The Article for decoded *text*; in-document metadata wins over *sidecar*."""
    if fmt == "html":
        body, own = _html_text(text, display)
        body_start = 0
        if not body.strip():
            raise _Problem(f"{display}: no text in the page, skipped", fatal=False)
    else:
        body = text
        own, body_start = _front_matter(text, display)
        if not text[body_start:].strip():
            what = "no text after the front matter" if body_start else "empty file"
            raise _Problem(f"{display}: {what}, skipped", fatal=False)
    meta = {**sidecar, **own}
    date = date_override
    if date is None and "date" in meta:
        value, where = meta["date"]
        date = _resolve_date(value, where, display)
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


def _front_matter(text: str, display: str) -> tuple[dict[str, tuple[Any, str]], int]:
    """Metadata of a leading ``---`` block, and the offset just past it (0 when none)."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        return {}, 0
    offset = len(first) + 1
    line_no = 1
    while offset <= len(text):
        end = text.find("\n", offset)
        line = text[offset:] if end < 0 else text[offset:end]
        line_no += 1
        if line.rstrip() in ("---", "..."):
            block = text[len(first) + 1 : offset]
            body_start = len(text) if end < 0 else end + 1
            return _parse_front_matter(block, display, line_no), body_start
        if end < 0:
            break
        offset = end + 1
    raise _Problem(
        f"{display}: malformed front matter at line 1: the '---' that opens it is never "
        "closed; end it with a line '---'"
    )


def _parse_front_matter(block: str, display: str, close_line: int) -> dict[str, tuple[Any, str]]:
    try:
        values = yaml.safe_load(block)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = 2 + mark.line if mark is not None else 2
        problem = err.problem or err.context or "invalid YAML"
        raise _Problem(
            f"{display}: malformed front matter at line {line}: {problem}; "
            "expected 'key: value' lines between two '---' lines"
        ) from None
    except yaml.YAMLError as err:
        raise _Problem(f"{display}: malformed front matter (lines 1-{close_line}): {err}") from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise _Problem(
            f"{display}: malformed front matter at line 2: lines 1-{close_line} are not "
            "'key: value' lines"
        )
    return _pick_meta(values, "front matter", display)


def _html_text(markup: str, display: str) -> tuple[str, dict[str, tuple[Any, str]]]:
    """The visible text of a page (one block a line) and its title/url/date."""
    from bs4 import BeautifulSoup  # only for HTML (the import costs ~0.15 s)
    from bs4.element import NavigableString, PreformattedString, Tag

    soup = BeautifulSoup(markup, "html.parser")
    meta: dict[str, tuple[Any, str]] = {}

    def meta_content(key: str) -> str | None:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: key})
            if isinstance(tag, Tag) and str(tag.get("content") or "").strip():
                return str(tag["content"]).strip()
        return None

    title = None
    for tag in (soup.find("title"), soup.find("h1")):
        if isinstance(tag, Tag):
            title = _SPACES.sub(" ", _INVISIBLE.sub("", tag.get_text(" "))).strip() or None
            if title:
                break
    title = title or meta_content("og:title")
    if title:
        meta["title"] = (title, "html")

    link = soup.find("link", rel="canonical")
    url = str(link.get("href") or "").strip() if isinstance(link, Tag) else ""
    url = url or meta_content("og:url") or ""
    if url:
        meta["url"] = (url, "html")

    published = meta_content("article:published_time")
    if published:
        meta["date"] = (published, '<meta property="article:published_time">')
    else:  # <time datetime> is only a hint: the first one that parses
        for tag in soup.find_all("time"):
            value = str(tag.get("datetime") or "").strip()
            if value and _normalise_date(value):
                meta["date"] = (value, "<time datetime>")
                break

    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _SPACES.sub(" ", _INVISIBLE.sub("", "".join(current))).strip()
        if line:
            lines.append(line)
        current.clear()

    stack: list[tuple[Any, bool]] = [(child, False) for child in reversed(list(soup.children))]
    while stack:
        node, in_pre = stack.pop()
        if node is _BREAK:
            flush()
        elif isinstance(node, Tag):
            name = (node.name or "").lower()
            if name in _HTML_DROP:
                continue
            if name in _HTML_CELL:
                current.append(" ")
            block = name in _HTML_BLOCK
            if block:
                flush()
                stack.append((_BREAK, in_pre))
            pre = in_pre or name in ("pre", "textarea")
            stack.extend((child, pre) for child in reversed(list(node.children)))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            if in_pre:
                parts = str(node).split("\n")
                for i, part in enumerate(parts):
                    if i:
                        flush()
                    current.append(part)
            else:
                current.append(str(node))
    flush()
    return "\n".join(lines), meta
