// idea4gov: progressive enhancement only; every page works without this file.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

window.idea4gov = { csrfToken };
