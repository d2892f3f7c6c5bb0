"""Read articles (plain text, Markdown, HTML) for ``tracker parse PATH...``.

One file becomes one :class:`~tracker.models.Article`. For ``.txt`` and ``.md`` files
``Article.text`` is the file's text exactly as decoded (UTF-8, a leading BOM removed, line
endings kept), so every offset a parser reports is an offset into the file. For ``.html``
files it is the visible text of the page, one block (paragraph, heading, list item...) per
line, so the same sentences give the same words as in a ``.txt`` file.

Metadata (title, url, date) comes, strongest first, from the ``date=`` argument, the
document itself (YAML front matter between two ``---`` lines, or the HTML ``<head>``) and a
JSON sidecar beside the file (``x.meta.json`` or ``x.json`` for ``x.txt``).

:func:`iter_articles` never stops at a bad file: it yields a :class:`ReadProblem` for it and
goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml
from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag

from .errors import InputError
from .models import Article

__all__ = [
    "ARTICLE_SUFFIXES",
    "ReadProblem",
    "from_text",
    "iter_articles",
    "read_article",
]

#: File extensions read when a directory is expanded, and the format each one means.
ARTICLE_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

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
_CYRILLIC_CODECS = (
    "cp1251",
    "koi8_u",
    "koi8_r",
    "mac_cyrillic",
    "cp866",
    "cp1125",
    "iso8859_5",
)

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
    path_or_text: str | Path, *, date: str | None = None, name: str | None = None
) -> Article:
    """Read one article file (or, for a string with a line break, the text itself).

    Parameters
    ----------
    path_or_text : str or Path
        A file to read. A ``str`` holding a newline is taken as the article text and handed
        to :func:`from_text`; ``"-"`` reads ``sys.stdin``.
    date : str, optional
        The publication date, ``YYYY-MM-DD``; wins over any date in the file or its sidecar.
    name : str, optional
        The article id; default the file stem (``"stdin"`` for ``"-"``).

    Returns
    -------
    Article

    Raises
    ------
    InputError
        When *date* is malformed, or the file is missing, binary, not UTF-8, empty, or has
        malformed front matter or sidecar; the message is the :class:`ReadProblem` message.

    Examples
    --------
    >>> read_article("Russian troops entered Zaporizke.\\n", date="2025-08-27").date
    '2025-08-27'
    """
    date = _check_date_arg(date)
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return from_text(path_or_text, date=date, id=name or "text")
    if isinstance(path_or_text, str) and path_or_text == "-":
        result = _read_stdin(sys.stdin, date=date, name=name)
    else:
        path = Path(path_or_text)
        if not path.exists():
            raise InputError(
                f"{path}: no such file (to parse a string, use tracker.articles.from_text)"
            )
        if path.is_dir():
            raise InputError(f"{path}: is a directory; use iter_articles() to read a directory")
        result = _read_file(path, str(path), date=date, name=name)
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
    date = _check_date_arg(date)
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
) -> Iterator[Article | ReadProblem]:
    """Read every article named by *paths*, one bad file never losing the others.

    Directories are expanded recursively, in sorted order, to the files whose extension is
    one of :data:`ARTICLE_SUFFIXES`; hidden files and directories are skipped. A file named
    explicitly is read whatever its extension (unknown extensions as plain text). ``"-"``
    reads *stdin*.

    Parameters
    ----------
    paths : iterable of str or Path
        Files, directories or ``"-"``. A single ``str`` or ``Path`` is taken as one path.
    date : str, optional
        Publication date for every article, ``YYYY-MM-DD``; checked at once.
    stdin : TextIO, optional
        The stream read for ``"-"``; default ``sys.stdin``. When it has a binary
        ``buffer`` the bytes are decoded with the same rules as a file.

    Yields
    ------
    Article or ReadProblem
        One per file, in order.

    Raises
    ------
    InputError
        At the call (before anything is read) when *date* is not ``YYYY-MM-DD``.
    """
    date = _check_date_arg(date)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _iter_articles(list(paths), date, stdin)


# -- iteration -----------------------------------------------------------------------------------


def _iter_articles(
    paths: list[str | Path], date: str | None, stdin: TextIO | None
) -> Iterator[Article | ReadProblem]:
    for item in paths:
        if str(item) == "-":
            yield _read_stdin(stdin if stdin is not None else sys.stdin, date=date, name=None)
            continue
        path = Path(item)
        display = str(item)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except OSError as err:  # e.g. a name too long
            yield ReadProblem(display, f"{display}: cannot read: {err.strerror or err}")
            continue
        if not exists:
            yield ReadProblem(display, f"{display}: no such file or directory")
        elif is_dir:
            files = _expand_dir(path)
            if not files:
                kinds = " ".join(ARTICLE_SUFFIXES)
                yield ReadProblem(display, f"{display}: directory holds no article files ({kinds})")
            for file in files:
                yield _read_file(file, str(file), date=date, name=None)
        else:
            yield _read_file(path, display, date=date, name=None)


def _expand_dir(root: Path) -> list[Path]:
    """Article files under *root*, recursively, sorted; hidden entries skipped."""
    found: list[Path] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    if not entry.is_symlink():
                        pending.append(entry)
                elif entry.suffix.lower() in ARTICLE_SUFFIXES and entry.is_file():
                    found.append(entry)
            except OSError:
                continue
    return sorted(found, key=lambda p: p.relative_to(root).parts)


# -- reading -------------------------------------------------------------------------------------


def _read_file(
    path: Path, display: str, *, date: str | None, name: str | None
) -> Article | ReadProblem:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return ReadProblem(
            display, f"{display}: JSON file (article metadata?), not an article; skipped", False
        )
    fmt = ARTICLE_SUFFIXES.get(suffix, "text")
    try:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise _Problem(f"{display}: cannot read: {err.strerror or err}") from None
        text = _decode(data, display)
        sidecar = _read_sidecar(path, display)
        article_id = name or _stem(path)
        return _build(
            text,
            display=display,
            fmt=fmt,
            article_id=article_id,
            path=display,
            date_override=date,
            sidecar=sidecar,
        )
    except _Problem as err:
        return ReadProblem(display, err.message, err.fatal)


def _read_stdin(stream: TextIO, *, date: str | None, name: str | None) -> Article | ReadProblem:
    display = "-"
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            text = _decode(buffer.read(), "stdin")
        else:
            text = stream.read()
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
    sample = data[:8192]
    if b"\x00" in sample or sum(b in _CONTROL for b in sample) > len(sample) * 0.1:
        raise _Problem(f"{display}: binary file, not an article")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = bom + err.start
        line = data.count(b"\n", 0, offset) + 1
        guess = _guess_encoding(data)
        likely = f"it looks like {guess}; " if guess else ""
        raise _Problem(
            f"{display}: is not UTF-8 (invalid byte 0x{data[offset]:02x} at offset {offset}, "
            f"line {line}); {likely}convert it, e.g. "
            f"iconv -f {guess or 'cp1251'} -t utf-8 {_convert_hint(display)}"
        ) from None
    if "\x00" in text:
        raise _Problem(f"{display}: binary file, not an article")
    if not text.strip():
        raise _Problem(f"{display}: empty file, skipped", fatal=False)
    return text


def _convert_hint(display: str) -> str:
    if display == "stdin":
        return "< input > output.txt"
    path = Path(display)
    out = path.with_name(f"{_stem(path)}.utf8{path.suffix}")
    return f"{shlex.quote(display)} > {shlex.quote(str(out))}"


def _guess_encoding(data: bytes) -> str | None:
    """The likely encoding of *data*, in iconv spelling (Cyrillic code pages preferred)."""
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data[:1_000_000]))
    except Exception:  # the guess is only a hint; never fail the read because of it
        return None
    names = [m.encoding for m in matches]
    pick = next((n for n in names if n in _CYRILLIC_CODECS), names[0] if names else None)
    if pick is None or pick.startswith("utf"):
        return None
    pick = pick.lower()
    if pick.startswith("iso8859_"):
        return "iso-8859-" + pick.split("_", 1)[1]
    return {"mac_cyrillic": "maccyrillic", "latin_1": "iso-8859-1"}.get(
        pick, pick.replace("_", "-")
    )


def _read_sidecar(path: Path, display: str) -> dict[str, tuple[Any, str]]:
    """Metadata from ``x.meta.json`` (preferred) or ``x.json`` beside *path*."""
    stem = _stem(path)
    for candidate in (path.with_name(f"{stem}.meta.json"), path.with_name(f"{stem}.json")):
        if not candidate.is_file():
            continue
        where = f"sidecar {candidate.name}"
        try:
            raw = candidate.read_bytes().decode("utf-8-sig")
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
    """``YYYY-MM-DD`` for a date, datetime or ISO string; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
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
    return day.isoformat()


def _check_date_arg(date: str | None) -> str | None:
    if date is None:
        return None
    if (
        not isinstance(date, str)
        or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
        or _normalise_date(date) is None
    ):
        raise InputError(f"date {date!r} is not a date; expected YYYY-MM-DD, e.g. 2025-08-27")
    return date


def _resolve_date(value: Any, where: str, display: str) -> str:
    normal = _normalise_date(value)
    if normal is None:
        raise _Problem(f"{display}: date {str(value)!r} ({where}) is not a date; {_DATE_HELP}")
    return normal


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
