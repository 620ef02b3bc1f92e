"""Shared set-up for the triage tests: an area with agencies, officers of it and of another area."""
from __future__ import annotations

import io

import pytest

from idea4gov.extensions import db

TITLES = [
    ("เพิ่มถังขยะริมชายหาดบางแสน", "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภททุก 100 เมตร"),
    ("ถังขยะริมหาดไม่พอช่วงวันหยุด", "วันหยุดคนมาเที่ยวหาดเยอะ ถังขยะริมหาดล้นทุกสัปดาห์ ขอเพิ่มถังขยะและเก็บบ่อยขึ้น"),
    ("ซ่อมไฟถนนในซอยวัดให้สว่าง", "ไฟถนนในซอยวัดดับหลายดวง ตอนกลางคืนมืดมากและอันตรายต่อคนเดินเท้า"),
]


@pytest.fixture()
def world(app, make_area, make_user, make_staff, make_idea):
    from idea4gov.triage.models import Agency

    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"), ("light", "ไฟถนน", "Street lights")))
    other = make_area(slug="huawiang")
    officer = make_staff("officer", area, display_name="เจ้าหน้าที่ แสนสุข")
    stranger = make_staff("officer", other)
    admin = make_staff("admin")
    resident = make_user()
    cleaning = Agency(area_id=area.id, name_th="กองสาธารณสุขและสิ่งแวดล้อม", name_en="Public health and environment")
    works = Agency(area_id=area.id, name_th="กองช่าง", name_en="Public works")
    far = Agency(area_id=other.id, name_th="กองช่างหัวเวียง", name_en="Hua Wiang public works")
    db.session.add_all([cleaning, works, far])
    db.session.commit()
    ideas = [make_idea(area, make_user(), title, body, theme=area.themes[1] if "ไฟ" in title else area.themes[0])
             for title, body in TITLES]
    return {"area": area, "other": other, "officer": officer, "stranger": stranger, "admin": admin,
            "resident": resident, "cleaning": cleaning, "works": works, "far": far, "ideas": ideas}


def png_bytes(size=(40, 30), color=(200, 30, 30), exif: bool = False, fmt: str = "JPEG") -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x010E] = "13.28N 100.92E"  # ImageDescription: a place, as phones write
        image.save(out, format=fmt, exif=data)
    else:
        image.save(out, format=fmt)
    return out.getvalue()
