"""Demo events (written for this project; no real people): a past hackathon in Saensuk with its teams,
proposals, judging, outcomes and survey, modelled on MY BETTER COUNTRY HACKATHON (79 participants,
6 proposals, 4 taken forward), and an upcoming forum in Hua Wiang open for registration."""
from __future__ import annotations

#: Organisers of the demo events (password: the demo password).
ORGANISERS = [
    ("organiser-saensuk@example.org", "ผู้จัดกิจกรรม เทศบาลเมืองแสนสุข", "saensuk"),
    ("organiser-huawiang@example.org", "ผู้จัดกิจกรรม เทศบาลตำบลหัวเวียง", "huawiang"),
]

#: Participants beyond the demo residents: `participant-NN@example.org`, names put together from these.
FIRST_NAMES = ["กมล", "จิราพร", "ชัยวัฒน์", "ณัฐพล", "ดารุณี", "ธนากร", "นภัสสร", "ปิยะพงษ์", "พรทิพย์", "ภูมิ",
               "มณีรัตน์", "ยุทธนา", "รัชนี", "วรวุฒิ", "ศศิธร", "สมพงษ์", "อรอุมา", "อภิชาติ", "กัญญา", "ธีรวัฒน์"]
LAST_NAMES = ["แก้วประเสริฐ", "ศรีสุข", "บุญมา", "ทองดี", "วงศ์ใหญ่", "จันทร์เพ็ญ", "สายทอง", "มั่นคง", "รุ่งเรือง",
              "ใจซื่อ", "พูนผล", "เพชรงาม", "ชัยมงคล"]
PARTICIPANTS = 74

HACKATHON = {
    "title_th": "MY BETTER COUNTRY HACKATHON แสนสุข: ขยะชายหาด",
    "title_en": "MY BETTER COUNTRY HACKATHON Saensuk: beach litter",
    "description_th": "สองวันที่ชาวแสนสุข นักศึกษา ผู้ค้าริมหาด และเจ้าหน้าที่เทศบาล มาร่วมกันพัฒนาไอเดียเรื่องขยะชายหาด"
                      "จากบอกเรา ถึงรัฐ ให้เป็นข้อเสนอที่ทำได้จริง แล้วนำเสนอต่อคณะกรรมการและหน่วยงานของเทศบาล",
    "description_en": "Two days in which Saensuk residents, students, beach vendors and municipal staff turned the "
                      "platform's ideas on beach litter into workable proposals, pitched to a panel and the "
                      "municipality's agencies.",
    "place": "หอประชุมเทศบาลเมืองแสนสุข ถนนบางแสนสาย 2",
    "days_ago": 45,
    "capacity": 90,
    "checked_in": 79,
    "no_shows": 6,
    "cancelled": 3,
    "criteria": [("ผลกระทบ", 40), ("ความเป็นไปได้", 30), ("ความคุ้มค่า", 30)],
    "judges": ["officer-saensuk@example.org", "admin@example.org"],
}

