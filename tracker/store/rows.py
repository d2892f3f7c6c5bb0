"""Parsed articles to table rows and back, losslessly.

:func:`to_rows` turns a :class:`~tracker.models.ParsedArticle` into one ``articles`` row,
its ``mentions`` rows and its ``claims`` rows; :func:`from_rows` rebuilds the same
ParsedArticle from them (``from_rows(*to_rows(doc)).to_dict() == doc.to_dict()``), so that
maps and outputs built from the store are those of a fresh parse. Only the gazetteer's
internal candidate ids of a mention are not kept.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date as Date
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError
from ..frontline import FrontlineStatus
from ..models import (
    Article,
    Claim,
    CrossCheck,
    ForeignRef,
    Mention,
    MentionClaim,
    ParsedArticle,
    Place,
    RegionCheck,
    ResolvedMention,
)

__all__ = ["ArticleRows", "article_id", "body_of", "from_rows", "source_of", "to_rows"]

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """The rows of one article: ``article`` (without the store's own columns: ingested_at,
    version, ...), ``mentions`` and ``claims``."""

    article: Row
    mentions: list[Row]
    claims: list[Row]


def body_of(article: Article) -> str:
    """The article's body: its text after any front matter."""
    return article.text[article.body_start :]


def article_id(text: str) -> str:
    """The stable id of an article body: SHA-256 of its normalised text, 32 hex digits.

    Normalised: Unicode NFC, every run of white space (line breaks, tabs, non-breaking
    spaces) one space, none at either end; so a re-saved file with other line endings or
    re-wrapped lines is the same article.

    Examples
    --------
    >>> article_id("Russian troops entered\\r\\nZaporizke. ") == article_id("Russian troops entered Zaporizke.")
    True
    >>> len(article_id("text"))
    32
    """  # noqa: E501
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:32]


def source_of(url: str | None) -> str | None:
    """The publication of an article URL: its host without ``www.``.

    Examples
    --------
    >>> source_of("https://www.nbcnews.com/world/ukraine/x")
    'nbcnews.com'
    >>> source_of(None) is None
    True
    """
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _date(value: str | None) -> Date | None:
    return Date.fromisoformat(value) if value else None


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, Date) else str(value)


def to_rows(doc: ParsedArticle, *, source: str | None = None) -> ArticleRows:
    """The rows of *doc* (see the module docstring).

    Parameters
    ----------
    doc
        A parsed article.
    source
        The publication (default: the URL's host).

    Raises
    ------
    InputError
        When the text holds a NUL character (no article does; PostgreSQL cannot store it).
    """
    a = doc.article
    if "\x00" in a.text:
        raise InputError(f"article {a.id!r} holds a NUL character; it is not text")
    text_id = article_id(body_of(a))
    n_claims = sum(len(m.claims) for m in doc.mentions)
    article = {
        "id": text_id,
        "url": a.url,
        "title": a.title,
        "source": source or source_of(a.url),
        "published": _date(a.date),
        "name": a.id,
        "path": a.path,
        "format": a.format,
        "body_start": a.body_start,
        "text": a.text,
        "bytes": len(a.text.encode("utf-8")),
        "n_mentions": len(doc.mentions),
        "n_claims": n_claims,
    }
    mention_rows: list[Row] = []
    claim_rows: list[Row] = []
    for seq, r in enumerate(doc.mentions):
        mention_rows.append(_mention_row(text_id, seq, r))
        p = r.place
        for k, mc in enumerate(r.claims):
            c = mc.claim
            claim_rows.append(
                {
                    "article_id": text_id,
                    "mention_seq": seq,
                    "seq": k,
                    "katottg": p.katottg if p is not None else None,
                    "place_name": p.name if p is not None else r.mention.text,
                    "oblast": p.oblast if p is not None else None,
                    "lon": p.lon if p is not None else None,
                    "lat": p.lat if p is not None else None,
                    "event": c.event,
                    "claimant": c.claimant,
                    "claimant_text": c.claimant_text,
                    "stance": c.stance,
                    "negated": c.negated,
                    "quote": c.quote,
                    "sentence": a.text[c.sentence_start : c.sentence_end],
                    "sentence_start": c.sentence_start,
                    "sentence_end": c.sentence_end,
                    "trigger": c.trigger,
                    "trigger_start": c.trigger_start,
                    "trigger_end": c.trigger_end,
                    "place_spans": [list(s) for s in c.place_spans],
                    "verdict": mc.frontline_check.verdict if mc.frontline_check else None,
                    "frontline_check": _check_dict(mc.frontline_check),
                }
            )
    return ArticleRows(article, mention_rows, claim_rows)


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _flat(obj: Any) -> dict[str, Any]:
    """The fields of a flat frozen dataclass (scalars only) as a dict; what
    :func:`dataclasses.asdict` gives, without its deep copies."""
    return {name: getattr(obj, name) for name in _names(type(obj))}


