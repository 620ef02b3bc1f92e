// idea4gov maps: Leaflet (vendored) with clustered markers. Progressive enhancement only: every page
// with a map also lists the same things, and every point can be typed into the form's fields.
"use strict";

(function () {
  if (!window.L) return;
  const THAILAND = [[5.5, 97.2], [20.6, 105.8]];

  function baseMap(el) {
    el.hidden = false;
    const map = L.map(el, { scrollWheelZoom: false, maxZoom: 19 });
    const tiles = el.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    } else {
      el.classList.add("no-tiles");
      const note = el.nextElementSibling;
      if (note && note.hasAttribute("data-map-note")) note.hidden = false;
    }
    const box = el.dataset.bbox ? JSON.parse(el.dataset.bbox) : null;
    map.fitBounds(box ? [[box[0], box[1]], [box[2], box[3]]] : THAILAND);
    return map;
  }

  function pin(kind) {
    return L.divIcon({ className: `map-pin map-pin-${kind}`, iconSize: [18, 18], iconAnchor: [9, 9] });
  }

  // A popup built from DOM nodes: titles are residents' text, never parsed as HTML.
  function popup(props) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    const meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = props.label || "";
    box.append(link, meta);
    return box;
  }

  function addFeatures(map, collection) {
    const cluster = L.markerClusterGroup({ showCoverageOnHover: false });
    const bounds = [];
    for (const feature of collection.features || []) {
      const props = feature.properties || {};
      const geometry = feature.geometry || {};
      let at = null;
      if (geometry.type === "Point") {
        at = [geometry.coordinates[1], geometry.coordinates[0]];
      } else if (geometry.type === "Polygon") {
        const ring = geometry.coordinates[0].map((c) => [c[1], c[0]]);
        L.polygon(ring, { className: "map-outline" }).addTo(map);
        at = props.center ? [props.center[0], props.center[1]] : ring[0];
      }
      if (!at) continue;
      const marker = L.marker(at, { icon: pin(props.kind || "idea"), title: props.title, alt: props.title });
      marker.bindPopup(popup(props));
      marker.options.kind = props.kind;
      cluster.addLayer(marker);
      bounds.push(at);
    }
    map.addLayer(cluster);
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    map.getContainer().dataset.markers = String(bounds.length);
    return cluster;
  }

  async function showMap(el) {
    const map = baseMap(el);
    if (el.dataset.geojson) {
      addFeatures(map, JSON.parse(el.dataset.geojson));
      return;
    }
    if (!el.dataset.featuresUrl) return;
    try {
      const response = await fetch(el.dataset.featuresUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) addFeatures(map, await response.json());
    } catch (error) {
      // the list below the map still shows everything
    }
  }

  // Forms: click the map (or use the device's location) to fill the latitude and longitude fields.
  function picker(el) {
    const map = baseMap(el);
    const lat = document.getElementById(el.dataset.latInput);
    const lng = document.getElementById(el.dataset.lngInput);
    const source = el.dataset.sourceInput ? document.getElementById(el.dataset.sourceInput) : null;
    const outline = el.dataset.polygonInput ? document.getElementById(el.dataset.polygonInput) : null;
    const drawing = el.dataset.drawToggle ? document.getElementById(el.dataset.drawToggle) : null;
    let marker = null;
    let shape = null;

    function place(latitude, longitude, how) {
      lat.value = latitude.toFixed(6);
      lng.value = longitude.toFixed(6);
      if (source) source.value = how;
      lat.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    }
    function show() {
      const a = parseFloat(lat.value);
      const b = parseFloat(lng.value);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return;
      if (marker) marker.setLatLng([a, b]);
      else marker = L.marker([a, b], { icon: pin("chosen"), title: el.dataset.labelChosen || "" }).addTo(map);
      map.setView([a, b], Math.max(map.getZoom(), 15));
    }
    function drawOutline() {
      if (!outline) return;
      const corners = outline.value.split("\n").map((line) => line.split(",").map(parseFloat))
        .filter((pair) => pair.length === 2 && pair.every(Number.isFinite));
      if (shape) shape.remove();
      shape = corners.length >= 2 ? L.polygon(corners, { className: "map-outline" }).addTo(map) : null;
    }
    map.on("click", (event) => {
      if (drawing && drawing.checked && outline) {
        const line = `${event.latlng.lat.toFixed(6)}, ${event.latlng.lng.toFixed(6)}`;
        outline.value = outline.value.trim() ? `${outline.value.trim()}\n${line}` : line;
        drawOutline();
        return;
      }
      place(event.latlng.lat, event.latlng.lng, "map");
    });
    lat.addEventListener("input", show);
    lng.addEventListener("input", show);
    if (outline) outline.addEventListener("input", drawOutline);
    const locate = el.dataset.locateButton ? document.getElementById(el.dataset.locateButton) : null;
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", () => {
        // The browser asks the resident first; nothing is sent until they agree and submit the form.
        navigator.geolocation.getCurrentPosition(
          (position) => place(position.coords.latitude, position.coords.longitude, "device"),
          () => { locate.nextElementSibling && (locate.nextElementSibling.hidden = false); },
          { enableHighAccuracy: true, timeout: 10000 });
      });
    }
    show();
    drawOutline();
  }

  // Loaded by static/js/app.js, after the page itself (or, linked directly, before it is parsed).
  function start() {
    for (const el of document.querySelectorAll("[data-map]")) showMap(el);
    for (const el of document.querySelectorAll("[data-map-picker]")) picker(el);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
