"""The event report as XLSX: the OPDC figures, sectors, age bands and proposals (text cells never formulas)."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from idea4gov.events.forms import KIND_LABELS, OUTCOME_LABELS
from idea4gov.events.models import Event
from idea4gov.events.services.report import Cell, Report
from idea4gov.exports import Sheet, xlsx_book_bytes
from idea4gov.links import public_url
from idea4gov.timeutil import format_date


def _cell(cell: Cell) -> object:
    """A suppressed count is written as text, never as a number someone could add up."""
    if cell.state == "small":
        return "<5"
    if cell.state == "hidden":
        return _("ไม่แสดง")
    return cell.count


def figures(event: Event, report: Report, locale: str) -> list[tuple[str, object]]:
    """(figure, value) rows, in the order OPDC reports them; percentages as numbers (one decimal)."""
    return [
        (_("กิจกรรม"), event.title(locale)),
        (_("ประเภท"), str(KIND_LABELS[event.kind])),
        (_("วันที่"), f"{format_date(event.starts_at, locale, with_time=True)} – "
                      f"{format_date(event.ends_at, locale, with_time=True)}"),
        (_("พื้นที่"), ", ".join(area.name(locale) for area in event.areas)),
        (_("ผู้ลงทะเบียน (คน)"), report.registered),
        (_("ผู้เข้าร่วม (เช็กอิน, คน)"), report.participants),
        (_("ทีม"), report.teams),
        (_("ข้อเสนอ (ฉบับสุดท้าย)"), report.proposals),
        (_("ได้รับการนำไปดำเนินการต่อ"), report.taken_forward),
        (_("นำไปดำเนินการต่อ (n จาก m)"), _("%(n)d จาก %(m)d", n=report.taken_forward, m=report.proposals)),
        (_("ผู้ตอบแบบสอบถาม (คน)"), report.respondents),
        (_("ความพึงพอใจ (%)"), report.satisfaction_pct),
        (_("ความพึงพอใจเฉลี่ย (1–5)"), report.satisfaction_mean),
        (_("ต้องการเข้าร่วมอีก (%)"), report.return_pct),
        (_("ลิงก์"), public_url("events.report", event_id=event.id)),
    ]


def _project(proposal) -> str:  # noqa: ANN001 (a Proposal)
    """The project that carries it on (title and public address), or the link typed before projects existed."""
    if proposal.outcome_project is not None:
        return f"{proposal.outcome_project.title} · {public_url('projects.show', project_id=proposal.outcome_project.id)}"
    return proposal.outcome_project_url


def workbook(event: Event, report: Report, ranking: list, comments: list[str], locale: str) -> bytes:
    with force_locale(locale):
        sheets = [
            Sheet(_("สรุป"), [_("ตัวเลข"), _("ค่า")], figures(event, report, locale)),
            Sheet(_("ภาคส่วน"), [_("ภาคส่วน"), _("ผู้เข้าร่วม (คน)")], [(str(c.label), _cell(c)) for c in report.sectors]),
            Sheet(_("ช่วงอายุ"), [_("ช่วงอายุ"), _("ผู้เข้าร่วม (คน)")], [(str(c.label), _cell(c)) for c in report.age_bands]),
            Sheet(_("ข้อเสนอ"), [_("อันดับ"), _("ข้อเสนอ"), _("ทีม"), _("คะแนนถ่วงน้ำหนัก"), _("ผลลัพธ์"),
                                 _("หน่วยงาน"), _("เหตุผล"), _("ไอเดียที่เป็นที่มา"), _("ลิงก์"), _("โครงการ")],
                  [(row.rank, row.item.title, row.item.team.name,
                    round(row.weighted, 2) if row.weighted is not None else None,
                    str(OUTCOME_LABELS[row.item.outcome]) if row.item.outcome else _("ยังไม่ตัดสิน"),
                    row.item.outcome_agency.name(locale) if row.item.outcome_agency else "",
                    row.item.outcome_reason, ", ".join(i.reference or str(i.id) for i in row.item.ideas),
                    public_url("events.proposal", event_id=event.id, proposal_id=row.item.id), _project(row.item))
                   for row in ranking],
                  link_column=8, wrap_columns=(1, 6)),
        ]
        if comments:
            sheets.append(Sheet(_("ข้อเสนอแนะ"), [_("ข้อเสนอแนะจากผู้เข้าร่วม (ไม่แสดงชื่อ)")],
                                [(text,) for text in comments], wrap_columns=(0,)))
        return xlsx_book_bytes(sheets)
