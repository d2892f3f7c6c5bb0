"""The places a map draws, as plain records: one per resolved settlement, and the story.

:func:`collect` walks the parsed articles once: one :class:`PlaceEntry` per resolved Ukrainian
settlement (a village named in five sentences is one entry with five quotes), the mentions
that could not be placed, and what else the articles name (countries, oblasts, places abroad).
:func:`story` picks the places the story is about, which fix the initial view and the
emphasised oblasts. :func:`popup_record` turns an entry into the fields the browser shows,
as text: the words for the tracker's codes come from ``knowledge/maps/words.toml``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..knowledge import table
from ..models import Article, CrossCheck, MentionClaim, ParsedArticle, Place

__all__ = [
    "EVENTS",
    "Collected",
    "PlaceEntry",
    "article_label",
    "claim_text",
    "collect",
    "front_text",
    "place_facts",
    "place_fields",
    "popup_record",
    "story",
    "words",
]

#: Strongest first: the marker takes the colour and symbol of the strongest claim about it.
EVENTS: dict[str, tuple[str, str]] = {
    "captured": ("#b30000", "✖"),
    "entered": ("#e65c00", "➤"),
    "liberated": ("#1f5fbf", "✔"),
    "attacked": ("#7b2d8b", "✸"),
    "advancing": ("#d48a00", "→"),
    "repelled": ("#2e8b57", "◼"),
    "evacuated": ("#5f6b7a", "⇡"),
    "other": ("#8a8a8a", "•"),
    "mentioned": ("#a0a0a0", "•"),
}
#: A marker has a dashed ring when its strongest claim is only said so, or said against.
DASHED_STANCES = frozenset({"claimed", "disputed", "denied"})
#: KATOTTG categories drawn as markers (settlements).
SETTLEMENTS = frozenset({"K", "M", "T", "X", "C"})
#: Cities: a far one named in passing does not widen the view (see :func:`story`).
CITIES = frozenset({"K", "M"})
#: Places within this many km of each other belong to one group of the story.
STORY_LINK_KM = 100.0
#: Above this many places every place counts (a compilation, not one story).
STORY_MAX = 300
#: At most this many quoted sentences per article in a popup.
QUOTES_PER_ARTICLE = 5
#: A resolution below this confidence says so in the popup, with the other candidates.
SURE = 0.8
#: The state border is named when it is this close (or closer than the oblast border).
STATE_BORDER_KM = 50.0


def words(section: str) -> Mapping[str, Any]:
    """The words the map uses for one kind of code (``claimants``, ``events``, ...)."""
    return table("maps/words")[section]


@dataclass
class PlaceEntry:
    """One resolved settlement with everything the articles say about it."""

    place: Place
    #: (article index, sentence) in reading order
    quotes: list[tuple[int, str]] = field(default_factory=list)
    #: (article index, claim) in reading order
    claims: list[tuple[int, MentionClaim]] = field(default_factory=list)
    #: (article date, snapshot, status, km) of the mentions that had one
    fronts: list[tuple[str, str, str, float | None, str | None]] = field(default_factory=list)
    dates: set[str] = field(default_factory=set)
    confidence: float = 0.0
    alternatives: tuple[tuple[Place, float], ...] = ()
    sentences: int = 0
    first: int = 0  # the order of its first mention (across the articles)


@dataclass
class Collected:
    """What :func:`collect` found."""

    articles: list[Article]
    places: dict[str, PlaceEntry]
    unresolved: list[dict[str, str]]
    also: list[str]
    #: KATOTTG prefixes ("UA14") of the oblasts the articles name as regions
    named_oblasts: set[str] = field(default_factory=set)


def article_label(article: Article, width: int = 90) -> str:
    """How an article is named on the map: its title, else its first line (cut at a word to
    at most *width* characters), never its file id.

    Examples
    --------
    >>> from tracker.models import Article
    >>> article_label(Article(id="004_35ed", text="KYIV — Russian troops entered two villages."))
    'KYIV — Russian troops entered two villages.'
    """
    if article.title:
        return article.title
    for line in article.text[article.body_start :].splitlines():
        line = " ".join(line.split())
        if line:
            if len(line) <= width:
                return line
            cut = line[: width - 2].rsplit(" ", 1)[0]
            return cut.rstrip(",;:—-– ") + " …"
    return "Untitled article"


def _strongest(claims: Sequence[MentionClaim]) -> tuple[str, str | None]:
    order = list(EVENTS)
    best, stance = "mentioned", None
    for c in claims:
        if c.claim.negated or c.claim.event not in order:
            continue
        if order.index(c.claim.event) < order.index(best):
            best, stance = c.claim.event, c.claim.stance
    return best, stance


def strongest(entry: PlaceEntry) -> tuple[str, bool]:
    """The marker's event and whether its ring is dashed."""
    event, stance = _strongest([c for _, c in entry.claims])
    return event, stance in DASHED_STANCES


