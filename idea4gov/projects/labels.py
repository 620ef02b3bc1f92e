"""Thai (and English) names of plans, project and milestone statuses."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from idea4gov.projects.models import MilestoneStatus, PlanType, ProjectStatus

PLAN_LABELS = {
    PlanType.community_plan: _l("แผนชุมชน"),
    PlanType.village_plan: _l("แผนพัฒนาหมู่บ้าน"),
    PlanType.local_development_plan: _l("แผนพัฒนาท้องถิ่น"),
    PlanType.agency_project: _l("โครงการของหน่วยงาน"),
    PlanType.other: _l("อื่น ๆ"),
}
#: Thai names written into plan-shaped exports whatever the reader's language (a plan document is Thai).
PLAN_TH = {
    PlanType.community_plan: "แผนชุมชน",
    PlanType.village_plan: "แผนพัฒนาหมู่บ้าน",
    PlanType.local_development_plan: "แผนพัฒนาท้องถิ่น",
    PlanType.agency_project: "โครงการของหน่วยงาน",
    PlanType.other: "อื่น ๆ",
}
STATUS_LABELS = {
    ProjectStatus.planned: _l("วางแผนแล้ว"),
    ProjectStatus.in_progress: _l("กำลังดำเนินการ"),
    ProjectStatus.done: _l("เสร็จแล้ว"),
    ProjectStatus.cancelled: _l("ยกเลิก"),
}
MILESTONE_LABELS = {
    MilestoneStatus.planned: _l("ยังไม่เริ่ม"),
    MilestoneStatus.in_progress: _l("กำลังทำ"),
    MilestoneStatus.done: _l("เสร็จแล้ว"),
    MilestoneStatus.cancelled: _l("ยกเลิก"),
}
FIELD_LABELS = {
    "title": _l("ชื่อโครงการ"),
    "description": _l("รายละเอียด"),
    "plan_type": _l("แผน"),
    "fiscal_year": _l("ปีงบประมาณ"),
    "budget": _l("งบประมาณ (บาท)"),
    "budget_source": _l("แหล่งงบประมาณ"),
    "agency": _l("หน่วยงานรับผิดชอบ"),
    "starts_on": _l("วันเริ่ม"),
    "ends_on": _l("วันสิ้นสุด"),
    "place_name": _l("สถานที่"),
    "point": _l("พิกัด"),
    "polygon": _l("ขอบเขตพื้นที่โครงการ"),
}
