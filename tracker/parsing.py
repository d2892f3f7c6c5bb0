"""Article text -> :class:`ParsedArticle`: mentions found and resolved (the parse stage)."""

from __future__ import annotations

from .mentions import find_mentions
from .models import Article, ParsedArticle
from .resolve import resolve_mentions

__all__ = ["parse", "parse_article"]


def parse_article(
    article: Article, *, store=None, temperature: float | None = None
) -> ParsedArticle:
    """Find and resolve every place mention of an :class:`Article`."""
    from .data.store import load

    store = store or load()
    mentions = find_mentions(article.text, store, start=article.body_start)
    resolved = resolve_mentions(
        article.text, mentions, store, temperature=temperature, date=article.date
    )
    return ParsedArticle(article=article, mentions=tuple(resolved))


def parse(
    text: str,
    *,
    date: str | None = None,
    id: str = "text",
    title: str | None = None,
    url: str | None = None,
    store=None,
) -> ParsedArticle:
    """Find and resolve every place named in *text*.

    Parameters
    ----------
    text
        The article text (offsets in the result are offsets into it).
    date
        The article date, YYYY-MM-DD (used for the front line on that day).

    Raises
    ------
    InvalidQuery
        When *text* is empty or only white space.
    """
    from .errors import InvalidQuery

    if not isinstance(text, str) or not text.strip():
        raise InvalidQuery("`text` is empty; give the article text to parse")
    return parse_article(Article(id=id, text=text, title=title, url=url, date=date), store=store)
