"""Building a map: the articles' places, the basemap and the front line as one JSON document,
drawn in the browser by ``static/map.js`` on a folium map.

Everything article-derived reaches the page as data (one ``<script type="application/json">``
element, ``<`` ``>`` ``&`` escaped) and is shown by the script with ``textContent`` only, so
no text of an article is ever parsed as HTML or as a Jinja template. The HTML is the same
byte for byte for the same inputs (the folium element ids are derived from the content).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..models import ParsedArticle, Place
from . import layers
from .assets import MARKERCLUSTER_CSS, MARKERCLUSTER_JS, static_text
from .places import (
    EVENTS,
    SETTLEMENTS,
    Collected,
    PlaceEntry,
    article_label,
    collect,
    front_text,
    place_facts,
    place_fields,
    popup_record,
    story,
    words,
)

__all__ = ["CLUSTER_FROM", "build_map", "candidates_map"]

#: From this many places on, markers are clustered (until zoom 11).
CLUSTER_FROM = 50
#: The initial view never zooms in further than this (a single village fills no screen).
MAX_VIEW_ZOOM = 11
UKRAINE_BOUNDS = [[44.3, 22.1], [52.4, 40.3]]
ATTRIBUTION = (
    "Places: KATOTTG codifier, GeoNames (CC BY 4.0); boundaries: geoBoundaries / "
    "© OpenStreetMap contributors (ODbL), OPORA (CC BY 4.0)"
)
#: Added to the attribution of a map that draws the front line (and only then).
FRONT_ATTRIBUTION = "; front line: © DeepStateMap"

#: Every style the map draws, shared by the drawing and the legend.
STYLES: dict[str, dict[str, Any]] = {
    "land": {"stroke": False, "fillColor": "#f7f5ef", "fillOpacity": 1, "fillRule": "nonzero"},
    "story_fill": {
        "stroke": False,
        "fillColor": "#fffdf7",
        "fillOpacity": 1,
        "fillRule": "nonzero",
    },
    "oblast": {"color": "#8c8c8c", "weight": 1.2, "dashArray": "7 4", "opacity": 1},
    "story_oblast": {"color": "#3c3c3c", "weight": 2.2, "opacity": 1},
    "shared_border": {"color": "#1a1a1a", "weight": 4, "dashArray": "12 6", "opacity": 1},
    "state": {"color": "#6b4a2f", "weight": 3.2, "dashArray": "14 4 3 4", "opacity": 1},
    "coast": {"color": "#7da2c1", "weight": 1, "opacity": 1},
    "raion": {"color": "#9a88b5", "weight": 1.1, "dashArray": "2 4", "opacity": 1},
    "hromada": {"color": "#3366aa", "weight": 1.2, "dashArray": "4 3", "fillOpacity": 0.03},
    "occupied": {
        "stroke": False,
        "fillColor": "#e8463c",
        "fillOpacity": 0.24,
        "fillRule": "nonzero",
    },
    "contact": {"color": "#c40000", "weight": 2.6, "opacity": 1},
    "gained": {"color": "#7a1010", "weight": 0.6, "fillColor": "#7a1010", "fillOpacity": 0.45},
    "lost": {"color": "#1f5fbf", "weight": 0.6, "fillColor": "#1f5fbf", "fillOpacity": 0.5},
    "dot": {"color": "#555555", "fill": "#ffffff"},
}


def _frontline_of(store: Any) -> Any:
    try:
        from ..frontline import frontline_of  # type: ignore[attr-defined]
    except ImportError:
        return store.frontline
    return frontline_of(store)


def _payload(data: dict[str, Any]) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and the line
    separators are written as ``\\u`` escapes. :class:`~tracker.maps.layers.RawJSON` texts
    (our own geometry) go in as they are, through tokens holding a NUL character, which is
    removed from every other string first (no text of an article can forge one)."""
    raws: list[str] = []

    def swap(value: Any) -> Any:
        if isinstance(value, layers.RawJSON):
            raws.append(value)
            return f"\x00{len(raws) - 1}\x00"
        if isinstance(value, str):
            return value.replace("\x00", "")
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, repl in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, repl)
    if raws:
        text = re.sub(r'"\\u0000(\d+)\\u0000"', lambda m: raws[int(m.group(1))], text)
    return text


