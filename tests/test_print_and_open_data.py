"""The shortlist's print sheet (a print button, the disagreement flag) and discoverable open data."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from shortlist_support import make_shortlist, world_fixture  # noqa: F401  (fixture `world`)

from idea4gov.extensions import db
from idea4gov.shortlists import services


def _scored(world, make_user):
    shortlist = make_shortlist(world, idea_count=2)
    impact = services.add_criterion(shortlist, "ผลกระทบ", 1, world.organiser)
    judges = [make_user(display_name=f"กรรมการ {n}") for n in range(2)]
    for judge in judges:
        services.add_judge(shortlist, judge, world.organiser)
    first, second = shortlist.items
    # The first idea splits the judges (1 and 5: range 4); both agree on the second.
    for judge, (a, b) in zip(judges, ((1, 4), (5, 4)), strict=True):
        services.save_scores(shortlist, judge, {(first.id, impact.id): a, (second.id, impact.id): b})
    db.session.commit()
    return shortlist, first, second


def test_the_print_sheet_has_a_print_button_and_flags_disagreement(client, world, make_user):  # noqa: F811
    shortlist, first, second = _scored(world, make_user)
    client.login(world.organiser)
    screen = client.get(f"/shortlists/{shortlist.id}").get_data(as_text=True)
    assert "เห็นต่างมาก" in screen
    html = client.get(f"/shortlists/{shortlist.id}/print").get_data(as_text=True)
    # A real button (shown by static/js/app.js, which the CSP allows), hidden without JavaScript.
    assert re.search(r'<button type="button" class="print-button" data-print hidden>พิมพ์</button>', html)
    assert "js/app.js" in html
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r"<tr>\s*<td>[^<]*</td>\s*<td><strong>.*?#(\d+).*?</tr>",
                                                            html, re.S)}
    assert 'data-testid="disagree-flag">เห็นต่างมาก<' in rows[first.idea_id]
    assert "เห็นต่าง" not in rows[second.idea_id]
    assert "1.5 คะแนนขึ้นไปถือว่าเห็นต่างมาก" in html


def test_the_print_script_binds_the_button():
    from pathlib import Path

    script = (Path(__file__).resolve().parent.parent / "static" / "js" / "app.js").read_text(encoding="utf-8")
    assert 'querySelectorAll("button[data-print]")' in script and "window.print()" in script


def test_area_pages_link_their_open_data_with_the_licence(client, make_area, app):
    area = make_area(slug="saensuk")
    html = client.get(f"/areas/{area.slug}").get_data(as_text=True)
    assert f'href="/areas/{area.slug}/export.csv"' in html and f'href="/areas/{area.slug}/export.json"' in html
    licence = app.config["OPEN_DATA_LICENCE"]
    assert re.search(rf'<a href="{re.escape(app.config["OPEN_DATA_LICENCE_URL"])}" rel="license"[^>]*>'
                     rf'{re.escape(licence)}</a>', html)
    english = client.get(f"/areas/{area.slug}?lang=en").get_data(as_text=True)
    assert "Open data" in english and "Licence:" in english


def test_the_api_area_entries_link_their_open_data(client, make_area, app):
    area = make_area(slug="saensuk")
    [entry] = client.get("/api/v1/areas").get_json()["items"]
    data = entry["open_data"]
    assert data["csv"].endswith(f"/areas/{area.slug}/export.csv") and data["csv"].startswith("http")
    assert data["json"].endswith(f"/areas/{area.slug}/export.json")
    assert (data["licence"], data["licence_url"]) == (app.config["OPEN_DATA_LICENCE"], app.config["OPEN_DATA_LICENCE_URL"])
    assert client.get(urlsplit(data["csv"]).path).status_code == 200
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Area"]["properties"]
    assert set(schema["open_data"]["properties"]) == {"csv", "json", "licence", "licence_url"}
