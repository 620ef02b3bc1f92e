// idea4gov: progressive enhancement only; every page works without this file.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// New-idea form: show up to 5 similar published ideas of the area while the resident
// types (debounced), each with its supporters and a button to support it instead. Reports
// of probably the same problem (same_issue) come first, labelled as such.
function similarWhileTyping(form) {
  const url = form.dataset.similarUrl;
  const box = document.getElementById("similar-ideas");
  const fields = [form.querySelector("#title"), form.querySelector("#body")].filter(Boolean);
  const lat = form.querySelector("#lat");
  const lng = form.querySelector("#lng");
  if (!url || !box || fields.length === 0) return;
  let timer = null;
  let lastText = "";
  let controller = null;

  function supportForm(item) {
    const f = document.createElement("form");
    f.method = "post";
    f.action = item.url + "/vote";
    f.className = "inline";
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrfToken();
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "button";
    button.textContent = form.dataset.labelSupport;
    f.append(token, button);
    return f;
  }

  function point() {
    const a = lat ? parseFloat(lat.value) : NaN;
    const b = lng ? parseFloat(lng.value) : NaN;
    return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : null;
  }

  function render(items, nearby) {
    box.replaceChildren();
    nearby = nearby || [];
    if (items.length === 0 && nearby.length === 0) {
      box.hidden = true;
      return;
    }
    if (nearby.length) {
      const near = document.createElement("p");
      near.className = "similar-heading nearby-heading";
      near.textContent = form.dataset.labelNearby;
      box.append(near, listOf(nearby, true));
    }
    if (items.length) {
      const heading = document.createElement("p");
      heading.className = "similar-heading";
      heading.textContent = form.dataset.labelHeading;
      box.append(heading, listOf(items, false));
    }
    box.hidden = false;
  }

  function listOf(items, near) {
    const list = document.createElement("ul");
    list.className = near ? "plain nearby" : "plain";
    for (const item of items) {
      const li = document.createElement("li");
      li.dataset.ideaId = String(item.id);
      li.dataset.sameIssue = item.same_issue ? "yes" : "no";
      const label = document.createElement("span");
      label.className = item.same_issue ? "match-label same" : "match-label";
      label.textContent = `${item.same_issue ? form.dataset.labelSameIssue : form.dataset.labelRelated}: `;
      li.append(label);
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title; // textContent: never parsed as HTML
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = ` · ${item.vote_count} ${form.dataset.labelSupporters} `;
      if (near && item.distance_m !== undefined) {
        meta.textContent += `· ${form.dataset.labelDistance.replace("{m}", String(item.distance_m))} `;
      }
      li.append(link, meta);
      if (item.supported) {
        const done = document.createElement("span");
        done.className = "meta";
        done.textContent = form.dataset.labelSupported;
        li.append(done);
      } else {
        li.append(supportForm(item));
      }
      list.append(li);
    }
    return list;
  }

  async function lookup() {
    const text = fields.map((f) => f.value.trim()).join("\n").trim();
    const at = point();
    const key = `${text}|${at}`;
    if (key === lastText) return;
    lastText = key;
    if (text.length < 4 && !at) {
      render([]);
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const query = new URLSearchParams({ text: text.slice(0, 5000), k: "5" });
      if (at) {
        query.set("lat", String(at[0]));
        query.set("lng", String(at[1]));
      }
      const response = await fetch(`${url}?${query}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) return;
      const data = await response.json();
      render(data.items || [], data.nearby || []);
    } catch (error) {
      if (error.name !== "AbortError") render([]);
    }
  }

  for (const field of [...fields, lat, lng].filter(Boolean)) {
    for (const kind of ["input", "change"]) {
      field.addEventListener(kind, () => {
        clearTimeout(timer);
        timer = setTimeout(lookup, 400);
      });
    }
  }
}

// Print buttons (the shortlist's A4 sheet): hidden without JavaScript, where Ctrl+P is explained.
function printButtons() {
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}

// Maps (templates/places/_map.html): Leaflet and static/js/map.js are fetched only on pages with a map,
// when one comes near the screen (a pin picker: at once). Until then, and without JavaScript, the map
// stays hidden and the list or the coordinate fields do the job.
function lazyMaps() {
  const meta = document.querySelector('meta[name="idea4gov-map-assets"]');
  const maps = document.querySelectorAll("[data-map], [data-map-picker]");
  if (!meta || !maps.length) return;
  let started = false;
  const load = () => {
    if (started) return;
    started = true;
    for (const url of JSON.parse(meta.content)) {
      if (url.split("?")[0].endsWith(".css")) {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = url;
        document.head.append(link);
      } else {
        const script = document.createElement("script");
        script.src = url;
        script.async = false; // run in the order given: Leaflet, clustering, then map.js
        document.head.append(script);
      }
    }
  };
  if (document.querySelector("[data-map-picker]") || !("IntersectionObserver" in window)) {
    load();
    return;
  }
  const watched = [...maps].map((el) => el.previousElementSibling || el.parentElement);
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      observer.disconnect();
      load();
    }
  }, { rootMargin: "0px 0px 200px 0px" });
  for (const el of watched) observer.observe(el);
}

document.addEventListener("DOMContentLoaded", () => {
  lazyMaps();
  const form = document.getElementById("idea-form");
  if (form) similarWhileTyping(form);
  printButtons();
});

window.idea4gov = { csrfToken };
