"""Demo data of the programme around the pilots (written for this project): the province above
each pilot, each pilot's IAP2 level and promise, and its rounds (a closed past round and the open
current one, dated from the day the demo is loaded)."""
from __future__ import annotations

PROVINCES = [
    {"slug": "chonburi", "name_th": "จังหวัดชลบุรี", "name_en": "Chonburi Province",
     "description_th": "จังหวัดชายฝั่งทะเลตะวันออก ที่ตั้งของเทศบาลเมืองแสนสุขและหาดบางแสน",
     "description_en": "An eastern seaboard province, home of Saensuk Town Municipality and Bang Saen beach."},
    {"slug": "ayutthaya", "name_th": "จังหวัดพระนครศรีอยุธยา", "name_en": "Phra Nakhon Si Ayutthaya Province",
     "description_th": "จังหวัดมรดกโลกริมแม่น้ำเจ้าพระยา ป่าสัก และลพบุรี ที่ตั้งของเทศบาลตำบลหัวเวียง",
     "description_en": "The World Heritage province on the Chao Phraya, Pa Sak and Lopburi rivers, home of "
                       "Hua Wiang Subdistrict Municipality."},
    {"slug": "bangkok", "name_th": "กรุงเทพมหานคร", "name_en": "Bangkok",
     "description_th": "เมืองหลวง 50 เขต รวมเขตราชเทวีและชุมชนบ้านครัว",
     "description_en": "The capital's 50 districts, Ratchathewi and the Ban Khrua community among them."},
]

#: Pilot slug -> its province and its promise to residents.
PILOTS = {
    "saensuk": {
        "parent": "chonburi",
        "iap2_level": "consult",
        "promise_th": "เทศบาลเมืองแสนสุขจะอ่านทุกไอเดียเรื่องขยะชายหาด รวมไอเดียที่เป็นเรื่องเดียวกัน และตอบกลับทุกเรื่อง"
                      "ภายใน 14 วัน ไอเดียที่มีผู้สนับสนุนมากจะถูกนำเข้าที่ประชุมจัดทำแผนพัฒนาท้องถิ่น "
                      "และเทศบาลจะแจ้งให้ทราบว่าความคิดเห็นของท่านมีผลต่อการตัดสินใจอย่างไร",
        "promise_en": "Saensuk Town Municipality will read every idea on beach litter, bring together ideas about "
                      "the same problem and answer each within 14 days. Well-supported ideas go to the meeting that "
                      "drafts the local development plan, and we will tell you how your input shaped the decision.",
    },
    "huawiang": {
        "parent": "ayutthaya",
        "iap2_level": "involve",
        "promise_th": "เทศบาลตำบลหัวเวียงจะชวนผู้เสนอไอเดียที่มีผู้สนับสนุนมากที่สุดมาร่วมออกแบบเส้นทางท่องเที่ยวชุมชน"
                      "ในเวทีประชาคมหมู่บ้าน ข้อเสนอที่เห็นพ้องกันจะถูกบรรจุในแผนพัฒนาหมู่บ้านและแผนพัฒนาท้องถิ่น "
                      "และเทศบาลจะรายงานความคืบหน้าให้ทราบทุกไตรมาส",
        "promise_en": "Hua Wiang Subdistrict Municipality will invite the authors of the most supported ideas to "
                      "design community tourism routes with us at village forums. Proposals agreed there go into "
                      "the village and local development plans, and we will report progress every quarter.",
    },
    "ratchathewi": {
        "parent": "bangkok",
        "iap2_level": "collaborate",
        "promise_th": "สำนักงานเขตราชเทวีจะทำงานร่วมกับชุมชนบ้านครัวตั้งแต่การกำหนดโจทย์ การคัดเลือกไอเดีย "
                      "จนถึงการลงมือทำ ข้อเสนอที่ชุมชนเห็นร่วมกันจะถูกนำไปใช้ให้มากที่สุดเท่าที่อำนาจหน้าที่"
                      "และงบประมาณของเขตเอื้ออำนวย",
        "promise_en": "Ratchathewi District Office will work with the Ban Khrua community from setting the "
                      "challenges to choosing ideas and carrying them out. Proposals the community agrees on will "
                      "be put into practice as far as the district's powers and budget allow.",
    },
}

#: Every pilot's rounds: (title_th, title_en, opens N days ago, closes in N days (negative: in the
#: past), how many of the area's first themes it covers (None: all)). Times: 09:00 to 16:30, Bangkok.
ROUNDS = [
    ("รอบที่ 1: สำรวจปัญหา", "Round 1: mapping the problems", 400, -250, 2),
    ("รอบที่ 2: ระดมไอเดียแก้ปัญหา", "Round 2: ideas for solutions", 150, 60, None),
]
