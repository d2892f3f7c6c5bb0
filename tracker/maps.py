"""Interactive maps (folium): building is pure, saving is separate and atomic.

``build_map(docs)`` draws one marker per resolved Ukrainian settlement (a village named
in five sentences is one marker with five entries), coloured by the strongest claim
about it, with a popup holding names, oblast / raion / hromada, distance to the oblast
border, front-line status and every quoted sentence; the oblasts (those the articles
talk about emphasised), optional hromada outlines, the DeepState occupied area on the
date and its change since a week before, a panel of unresolved mentions, a legend, a
search box, scale bar, fullscreen and distance-measure tools, and marker clustering.

``save_map(m, path, offline=True)`` writes one self-contained file: every script and
stylesheet inlined from the npm packages in ``js/`` (``npm ci --prefix js``), no tile
server (a vector basemap from our own polygons instead), and a check that nothing
external is left. Article text is untrusted: everything shown is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from collections.abc import Sequence
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

import numpy as np
import shapely

from .errors import InputError, TrackerError
from .models import MentionClaim, ParsedArticle

__all__ = ["EVENT_STYLE", "build_map", "candidates_map", "esc", "save_map"]

#: Strongest first: the marker takes the style of the strongest claim about the place.
EVENT_STYLE = {
    "captured": ("#b30000", "✖", "captured / occupied"),
    "entered": ("#e65c00", "➤", "entered"),
    "liberated": ("#1f5fbf", "✔", "liberated"),
    "attacked": ("#7b2d8b", "✸", "attacked / struck"),
    "advancing": ("#d48a00", "→", "advancing toward"),
    "repelled": ("#2e8b57", "◼", "attack repelled"),
    "evacuated": ("#5f6b7a", "⇡", "evacuated"),
    "other": ("#8a8a8a", "•", "other claim"),
    "mentioned": ("#a0a0a0", "•", "only mentioned"),
}
_DASHED_STANCES = ("claimed", "disputed", "denied")
#: From this many places on, markers are clustered.
CLUSTER_FROM = 50
_ATTRIBUTION = (
    "Places: KATOTTG codifier, GeoNames (CC BY 4.0); boundaries: geoBoundaries / "
    "© OpenStreetMap contributors (ODbL), OPORA (CC BY 4.0); front line: DeepStateMap"
)
_JS_DIR_ENV = "TRACKER_JS_DIR"


def esc(value) -> str:
    """HTML-escape untrusted text, also for folium's JS template literals (` $ \\)."""
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"^https?://", url.strip(), re.I) else None


# -- places ------------------------------------------------------------------------------------


def _places(docs: Sequence[ParsedArticle]) -> tuple[dict[str, dict], list[dict]]:
    """Resolved settlements (by KATOTTG) with their sentences and claims; unresolved mentions."""
    places: dict[str, dict] = {}
    unresolved: list[dict] = []
    for doc in docs:
        a = doc.article
        for r in doc.mentions:
            if r.status == "unresolved":
                unresolved.append(
                    {
                        "text": r.mention.text,
                        "article": a.title or a.id,
                        "sentence": r.sentence,
                        "candidates": [f"{p.name} ({p.oblast})" for p, _ in r.alternatives[:4]],
                    }
                )
                continue
            p = r.place
            if p is None or p.lon is None or p.category not in ("K", "M", "T", "X", "C"):
                continue
            entry = places.setdefault(
                p.katottg,
                {"place": p, "entries": [], "claims": [], "frontline": None, "confidence": 0.0},
            )
            entry["entries"].append(
                {
                    "sentence": r.sentence,
                    "title": a.title or a.id,
                    "url": _safe_url(a.url),
                    "date": a.date,
                    "text": r.mention.text,
                }
            )
            entry["claims"].extend(c for c in r.claims if c not in entry["claims"])  # once each
            entry["confidence"] = max(entry["confidence"], r.confidence)
            if r.frontline is not None and not entry["frontline"]:
                entry["frontline"] = r.frontline.to_dict()
    return places, unresolved


def _strongest(claims: Sequence[MentionClaim]) -> tuple[str, str | None]:
    order = list(EVENT_STYLE)
    best, stance = "mentioned", None
    for c in claims:
        event = c.claim.event
        if c.claim.negated:
            continue
        if event in order and order.index(event) < order.index(best):
            best, stance = event, c.claim.stance
    return best, stance