# -- folium pieces ----------------------------------------------------------------------------


def _elements() -> tuple[type, type, type]:
    """The three small element classes (made on first use: folium is imported lazily)."""
    from branca.element import Element, MacroElement
    from jinja2 import Template

    class Raw(Element):  # type: ignore[misc]
        """Text written into the page as it is (never a Jinja template)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "TrackerRaw"
            self._text = text

        def render(self, **kwargs: Any) -> str:
            return self._text

    class Data(Element):  # type: ignore[misc]
        """The map's JSON document, named after the map it belongs to."""

        def __init__(self, owner: Any, text: str) -> None:
            super().__init__()
            self._name = "TrackerData"
            self._owner = owner
            self._text = text

        def render(self, **kwargs: Any) -> str:
            name = self._owner.get_name()
            return f'<script type="application/json" id="trk-data-{name}">{self._text}</script>'

    class Init(MacroElement):  # type: ignore[misc]
        """Calls ``trackerMap(map, data)`` once the map and its plugins exist."""

        _template = Template(
            "{% macro script(this, kwargs) %}"
            "trackerMap({{ this._parent.get_name() }}, "
            'document.getElementById("trk-data-{{ this._parent.get_name() }}"));'
            "{% endmacro %}"
        )

        def __init__(self) -> None:
            super().__init__()
            self._name = "TrackerInit"

    return Raw, Data, Init


def _seed_ids(root: Any, seed: str) -> None:
    """Give every element of the tree an id derived from the content, in tree order (folium
    draws random ones), so that the same inputs render the same bytes."""
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]
    pending = [root]
    n = 0
    while pending:
        element = pending.pop(0)
        element._id = f"{digest}{n:06x}"
        n += 1
        pending.extend(element._children.values())


def _folium_map(data: dict[str, Any], *, offline: bool, cluster: bool) -> Any:
    import folium
    from folium import plugins

    (s, w), (n, e) = data["view"]["bounds"]
    m = folium.Map(
        location=[(s + n) / 2, (w + e) / 2],
        zoom_start=6,
        tiles=None,
        control_scale=True,
        maxZoom=18,
        minZoom=4,
    )
    if not offline:  # offline: our own basemap (layers.basemap) instead of tiles
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap", attr="© OpenStreetMap contributors"
        ).add_to(m)
    root: Any = m.get_root()  # a branca Figure (header, html, script)
    if cluster:  # the plugin's files, added after Leaflet's when the map renders
        from branca.element import MacroElement
        from folium.elements import JSCSSMixin

        class Cluster(JSCSSMixin, MacroElement):  # type: ignore[misc]
            default_js = [("markercluster", MARKERCLUSTER_JS)]  # noqa: RUF012 (folium's API)
            default_css = [  # noqa: RUF012
                (f"markercluster_css{k}", u) for k, u in enumerate(MARKERCLUSTER_CSS)
            ]

        m.add_child(Cluster(), name="trk_cluster")
    plugins.Fullscreen().add_to(m)
    plugins.MeasureControl(primary_length_unit="kilometers", position="topright").add_to(m)
    raw, data_element, init = _elements()
    text = _payload(data)
    root.header.add_child(raw(f"<script>{static_text('map.js')}</script>"), name="trk_js")
    root.html.add_child(raw(f"<style>{static_text('map.css')}</style>"), name="trk_css")
    root.html.add_child(data_element(m, text), name="trk_data")
    m.add_child(init(), name="trk_init")
    _seed_ids(root, text)
    return m


# -- the map of the articles -------------------------------------------------------------------


def _view(points: Sequence[tuple[float, float]]) -> dict[str, Any]:
    if not points:
        return {"bounds": UKRAINE_BOUNDS, "max_zoom": 6}
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    pad = 0.01
    return {
        "bounds": [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]],
        "max_zoom": MAX_VIEW_ZOOM,
    }


