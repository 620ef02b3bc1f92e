"""The event report: the figures OPDC publishes, from the rows themselves.

participants          people checked in
sectors, age bands    among participants, from those who consented; "not stated" for the rest;
                      a count from 1 to 4 is not shown ("< 5"), and when only one cell of a table is
                      hidden so, the next smallest is hidden too, so no hidden count can be worked out
                      from the total
proposals             final proposals; taken forward n of m (m = final proposals)
satisfaction %        share of survey answers rating 4 or 5 (of 1–5); also the mean
intention to return % share of survey answers saying they would join again
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from idea4gov.events.models import AgeBand, Event, Outcome, Proposal, ProposalStatus, Registration, Sector, SurveyAnswer
from idea4gov.events.services import judging
from idea4gov.events.services.registration import counts as registration_counts
from idea4gov.extensions import db

#: Counts below this (and above zero) are not shown.
SMALL = 5
SATISFIED_FROM = 4

SECTOR_LABELS = {
    Sector.citizen: _l("ประชาชนทั่วไป"),
    Sector.student: _l("นักเรียน นักศึกษา"),
    Sector.public: _l("ภาครัฐ"),
    Sector.private: _l("ภาคเอกชน"),
    Sector.civil_society: _l("ภาคประชาสังคม องค์กรไม่แสวงหากำไร"),
    Sector.academic: _l("ภาควิชาการ"),
    Sector.other: _l("อื่น ๆ"),
}
AGE_LABELS = {
    AgeBand.under_18: _l("ต่ำกว่า 18 ปี"),
    AgeBand.age_18_24: _l("18–24 ปี"),
    AgeBand.age_25_34: _l("25–34 ปี"),
    AgeBand.age_35_44: _l("35–44 ปี"),
    AgeBand.age_45_59: _l("45–59 ปี"),
    AgeBand.age_60_plus: _l("60 ปีขึ้นไป"),
}
NOT_STATED = _l("ไม่ระบุ")


@dataclass
class Cell:
    key: str
    #: Translated when shown (a lazy string), so the report is built outside a request too.
    label: object
    count: int
    #: "shown", "small" (1–4, not shown) or "hidden" (shown would reveal a small one).
    state: str = "shown"

    @property
    def shown(self) -> int | None:
        return self.count if self.state == "shown" else None


def suppress(cells: list[Cell]) -> list[Cell]:
    """Hide counts of 1–4, and one more cell when a single one is hidden."""
    small = [cell for cell in cells if 0 < cell.count < SMALL]
    for cell in small:
        cell.state = "small"
    if len(small) == 1:
        others = sorted((cell for cell in cells if cell.state == "shown" and cell.count > 0), key=lambda c: c.count)
        if others:
            others[0].state = "hidden"
    return cells


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Report:
    event: Event
    registered: int = 0
    waitlisted: int = 0
    participants: int = 0
    teams: int = 0
    proposals: int = 0
    drafts: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    respondents: int = 0
    satisfied: int = 0
    satisfaction_mean: float | None = None
    would_return: int = 0
    sectors: list[Cell] = field(default_factory=list)
    age_bands: list[Cell] = field(default_factory=list)
    #: {1..5: answers}, suppressed like the other tables.
    distribution: list[Cell] = field(default_factory=list)

    @property
    def taken_forward(self) -> int:
        return self.outcomes.get(Outcome.taken_forward.value, 0)

    @property
    def satisfaction_pct(self) -> float | None:
        return percent(self.satisfied, self.respondents)

    @property
    def return_pct(self) -> float | None:
        return percent(self.would_return, self.respondents)

    @property
    def response_pct(self) -> float | None:
        return percent(self.respondents, self.participants)


def _table(event: Event, column, labels: dict) -> list[Cell]:  # noqa: ANN001
    rows = dict(db.session.execute(
        sa.select(column, sa.func.count()).where(Registration.event_id == event.id,
                                                 Registration.checked_in_at.is_not(None))
        .group_by(column)).all())
    cells = [Cell(key.value, label, rows.get(key, 0)) for key, label in labels.items()]
    cells.append(Cell("not_stated", NOT_STATED, rows.get(None, 0)))
    return suppress(cells)


def build(event: Event) -> Report:
    """Every figure of the report (a fixed number of queries)."""
    counts = registration_counts(event)
    report = Report(event=event, registered=counts["accepted"] + counts["waitlisted"], waitlisted=counts["waitlisted"],
                    participants=counts["checked_in"])
    from idea4gov.events.models import Team

    report.teams = db.session.scalar(sa.select(sa.func.count()).where(Team.event_id == event.id)) or 0
    by_status = dict(db.session.execute(sa.select(Proposal.status, sa.func.count()).where(
        Proposal.event_id == event.id).group_by(Proposal.status)).all())
    report.proposals, report.drafts = by_status.get(ProposalStatus.final, 0), by_status.get(ProposalStatus.draft, 0)
    report.outcomes = {outcome.value: count for outcome, count in db.session.execute(
        sa.select(Proposal.outcome, sa.func.count()).where(Proposal.event_id == event.id, Proposal.outcome.is_not(None))
        .group_by(Proposal.outcome))}
    # Only answers of people still counted as present count.
    answers = (sa.select(SurveyAnswer.satisfaction, SurveyAnswer.would_return)
               .join(Registration, Registration.id == SurveyAnswer.registration_id)
               .where(SurveyAnswer.event_id == event.id, Registration.checked_in_at.is_not(None)))
    values = db.session.execute(answers).all()
    report.respondents = len(values)
    report.satisfied = sum(1 for value, _back in values if value >= SATISFIED_FROM)
    report.would_return = sum(1 for _value, back in values if back)
    if values:
        report.satisfaction_mean = round(sum(value for value, _back in values) / len(values), 2)
    report.distribution = suppress([Cell(str(score), str(score), sum(1 for v, _b in values if v == score))
                                    for score in range(5, 0, -1)])
    report.sectors = _table(event, Registration.sector, SECTOR_LABELS)
    report.age_bands = _table(event, Registration.age_band, AGE_LABELS)
    return report


def comments(event: Event) -> list[str]:
    """The survey's free text, newest first, without names (organisers only)."""
    return list(db.session.scalars(sa.select(SurveyAnswer.comment).where(
        SurveyAnswer.event_id == event.id, SurveyAnswer.comment != "").order_by(SurveyAnswer.id.desc())))


def ranking(event: Event):  # noqa: ANN201
    return judging.ranking(event)
