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

#: (idea key, agency, status, public answer, days after posting) — a few answered ideas, so the
#: status history, the funnel and "days to first answer" have something to show.
ANSWERS = [
    ("ss-01", "กองสาธารณสุขและสิ่งแวดล้อม", "accepted",
     "เทศบาลรับข้อเสนอนี้ จะติดตั้งถังขยะแยกประเภทริมหาดบางแสนเพิ่ม 40 จุด ภายในไตรมาสหน้า", 3),
    ("ss-02", "กองสาธารณสุขและสิ่งแวดล้อม", "in_progress",
     "จัดทีมเก็บขยะเร่งด่วนหลังคลื่นลมแรงแล้ว ออกเก็บภายใน 24 ชั่วโมงหลังประกาศเตือนคลื่นลม", 5),
    ("ss-03", "กองสาธารณสุขและสิ่งแวดล้อม", "under_review", "", 2),
    ("hw-01", "กองการศึกษา ศาสนาและวัฒนธรรม", "accepted",
     "เทศบาลจะทดลองเปิดถนนคนเดินตลาดเก่าทุกเย็นวันเสาร์ เริ่มเดือนหน้า ร่วมกับชุมชนและวัด", 6),
    ("hw-02", "กองช่าง", "declined",
     "ช่วงนี้ระดับน้ำในแม่น้ำน้อยต่ำและท่าเรือชำรุด จึงยังจัดล่องเรือไม่ได้ จะพิจารณาใหม่หลังซ่อมท่าเรือ", 9),
    ("rt-01", "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม", "accepted",
     "สำนักงานเขตจะจัดเวิร์กช็อปทอผ้าไหมร่วมกับกลุ่มทอผ้าบ้านครัวเดือนละครั้ง", 4),
]
