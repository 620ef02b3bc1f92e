"""The event report (public: only totals, small counts suppressed), its A4 print view and the XLSX."""
from __future__ import annotations

from flask import Response, render_template
from flask_login import current_user

from idea4gov.events import access, bp
from idea4gov.events.services import report as reports
from idea4gov.i18n import current_locale
from idea4gov.timeutil import utcnow


def _context(event_id: int) -> dict:
    event = access.get_event(event_id)
    manage = access.can_manage(current_user, event) or access.can_decide_outcomes(current_user, event)
    return {"event": event, "report": reports.build(event), "ranking": reports.ranking(event), "manage": manage,
            "comments": reports.comments(event) if manage else [], "now": utcnow()}


@bp.get("/events/<int:event_id>/report")
def report(event_id: int):
    """The figures OPDC publishes: participants, sectors, age bands, proposals, taken forward, satisfaction."""
    return render_template("events/report.html", **_context(event_id))


@bp.get("/events/<int:event_id>/report/print")
def report_print(event_id: int):
    """The report on one A4 page, for printing."""
    return render_template("events/report_print.html", **_context(event_id))


@bp.get("/events/<int:event_id>/report.xlsx")
def report_xlsx(event_id: int):
    """The report as an Excel workbook: figures, sectors, age bands, proposals (and, for organisers, comments)."""
    from idea4gov.events.report_export import workbook

    context = _context(event_id)
    body = workbook(context["event"], context["report"], context["ranking"], context["comments"], current_locale())
    name = f"event-{event_id}-report.xlsx"
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
