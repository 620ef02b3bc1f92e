"""Every absolute link (open data, the API, shortlist exports and print view, e-mails) comes from
PUBLIC_BASE_URL, never from the request's Host or a client's X-Forwarded-Host: one request with
`Host: evil.example` must not put that host into a shared cache or anyone's mailbox."""
from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from idea4gov.extensions import db
from idea4gov.links import LOCAL_BASE_URL, base_url, public_url
from tests.shortlist_support import make_shortlist, world_fixture  # noqa: F401  (fixture)

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}


def _assert_public(text: str) -> None:
    assert "evil.example" not in text
    assert "http://localhost/" in text


def test_open_data_links_come_from_the_public_address(client, world):
    slug = world.area.slug
    raw_csv = client.get(f"/areas/{slug}/export.csv", headers=FORGED)
    assert raw_csv.status_code == 200 and raw_csv.headers["Cache-Control"].startswith("public")
    rows = list(csv.DictReader(io.StringIO(raw_csv.data.decode("utf-8-sig"))))
    assert rows and all(row["url"].startswith("http://localhost/ideas/") for row in rows)
    _assert_public(raw_csv.data.decode("utf-8-sig"))
    document = json.loads(client.get(f"/areas/{slug}/export.json", headers=FORGED).data)
    assert all(idea["url"].startswith("http://localhost/ideas/") for idea in document["ideas"])


def test_api_links_come_from_the_public_address(client, world):
    areas = client.get("/api/v1/areas", headers=FORGED)
    _assert_public(areas.get_data(as_text=True))
    ideas = client.get(f"/api/v1/areas/{world.area.slug}/ideas", headers=FORGED)
    _assert_public(ideas.get_data(as_text=True))
    one = client.get(f"/api/v1/ideas/{world.ideas[0].id}", headers=FORGED).get_json()
    assert one["url"] == f"http://localhost/ideas/{world.ideas[0].id}"


def test_shortlist_exports_and_print_link_to_the_public_address(client, world):
    shortlist = make_shortlist(world)
    client.login(world.organiser)
    client.carry_cookies_to("evil.example")
    for fmt in ("csv", "json"):
        _assert_public(client.get(f"/shortlists/{shortlist.id}/export.{fmt}", headers=FORGED).data.decode("utf-8-sig"))
    sheet = load_workbook(io.BytesIO(client.get(f"/shortlists/{shortlist.id}/export.xlsx", headers=FORGED).data)).active
    links = [cell.hyperlink.target for row in sheet.iter_rows(min_row=2) for cell in row if cell.hyperlink]
    assert links and all(link.startswith("http://localhost/ideas/") for link in links)
    printed = client.get(f"/shortlists/{shortlist.id}/print", headers=FORGED)
    assert printed.status_code == 200 and "evil.example" not in printed.get_data(as_text=True)


def test_registration_mail_links_to_the_public_address(client, mails):
    client.carry_cookies_to("evil.example")
    response = client.post("/auth/register", {
        "email": "new@example.org", "display_name": "ชาวบ้าน ใหม่", "password": "correct-horse-battery-9",
        "confirm": "correct-horse-battery-9", "consent": "y"}, headers=FORGED)
    assert response.status_code == 302
    [mail] = mails.to("new@example.org")
    _assert_public(mail["body"])


def test_without_a_public_address_development_links_to_make_run(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")
    with app.test_request_context("/", headers=FORGED):
        assert base_url() == LOCAL_BASE_URL == "http://127.0.0.1:5000"
        assert public_url("ideas.show", idea_id=7) == "http://127.0.0.1:5000/ideas/7"


@pytest.mark.parametrize("configured", ["https://idea4gov.example.go.th/", "https://gov.example/idea4gov"])
def test_the_public_address_may_carry_a_path(app, monkeypatch, configured):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", configured)
    with app.test_request_context("/", headers=FORGED):
        assert public_url("areas.show", slug="saensuk") == configured.rstrip("/") + "/areas/saensuk"
    db.session.remove()