def _events() -> dict[str, dict[str, str]]:
    legend = words("events")
    return {
        k: {"color": color, "symbol": symbol, "label": str(legend[k]["legend"])}
        for k, (color, symbol) in EVENTS.items()
    }


def _legend(
    data: dict[str, Any], events: set[str], dashed: bool, slider: bool
) -> list[dict[str, Any]]:
    ev = data["events"]
    rows: list[dict[str, Any]] = []
    for key in EVENTS:
        if key in events:
            rows.append({"kind": "marker", **ev[key]})
    if dashed:
        rows.append(
            {
                "kind": "marker",
                "color": "#ffffff",
                "dashed": True,
                "label": "dashed ring: only claimed, disputed or denied",
            }
        )
    if slider:
        rows.append(
            {
                "kind": "marker",
                "color": "#a0a0a0",
                "current": True,
                "label": "yellow ring: named on the slider's date; faded: named before it",
            }
        )
    fronts = data["fronts"]
    if fronts:
        rows.append(
            {
                "kind": "area",
                "color": STYLES["occupied"]["fillColor"],
                "opacity": 0.45,
                "label": "occupied area (DeepStateMap)",
            }
        )
        if any(f.get("line") for f in fronts):
            rows.append({"kind": "line", "color": STYLES["contact"]["color"], "weight": 3,
                         "label": "line of contact (DeepStateMap)"})  # fmt: skip
        since = "the date before" if slider else (fronts[0].get("since") or "the week before")
        if any(f.get("gained") for f in fronts):
            rows.append({"kind": "area", "color": STYLES["gained"]["fillColor"], "opacity": 0.7,
                         "label": f"newly occupied since {since}"})  # fmt: skip
        if any(f.get("lost") for f in fronts):
            rows.append({"kind": "area", "color": STYLES["lost"]["fillColor"], "opacity": 0.6,
                         "label": f"no longer occupied since {since}"})  # fmt: skip
    b = data["basemap"]
    if b.get("shared_lines"):
        rows.append({"kind": "line", "color": STYLES["shared_border"]["color"], "weight": 4,
                     "dash": True, "label": "border between the story's oblasts"})  # fmt: skip
    if b.get("story_lines"):
        rows.append({"kind": "line", "color": STYLES["story_oblast"]["color"], "weight": 2,
                     "label": "oblast of the story"})  # fmt: skip
    if b.get("oblast_lines"):
        rows.append({"kind": "line", "color": STYLES["oblast"]["color"], "weight": 1,
                     "dash": True, "label": "oblast border"})  # fmt: skip
    if b.get("state"):
        rows.append({"kind": "line", "color": STYLES["state"]["color"], "weight": 3,
                     "dash": True, "label": "state border"})  # fmt: skip
    if b.get("raions"):
        rows.append({"kind": "line", "color": STYLES["raion"]["color"], "weight": 1,
                     "dash": True, "label": "raion border (generalised; from zoom 8)"})  # fmt: skip
    if b.get("settlements"):
        rows.append({"kind": "dot", "color": "#ffffff", "radius": 4,
                     "label": "city (from zoom 6), town (9), village (11)"})  # fmt: skip
    return rows