def _popup_html(entry: dict) -> str:
    p = entry["place"]
    rows = [
        f"<b>{esc(p.name)}</b> ({esc(p.name_uk)}) — {esc(p.kind)}",
        f"{esc(p.oblast)} oblast / {esc(p.raion)} raion / {esc(p.hromada)} hromada",
        f"KATOTTG {esc(p.katottg)}",
    ]
    if p.km_to_oblast_border is not None:
        rows.append(f"{p.km_to_oblast_border:.1f} km to the {esc(p.across_border)} oblast border")
    fl = entry["frontline"]
    if fl and fl.get("status"):
        rows.append(
            f"Front line on {esc(fl['date'])}: <b>{esc(fl['status'])}</b> "
            f"({esc(fl.get('km_to_line'))} km to the line; DeepStateMap "
            f"{esc(fl.get('snapshot'))})"
        )
    claims = entry["claims"]
    if claims:
        items = []
        for c in claims[:8]:
            check = c.frontline_check.verdict if c.frontline_check else None
            items.append(
                f"<li>{'not ' if c.claim.negated else ''}{esc(c.claim.event)} — "
                f"{esc(c.claim.claimant)}, {esc(c.claim.stance)}"
                f"{f' [DeepState: {esc(check)}]' if check else ''}</li>"
            )
        rows.append("<b>Claims</b><ul class='trk-claims'>" + "".join(items) + "</ul>")
    quotes = []
    for e in entry["entries"]:
        source = esc(e["title"])
        if e["url"]:
            source = f"<a href='{esc(e['url'])}' target='_blank' rel='noopener'>{source}</a>"
        quotes.append(
            f"<li class='trk-quote'>“{esc(e['sentence'])}” — {source}"
            f"{', ' + esc(e['date']) if e['date'] else ''}</li>"
        )
    rows.append("<b>Sentences</b><ol>" + "".join(quotes) + "</ol>")
    return (
        "<div class='trk-popup' style='max-height:300px;overflow:auto;font:12px/1.35 sans-serif'>"
        + "<br>".join(rows)
        + "</div>"
    )


def _marker_html(entry: dict, event: str, stance: str | None) -> str:
    color, symbol, _ = EVENT_STYLE[event]
    border = "dashed" if stance in _DASHED_STANCES else "solid"
    p = entry["place"]
    return (
        f"<div class='trk-marker' data-katottg='{esc(p.katottg)}' data-name='{esc(p.name)}' "
        f"data-event='{event}' style='width:20px;height:20px;border-radius:50%;"
        f"background:{color};border:2px {border} #222;color:#fff;font:bold 12px/16px sans-serif;"
        f"text-align:center'>{symbol}</div>"
    )


# -- layers ------------------------------------------------------------------------------------


def _rounded(geom, tolerance: float = 0.002):
    """Simplified polygons with coordinates rounded to 5 decimals (~1 m)."""
    simple = shapely.simplify(geom, tolerance, preserve_topology=True)
    return shapely.set_precision(simple, 1e-5)


def _geojson(geoms, props: list[dict]) -> dict:
    feats = []
    for g, pr in zip(geoms, props, strict=True):
        if g is None or shapely.is_empty(g):
            continue
        feats.append(
            {"type": "Feature", "properties": pr, "geometry": json.loads(shapely.to_geojson(g))}
        )
    return {"type": "FeatureCollection", "features": feats}


