"""Evidence photos (type by decoding, size, EXIF gone, served only for visible ideas) and the stats page."""
from __future__ import annotations

import io
import statistics
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from triage_support import png_bytes, world  # noqa: F401  (fixture)

from idea4gov.deadlines.services import calendar
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility
from idea4gov.triage.models import EvidencePhoto, StatusChange

ANSWER = "ติดตั้งถังขยะแยกประเภทครบ 20 จุดแล้ว ขอบคุณที่เสนอ"


@pytest.fixture()
def uploads(app, tmp_path):
    saved = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = saved


def _post_photos(client, idea_id, files, status="implemented", answer=ANSWER):
    """A multipart POST encoded in memory (the test client's own encoder spools large bodies to
    temporary files it never closes)."""
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    data = MultiDict({"status": status, "answer": answer, "csrf_token": client.csrf_token()})
    for name, content in files:
        data.add("photos", FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream"))
    boundary, body = encode_multipart(data)
    return client.raw.post(f"/triage/ideas/{idea_id}/status", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")


def test_implemented_with_photos_reencoded_without_exif_and_served_for_visible_ideas(client, world, uploads):  # noqa: F811
    idea = world["ideas"][0]
    client.login(world["officer"])
    original = png_bytes(size=(3000, 1500), exif=True)
    assert b"SecretCam" in original
    response = _post_photos(client, idea.id, [("beach.jpg", original), ("bins.png", png_bytes(fmt="PNG"))])
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    photos = db.session.scalars(sa.select(EvidencePhoto).order_by(EvidencePhoto.id)).all()
    assert [p.content_type for p in photos] == ["image/jpeg", "image/jpeg"]
    assert (photos[0].width, photos[0].height) == (2000, 1000)  # scaled to 2000 px at most
    stored = (uploads / photos[0].filename).read_bytes()
    assert b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f"/photos/{photos[0].id}" in page and ANSWER in page
    served = client.get(f"/photos/{photos[0].id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.data == stored
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()
    # Hidden idea: its photos are not served to the public.
    db.session.get(Idea, idea.id).visibility = Visibility.hidden
    db.session.commit()
    client.logout()
    assert client.get(f"/photos/{photos[0].id}").status_code == 404
    assert client.get("/photos/99999").status_code == 404


@pytest.mark.parametrize("name,content,code,message", [
    ("fake.jpg", b"<?php echo 'not an image'; ?>" * 10, 415, "ไม่ใช่ภาพที่รองรับ"),
    ("doc.png", b"%PDF-1.4 fake", 415, "ไม่ใช่ภาพที่รองรับ"),
    ("empty.jpg", b"", 302, None),  # an empty file field is no photo at all
    ("huge.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10), 413, "ใหญ่เกิน 5 MB"),
])
def test_bad_photos_are_refused_with_a_thai_message(client, world, uploads, name, content, code, message):  # noqa: F811
    idea = world["ideas"][0]
    client.login(world["officer"])
    response = _post_photos(client, idea.id, [(name, content)])
    assert response.status_code == code
    if message:
        html = response.get_data(as_text=True)
        assert message in html and ANSWER in html  # the answer typed stays
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == 0
        assert db.session.get(Idea, idea.id).status == IdeaStatus.received
        assert not uploads.exists() or not any(uploads.iterdir())


def _bomb_png(width: int, height: int) -> bytes:
    """A small PNG file that decodes to width x height pixels (one bit each, all black)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [7_000, 10_000, 20_000], ids=["49M-over-ours", "100M-pillow-warns", "400M-pillow-refuses"])
def test_an_image_with_too_many_pixels_is_413_too_large_not_415(client, world, uploads, side):  # noqa: F811
    content = _bomb_png(side, side)
    assert len(content) < 1024 * 1024  # a small file: only decoding it would take gigabytes
    idea = world["ideas"][0]
    client.login(world["officer"])
    response = _post_photos(client, idea.id, [("bomb.png", content)])
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "ภาพใหญ่เกินไป (เกิน 40 ล้านพิกเซล)" in html and "ไม่ใช่ภาพที่รองรับ" not in html and ANSWER in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidencePhoto)) == 0


def test_photos_only_with_implemented_and_at_most_four(client, world, uploads):  # noqa: F811
    idea = world["ideas"][0]
    client.login(world["officer"])
    wrong = _post_photos(client, idea.id, [("a.jpg", png_bytes())], status="accepted")
    assert wrong.status_code == 400 and "เฉพาะเมื่อสถานะเป็น" in wrong.get_data(as_text=True)
    many = _post_photos(client, idea.id, [(f"{i}.jpg", png_bytes()) for i in range(5)])
    assert many.status_code == 400 and "สูงสุด 4 ภาพ" in many.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidencePhoto)) == 0


def test_too_large_body_gets_a_friendly_413(client, world, uploads):  # noqa: F811
    idea = world["ideas"][0]
    client.login(world["officer"])
    files = [(f"{i}.jpg", b"0" * (5 * 1024 * 1024)) for i in range(5)]
    response = _post_photos(client, idea.id, files)
    assert response.status_code == 413
    assert "ใหญ่เกินไป" in response.get_data(as_text=True)


def test_stats_page_draws_svg_charts_with_csv_downloads(client, world):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    beach1.created_at = beach1.created_at - timedelta(days=10)
    beach1.first_answered_at = beach1.created_at + timedelta(days=4)
    beach1.status = IdeaStatus.in_progress
    beach2.first_answered_at = beach2.created_at + timedelta(days=2)
    beach2.status = IdeaStatus.declined
    db.session.commit()
    client.login(world["officer"])
    response = client.get("/triage/saensuk/stats")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<svg") == 4 and "<script" not in html.split("</head>")[1]
    # Working days from receipt to answer, by the one calendar of idea4gov.deadlines.
    working = calendar()
    expected = statistics.median(working.working_days_to_answer(idea.created_at, idea.first_answered_at)
                                 for idea in (beach1, beach2))
    assert f'data-testid="median-days">{round(expected, 1)}<' in html
    assert "cdn" not in html.lower()
    for name in ("weekly", "themes", "funnel", "first-answer"):
        csv_response = client.get(f"/triage/saensuk/stats/{name}.csv")
        assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
        assert csv_response.data.startswith(b"\xef\xbb\xbf")
    themes = client.get("/triage/saensuk/stats/themes.csv").data.decode("utf-8-sig").splitlines()
    assert themes[1:] == ["ขยะชายหาด,2", "ไฟถนน,1"]
    funnel = client.get("/triage/saensuk/stats/funnel.csv").data.decode("utf-8-sig").splitlines()
    assert funnel[1] == "ได้รับแล้ว,3" and funnel[3] == "รับไปดำเนินการ,1" and "ไม่รับดำเนินการ,1" in funnel
    weekly = client.get("/triage/saensuk/stats/weekly.csv").data.decode("utf-8-sig").splitlines()
    assert len(weekly) == 13 and sum(int(line.rsplit(",", 1)[1]) for line in weekly[1:]) == 3
    assert client.get("/triage/saensuk/stats/nothing.csv").status_code == 404
    english = client.get("/triage/saensuk/stats?lang=en").get_data(as_text=True)
    assert "Download CSV" in english