#: (team name, members, proposal, source idea keys, scores per judge per criterion, outcome)
TEAMS = [
    ("ทีมถังอัจฉริยะ", 8, {
        "title": "ถังขยะแจ้งเตือนเมื่อเต็ม ให้รถเก็บขยะวิ่งตามถังที่เต็มจริง",
        "problem": "ถังขยะริมหาดบางแสนล้นทุกวันหยุด แต่รถเก็บขยะวิ่งรอบเดิมทุกวันโดยไม่รู้ว่าถังไหนเต็ม",
        "solution": "ติดเซนเซอร์วัดระดับขยะราคาถูกที่ถัง 50 จุด ส่งข้อมูลขึ้นแผนที่ให้หัวหน้ารถเก็บขยะวางเส้นทางวันต่อวัน",
        "beneficiaries": "นักท่องเที่ยว ผู้ค้าริมหาด และพนักงานเก็บขยะที่ไม่ต้องวิ่งรถเปล่า",
        "cost_baht": 420_000, "cost_note": "เซนเซอร์ 50 ชุด ชุดละ 6,000 บาท ระบบแผนที่และการติดตั้ง 120,000 บาท",
    }, ["ss-01", "ss-09", "ss-15"], [[5, 4, 4], [4, 4, 5]],
        ("taken_forward", "กองสาธารณสุขและสิ่งแวดล้อม",
         "เทศบาลบรรจุเป็นโครงการนำร่อง 20 จุดริมหาดบางแสนในแผนพัฒนาท้องถิ่น ปีงบประมาณ 2570")),
    ("ทีมโฟมเป็นศูนย์", 7, {
        "title": "หาดปลอดโฟม: ร้านค้าริมหาดเปลี่ยนเป็นภาชนะย่อยสลายได้",
        "problem": "กล่องโฟมจากร้านอาหารริมหาดเป็นขยะที่พบมากที่สุดในการเก็บขยะชายหาดทุกครั้ง",
        "solution": "ทำข้อตกลงกับร้านค้า 120 ร้าน ให้ส่วนลดค่าเช่าแผงแก่ร้านที่เลิกใช้โฟม และจัดซื้อภาชนะชานอ้อยราคาส่งร่วมกัน",
        "beneficiaries": "ร้านค้าที่ซื้อภาชนะได้ถูกลง ชาวบ้านและนักท่องเที่ยวที่ได้หาดสะอาด",
        "cost_baht": 150_000, "cost_note": "ส่วนลดค่าเช่าแผงปีแรกและงานประชาสัมพันธ์",
    }, ["ss-04"], [[4, 4, 5], [4, 5, 4]],
        ("taken_forward", "กองสาธารณสุขและสิ่งแวดล้อม",
         "เทศบาลออกประกาศขอความร่วมมือและทำบันทึกข้อตกลงกับสมาคมผู้ค้าริมหาดบางแสนแล้ว")),
    ("ทีมลิงไม่รื้อ", 6, {
        "title": "ถังขยะฝาล็อกกันลิงที่เขาสามมุก",
        "problem": "ลิงเขาสามมุกรื้อถุงขยะจนกระจายลงทะเลทุกเย็น",
        "solution": "เปลี่ยนเป็นถังเหล็กฝาล็อกแบบเหยียบ 30 ใบ และเก็บขยะก่อนห้าโมงเย็นทุกวัน",
        "beneficiaries": "ผู้มาเที่ยวเขาสามมุก ชาวประมงชายฝั่ง และลิงที่ไม่ต้องกินพลาสติก",
        "cost_baht": 180_000, "cost_note": "ถังเหล็ก 30 ใบ ใบละ 6,000 บาท",
    }, ["ss-08"], [[4, 5, 4], [5, 4, 4]],
        ("taken_forward", "กองช่าง", "กองช่างออกแบบถังต้นแบบแล้ว ติดตั้งชุดแรก 10 ใบภายในสามเดือน")),
    ("ทีมแต้มรีไซเคิล", 7, {
        "title": "ตู้รับขวดแลกแต้มที่ตลาดหนองมน",
        "problem": "ขวดพลาสติกจากตลาดหนองมนปนไปกับขยะทั่วไป ทั้งที่ขายได้",
        "solution": "ตั้งตู้รับขวดแลกแต้มใช้เป็นส่วนลดในตลาด ร่วมกับร้านรับซื้อของเก่าในชุมชน",
        "beneficiaries": "ผู้ค้าและลูกค้าตลาดหนองมน ร้านรับซื้อของเก่า",
        "cost_baht": 260_000, "cost_note": "ตู้ 2 ตู้และระบบแต้ม",
    }, ["ss-03", "ss-12"], [[3, 4, 3], [4, 3, 4]],
        ("taken_forward", "ฝ่ายส่งเสริมการท่องเที่ยว สำนักปลัดเทศบาล",
         "ทดลองหนึ่งตู้ที่ตลาดหนองมนร่วมกับสมาคมผู้ค้า ประเมินผลหลังหกเดือน")),
    ("ทีมอาสาแหลมแท่น", 6, {
        "title": "อาสาเก็บขยะแหลมแท่นแลกชั่วโมงจิตอาสา",
        "problem": "นักศึกษาอยากทำจิตอาสาแต่ไม่มีกิจกรรมประจำ ขณะที่แหลมแท่นขาดคนเก็บขยะวันธรรมดา",
        "solution": "ปฏิทินกิจกรรมเก็บขยะทุกเช้าวันพุธ ลงชื่อผ่าน LINE และออกใบรับรองชั่วโมงจิตอาสาร่วมกับมหาวิทยาลัย",
        "beneficiaries": "นักศึกษาในพื้นที่และชุมชนแหลมแท่น",
        "cost_baht": 40_000, "cost_note": "ถุงมือ คีมคีบ และเสื้ออาสา",
    }, ["ss-05", "ss-06"], [[3, 3, 4], [3, 4, 3]],
        ("parked", None, "เทศบาลเห็นด้วย แต่รอการตกลงเรื่องชั่วโมงจิตอาสากับมหาวิทยาลัยก่อน จะพิจารณาอีกครั้งภาคเรียนหน้า")),
    ("ทีมก้นบุหรี่", 5, {
        "title": "ที่เขี่ยบุหรี่พกพาแจกฟรีที่ทางลงหาด",
        "problem": "ก้นบุหรี่ฝังในทรายเก็บยากและเป็นพิษต่อสัตว์ทะเล",
        "solution": "แจกที่เขี่ยบุหรี่พกพาฟรีที่ทางลงหาด 10 จุด พร้อมป้ายเตือนค่าปรับ",
        "beneficiaries": "นักท่องเที่ยวและคนเก็บขยะชายหาด",
        "cost_baht": 90_000, "cost_note": "ที่เขี่ยบุหรี่พกพา 10,000 ชิ้น",
    }, ["ss-11"], [[2, 3, 2], [3, 2, 2]],
        ("declined", None, "ซ้ำกับโครงการรณรงค์ของกรมควบคุมมลพิษที่แจกที่เขี่ยบุหรี่ในพื้นที่อยู่แล้ว เทศบาลจะร่วมกับโครงการนั้นแทน")),
]

