/* front-line tracker: the map's behaviour, drawn from one JSON blob (#trk-data).
 *
 * Everything the articles say reaches the page only through this script, and only as text:
 * textContent, setAttribute and http(s) links checked here again. Python never writes
 * article text into HTML. One function, trackerMap(map, dataElement), called once the
 * folium map exists; it returns a small handle that the tests and the screenshot script use
 * (window.trackerMaps[...]).
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
  }

  function fold(text) {
    return String(text || "")
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[’'`ʼ]/g, "");
  }

  // -- markers and popups -------------------------------------------------------------------

  function markerIcon(place, style, state) {
    var node = el("div", "trk-marker trk-event-" + place.event + (state ? " trk-" + state : ""));
    node.setAttribute("data-katottg", place.id);
    node.setAttribute("data-name", place.name);
    node.setAttribute("data-event", place.event);
    node.style.background = style.color;
    node.style.borderStyle = place.dashed ? "dashed" : "solid";
    node.textContent = place.symbol || style.symbol;
    return L.divIcon({ html: node, className: "trk-marker-box", iconSize: [24, 24], iconAnchor: [12, 12] });
  }

  function popupContent(place, data) {
    var box = el("div", "trk-popup");
    var head = el("div", "trk-popup-head");
    head.appendChild(el("b", "trk-name", place.name));
    if (place.uk && place.uk !== place.name) head.appendChild(el("span", "trk-name-uk", place.uk));
    box.appendChild(head);
    box.appendChild(el("div", "trk-where", place.where));
    (place.facts || []).forEach(function (fact) {
      box.appendChild(el("div", "trk-fact", fact));
    });
    (place.front || []).forEach(function (front) {
      var line = el("div", "trk-front trk-front-" + front.status.replace(/ /g, "-"));
      line.appendChild(el("b", null, front.head));
      line.appendChild(document.createTextNode(" " + front.text));
      box.appendChild(line);
    });
    if (place.claims && place.claims.length) {
      box.appendChild(el("div", "trk-section", "What is claimed"));
      var list = el("ul", "trk-claims");
      place.claims.forEach(function (claim) {
        var item = el("li", "trk-claim");
        item.appendChild(el("span", "trk-claimant", claim.who));
        item.appendChild(document.createTextNode(" " + claim.what));
        if (claim.check) item.appendChild(el("div", "trk-check trk-check-" + claim.verdict, claim.check));
        var source = data.articles[claim.article];
        if (source && place.sources.length > 1) item.appendChild(el("div", "trk-claim-source", source.label));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (place.sources.length)
      box.appendChild(el("div", "trk-section", place.sources.length > 1 ? "In the articles" : "In the article"));
    place.sources.forEach(function (src) {
      var article = data.articles[src.article];
      var block = el("div", "trk-source");
      var title = el("div", "trk-source-title");
      var url = safeUrl(article.url);
      if (url) {
        var link = el("a", null, article.label);
        link.setAttribute("href", url);
        link.setAttribute("target", "_blank");
        link.setAttribute("rel", "noopener noreferrer");
        title.appendChild(link);
      } else {
        title.appendChild(el("span", null, article.label));
      }
      if (article.date) title.appendChild(el("span", "trk-date", article.date));
      block.appendChild(title);
      src.quotes.forEach(function (quote) {
        block.appendChild(el("blockquote", "trk-quote", quote));
      });
      box.appendChild(block);
    });
    if (place.note) box.appendChild(el("div", "trk-note", place.note));
    box.appendChild(el("div", "trk-code", place.code));
    return box;
  }

  // -- basemap: settlements and labels by zoom ---------------------------------------------

  var measure = document.createElement("canvas").getContext("2d");

  function textWidth(text, font) {
    measure.font = font;
    return measure.measureText(text).width;
  }

  function LabelLayer(map, items) {
    // items: {lat, lon, text, sub, cls, minZoom, maxZoom, priority, dx}
    var pane = map.createPane("trk-labels");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    var enabled = { settlements: true };
    var hidden = {};
    function place() {
      while (pane.firstChild) pane.removeChild(pane.firstChild);
      var zoom = map.getZoom();
      var size = map.getSize();
      var bounds = map.getBounds().pad(0.1);
      var taken = [];
      var shown = 0;
      // the markers of the places shown are obstacles: no label is written over them
      items.forEach(function (item) {
        if (item.marker && !hidden[item.place] && bounds.contains([item.lat, item.lon])) {
          var c = map.latLngToContainerPoint([item.lat, item.lon]);
          taken.push([c.x - 12, c.y - 12, c.x + 12, c.y + 12]);
        }
      });
      function free(x0, y0, w, h) {
        if (x0 > size.x || y0 > size.y || x0 + w < 0 || y0 + h < 0) return false;
        for (var k = 0; k < taken.length; k++) {
          var t = taken[k];
          if (x0 < t[2] && x0 + w > t[0] && y0 < t[3] && y0 + h > t[1]) return false;
        }
        return true;
      }
      items.forEach(function (item) {
        if (zoom < item.minZoom || zoom > item.maxZoom) return;
        if (item.group && !enabled[item.group]) return;
        if (item.place !== undefined && hidden[item.place]) return;
        if (!bounds.contains([item.lat, item.lon])) return;
        var cpt = map.latLngToContainerPoint([item.lat, item.lon]);
        var w = Math.max(textWidth(item.text, item.font), item.sub ? textWidth(item.sub, item.subFont) : 0) + 4;
        var h = item.sub ? 26 : 14;
        // right of the point, else left, above, below (centred labels stay centred)
        var spots = item.center
          ? [[-w / 2, -h / 2]]
          : [[item.dx, -h / 2], [-item.dx - w, -h / 2], [-w / 2, -h - item.dx + 2], [-w / 2, item.dx - 2]];
        var spot = null;
        for (var k = 0; k < spots.length && !spot; k++) {
          if (free(cpt.x + spots[k][0], cpt.y + spots[k][1], w, h)) spot = spots[k];
        }
        if (!spot) return;
        var x0 = cpt.x + spot[0];
        var y0 = cpt.y + spot[1];
        taken.push([x0 - 2, y0 - 1, x0 + w + 2, y0 + h + 1]);
        var pt = map.latLngToLayerPoint([item.lat, item.lon]);
        var node = el("div", "trk-label " + item.cls);
        node.appendChild(el("span", "trk-label-main", item.text));
        if (item.sub) node.appendChild(el("span", "trk-label-sub", item.sub));
        node.style.left = Math.round(pt.x + spot[0]) + "px";
        node.style.top = Math.round(pt.y + spot[1]) + "px";
        pane.appendChild(node);
        shown++;
      });
      pane.setAttribute("data-shown", String(shown));
    }
    map.on("zoomstart", function () {
      pane.style.display = "none";
    });
    map.on("zoomend moveend resize", function () {
      pane.style.display = "";
      place();
    });
    return {
      pane: pane,
      refresh: place,
      hide: function (places) {
        hidden = places;
        place();
      },
      enable: function (group, on) {
        enabled[group] = on;
        place();
      },
    };
  }

  var FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var TIERS = {
    1: { minZoom: 6, radius: 4, cls: "trk-city", font: "600 " + FONT },
    2: { minZoom: 9, radius: 3, cls: "trk-town", font: FONT },
    3: { minZoom: 11, radius: 2.2, cls: "trk-village", font: "11px system-ui, sans-serif" },
  };

  // -- panels ---------------------------------------------------------------------------------

  function control(position, cls, build) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = el("div", "trk-panel leaflet-bar " + cls);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        build(box);
        return box;
      },
    });
    return new C();
  }

  function swatch(entry) {
    var s = el("span", "trk-swatch trk-swatch-" + entry.kind);
    if (entry.kind === "marker") {
      s.style.background = entry.color;
      s.style.borderStyle = entry.dashed ? "dashed" : "solid";
      s.textContent = entry.symbol || "";
      if (entry.faded) s.style.opacity = "0.45";
      if (entry.current) s.classList.add("trk-current");
    } else if (entry.kind === "line") {
      s.style.borderTopColor = entry.color;
      s.style.borderTopWidth = Math.max(1, entry.weight) + "px";
      s.style.borderTopStyle = entry.dash ? "dashed" : "solid";
      if (entry.casing) s.style.boxShadow = "0 0 0 1px " + entry.casing;
    } else if (entry.kind === "area") {
      s.style.background = entry.color;
      s.style.opacity = String(entry.opacity === undefined ? 1 : entry.opacity);
      if (entry.outline) s.style.outline = "1px solid " + entry.outline;
    } else if (entry.kind === "dot") {
      s.style.width = s.style.height = 2 * entry.radius + "px";
      s.style.background = entry.color;
    }
    return s;
  }

  function geoStyle(style) {
    return function () {
      return style;
    };
  }

  // -- the map --------------------------------------------------------------------------------

  function trackerMap(map, dataElement) {
    var started = performance.now();
    var data = JSON.parse(dataElement.textContent);
    var handle = { map: map, data: data, step: null, markers: {} };
    var canvas = L.canvas({ padding: 0.3 });
    var B = data.basemap;
    var S = data.styles;
    var overlays = {};
    map.getContainer().classList.add(data.offline ? "trk-offline" : "trk-online");
    // the initial view first (layers drawn before a jump are clipped to the old view): the
    // story's settlements, not the far cities, oblasts or countries
    var v = data.view;
    map.fitBounds(v.bounds, { paddingTopLeft: [60, 60], paddingBottomRight: [80, 220], maxZoom: v.max_zoom, animate: false });

    // administrative layers, bottom up
    var adminPane = map.createPane("trk-admin");
    adminPane.style.zIndex = 390;
    var frontPane = map.createPane("trk-front");
    frontPane.style.zIndex = 400;
    var linePane = map.createPane("trk-lines");
    linePane.style.zIndex = 420;
    linePane.style.pointerEvents = "none";

    if (B.land) L.geoJSON(B.land, { pane: "trk-admin", interactive: false, style: geoStyle(S.land) }).addTo(map);
    if (B.story_fill)
      L.geoJSON(B.story_fill, { pane: "trk-admin", interactive: false, style: geoStyle(S.story_fill) }).addTo(map);
    var raions = null;
    if (B.raions) {
      raions = L.geoJSON(B.raions, { pane: "trk-lines", interactive: false, style: geoStyle(S.raion) });
      overlays["Raion borders (around the story)"] = raions;
    }
    var admin = L.layerGroup();
    if (B.oblast_lines) L.geoJSON(B.oblast_lines, { pane: "trk-lines", interactive: false, style: geoStyle(S.oblast) }).addTo(admin);
    if (B.story_lines) L.geoJSON(B.story_lines, { pane: "trk-lines", interactive: false, style: geoStyle(S.story_oblast) }).addTo(admin);
    if (B.shared_lines) L.geoJSON(B.shared_lines, { pane: "trk-lines", interactive: false, style: geoStyle(S.shared_border) }).addTo(admin);
    if (B.coast) L.geoJSON(B.coast, { pane: "trk-lines", interactive: false, style: geoStyle(S.coast) }).addTo(admin);
    if (B.state) L.geoJSON(B.state, { pane: "trk-lines", interactive: false, style: geoStyle(S.state) }).addTo(admin);
    admin.addTo(map);
    overlays["Oblast and state borders"] = admin;
    if (raions) {
      var showRaions = function () {
        if (map.getZoom() >= 8) {
          if (!map.hasLayer(raions) && !raions._trkOff) raions.addTo(map);
        } else if (map.hasLayer(raions)) {
          map.removeLayer(raions);
        }
      };
      map.on("overlayremove", function (e) {
        if (e.layer === raions) raions._trkOff = true;
      });
      map.on("overlayadd", function (e) {
        if (e.layer === raions) raions._trkOff = false;
      });
      map.on("zoomend", showRaions);
      map.whenReady(showRaions);
    }
    if (B.hromadas) {
      overlays["Hromadas of the places shown (generalised)"] = L.geoJSON(B.hromadas, {
        pane: "trk-lines",
        style: geoStyle(S.hromada),
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.name);
        },
      });
    }

    // labels and settlement dots
    var items = [];
    var dots = { 1: L.layerGroup(), 2: L.layerGroup(), 3: L.layerGroup() };
    (B.settlements || []).forEach(function (s) {
      var tier = TIERS[s[4]];
      L.circleMarker([s[1], s[0]], {
        renderer: canvas,
        radius: tier.radius,
        weight: 1,
        color: S.dot.color,
        fillColor: S.dot.fill,
        fillOpacity: 1,
        interactive: false,
      }).addTo(dots[s[4]]);
      items.push({
        lat: s[1], lon: s[0], text: s[2], sub: s[3] !== s[2] ? s[3] : null, cls: tier.cls,
        font: tier.font, subFont: "10px system-ui, sans-serif", minZoom: tier.minZoom, maxZoom: 20,
        priority: s[4] * 1e9 - (s[5] || 0), dx: tier.radius + 3, group: "settlements",
      });
    });
    (B.oblast_labels || []).forEach(function (o) {
      items.push({
        lat: o[0], lon: o[1], text: o[2].toUpperCase(), cls: o[3] ? "trk-oblast-label trk-story" : "trk-oblast-label",
        font: (o[3] ? "700 " : "600 ") + "11px system-ui, sans-serif", minZoom: 0, maxZoom: o[3] ? 9 : 8,
        priority: o[3] ? -2e9 : -1e9, dx: 0, center: true,
      });
    });
    (B.raion_labels || []).forEach(function (r) {
      items.push({
        lat: r[0], lon: r[1], text: r[2], cls: "trk-raion-label", font: "italic 11px system-ui, sans-serif",
        minZoom: 8, maxZoom: 10, priority: -5e8, dx: 0, center: true,
      });
    });
    data.places.forEach(function (p, i) {
      items.push({
        place: i,
        marker: true,
        lat: p.lat, lon: p.lon, text: p.name, sub: p.uk !== p.name ? p.uk : null, cls: "trk-place-label",
        font: "700 " + FONT, subFont: "10px system-ui, sans-serif", minZoom: p.story ? 7 : 9, maxZoom: 20,
        priority: -3e9 - (p.story ? 1 : 0), dx: 13,
      });
    });
    items.sort(function (a, b) {
      return a.priority - b.priority;
    });
    var settlementLayer = L.layerGroup();
    function showDots() {
      var z = map.getZoom();
      [1, 2, 3].forEach(function (t) {
        var want = map.hasLayer(settlementLayer) && z >= TIERS[t].minZoom;
        if (want && !map.hasLayer(dots[t])) dots[t].addTo(map);
        if (!want && map.hasLayer(dots[t])) map.removeLayer(dots[t]);
      });
    }
    var labels = LabelLayer(map, items);
    if (B.settlements && B.settlements.length) {
      overlays["Settlements (KATOTTG, GeoNames)"] = settlementLayer;
      if (data.offline) settlementLayer.addTo(map);
      else labels.enable("settlements", false);
      map.on("overlayadd overlayremove", function (e) {
        if (e.layer === settlementLayer) {
          labels.enable("settlements", e.type === "overlayadd");
          showDots();
        }
      });
      map.on("zoomend", showDots);
    }
    handle.labels = labels;

    // the front line: one state per step, swapped by the slider
    var front = L.layerGroup().addTo(map);
    var change = L.layerGroup().addTo(map);
    if (data.fronts.length) {
      overlays["Occupied area and line of contact (DeepStateMap)"] = front;
      overlays["Change since the previous date (DeepStateMap)"] = change;
    }
    function drawFront(f) {
      front.clearLayers();
      change.clearLayers();
      if (!f) return;
      if (f.area)
        L.geoJSON(f.area, { pane: "trk-front", style: geoStyle(S.occupied) })
          .bindTooltip(f.area_label, { sticky: true })
          .addTo(front);
      if (f.line) L.geoJSON(f.line, { pane: "trk-lines", interactive: false, style: geoStyle(S.contact) }).addTo(front);
      if (f.gained)
        L.geoJSON(f.gained, { pane: "trk-front", style: geoStyle(S.gained) })
          .bindTooltip(f.gained_label, { sticky: true })
          .addTo(change);
      if (f.lost)
        L.geoJSON(f.lost, { pane: "trk-front", style: geoStyle(S.lost) })
          .bindTooltip(f.lost_label, { sticky: true })
          .addTo(change);
    }

    // the places named in the articles
    var group = data.places.length >= data.cluster_from
      ? L.markerClusterGroup({ disableClusteringAtZoom: 11, chunkedLoading: true, showCoverageOnHover: false })
      : L.featureGroup();
    group.addTo(map);
    overlays["Places named in the articles"] = group;
    var markers = data.places.map(function (p) {
      var m = L.marker([p.lat, p.lon], { icon: markerIcon(p, data.events[p.event], null), riseOnHover: true });
      m.bindPopup(function () {
        return popupContent(p, data);
      }, { maxWidth: 420, minWidth: 260, autoPanPadding: [40, 40] });
      m.bindTooltip(p.uk && p.uk !== p.name ? p.name + " · " + p.uk : p.name, { direction: "top", offset: [0, -12] });
      handle.markers[p.id] = m;
      return m;
    });

    function visibleAt(p, step) {
      if (!step) return true;
      if (!p.dates.length) return true; // an undated article's places: every step
      for (var k = 0; k < p.dates.length; k++) if (p.dates[k] <= step.date) return true;
      return false;
    }

    // panels: info (title, front-line note, slider), legend, unresolved, search
    var info = control("bottomleft", "trk-info", function (box) {
      box.id = "trk-title";
      box.appendChild(el("div", "trk-title", data.info.title));
      box.appendChild(el("div", "trk-summary", data.info.summary));
      var note = el("div", "trk-front-note", data.info.front_note);
      note.id = "trk-front-note";
      box.appendChild(note);
      if (data.steps.length > 1) {
        var slider = el("div", "trk-slider");
        slider.id = "trk-slider";
        var prev = el("button", "trk-step-prev", "◀");
        prev.setAttribute("type", "button");
        prev.setAttribute("aria-label", "previous date");
        var input = el("input", "trk-range");
        input.setAttribute("type", "range");
        input.setAttribute("min", "0");
        input.setAttribute("max", String(data.steps.length - 1));
        input.setAttribute("step", "1");
        input.setAttribute("aria-label", "article date");
        var next = el("button", "trk-step-next", "▶");
        next.setAttribute("type", "button");
        next.setAttribute("aria-label", "next date");
        var label = el("span", "trk-step-date");
        slider.appendChild(prev);
        slider.appendChild(input);
        slider.appendChild(next);
        slider.appendChild(label);
        box.appendChild(slider);
        var ticks = el("div", "trk-ticks");
        data.steps.forEach(function (s) {
          ticks.appendChild(el("span", null, s.date));
        });
        box.appendChild(ticks);
        input.addEventListener("input", function () {
          setStep(parseInt(input.value, 10));
        });
        prev.addEventListener("click", function () {
          setStep(Math.max(0, handle.step - 1));
        });
        next.addEventListener("click", function () {
          setStep(Math.min(data.steps.length - 1, handle.step + 1));
        });
        handle.input = input;
        handle.stepLabel = label;
      }
      var stepInfo = el("div", "trk-step-info");
      stepInfo.id = "trk-step-info";
      box.appendChild(stepInfo);
      handle.stepInfo = stepInfo;
      box.appendChild(el("div", "trk-attribution", data.info.attribution));
    });
    info.addTo(map);

    var legend = control("bottomright", "trk-legend", function (box) {
      box.id = "trk-legend";
      var head = el("div", "trk-legend-head", "Legend");
      box.appendChild(head);
      var body = el("div", "trk-legend-body");
      data.legend.forEach(function (entry) {
        var row = el("div", "trk-legend-row");
        row.appendChild(swatch(entry));
        row.appendChild(el("span", null, entry.label));
        body.appendChild(row);
      });
      box.appendChild(body);
      head.addEventListener("click", function () {
        box.classList.toggle("trk-collapsed");
      });
    });
    legend.addTo(map);

    // search: the places of the articles first, then the basemap's settlements
    var index = data.places.map(function (p) {
      return { key: fold(p.name + " " + p.uk), label: p.name + (p.uk !== p.name ? " · " + p.uk : ""), sub: p.where, lat: p.lat, lon: p.lon, id: p.id };
    });
    (B.settlements || []).forEach(function (s) {
      if (handle.markers[s[6]]) return;
      index.push({ key: fold(s[2] + " " + s[3]), label: s[2] + (s[3] !== s[2] ? " · " + s[3] : ""), sub: s[7] || "", lat: s[1], lon: s[0] });
    });
    control("topleft", "trk-search leaflet-control-search", function (box) {
      var input = el("input", "trk-search-input");
      input.setAttribute("type", "search");
      input.setAttribute("placeholder", "Search places");
      input.setAttribute("aria-label", "search places");
      var results = el("ul", "trk-search-results");
      box.appendChild(input);
      box.appendChild(results);
      function go(hit) {
        results.textContent = "";
        map.setView([hit.lat, hit.lon], Math.max(map.getZoom(), 12));
        if (hit.id && handle.markers[hit.id] && group.hasLayer(handle.markers[hit.id])) {
          if (group.zoomToShowLayer) group.zoomToShowLayer(handle.markers[hit.id], function () { handle.markers[hit.id].openPopup(); });
          else handle.markers[hit.id].openPopup();
        }
      }
      input.addEventListener("input", function () {
        results.textContent = "";
        var q = fold(input.value).trim();
        if (q.length < 2) return;
        var hits = [];
        for (var k = 0; k < index.length && hits.length < 8; k++) {
          if (index[k].key.indexOf(q) >= 0) hits.push(index[k]);
        }
        hits.forEach(function (hit) {
          var li = el("li", "trk-search-hit", hit.label);
          if (hit.sub) li.appendChild(el("span", "trk-muted", " " + hit.sub));
          li.addEventListener("click", function () {
            go(hit);
          });
          results.appendChild(li);
        });
      });
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && results.firstChild) results.firstChild.click();
      });
    }).addTo(map);

    if (data.unresolved.length || data.also.length) {
      control("topleft", "trk-unresolved-box", function (box) {
        box.id = "trk-unresolved";
        if (data.unresolved.length) {
          box.appendChild(el("div", "trk-section", "Not placed (" + data.unresolved.length + ")"));
          var list = el("ul");
          data.unresolved.forEach(function (u) {
            var item = el("li", "trk-unresolved", u.text);
            if (u.detail) item.appendChild(el("span", "trk-muted", " — " + u.detail));
            list.appendChild(item);
          });
          box.appendChild(list);
        }
        if (data.also.length) {
          box.appendChild(el("div", "trk-section", "Also named (" + data.also.length + ")"));
          var also = el("ul");
          data.also.forEach(function (a) {
            also.appendChild(el("li", "trk-also", a));
          });
          box.appendChild(also);
        }
        box.classList.add("trk-collapsed");
        box.firstChild.addEventListener("click", function () {
          box.classList.toggle("trk-collapsed");
        });
      }).addTo(map);
    }

    L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);

    function setStep(k) {
      var step = data.steps[k] || null;
      handle.step = k;
      if (handle.input) handle.input.value = String(k);
      if (handle.stepLabel) handle.stepLabel.textContent = step ? step.date : "";
      var shown = [];
      var hidden = {};
      markers.forEach(function (m, i) {
        var p = data.places[i];
        var visible = visibleAt(p, data.steps.length > 1 ? step : null);
        if (!visible) hidden[i] = true;
        if (visible) {
          var state = null;
          if (data.steps.length > 1 && step && p.dates.length) state = p.dates.indexOf(step.date) >= 0 ? "current" : "earlier";
          if (m._trkState !== state) {
            m.setIcon(markerIcon(p, data.events[p.event], state));
            m._trkState = state;
          }
          shown.push(m);
        }
      });
      group.clearLayers();
      if (group.addLayers) group.addLayers(shown);
      else shown.forEach(function (m) { group.addLayer(m); });
      drawFront(step ? data.fronts[step.front] : data.fronts[0]);
      var infoBox = handle.stepInfo;
      infoBox.textContent = "";
      if (step) {
        (step.lines || []).forEach(function (line) {
          infoBox.appendChild(el("div", null, line));
        });
      }
      var f = step ? data.fronts[step.front] : data.fronts[0];
      document.getElementById("trk-front-note").textContent = f ? f.note : data.info.front_note;
      map.getContainer().setAttribute("data-step", step ? step.date : "");
      if (handle.labels) handle.labels.hide(hidden);
      map.getContainer().setAttribute("data-markers", String(shown.length));
    }
    handle.setStep = setStep;
    setStep(data.steps.length ? data.steps.length - 1 : -1);

    if (data.steps.length > 1) {
      map.getContainer().addEventListener("keydown", function (e) {
        if (e.target && e.target.tagName === "INPUT") return;
        if (e.key === "PageDown") setStep(Math.min(data.steps.length - 1, handle.step + 1));
        if (e.key === "PageUp") setStep(Math.max(0, handle.step - 1));
      });
    }
    handle.ms = performance.now() - started; // how long drawing took (bench, tests)
    window.trackerMaps = window.trackerMaps || [];
    window.trackerMaps.push(handle);
    labels.refresh();
    showDots();
    return handle;
  }

  window.trackerMap = trackerMap;
})();
