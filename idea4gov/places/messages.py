"""Thai (and English) messages for place errors."""
from __future__ import annotations

from flask_babel import gettext as _

from idea4gov.places.geo import THAILAND


def geo_message(code: str) -> str:
    south, west, north, east = THAILAND
    messages = {
        "coordinate_invalid": _("พิกัดต้องเป็นตัวเลขทศนิยม เช่น 13.2843 (ใช้จุดเป็นทศนิยม ไม่ใช้ลูกน้ำ)"),
        "latitude_missing": _("กรุณาใส่ละติจูดคู่กับลองจิจูด"),
        "longitude_missing": _("กรุณาใส่ลองจิจูดคู่กับละติจูด"),
        "latitude_range": _("ละติจูดต้องอยู่ระหว่าง -90 ถึง 90"),
        "longitude_range": _("ลองจิจูดต้องอยู่ระหว่าง -180 ถึง 180"),
        "outside_thailand": _("ตำแหน่งนี้อยู่นอกประเทศไทย (ละติจูด %(south)s–%(north)s ลองจิจูด %(west)s–%(east)s) "
                              "กรุณาตรวจว่าไม่ได้สลับละติจูดกับลองจิจูด", south=south, north=north, west=west, east=east),
        "outside_area": _("ตำแหน่งนี้อยู่นอกขอบเขตของพื้นที่ กรุณาเลือกจุดในพื้นที่นี้"),
        "bbox_format": _("ขอบเขตต้องเป็นตัวเลข 4 ค่า: ใต้, ตะวันตก, เหนือ, ตะวันออก เช่น 13.25, 100.90, 13.33, 100.96"),
        "bbox_order": _("ขอบเขตไม่ถูกต้อง: ค่าใต้ต้องน้อยกว่าเหนือ และตะวันตกต้องน้อยกว่าตะวันออก"),
        "bbox_outside_thailand": _("ขอบเขตต้องอยู่ในประเทศไทย"),
        "polygon_too_few": _("พื้นที่โครงการต้องมีอย่างน้อย 3 จุด"),
        "polygon_too_many": _("พื้นที่โครงการมีจุดมากเกินไป (ไม่เกิน 200 จุด)"),
        "polygon_format": _("พื้นที่โครงการ: ใส่บรรทัดละหนึ่งจุดเป็น ละติจูด, ลองจิจูด เช่น 13.2843, 100.9151"),
    }
    return messages.get(code, _("พิกัดไม่ถูกต้อง"))