def _fronts(
    store: Any, dates: list[str], date: str | None, slider: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    """The front-line states, the steps of the map, and where its date came from."""
    front = _frontline_of(store)
    if slider:
        fronts = []
        for k, day in enumerate(dates):
            fronts.append(
                layers.front_state(
                    front, store, day, dates[k - 1] if k else None, source="the article date"
                )
            )
        steps = [{"date": d, "front": k} for k, d in enumerate(dates)]
        origin = {"source": "the article dates", "date": dates[-1]}
        return fronts, steps, origin
    if date:
        when, source = date, "the date given (--date)"
    elif dates:
        when, source = dates[-1], "the article date" if len(dates) == 1 else "the newest date"
    else:
        when, source = front.dates[-1].isoformat(), ""
    state = layers.front_state(front, store, when, None, source=source)
    if not source:
        state["note"] = f"front line: newest snapshot {state['snapshot']}; no article date"
        source = "the newest snapshot (no article date)"
    return [state], [{"date": when, "front": 0}], {"source": source, "date": when}


def _step_lines(steps: list[dict[str, Any]], fronts: list[dict[str, Any]], records: list) -> None:
    for k, step in enumerate(steps):
        day = step["date"]
        lines = []
        if len(steps) > 1:
            on = sum(1 for r in records if day in r["dates"])
            before = sum(1 for r in records if r["dates"] and min(r["dates"]) < day)
            text = f"{day}: {on} place{'s' if on != 1 else ''} named on this date"
            lines.append(text + (f", {before} named earlier" if before else ""))
        f = fronts[step["front"]] if step["front"] is not None and fronts else None
        if f and f.get("since"):
            lines.append(
                f"Since {f['since']}: +{f['gained_km2']:,.1f} km² newly occupied, "
                f"−{f['lost_km2']:,.1f} km² no longer occupied (DeepStateMap)"
            )
        step["lines"] = lines
        step["k"] = k


@dataclass
class _Told:
    """What the articles tell: the places (:func:`~tracker.maps.places.collect`), the story's
    places and the far cities named in passing (:func:`~tracker.maps.places.story`), the
    story's oblasts and the article dates."""

    got: Collected
    story_codes: list[str]
    passing: list[str]
    story_places: list[Place]
    oblast_codes: set[str]
    dates: list[str]


@dataclass
class _Timeline:
    """The front-line states a map draws, its steps (one per article date on a slider),
    where its date came from and its note on the front line."""

    fronts: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    origin: dict[str, str]
    note: str
    slider: bool


def _told(store: Any, docs: Sequence[ParsedArticle]) -> _Told:
    """Collect the places of *docs*, the story and its oblasts, and the article dates."""
    got = collect(docs)
    story_codes, passing = story(got.places)
    story_places = [got.places[c].place for c in story_codes]
    oblast_codes = layers.story_oblasts(store, story_places, got.named_oblasts)
    dates = sorted({a.date for a in got.articles if a.date})
    return _Told(got, story_codes, passing, story_places, oblast_codes, dates)


def _timeline(store: Any, dates: list[str], date: str | None, frontline: bool) -> _Timeline:
    """The front line of the map's date, or of each article date (a slider), unless
    *frontline* is false (steps without a front line then)."""
    slider = len(dates) > 1
    if frontline:
        fronts, steps, origin = _fronts(store, dates, date, slider)
        return _Timeline(fronts, steps, origin, fronts[-1]["note"], slider)
    steps = [{"date": d, "front": None} for d in dates] if slider else []
    none = {"source": "none", "date": ""}
    return _Timeline([], steps, none, "no front line drawn (--no-frontline)", slider)


def _place_records(store: Any, told: _Told, fronts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One popup record per place, in reading order (the places whose articles have no date
    are given their status on the map's date)."""
    got = told.got
    map_front = _undated_front(store, got, fronts[-1]) if fronts else {}
    return [
        popup_record(e, story_place=code not in told.passing, map_front=map_front.get(code))
        for code, e in sorted(got.places.items(), key=lambda kv: kv[1].first)
    ]


def _info(told: _Told, count: int, title: str | None) -> tuple[str, str]:
    """The map's heading and the line that counts its places."""
    articles, dates = told.got.articles, told.dates
    if title or len(articles) == 1:
        heading = title or article_label(articles[0])
    else:
        span = f", {dates[0]} to {dates[-1]}" if len(dates) > 1 else ""
        heading = f"{len(articles)} articles{span}"
    summary = f"{count} place{'s' if count != 1 else ''} named"
    if len(articles) > 1:
        summary += f" in {len(articles)} articles"
    return heading, summary


def _articles_data(
    store: Any,
    told: _Told,
    timeline: _Timeline,
    records: list[dict[str, Any]],
    *,
    title: str | None,
    offline: bool,
) -> dict[str, Any]:
    """The JSON document of a map of the articles (drawn by ``static/map.js``)."""
    got, fronts = told.got, timeline.fronts
    heading, summary = _info(told, len(records), title)
    data: dict[str, Any] = {
        "offline": offline,
        "cluster_from": CLUSTER_FROM,
        "events": _events(),
        "styles": STYLES,
        "basemap": layers.basemap(store, told.story_places, told.oblast_codes, offline=offline),
        "places": records,
        "articles": [
            {"label": article_label(a), "url": _url(a.url), "date": a.date} for a in got.articles
        ],
        "fronts": fronts,
        "steps": timeline.steps,
        "unresolved": got.unresolved,
        "also": [got.places[c].place.name + " (far from the story)" for c in told.passing]
        + got.also,
        "view": _view([(p.lat, p.lon) for p in told.story_places]),  # type: ignore[misc]
        "info": {
            "title": heading or "Front-line tracker",
            "summary": summary,
            "front_note": timeline.note,
            "attribution": ATTRIBUTION + (FRONT_ATTRIBUTION if fronts else ""),
        },
    }
    hromadas = layers.hromada_outlines(store, {e.place.hromada_code for e in got.places.values()})
    if hromadas:
        data["basemap"]["hromadas"] = hromadas
    events = {r["event"] for r in records} or {"mentioned"}
    dashed = any(r["dashed"] for r in records)
    data["legend"] = _legend(data, events, dashed, timeline.slider)
    return data


def _describe(
    m: Any, told: _Told, timeline: _Timeline, markers: int, *, frontline: bool, offline: bool
) -> None:
    """Set the map's ``tracker_frontline`` and ``tracker_summary`` (see :func:`build_map`)."""
    last = timeline.fronts[-1] if timeline.fronts else None
    m.tracker_frontline = (
        {"date": last["date"], "snapshot": last["snapshot"], "note": last["note"]} if last else None
    )
    m.tracker_summary = {
        "markers": markers,
        "unresolved": len(told.got.unresolved),
        "date": timeline.origin["date"] or None,
        "frontline": timeline.note if frontline else None,
        "date_source": timeline.origin["source"],
        "steps": len(timeline.steps) if timeline.slider else 0,
        "story": told.story_codes,
        "offline_basemap": offline,
    }


def build_map(
    docs: Sequence[ParsedArticle] | ParsedArticle,
    *,
    date: str | None = None,
    frontline: bool = True,
    title: str | None = None,
    offline: bool = False,
    store: Any = None,
) -> Any:
    """A map of the places the articles name: pure (nothing is written).

    One marker per resolved settlement, coloured by the strongest claim about it, with a
    popup that reads (English and Ukrainian names, where it is, the front line on the date in
    words, who claims what, the articles with their quoted sentences); the story's oblasts
    emphasised with their shared border; the DeepState occupied area, its line of contact and
    the change since the week (or the article date) before; a legend of every style shown;
    a panel of the mentions that could not be placed; search, scale, fullscreen and measure.

    The front line's date is *date*, else the articles' date (the newest, when they have
    several), else the newest DeepState snapshot; the map says which. Articles on several dates
    get a time slider: one step per article date, showing the places named up to that date
    (those named on it ringed) and the front line of that day, with the change since the step
    before. Only ``frontline=False`` draws no front line.

    Parameters
    ----------
    docs
        Parsed articles (:func:`tracker.parse`).
    date
        The front line's date, ``YYYY-MM-DD`` (used when the articles do not span several
        dates).
    frontline
        Draw the DeepState occupied area, the line of contact and the change.
    title
        The map's title (default: the articles' titles).
    offline
        Draw our own basemap (land, borders, settlements by zoom) instead of OpenStreetMap
        tiles; use with ``save_map(..., offline=True)``.
    store
        The loaded data (default :func:`tracker.data.store.load`).

    Returns
    -------
    folium.Map
        With ``tracker_summary`` (markers, unresolved, date, frontline note, steps) and
        ``tracker_frontline`` (date, snapshot, note) attributes.
    """
    from ..data.store import load

    if isinstance(docs, ParsedArticle):
        docs = [docs]
    store = store or load()
    told = _told(store, docs)
    timeline = _timeline(store, told.dates, date, frontline)
    records = _place_records(store, told, timeline.fronts)
    _step_lines(timeline.steps, timeline.fronts, records)
    data = _articles_data(store, told, timeline, records, title=title, offline=offline)
    m = _folium_map(data, offline=offline, cluster=len(records) >= CLUSTER_FROM)
    _describe(m, told, timeline, len(records), frontline=frontline, offline=offline)
    return m


def _url(url: str | None) -> str | None:
    return url.strip() if url and re.match(r"^https?://", url.strip(), re.I) else None


def _undated_front(store: Any, got: Any, state: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The status on the map's date of the places whose articles have no date."""
    undated = [c for c, e in got.places.items() if not e.fronts]
    if not undated:
        return {}
    front = _frontline_of(store)
    lon = [got.places[c].place.lon for c in undated]
    lat = [got.places[c].place.lat for c in undated]
    out = {}
    for code, st in zip(undated, front.status(lon, lat, state["date"]), strict=True):
        out[code] = front_text(st.status, st.km_to_line, st.snapshot, st.date, st.note)
        out[code]["head"] = f"{out[code]['head'][:-1]} (the map's date):"
    return out


# -- the candidates of a "which region" question --------------------------------------------


def candidates_map(
    candidates: Sequence[Any],
    *,
    title: str | None = None,
    offline: bool = False,
    store: Any = None,
) -> Any:
    """Draw the candidates of a "which region" question (``tracker where NAME --map``): one
    numbered marker per candidate, best first, with its names, units, border distance and
    score; the oblasts of the candidates emphasised."""
    from ..data.store import load

    store = store or load()
    located = [c for c in candidates if c.lat is not None and c.lon is not None]
    records = []
    for rank, c in enumerate(located, 1):
        p = c.place
        entry = PlaceEntry(place=p, confidence=1.0)
        records.append(
            {
                **place_fields(p),
                "facts": [
                    f"Candidate {rank} of {len(located)}, score {c.score:.3f}",
                    *place_facts(entry),
                ],
                "front": [],
                "claims": [],
                "sources": [],
                "event": "best" if rank == 1 else "other",
                "symbol": str(rank),
                "dashed": False,
                "dates": [],
                "story": True,
                "code": f"KATOTTG {p.katottg}",
            }
        )
    story_places = [c.place for c in located if c.place.category in SETTLEMENTS]
    data: dict[str, Any] = {
        "offline": offline,
        "cluster_from": 10_000,
        "events": {
            "best": {"color": "#b30000", "symbol": "", "label": "best candidate"},
            "other": {"color": "#1f5fbf", "symbol": "", "label": "other candidates"},
        },
        "styles": STYLES,
        "basemap": layers.basemap(
            store, story_places[:50], {p.katottg[:4] for p in story_places}, offline=offline
        ),
        "places": records,
        "articles": [],
        "fronts": [],
        "steps": [],
        "unresolved": [],
        "also": [],
        "view": _view([(r["lat"], r["lon"]) for r in records]),
        "info": {
            "title": title or "Candidates",
            "summary": f"{len(records)} candidates, best first",
            "front_note": "",
            "attribution": ATTRIBUTION,
        },
    }
    data["legend"] = [{"kind": "marker", **data["events"][k]} for k in ("best", "other")]
    data["legend"] += _legend({**data, "events": {}}, set(), False, False)
    m = _folium_map(data, offline=offline, cluster=False)
    m.tracker_frontline = None
    m.tracker_summary = {
        "markers": len(records),
        "unresolved": 0,
        "date": None,
        "frontline": None,
        "date_source": "none",
        "steps": 0,
        "story": [r["id"] for r in records],
        "offline_basemap": offline,
    }
    return m