def collect(docs: Sequence[ParsedArticle]) -> Collected:
    """The resolved settlements of *docs* (by KATOTTG), the unresolved mentions and the other
    names (countries, oblasts, places abroad), each once, in reading order."""
    places: dict[str, PlaceEntry] = {}
    unresolved: list[dict[str, str]] = []
    also: dict[str, None] = {}
    named: set[str] = set()
    order = 0
    for k, doc in enumerate(docs):
        a = doc.article
        for r in doc.mentions:
            order += 1
            p = r.place
            if r.status == "unresolved":
                cands = ", ".join(f"{c.name} ({c.oblast})" for c, _ in r.alternatives[:4])
                unresolved.append(
                    {
                        "text": r.mention.text,
                        "detail": (f"candidates: {cands}; " if cands else "")
                        + f"in {article_label(a)}",
                    }
                )
                continue
            if p is not None and r.mention.kind == "oblast":
                named.add(p.katottg[:4])
            if p is None or p.lon is None or p.lat is None or p.category not in SETTLEMENTS:
                name = _other_name(r)
                if name:
                    also.setdefault(name)
                continue
            entry = places.get(p.katottg)
            if entry is None:
                entry = places[p.katottg] = PlaceEntry(place=p, first=order)
            entry.sentences += 1
            if (k, r.sentence) not in entry.quotes:
                entry.quotes.append((k, r.sentence))
            for c in r.claims:
                key = (k, c.claim.event, c.claim.claimant, c.claim.stance, c.claim.negated)
                if all((j, *_claim_key(o)) != key for j, o in entry.claims):
                    entry.claims.append((k, c))  # once per article (the same claim twice)
            if a.date:
                entry.dates.add(a.date)
            f = r.frontline
            if f is not None and all(x[0] != f.date for x in entry.fronts):
                entry.fronts.append((f.date, f.snapshot, f.status, f.km_to_line, f.note))
            if r.confidence >= entry.confidence:
                entry.confidence = r.confidence
                entry.alternatives = r.alternatives
    return Collected([d.article for d in docs], places, unresolved, list(also), named)


def _claim_key(c: MentionClaim) -> tuple[str, str, str, bool]:
    return (c.claim.event, c.claim.claimant, c.claim.stance, c.claim.negated)


def _other_name(r: Any) -> str | None:
    """How a mention that is not drawn is listed ("Dnipropetrovsk oblast", "Moscow (Russia)")."""
    p, kind = r.place, r.mention.kind
    if r.status == "foreign" and r.mention.foreign is not None:
        f = r.mention.foreign
        if f.country == "UA":
            return None  # the country of the map itself
        if f.kind == "country" or not f.country:
            return f.name
        return f"{f.name} ({country_name(f.country)})"
    if p is not None and kind in ("oblast", "raion", "hromada"):
        return f"{p.name} {kind}" if kind != "oblast" else f"{p.oblast} oblast"
    if kind == "country":
        return r.mention.text
    return None


def country_name(code: str) -> str:
    """The short English name of an ISO 3166-1 alpha-2 code ("RU" -> "Russia")."""
    neighbours = table("state_borders").get("neighbours", {})
    if code in neighbours:
        return str(neighbours[code])
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


# -- the story ------------------------------------------------------------------------------


