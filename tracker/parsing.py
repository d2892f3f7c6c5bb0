"""Article text -> :class:`ParsedArticle`: mentions found and resolved (the parse stage)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .mentions import find_mentions
from .models import Article, ParsedArticle
from .resolve import resolve_mentions

if TYPE_CHECKING:
    from .data.store import Store
    from .gazetteer import Gazetteer

__all__ = ["parse", "parse_article"]


def parse_article(
    article: Article,
    *,
    gazetteer: Gazetteer | None = None,
    store: Store | None = None,
    temperature: float | None = None,
) -> ParsedArticle:
    """Find and resolve every place mention of an :class:`Article`.

    Parameters
    ----------
    article
        The article as read (:mod:`tracker.articles`).
    gazetteer
        The gazetteer (default: the built data's).
    store
        The built data (for the DeepState archive of a dated article; default: loaded).
    temperature
        Softmax temperature of the confidences (default: the calibrated one).
    """
    from .claims import attach_claims
    from .data.store import load
    from .gazetteer import load as load_gazetteer

    gaz = gazetteer or load_gazetteer()
    mentions = find_mentions(article.text, gaz, start=article.body_start)
    front = None
    if article.date:  # only a dated article needs the front line (an undated one reads none)
        from .frontline import frontline_of

        front = frontline_of(store or load())
    resolved = resolve_mentions(
        article.text, mentions, gaz, frontline=front, date=article.date, temperature=temperature
    )
    resolved = attach_claims(article, resolved, front)
    return ParsedArticle(article=article, mentions=tuple(resolved))


def parse(
    text: str,
    *,
    date: str | None = None,
    id: str = "text",
    title: str | None = None,
    url: str | None = None,
    gazetteer: Gazetteer | None = None,
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
    InputError
        When *date* is not ``YYYY-MM-DD`` or ``"today"``.
    """
    from .articles import check_date
    from .errors import InvalidQuery

    date = check_date(date)  # InputError at the entry ("today" accepted)
    if not isinstance(text, str) or not text.strip():
        raise InvalidQuery("`text` is empty; give the article text to parse")
    return parse_article(
        Article(id=id, text=text, title=title, url=url, date=date), gazetteer=gazetteer
    )
