"""Thai working days: the holiday calendar and the one calculation of "first answer due"."""
from flask import Blueprint

bp = Blueprint("deadlines", __name__)


def _first_answer_due_day(idea):  # noqa: ANN001, ANN202
    from idea4gov.deadlines.services import first_answer_due_day

    return first_answer_due_day(idea)


bp.add_app_template_global(_first_answer_due_day, "first_answer_due_day")