def _km(a: Place, b: Place) -> float:
    """Equirectangular km between two places (ample for grouping at 100 km)."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    mid = math.radians((a.lat + b.lat) / 2)
    dx = (a.lon - b.lon) * 111.32 * math.cos(mid)
    dy = (a.lat - b.lat) * 110.57
    return math.hypot(dx, dy)


def story(places: Mapping[str, PlaceEntry]) -> tuple[list[str], list[str]]:
    """The places the story is about, and the far cities named in passing.

    Places within :data:`STORY_LINK_KM` of each other form groups (single linkage). When one
    group holds more places than any other, a city (KATOTTG K or M) outside it is a passing
    mention ("Kyiv's military said", a strike on Odesa in a story about two villages near
    Pokrovsk): it keeps its marker but widens neither the initial view nor the emphasised
    oblasts. Villages and towns always count, wherever they are; when no group leads, every
    place counts.

    Returns
    -------
    (story, passing) : (list of str, list of str)
        KATOTTG codes, in reading order.
    """
    codes = sorted(places, key=lambda c: places[c].first)
    if len(codes) < 2 or len(codes) > STORY_MAX:
        return codes, []
    parent = list(range(len(codes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(codes):
        for j in range(i + 1, len(codes)):
            if _km(places[a].place, places[codes[j]].place) <= STORY_LINK_KM:
                parent[root(j)] = root(i)
    members: dict[int, list[str]] = {}
    for i, c in enumerate(codes):
        members.setdefault(root(i), []).append(c)
    sizes = sorted((len(v) for v in members.values()), reverse=True)
    if len(sizes) < 2 or sizes[0] == sizes[1]:
        return codes, []
    main = max(members.values(), key=len)
    passing = [c for c in codes if c not in main and places[c].place.category in CITIES]
    return [c for c in codes if c not in passing], passing


# -- popup text -----------------------------------------------------------------------------


def _km_text(km: float) -> str:
    return f"{km:.1f}" if km < 10 else f"{km:.0f}"


def front_text(
    status: str, km: float | None, snapshot: str, asked: str, note: str | None
) -> dict[str, str]:
    """The front-line line of a popup: ``{"head": "Occupied", "text": "0.6 km inside the
    occupied area (DeepStateMap, 2025-08-27)", "status": ...}``.

    Examples
    --------
    >>> front_text("occupied", -0.64, "2025-08-27", "2025-08-27", None)["text"]
    '0.6 km inside the occupied area (DeepStateMap, 2025-08-27)'
    >>> front_text("not occupied", 1.37, "2025-08-26", "2025-08-26", None)["text"]
    '1.4 km from the occupied area (DeepStateMap, 2025-08-26)'
    """
    source = f"DeepStateMap, {snapshot}"
    if note and snapshot < asked:
        source += ", the newest snapshot"
    elif note:
        source += ", the oldest snapshot"
    if km is None or math.isnan(km):
        where = "no line of contact in the snapshot" if status == "occupied" else ""
    elif status == "occupied":
        where = f"{_km_text(abs(km))} km inside the occupied area"
    else:
        where = f"{_km_text(abs(km))} km from the occupied area"
    head = "Occupied" if status == "occupied" else "Not occupied"
    text = f"{where} ({source})" if where else f"({source})"
    return {"head": f"{head} on {asked}:", "text": text, "status": status}


def _check_text(check: CrossCheck) -> str:
    base = str(words("verdicts").get(check.verdict, check.verdict))
    if check.verdict in ("no date", "no data"):
        return base
    if check.verdict == "corroborated" and check.first_seen:
        return f"{base}: {check.looked_for or 'occupied'} on {check.first_seen}"
    if check.verdict == "contradicted" and check.date and check.status_on_date:
        return f"{base}: {check.status_on_date} on {check.date}"
    if check.verdict == "not corroborated" and check.window:
        return f"{base} {check.looked_for or 'occupied'} by {check.window[1]}"
    return base


def claim_text(c: MentionClaim) -> dict[str, str | None]:
    """``who`` said ``what`` (in words), and the DeepState ``check`` of it.

    Examples
    --------
    >>> from tracker.models import Claim, MentionClaim
    >>> claim = Claim("captured", "russian_mod", "Moscow's defense ministry", "claimed", False,
    ...               False, 0, 10, "capture", 0, 7, ())
    >>> claim_text(MentionClaim(claim))["who"], claim_text(MentionClaim(claim))["what"]
    ('Russian Ministry of Defence', 'captured (claimed)')
    """
    claim = c.claim
    event = words("events").get(claim.event, {})
    what = event.get("negated" if claim.negated else "label", claim.event)
    stance = words("stances").get(claim.stance, claim.stance)
    check = c.frontline_check
    return {
        "who": str(words("claimants").get(claim.claimant, claim.claimant)),
        "what": f"{what} ({stance})",
        "check": _check_text(check) if check is not None else None,
        "verdict": check.verdict.replace(" ", "-") if check is not None else None,
    }


def _where(p: Place) -> str:
    kind = words("kinds").get(p.kind, p.kind)
    parts = [str(kind)]
    if p.hromada:
        parts.append(f"{p.hromada} hromada")
    if p.raion:
        parts.append(f"{p.raion} raion")
    if p.oblast:
        parts.append(
            f"{p.oblast} oblast" if p.oblast not in ("Kyiv City", "Sevastopol") else p.oblast
        )
    return " · ".join(parts)


def place_fields(p: Place) -> dict[str, Any]:
    """The fields a marker's record opens with: the place's id, names, position and where it
    is (:func:`popup_record`, and the candidates of :func:`tracker.maps.candidates_map`)."""
    assert p.lat is not None and p.lon is not None
    return {
        "id": p.katottg,
        "name": p.name,
        "uk": p.name_uk or p.name,
        "lat": round(p.lat, 5),
        "lon": round(p.lon, 5),
        "where": _where(p),
    }


def place_facts(entry: PlaceEntry) -> list[str]:
    """The popup's lines of facts about a place: how far the oblast border and (when near)
    the state border are, and how sure its identification is."""
    p = entry.place
    out = []
    oblast_km = p.km_to_oblast_border
    if oblast_km is not None and not math.isnan(oblast_km):
        across = f"the {p.across_border} oblast border" if p.across_border else "the oblast border"
        out.append(f"{_km_text(oblast_km)} km from {across}")
    state_km: float | None = getattr(p, "km_to_state_border", None)
    state_with = getattr(p, "state_border_with", None)
    if state_km is not None and not math.isnan(state_km):
        closer = oblast_km is None or state_km < oblast_km
        if state_km <= STATE_BORDER_KM or closer:
            whom = f"the state border with {state_with}" if state_with else "the state border"
            out.append(f"{_km_text(state_km)} km from {whom}")
    if entry.confidence < SURE:
        others = list(
            dict.fromkeys(
                f"{c.name} ({c.hromada} hromada, {c.oblast} oblast)"
                if c.hromada
                else f"{c.name} ({c.oblast} oblast)"
                for c, _ in entry.alternatives[:3]
            )
        )
        line = f"Identified with {entry.confidence:.0%} confidence"
        out.append(line + (f"; also possible: {', '.join(others)}" if others else ""))
    return out


def popup_record(
    entry: PlaceEntry, *, story_place: bool, map_front: dict[str, str] | None = None
) -> dict[str, Any]:
    """The fields the browser shows for one place (plain text; the page escapes nothing
    because it only ever sets ``textContent``).

    *map_front* is the front-line line for a place whose articles have no date (its status on
    the map's date)."""
    p = entry.place
    assert p.lat is not None and p.lon is not None
    event, dashed = strongest(entry)
    fronts = [
        front_text(status, km, snapshot, asked, note)
        for asked, snapshot, status, km, note in sorted(entry.fronts)
    ]
    if not fronts and map_front is not None:
        fronts = [map_front]
    sources: dict[int, list[str]] = {}
    for k, sentence in entry.quotes:
        sources.setdefault(k, []).append(sentence)
    extra = []
    for k, quotes in sources.items():
        if len(quotes) > QUOTES_PER_ARTICLE:
            extra.append(k)
    record: dict[str, Any] = {
        **place_fields(p),
        "facts": place_facts(entry),
        "front": fronts,
        "claims": [{"article": k, **claim_text(c)} for k, c in entry.claims],
        "sources": [
            {"article": k, "quotes": quotes[:QUOTES_PER_ARTICLE]} for k, quotes in sources.items()
        ],
        "event": event,
        "dashed": dashed,
        "dates": sorted(entry.dates),
        "story": story_place,
        "code": f"KATOTTG {p.katottg}",
    }
    if extra:
        record["note"] = "More sentences name it than are shown here."
    return record