def _add_oblasts(m, store, emphasised: set[str], *, basemap: bool) -> None:
    import folium

    ob = store.oblasts
    geoms = [_rounded(g, 0.005) for g in ob.geometry.values]
    props = [{"name": n, "talked_about": n in emphasised} for n in ob["oblast"]]
    layer = folium.GeoJson(
        _geojson(geoms, props),
        name="Oblasts",
        style_function=lambda f: {
            "color": "#b22222" if f["properties"]["talked_about"] else "#555",
            "weight": 3 if f["properties"]["talked_about"] else 1,
            "fillColor": "#f4f1ea" if basemap else "#ffffff",
            "fillOpacity": (0.9 if basemap else 0.0)
            if not f["properties"]["talked_about"]
            else (0.95 if basemap else 0.08),
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    )
    layer.add_to(m)
    for name, pt in zip(ob["oblast"], shapely.point_on_surface(ob.geometry.values), strict=True):
        bold = "700" if name in emphasised else "400"
        folium.Marker(
            [round(shapely.get_y(pt), 4), round(shapely.get_x(pt), 4)],
            icon=folium.DivIcon(
                html=f"<div class='trk-oblast-label' style='font:{bold} 11px "
                f"sans-serif;color:#333;white-space:nowrap'>{esc(name)}</div>",
                icon_size=(120, 14),
                icon_anchor=(60, 7),
            ),
        ).add_to(m)


def _add_units(m, store, level: str, codes: set[str]) -> None:
    """The (generalised OPORA) outlines of the raions or hromadas of the places shown."""
    import folium

    codes = {c for c in codes if isinstance(c, str)}
    if not codes:
        return
    from .gazetteer import load as load_gazetteer

    layer = store.raions if level == "raion" else store.hromadas
    sel = layer[layer[f"{level}_code"].isin(codes)]
    if sel.empty:
        return
    gaz = load_gazetteer(store.directory)
    names = [gaz.col["name"][gaz.katottg_index[c]] for c in sel[f"{level}_code"]]
    color, dash, tolerance = {
        "hromada": ("#3366aa", "4 3", 0.001),
        "raion": ("#6a3d9a", "8 4", 0.002),
    }[level]
    folium.GeoJson(
        _geojson(
            [_rounded(g, tolerance) for g in sel.geometry.values],
            [{"name": f"{n} {level} (generalised outline)"} for n in names],
        ),
        name=f"{level.capitalize()}s of the places shown",
        show=False,
        style_function=lambda f: {
            "color": color,
            "weight": 1.5,
            "fillOpacity": 0.04,
            "dashArray": dash,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(m)


def _add_frontline(m, store, when: str) -> None:
    """The DeepState occupied area on *when* and its change in the week before, as layers.

    A date outside the archive is drawn from the nearest snapshot (the newest or the oldest)
    and the layer's name says which; the snapshot used is kept in ``m.tracker_frontline``.
    The change layer is left out when it would be empty (no change in that week, the oldest
    snapshot, or a week that lies wholly after the newest snapshot), and so is an empty area.
    """
    import folium

    from .frontline import frontline_of

    front = frontline_of(store)
    snap = front.nearest(when)
    i = snap.index
    used = snap.used.isoformat()
    m.tracker_frontline = {"date": when, "snapshot": used, "note": snap.note}
    qualifier = {"after": ", the newest snapshot", "before": ", the oldest snapshot"}.get(
        snap.position, ""
    )
    now = front.occupied(i)
    if not shapely.is_empty(now):
        folium.GeoJson(
            _geojson([_rounded(now)], [{"name": f"Occupied area, DeepStateMap {used}"}]),
            name=f"Occupied area on {when} (DeepStateMap {used}{qualifier})",
            style_function=lambda f: {
                "color": "#8b0000",
                "weight": 1,
                "fillColor": "#d62728",
                "fillOpacity": 0.25,
            },
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
            attr="DeepStateMap",
        ).add_to(m)
    week = front.nearest(max(front.dates[0], snap.asked - timedelta(days=7))).index
    if week == i:
        return
    before = front.occupied(week)
    change = _geojson(
        [
            _rounded(shapely.difference(now, before), 0.0005),
            _rounded(shapely.difference(before, now), 0.0005),
        ],
        [
            {"name": "newly occupied", "kind": "gained"},
            {"name": "no longer occupied", "kind": "lost"},
        ],
    )
    if not change["features"]:
        return
    folium.GeoJson(
        change,
        name=f"Change since {front.dates[week].isoformat()} (DeepStateMap)",
        style_function=lambda f: {
            "color": "#4d0000" if f["properties"]["kind"] == "gained" else "#1f5fbf",
            "weight": 1,
            "fillOpacity": 0.6,
            "fillColor": "#4d0000" if f["properties"]["kind"] == "gained" else "#1f5fbf",
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(m)


def _add_timeline(m, store, docs, dates: list[str], frontline: bool) -> None:
    """Articles on several dates: a time slider over the places named on each date and the
    DeepState occupied area (MultiPolygons) of each article date."""
    from folium.plugins import Timeline, TimelineSlider

    ends = {d: (Date.fromisoformat(d) + timedelta(days=1)).isoformat() for d in dates}
    feats = []
    for doc in docs:
        day = doc.article.date
        if not day:
            continue
        seen = set()
        for r in doc.mentions:
            p = r.place
            if (
                p is None
                or p.lon is None
                or p.katottg in seen
                or p.category not in ("K", "M", "T", "X", "C")
            ):
                continue
            seen.add(p.katottg)
            event, _ = _strongest(list(r.claims))
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(p.lon, 5), round(p.lat, 5)],
                    },
                    "properties": {
                        "start": day,
                        "end": ends[day],
                        "name": p.name,
                        "color": EVENT_STYLE[event][0],
                    },
                }
            )
    from .frontline import frontline_of

    front = frontline_of(store) if frontline else None
    if front is not None:
        for day in dates:
            if front.covers(day):
                geom = _rounded(front.occupied(front.index_for(day)), 0.01)
                feats.append(
                    {
                        "type": "Feature",
                        "geometry": json.loads(shapely.to_geojson(geom)),
                        "properties": {
                            "start": day,
                            "end": ends[day],
                            "name": f"occupied {day} (DeepStateMap)",
                            "color": "#8b0000",
                        },
                    }
                )
    if not feats:
        return
    from folium.utilities import JsCode

    timeline = Timeline(
        {"type": "FeatureCollection", "features": feats},
        name="By article date (time slider)",
        pointToLayer=JsCode(
            "function(f, latlng){return L.circleMarker(latlng, {radius: 7, color: '#222', "
            "weight: 1, fillColor: f.properties.color, fillOpacity: 0.9})"
            ".bindTooltip(f.properties.name);}"
        ),
        style=JsCode(
            "function(f){return {color: f.properties.color, weight: 1.5, fillOpacity: 0.12};}"
        ),
    ).add_to(m)
    TimelineSlider(
        auto_play=False,
        show_ticks=True,
        enable_keyboard_controls=True,
        date_options="YYYY-MM-DD",
        duration=1000,
    ).add_timelines(timeline).add_to(m)


def _panel(title: str, body: str, *, corner: str, panel_id: str) -> str:
    pos = {
        "left": "top:170px;left:10px",
        "bottomleft": "bottom:130px;left:10px",
        "bottomright": "bottom:130px;right:10px",
    }[corner]
    return (
        f"<div id='{panel_id}' style='position:fixed;{pos};z-index:9999;background:#fff;"
        f"padding:6px 9px;border:1px solid #999;border-radius:4px;max-width:320px;"
        f"max-height:40%;overflow:auto;font:12px sans-serif'><b>{esc(title)}</b>{body}</div>"
    )


def _legend(events: set[str]) -> str:
    rows = []
    for event, (color, symbol, label) in EVENT_STYLE.items():
        if event in events:
            rows.append(
                f"<div><span style='display:inline-block;width:14px;height:14px;"
                f"border-radius:50%;background:{color};color:#fff;text-align:center;"
                f"font:bold 10px/14px sans-serif'>{symbol}</span> {esc(label)}</div>"
            )
    rows.append("<div style='margin-top:4px'>dashed ring: claimed, disputed or denied</div>")
    rows.append(
        "<div><span style='display:inline-block;width:14px;height:10px;"
        "background:#d62728;opacity:.5'></span> occupied (DeepStateMap)</div>"
    )
    return _panel("Legend", "".join(rows), corner="bottomright", panel_id="trk-legend")


# -- the maps ----------------------------------------------------------------------------------


def _base_map(center, zoom):
    import folium

    # with no tile layer the map itself must bound the zoom (marker clustering needs it);
    # folium keeps its max_zoom argument for the default tile layer, so pass Leaflet's names
    return folium.Map(
        location=center, zoom_start=zoom, tiles=None, control_scale=True, maxZoom=18, minZoom=4
    )


def build_map(
    docs: Sequence[ParsedArticle] | ParsedArticle,
    *,
    date: str | None = None,
    frontline: bool = True,
    title: str | None = None,
    offline: bool = False,
    store=None,
):
    """A folium map of the places the articles name (see the module docstring).

    Parameters
    ----------
    docs
        Parsed articles (:func:`tracker.parse`).
    date
        The date for the front line (default: the newest article date).
    frontline
        Draw the DeepState occupied area and its weekly change.
    offline
        Draw a vector basemap from our own polygons instead of OSM tiles (use with
        ``save_map(..., offline=True)``).

    Returns
    -------
    folium.Map
        Its ``tracker_summary`` attribute counts markers and unresolved mentions.
    """
    import folium
    from folium import plugins

    from .data.store import load

    if isinstance(docs, ParsedArticle):
        docs = [docs]
    store = store or load()
    places, unresolved = _places(docs)
    dates = sorted({d.article.date for d in docs if d.article.date})
    when = date or (dates[-1] if dates else None)
    if places:
        lats = [e["place"].lat for e in places.values()]
        lons = [e["place"].lon for e in places.values()]
        center = [float(np.mean(lats)), float(np.mean(lons))]
        zoom = 9 if max(lats) - min(lats) < 0.5 and max(lons) - min(lons) < 0.8 else 7
    else:
        center, zoom = [48.5, 31.5], 6
    m = _base_map(center, zoom)
    if not offline:  # offline: the oblast polygons below are the (vector) basemap
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap", attr="© OpenStreetMap contributors"
        ).add_to(m)
    emphasised = {e["place"].oblast for e in places.values()}
    for doc in docs:
        emphasised |= {
            r.place.oblast
            for r in doc.mentions
            if r.place is not None and r.mention.kind == "oblast"
        }
    _add_oblasts(m, store, emphasised, basemap=offline)
    shown = [e["place"] for e in places.values()]
    _add_units(m, store, "raion", {p.raion_code for p in shown})
    _add_units(m, store, "hromada", {p.hromada_code for p in shown})
    if frontline and when:
        _add_frontline(m, store, when)

    name = "Places named in the articles"
    if len(places) >= CLUSTER_FROM:  # thousands of places stay usable
        cluster = plugins.MarkerCluster(name=name, options={"disableClusteringAtZoom": 11})
    else:
        cluster = folium.FeatureGroup(name=name)
    cluster.add_to(m)
    events = set()
    search_feats = []
    for entry in places.values():
        event, stance = _strongest(entry["claims"])
        events.add(event)
        p = entry["place"]
        loc = [round(p.lat, 5), round(p.lon, 5)]
        folium.Marker(
            loc,
            icon=folium.DivIcon(
                html=_marker_html(entry, event, stance), icon_size=(24, 24), icon_anchor=(12, 12)
            ),
            popup=folium.Popup(_popup_html(entry), max_width=420),
            tooltip=esc(f"{p.name} ({p.oblast})"),
        ).add_to(cluster)
        search_feats.append(
            {
                "type": "Feature",
                "properties": {"name": p.name},
                "geometry": {"type": "Point", "coordinates": loc[::-1]},
            }
        )
    if search_feats:
        index = folium.GeoJson(
            {"type": "FeatureCollection", "features": search_feats},
            name="search index",
            marker=folium.CircleMarker(radius=0, opacity=0, fill_opacity=0),
            control=False,
        ).add_to(m)
        plugins.Search(
            layer=index,
            search_label="name",
            placeholder="Search places",
            collapsed=False,
            search_zoom=12,
        ).add_to(m)
    if len(dates) > 1:
        _add_timeline(m, store, docs, dates, frontline)
    plugins.Fullscreen().add_to(m)
    plugins.MeasureControl(primary_length_unit="kilometers").add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)

    root = m.get_root()
    heading = title or ", ".join(d.article.title or d.article.id for d in docs[:3])
    root.html.add_child(
        folium.Element(
            _panel(
                heading or "Front-line tracker",
                f"<div>{len(places)} places{', front line on ' + esc(when) if when else ''}</div>"
                f"<div style='color:#555'>{esc(_ATTRIBUTION)}</div>",
                corner="bottomleft",
                panel_id="trk-title",
            )
        )
    )
    root.html.add_child(folium.Element(_legend(events or {"mentioned"})))
    if unresolved:
        items = "".join(
            f"<li class='trk-unresolved'>{esc(u['text'])} — {esc(u['article'])}"
            f"{': ' + esc(', '.join(u['candidates'])) if u['candidates'] else ''}</li>"
            for u in unresolved
        )
        root.html.add_child(
            folium.Element(
                _panel(
                    f"Unresolved mentions ({len(unresolved)})",
                    f"<ul>{items}</ul>",
                    corner="left",
                    panel_id="trk-unresolved",
                )
            )
        )
    m.tracker_summary = {
        "markers": len(places),
        "unresolved": len(unresolved),
        "date": when,
        "offline_basemap": offline,
    }
    return m


