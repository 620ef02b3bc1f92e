"""The IAP2 spectrum of public participation as OPDC (สำนักงาน ก.พ.ร.) names it, and each
level's standard promise, used when an area states a level without writing its own promise."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from idea4gov.areas.models import IAP2Level

#: Thai labels as OPDC uses them; the English catalogue gives IAP2's own names.
LABELS = {
    IAP2Level.inform: _l("การให้ข้อมูล"),
    IAP2Level.consult: _l("การปรึกษาหารือ"),
    IAP2Level.involve: _l("การเข้ามามีบทบาท"),
    IAP2Level.collaborate: _l("การร่วมมือ"),
    IAP2Level.empower: _l("การเสริมอำนาจ"),
}

#: (Thai, English) promise of each level, after IAP2's "promise to the public".
STANDARD_PROMISES = {
    IAP2Level.inform: (
        "หน่วยงานจะแจ้งข้อมูลข่าวสารให้ท่านทราบอย่างต่อเนื่อง ครบถ้วน และเข้าใจง่าย",
        "We will keep you informed.",
    ),
    IAP2Level.consult: (
        "หน่วยงานจะแจ้งข้อมูลให้ทราบ รับฟังและบันทึกข้อห่วงใยและความต้องการของท่าน "
        "และจะแจ้งกลับว่าความคิดเห็นของประชาชนมีผลต่อการตัดสินใจอย่างไร",
        "We will keep you informed, listen to and acknowledge concerns and aspirations, and provide "
        "feedback on how public input influenced the decision.",
    ),
    IAP2Level.involve: (
        "หน่วยงานจะทำงานร่วมกับท่าน เพื่อให้ข้อห่วงใยและความต้องการของท่านสะท้อนอยู่ในทางเลือกที่จัดทำขึ้นโดยตรง "
        "และจะแจ้งกลับว่าความคิดเห็นของประชาชนมีผลต่อการตัดสินใจอย่างไร",
        "We will work with you to ensure that your concerns and aspirations are directly reflected in the "
        "alternatives developed and provide feedback on how public input influenced the decision.",
    ),
    IAP2Level.collaborate: (
        "หน่วยงานจะขอคำแนะนำและความคิดสร้างสรรค์จากท่านในการออกแบบทางแก้ปัญหา "
        "และจะนำข้อเสนอของท่านไปใช้ในการตัดสินใจให้มากที่สุดเท่าที่ทำได้",
        "We will look to you for advice and innovation in formulating solutions and incorporate your advice "
        "and recommendations into the decisions to the maximum extent possible.",
    ),
    IAP2Level.empower: (
        "หน่วยงานจะนำสิ่งที่ประชาชนตัดสินใจไปดำเนินการ",
        "We will implement what you decide.",
    ),
}


def label(level: IAP2Level | None, locale: str | None = None) -> str:
    """The level's name in the page's language, or in `locale` ("th", "en") whatever the page's."""
    if level is None:
        return ""
    if locale is None:
        return str(LABELS[level])
    with force_locale(locale):
        return str(LABELS[level])