#: Survey: (satisfaction, would join again) counts; 53 answers: 92.5 % satisfied, 77.4 % would come back.
SURVEY = [(5, True, 26), (4, True, 15), (4, False, 8), (3, False, 3), (2, False, 1)]
COMMENTS = [
    "ได้รู้จักเจ้าหน้าที่เทศบาลที่รับผิดชอบเรื่องขยะโดยตรง ไม่เคยมีโอกาสแบบนี้มาก่อน",
    "อยากให้มีเวลาทำต้นแบบมากกว่านี้ สองวันน้อยไป",
    "ห้องแอร์เย็นมาก แต่กิจกรรมดีมากค่ะ",
    "อยากรู้ว่าข้อเสนอที่ได้รับเลือกคืบหน้าไปถึงไหน ช่วยแจ้งในเว็บด้วย",
]
#: Sectors and age bands of those who consented (consent for the first 70 participants).
SECTORS = ["citizen"] * 30 + ["student"] * 18 + ["public"] * 8 + ["private"] * 7 + ["civil_society"] * 4 + \
          ["academic"] * 3
AGE_BANDS = ["age_18_24"] * 22 + ["age_25_34"] * 20 + ["age_35_44"] * 13 + ["age_45_59"] * 10 + ["age_60_plus"] * 3 + \
            ["under_18"] * 2

FORUM = {
    "title_th": "พลเมืองเคลื่อนรัฐ OpenGov for Citizen: เวทีท่องเที่ยวชุมชนหัวเวียง",
    "title_en": "OpenGov for Citizen: Hua Wiang community tourism forum",
    "description_th": "เวทีรับฟังความคิดเห็นระดับจังหวัด ชวนชาวหัวเวียงคุยเรื่องเส้นทางท่องเที่ยวชุมชนจากไอเดียที่เสนอไว้ "
                      "ก่อนบรรจุในแผนพัฒนาหมู่บ้าน",
    "description_en": "A provincial idea forum: Hua Wiang residents discuss community tourism routes from the ideas "
                      "posted, before they go into the village development plan.",
    "place": "ศาลาการเปรียญวัดหัวเวียง",
    "in_days": 14,
    "capacity": 60,
    "registered": ["malee", "wichai", "somchai", "pranee", "anan"],
}
