"""HTML to text: the visible text of a page, one block (paragraph, heading, list item...) a
line, so that the same sentences give the same words as in a ``.txt`` file; and the page's
title, canonical url and publication date. Which elements are dropped, blocks or cells is
``knowledge/html.toml``. BeautifulSoup is imported only when a page is read (~0.15 s)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..knowledge import table
from .dates import normalise_date

if TYPE_CHECKING:
    from bs4 import BeautifulSoup
    from bs4.element import Tag

__all__ = ["html_text"]

_TAGS = table("html")
_HTML_DROP = frozenset(_TAGS["drop"])
_HTML_BLOCK = frozenset(_TAGS["block"])
_HTML_CELL = frozenset(_TAGS["cell"])
_HTML_PRE = tuple(_TAGS["preformatted"])
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_BREAK = object()


def html_text(markup: str, display: str) -> tuple[str, dict[str, tuple[Any, str]]]:
    """The visible text of a page (one block a line) and its title/url/date.

    Parameters
    ----------
    markup : str
        The page.
    display : str
        Its name in messages (unused: a page always parses).

    Returns
    -------
    (str, dict)
        The text, and ``{"title" | "url" | "date": (value, where it came from)}`` for those
        the page gives.
    """
    from bs4 import BeautifulSoup  # only for HTML (the import costs ~0.15 s)

    soup = BeautifulSoup(markup, "html.parser")
    meta = _page_meta(soup)
    return _visible_text(soup), meta


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def _meta_content(soup: BeautifulSoup, key: str) -> str | None:
    from bs4.element import Tag

    for attr in ("property", "name", "itemprop"):
        tag = soup.find("meta", attrs={attr: key})
        if isinstance(tag, Tag) and str(tag.get("content") or "").strip():
            return str(tag["content"]).strip()
    return None


def _page_meta(soup: BeautifulSoup) -> dict[str, tuple[Any, str]]:
    """Title (``<title>``, ``<h1>``, og:title), url (canonical link, og:url) and date."""
    from bs4.element import Tag

    meta: dict[str, tuple[Any, str]] = {}
    title = None
    for tag in (soup.find("title"), soup.find("h1")):
        if isinstance(tag, Tag):
            title = _clean(tag.get_text(" ")) or None
            if title:
                break
    title = title or _meta_content(soup, "og:title")
    if title:
        meta["title"] = (title, "html")

    link = soup.find("link", rel="canonical")
    url = str(link.get("href") or "").strip() if isinstance(link, Tag) else ""
    url = url or _meta_content(soup, "og:url") or ""
    if url:
        meta["url"] = (url, "html")

    published = _meta_content(soup, "article:published_time")
    if published:
        meta["date"] = (published, '<meta property="article:published_time">')
    else:  # <time datetime> is only a hint: the first one that parses
        for tag in soup.find_all("time"):
            value = str(tag.get("datetime") or "").strip()
            if value and normalise_date(value):
                meta["date"] = (value, "<time datetime>")
                break
    return meta


class _Lines:
    """The lines of text being collected: the current one, and those finished."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def flush(self) -> None:
        line = _clean("".join(self.current))
        if line:
            self.lines.append(line)
        self.current.clear()

    def add(self, text: str, in_pre: bool) -> None:
        if not in_pre:
            self.current.append(text)
            return
        for i, part in enumerate(text.split("\n")):
            if i:
                self.flush()
            self.current.append(part)


def _visible_text(soup: BeautifulSoup) -> str:
    """The text of the elements that are shown, in document order, one block a line."""
    from bs4.element import NavigableString, PreformattedString, Tag

    out = _Lines()
    stack: list[tuple[Any, bool]] = [(child, False) for child in reversed(list(soup.children))]
    while stack:
        node, in_pre = stack.pop()
        if node is _BREAK:
            out.flush()
        elif isinstance(node, Tag):
            _open(node, in_pre, out, stack)
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            out.add(str(node), in_pre)
    out.flush()
    return "\n".join(out.lines)


def _open(node: Tag, in_pre: bool, out: _Lines, stack: list[tuple[Any, bool]]) -> None:
    """Push an element's children (and, for a block, the line break after them)."""
    name = (node.name or "").lower()
    if name in _HTML_DROP:
        return
    if name in _HTML_CELL:
        out.current.append(" ")
    if name in _HTML_BLOCK:
        out.flush()
        stack.append((_BREAK, in_pre))
    pre = in_pre or name in _HTML_PRE
    stack.extend((child, pre) for child in reversed(list(node.children)))
