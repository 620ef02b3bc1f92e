"""Demo agencies and officers of the pilot areas (written for this project; no real people)."""
from __future__ import annotations

AGENCIES = {
    "saensuk": [
        ("กองสาธารณสุขและสิ่งแวดล้อม", "Public Health and Environment Division"),
        ("กองช่าง", "Public Works Division"),
        ("ฝ่ายส่งเสริมการท่องเที่ยว สำนักปลัดเทศบาล", "Tourism Promotion, Municipal Clerk's Office"),
    ],
    "huawiang": [
        ("กองการศึกษา ศาสนาและวัฒนธรรม", "Education, Religion and Culture Division"),
        ("กองช่าง", "Public Works Division"),
    ],
    "ratchathewi": [
        ("ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม", "Community Development and Social Welfare"),
        ("ฝ่ายโยธา", "Public Works"),
        ("ฝ่ายเทศกิจ", "City Law Enforcement"),
    ],
}

#: (e-mail, display name, area slug, Thai name of the agency they work for)
OFFICERS = [
    ("officer-saensuk@example.org", "เจ้าหน้าที่ เทศบาลเมืองแสนสุข", "saensuk", "กองสาธารณสุขและสิ่งแวดล้อม"),
    ("officer-huawiang@example.org", "เจ้าหน้าที่ เทศบาลตำบลหัวเวียง", "huawiang", "กองการศึกษา ศาสนาและวัฒนธรรม"),
    ("officer-ratchathewi@example.org", "เจ้าหน้าที่ สำนักงานเขตราชเทวี", "ratchathewi", "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม"),
]
