"""Demo data for `flask seed demo`, written for this project (no real people or reports).

Each pilot area lives in its own module; this one gathers them with the demo residents.
"""
from __future__ import annotations

from idea4gov.seed.demo_huawiang import AREA as HUAWIANG
from idea4gov.seed.demo_ratchathewi import AREA as RATCHATHEWI
from idea4gov.seed.demo_saensuk import AREA as SAENSUK

RESIDENTS = [
    {"key": "somchai", "email": "somchai@example.org", "display_name": "สมชาย ใจดี"},
    {"key": "malee", "email": "malee@example.org", "display_name": "มาลี ศรีสุข"},
    {"key": "wichai", "email": "wichai@example.org", "display_name": "วิชัย ทองคำ"},
    {"key": "pranee", "email": "pranee@example.org", "display_name": "ปราณี รักษ์ทะเล"},
    {"key": "anan", "email": "anan@example.org", "display_name": "อนันต์ มีสุข"},
    {"key": "kanya", "email": "kanya@example.org", "display_name": "กัญญา บุญมา"},
    {"key": "niran", "email": "niran@example.org", "display_name": "นิรันดร์ แก้วใส"},
    {"key": "suda", "email": "suda@example.org", "display_name": "สุดา พรหมมา"},
    {"key": "tawan", "email": "tawan@example.org", "display_name": "ตะวัน ริมน้ำ"},
    {"key": "fatima", "email": "fatima@example.org", "display_name": "ฟาติมะห์ อาลี"},
    {"key": "yusuf", "email": "yusuf@example.org", "display_name": "ยูซุฟ บ้านครัว"},
    {"key": "nok", "email": "nok@example.org", "display_name": "นก (นักศึกษา)"},
    {"key": "ploy", "email": "ploy@example.org", "display_name": "พลอย ใจงาม"},
    {"key": "boonmee", "email": "boonmee@example.org", "display_name": "ลุงบุญมี"},
]

AREAS = [SAENSUK, HUAWIANG, RATCHATHEWI]