def candidates_map(candidates, *, title: str | None = None, offline: bool = False, store=None):
    """Draw the candidates of a "which region" question (``tracker where NAME --map``)."""
    import folium

    from .data.store import load

    store = store or load()
    located = [c for c in candidates if c.lat is not None]
    center = (
        [float(np.mean([c.lat for c in located])), float(np.mean([c.lon for c in located]))]
        if located
        else [48.5, 31.5]
    )
    m = _base_map(center, 6)
    if not offline:
        folium.TileLayer("OpenStreetMap", attr="© OpenStreetMap contributors").add_to(m)
    _add_oblasts(m, store, {c.oblast for c in located}, basemap=offline)
    _add_units(m, store, "raion", {c.raion_code for c in located})
    _add_units(m, store, "hromada", {c.hromada_code for c in located})
    for rank, c in enumerate(located, 1):
        color = "#b30000" if rank == 1 else "#1f5fbf"
        body = (
            f"<b>{esc(c.name)}</b> ({esc(c.name_uk)}) — {esc(c.kind)}<br>"
            f"{esc(c.oblast)} / {esc(c.raion)} / {esc(c.hromada)}<br>KATOTTG {esc(c.katottg)}"
            f"<br>score {c.score:.3f}"
            + (
                f"<br>{c.km_to_oblast_border:.1f} km to the {esc(c.across_border)} border"
                if c.km_to_oblast_border is not None
                else ""
            )
        )
        folium.Marker(
            [round(c.lat, 5), round(c.lon, 5)],
            icon=folium.DivIcon(
                html=f"<div class='trk-marker' data-katottg='{esc(c.katottg)}' "
                f"style='width:22px;height:22px;border-radius:50%;"
                f"background:{color};color:#fff;border:2px solid #222;"
                f"font:bold 11px/18px sans-serif;text-align:center'>"
                f"{rank}</div>",
                icon_size=(26, 26),
                icon_anchor=(13, 13),
            ),
            popup=folium.Popup(body, max_width=360),
            tooltip=esc(f"{rank}. {c.name}, {c.oblast}"),
        ).add_to(m)
    m.get_root().html.add_child(
        folium.Element(
            _panel(
                title or "Candidates",
                f"<div>{len(located)} candidates, best first</div>",
                corner="bottomleft",
                panel_id="trk-title",
            )
        )
    )
    folium.LayerControl(collapsed=True).add_to(m)
    m.tracker_summary = {
        "markers": len(located),
        "unresolved": 0,
        "date": None,
        "offline_basemap": offline,
    }
    return m


