"""`/areas/<slug>/export.csv` and `.json`: an area's published ideas as open data, streamed."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, stream_with_context

from idea4gov.areas.services import get_area_or_404
from idea4gov.links import base_url as _base_url
from idea4gov.opendata import bp, services


def _headers(slug: str, ext: str) -> dict[str, str]:
    licence = current_app.config["OPEN_DATA_LICENCE"]
    licence_url = current_app.config["OPEN_DATA_LICENCE_URL"]
    headers = {
        "Content-Disposition": f'attachment; filename="idea4gov-{slug}.{ext}"',
        # HTTP headers are Latin-1: a licence text in Thai is percent-encoded here (the JSON has it as is).
        "X-License": quote(licence, safe=" .,:;/()-_@+"),
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "public, max-age=300",
    }
    if licence_url:
        headers["Link"] = f'<{licence_url}>; rel="license"'
    return headers


@bp.get("/areas/<slug>/export.csv")
def area_csv(slug: str):
    """Stream the area's published ideas as CSV (UTF-8 with BOM), one row per idea."""
    area = get_area_or_404(slug)
    chunks = (chunk.encode("utf-8") for chunk in services.csv_chunks(area, _base_url()))
    return Response(stream_with_context(chunks), content_type="text/csv; charset=utf-8",
                    headers=_headers(area.slug, "csv"))


@bp.get("/areas/<slug>/export.json")
def area_json(slug: str):
    """Stream the area's published ideas as one JSON document with the licence at the top."""
    area = get_area_or_404(slug)
    chunks = services.json_chunks(area, _base_url(), current_app.config["OPEN_DATA_LICENCE"],
                                  current_app.config["OPEN_DATA_LICENCE_URL"])
    return Response(stream_with_context(c.encode("utf-8") for c in chunks),
                    content_type="application/json; charset=utf-8", headers=_headers(area.slug, "json"))
