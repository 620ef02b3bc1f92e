"""Open data: /areas/<slug>/export.csv and .json — published ideas only, stable columns, licence, streamed."""
from __future__ import annotations

import csv
import io
import json

import pytest

from idea4gov.extensions import db
from idea4gov.ideas.models import IdeaStatus, Visibility
from idea4gov.opendata import services
from tests.db_support import count_queries
from tests.shortlist_support import TRICKY_BODY, TRICKY_TITLE

COLUMNS = ["id", "title", "body", "theme", "theme_title", "supporters", "status", "group",
           "created_at", "updated_at", "url", "issue", "project", "lat", "lng"]


@pytest.fixture()
def area_with_ideas(make_area, make_idea, make_user):
    area = make_area(slug="ratchathewi", themes=(("silk", "ผ้าไหมบ้านครัว", "Ban Khrua silk"),))
    author = make_user(email="author@example.org", display_name="ผู้เขียน ลับ")
    tricky = make_idea(area=area, author=author, title=TRICKY_TITLE, body=TRICKY_BODY + " <b>ตัวหนา</b> & ฯลฯ")
    formula = make_idea(area=area, author=author, title="=1+1 ไอเดียที่ดูเหมือนสูตร",
                        body="รายละเอียดที่ยาวพอสำหรับการทดสอบการส่งออกข้อมูลเปิด")
    hidden = make_idea(area=area, title="ไอเดียที่ถูกซ่อนโดยผู้ดูแล",
                       body="ไม่ควรออกไปในข้อมูลเปิดเพราะถูกซ่อนไว้แล้วโดยผู้ดูแลเนื้อหา")
    hidden.visibility = Visibility.hidden
    tricky.status = IdeaStatus.accepted
    db.session.commit()
    return area, tricky, formula, hidden


def test_csv_streams_published_ideas_with_stable_columns(client, area_with_ideas):
    area, tricky, formula, hidden = area_with_ideas
    response = client.get(f"/areas/{area.slug}/export.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert "CC BY 4.0" in response.headers["X-License"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    assert next(reader) == COLUMNS
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in reader]
    assert [int(row["id"]) for row in rows] == [tricky.id, formula.id]
    first = rows[0]
    assert first["title"] == TRICKY_TITLE
    assert first["body"] == TRICKY_BODY + " ตัวหนา & ฯลฯ"  # plain text: tags gone, entities decoded
    assert first["theme"] == "silk" and first["theme_title"] == "ผ้าไหมบ้านครัว"
    # Its group and issue as stored (placed by the background job once it was posted), or empty.
    stored = db.session.get(type(tricky), tricky.id)
    assert first["status"] == "accepted" and first["supporters"] == "0"
    assert (first["group"], first["issue"]) == (str(stored.group_id or ""), str(stored.issue_id or ""))
    assert first["created_at"].endswith("+00:00") and "T" in first["created_at"]
    assert first["url"] == f"http://localhost/ideas/{tricky.id}"
    assert rows[1]["title"] == "'=1+1 ไอเดียที่ดูเหมือนสูตร"
    text = raw.decode("utf-8-sig")
    assert hidden.title not in text and "author@example.org" not in text and "ผู้เขียน ลับ" not in text


def test_json_has_the_licence_and_the_exact_text(client, app, area_with_ideas, monkeypatch):
    area, tricky, formula, _hidden = area_with_ideas
    monkeypatch.setitem(app.config, "OPEN_DATA_LICENCE", "สัญญาอนุญาตเปิด ทดสอบ")
    monkeypatch.setitem(app.config, "OPEN_DATA_LICENCE_URL", "")
    response = client.get(f"/areas/{area.slug}/export.json")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "Link" not in response.headers
    assert response.headers["X-License"].isascii()
    document = json.loads(response.get_data(as_text=True))
    assert document["licence"] == "สัญญาอนุญาตเปิด ทดสอบ" and document["columns"] == COLUMNS
    assert document["area"]["slug"] == area.slug
    assert [idea["id"] for idea in document["ideas"]] == [tricky.id, formula.id]
    assert document["ideas"][0]["title"] == TRICKY_TITLE
    assert document["ideas"][1]["title"] == "=1+1 ไอเดียที่ดูเหมือนสูตร"  # JSON is data, never quoted
    assert list(document["ideas"][0]) == COLUMNS


def test_empty_area_gives_a_header_and_an_empty_list(client, make_area):
    area = make_area()
    csv_text = client.get(f"/areas/{area.slug}/export.csv").get_data().decode("utf-8-sig")
    assert csv_text == ",".join(COLUMNS) + "\r\n"
    assert json.loads(client.get(f"/areas/{area.slug}/export.json").get_data())["ideas"] == []


def test_unknown_area_is_404(client):
    assert client.get("/areas/nowhere/export.csv").status_code == 404
    assert client.get("/areas/nowhere/export.json").status_code == 404


def test_rows_are_read_in_keyset_batches(app, make_area, make_idea, monkeypatch):
    area = make_area()
    for n in range(7):
        make_idea(area=area, title=f"ไอเดียทดสอบชุดที่ {n} ยาวพอ")
    with count_queries() as statements:
        ids = [row["id"] for row in services.rows(area, "http://x", batch_size=3)]
    assert ids == sorted(ids) and len(ids) == 7
    batches = [s for s in statements if "ideas.id >" in s]
    assert len(batches) == 4  # 3 + 3 + 1, then an empty batch ends it: id ranges, not one big read


@pytest.mark.parametrize("stored", ["ขยะเยอะ ๆ 🌊", "a &amp; b", 'ดู <a href="https://x.example" rel="nofollow ugc">ลิงก์</a>',
                                    "&lt;b&gt; ไม่ใช่แท็ก", ""])
def test_plain_text_fast_path_matches_the_html_parser(stored):
    from idea4gov.exports import plain_text
    from idea4gov.text import plain_from_rich
    assert plain_text(stored) == plain_from_rich(stored)