# -- saving ------------------------------------------------------------------------------------

#: CDN address -> file in the npm packages of js/ (same versions as folium's templates).
_MC = "leaflet.markercluster/dist/"
_ASSETS = {
    "leaflet@1.9.3/dist/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet@1.9.3/dist/leaflet.css": "leaflet/dist/leaflet.css",
    "jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "leaflet.markercluster/1.1.0/leaflet.markercluster.js": _MC + "leaflet.markercluster.js",
    "leaflet.markercluster/1.1.0/MarkerCluster.css": _MC + "MarkerCluster.css",
    "leaflet.markercluster/1.1.0/MarkerCluster.Default.css": _MC + "MarkerCluster.Default.css",
    "leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "leaflet.fullscreen/"
    "Control.FullScreen.js",
    "leaflet.fullscreen@3.0.0/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "leaflet-measure@2.1.7/dist/leaflet-measure.min.js": "leaflet-measure/dist/leaflet-measure.js",
    "leaflet-measure@2.1.7/dist/leaflet-measure.min.css": "leaflet-measure/dist/"
    "leaflet-measure.css",
    "leaflet-search@2.9.7/dist/leaflet-search.min.js": "leaflet-search/dist/leaflet-search.min.js",
    "leaflet.timeline@1.6.0/dist/leaflet.timeline.min.js": "leaflet.timeline/dist/"
    "leaflet.timeline.js",
    "moment.js/2.18.1/moment.min.js": "moment/min/moment.min.js",
    "leaflet-search@2.9.7/dist/leaflet-search.min.css": "leaflet-search/dist/"
    "leaflet-search.min.css",
}
#: Libraries folium always adds but these maps do not use (icon fonts, bootstrap): dropped
#: offline, because their stylesheets fetch fonts.
_UNUSED = ("bootstrap", "fontawesome", "awesome-markers", "awesome.rotate", "glyphicons")