def _check_dict(check: CrossCheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    out = _flat(check)
    out["window"] = list(check.window) if check.window else None
    return out


def _mention_row(text_id: str, seq: int, r: ResolvedMention) -> Row:
    m, p, fl = r.mention, r.place, r.frontline
    row: Row = {
        "article_id": text_id,
        "seq": seq,
        "start_offset": m.start,
        "end_offset": m.end,
        "surface": m.text,
        "kind": m.kind,
        "status": r.status,
        "cue": m.cue,
        "occupation_name": m.occupation_name,
        "sentence": r.sentence,
        "confidence": r.confidence,
        "geo_precision": r.geo_precision,
        "alternatives": [{"place": _flat(q), "score": s} for q, s in r.alternatives],
        "evidence": list(r.evidence),
        "regions": _flat(r.regions) if r.regions is not None else None,
        "frontline": _flat(fl) if fl is not None else None,
        "frontline_date": _date(fl.date) if fl is not None else None,
        "frontline_snapshot": _date(fl.snapshot) if fl is not None else None,
        "frontline_status": fl.status if fl is not None else None,
        "km_to_line": fl.km_to_line if fl is not None else None,
        "country": None,
    }
    for key in (
        "katottg",
        "name",
        "name_uk",
        "category",
        "oblast",
        "oblast_iso",
        "raion",
        "raion_code",
        "hromada",
        "hromada_code",
        "lon",
        "lat",
    ):
        row[key] = getattr(p, key) if p is not None else None
    row["place_kind"] = p.kind if p is not None else None
    if m.foreign is not None:
        row["place"] = {"foreign": _flat(m.foreign)}
        row.update(name=m.foreign.name, country=m.foreign.country, place_kind=m.foreign.kind)
        row.update(lon=m.foreign.lon, lat=m.foreign.lat)
    else:
        row["place"] = _flat(p) if p is not None else None
    return row


# -- back --------------------------------------------------------------------------------------


def _make(cls: type, data: Mapping[str, Any]) -> Any:
    """*cls* from a dict of its fields (fields it does not know are left out)."""
    names = _names(cls)
    return cls(**{k: v for k, v in data.items() if k in names})


def _check(data: Mapping[str, Any] | None) -> CrossCheck | None:
    if data is None:
        return None
    values = dict(data)
    if values.get("window") is not None:
        values["window"] = tuple(values["window"])
    return _make(CrossCheck, values)


def from_rows(
    article: Mapping[str, Any], mentions: Sequence[Mapping[str, Any]], claims: Sequence[Mapping]
) -> ParsedArticle:
    """The :class:`ParsedArticle` of stored rows (the inverse of :func:`to_rows`).

    *mentions* and *claims* may come in any order; they are put in ``seq`` order.
    """
    by_mention: dict[int, list[Mapping[str, Any]]] = {}
    for c in claims:
        by_mention.setdefault(int(c["mention_seq"]), []).append(c)
    resolved = []
    text = article["text"]
    for row in sorted(mentions, key=lambda r: int(r["seq"])):
        stored = row["place"] or {}
        foreign = _make(ForeignRef, stored["foreign"]) if "foreign" in stored else None
        place = _make(Place, stored) if stored and foreign is None else None
        mention = Mention(
            start=row["start_offset"],
            end=row["end_offset"],
            text=row["surface"],
            kind=row["kind"],
            foreign=foreign,
            cue=row["cue"],
            occupation_name=bool(row["occupation_name"]),
        )
        mention_claims = []
        for c in sorted(by_mention.get(int(row["seq"]), []), key=lambda c: int(c["seq"])):
            claim = Claim(
                event=c["event"],
                claimant=c["claimant"],
                claimant_text=c["claimant_text"],
                stance=c["stance"],
                negated=bool(c["negated"]),
                quote=bool(c["quote"]),
                sentence_start=c["sentence_start"],
                sentence_end=c["sentence_end"],
                trigger=c["trigger"],
                trigger_start=c["trigger_start"],
                trigger_end=c["trigger_end"],
                place_spans=tuple((int(s), int(e)) for s, e in c["place_spans"]),
            )
            mention_claims.append(MentionClaim(claim, _check(c["frontline_check"])))
        resolved.append(
            ResolvedMention(
                mention=mention,
                sentence=row["sentence"],
                place=place,
                confidence=row["confidence"],
                alternatives=tuple(
                    (_make(Place, alt["place"]), alt["score"]) for alt in row["alternatives"]
                ),
                evidence=tuple(row["evidence"]),
                geo_precision=row["geo_precision"],
                regions=_make(RegionCheck, row["regions"]) if row["regions"] else None,
                status=row["status"],
                frontline=_make(FrontlineStatus, row["frontline"]) if row["frontline"] else None,
                claims=tuple(mention_claims),
            )
        )
    doc_article = Article(
        id=article["name"],
        text=text,
        path=article["path"],
        title=article["title"],
        url=article["url"],
        date=_iso(article["published"]),
        format=article["format"],
        body_start=article["body_start"],
    )
    return ParsedArticle(article=doc_article, mentions=tuple(resolved))
