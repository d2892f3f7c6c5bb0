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
(:data:`NOT_ARTICLES`, ``knowledge/not_article_files.txt``), or, with ``glob=``, for the files
that pattern names; hidden files and folders are never read, and what was skipped is reported
once per directory.

:func:`iter_articles` never stops at a bad file: it yields a :class:`ReadProblem` for it and
goes on with the others.

Reads are bounded: only regular files, directories and ``-`` (stdin) are articles (a device
such as ``/dev/zero``, a named pipe or a socket is refused without being opened for long),
and at most :data:`DEFAULT_MAX_BYTES` (50 MB) are read per document (``max_bytes=`` /
``--max-bytes`` to change); a larger file or stdin is refused with a message, and binary
data on stdin is refused after its first block. A symlink loop, a dangling symlink and a
directory that cannot be listed each say exactly that.

The stages of reading, one module each: :mod:`.selection` (which files of a directory),
:mod:`.kinds` (what an input is; devices, pipes and sockets refused), :mod:`.read` (bounded
reads), :mod:`.encoding` (bytes to text), :mod:`.html` (a page to text), :mod:`.metadata`
(front matter, sidecars), :mod:`.dates` (date arguments, datelines), :mod:`.document` (one
document to one Article) and :mod:`.reader` (the entry points), with :mod:`.sizes` (limits)
and :mod:`.problems` (what goes wrong).
"""

from __future__ import annotations

from .dates import DATELINE_YEARS, FIRST_YEAR, LAST_YEAR, check_date, dateline_date
from .problems import ReadProblem
from .reader import (
    from_text,
    input_files,
    input_sources,
    iter_articles,
    read_article,
    read_bytes,
)
from .selection import ARTICLE_SUFFIXES, NOT_ARTICLES, expand_dir
from .sizes import DEFAULT_MAX_BYTES, SIDECAR_MAX_BYTES, format_size, parse_size

__all__ = [
    "ARTICLE_SUFFIXES",
    "DATELINE_YEARS",
    "DEFAULT_MAX_BYTES",
    "FIRST_YEAR",
    "LAST_YEAR",
    "NOT_ARTICLES",
    "SIDECAR_MAX_BYTES",
    "ReadProblem",
    "check_date",
    "dateline_date",
    "expand_dir",
    "format_size",
    "from_text",
    "input_files",
    "input_sources",
    "iter_articles",
    "parse_size",
    "read_article",
    "read_bytes",
]