def js_dir() -> Path:
    """Where the npm packages for offline maps are (``$TRACKER_JS_DIR`` or ``js/node_modules``)."""
    value = os.environ.get(_JS_DIR_ENV)
    if value:
        return Path(value)
    return Path(__file__).resolve().parents[1] / "js" / "node_modules"


def _data_uri(path: Path) -> str:
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}.get(
        path.suffix.lower(), "application/octet-stream"
    )
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(css: str, base: Path) -> str:
    def repl(match):
        ref = match.group(2)
        if ref.startswith("data:") or ref.startswith("#"):
            return match.group(0)
        local = (base / ref.split("?")[0].split("#")[0]).resolve()
        if not local.is_file():
            return "url()"  # an unused image: better no request than a failed one
        return f"url({_data_uri(local)})"

    return re.sub(r"url\((['\"]?)([^)'\"]+)\1\)", repl, css)


def inline_assets(page: str, assets: Path | None = None) -> str:
    """Inline every script and stylesheet of a folium page; raise if anything stays external."""
    assets = assets or js_dir()
    if not assets.is_dir():
        raise InputError(
            f"offline maps need the Leaflet packages in {str(assets)!r}; run "
            "'npm ci --prefix js' in the repository (or set TRACKER_JS_DIR)"
        )

    def local(url: str) -> Path | None:
        """The local copy of a CDN file; None for a library these maps do not use."""
        if any(u in url for u in _UNUSED):
            return None
        for key, rel in _ASSETS.items():
            if url.endswith(key) and (assets / rel).is_file():
                return assets / rel
        raise TrackerError(f"no local copy of {url!r} for an offline map (update _ASSETS)")

    def script(match):
        path = local(match.group(1))
        if path is None:
            return ""
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        if path.name == "leaflet.js":  # default marker images as data: no file requests
            images = path.parent / "images"
            code += (
                "\nL.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({"
                f"iconUrl:'{_data_uri(images / 'marker-icon.png')}',"
                f"iconRetinaUrl:'{_data_uri(images / 'marker-icon-2x.png')}',"
                f"shadowUrl:'{_data_uri(images / 'marker-shadow.png')}'}});"
            )
        return f"<script>{code}</script>"

    def style(match):
        path = local(match.group(1))
        if path is None:
            return ""
        return f"<style>{_inline_css(path.read_text(encoding='utf-8'), path.parent)}</style>"

    page = re.sub(r"<script[^>]*\ssrc=\"(https?://[^\"]+)\"[^>]*>\s*</script>", script, page)
    page = re.sub(r"<link[^>]*\shref=\"(https?://[^\"]+)\"[^>]*/?>", style, page)
    left = re.findall(r"(?:src|href)=\"(https?://[^\"]+)\"", page)
    left = [u for u in left if "<a " not in u]
    if re.search(r"<(?:script|link)[^>]*(?:src|href)=\"https?://", page):
        raise TrackerError(f"the offline map still references {left[:3]}")
    return page


def save_map(
    m, path: str | os.PathLike[str], *, offline: bool = False, assets: Path | None = None
) -> int:
    """Write the map to *path* atomically; with *offline*, as one self-contained file.

    Returns the size in bytes.
    """
    from .outputs import write_atomic

    page = m.get_root().render()
    if offline:
        page = inline_assets(page, assets)
    write_atomic(path, page)
    return len(page.encode())
