"""What residents read about projects: the list of an area's projects with budget totals per fiscal
year, and the plan-shaped export (per area and fiscal year)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.links import base_url
from idea4gov.projects.labels import PLAN_TH
from idea4gov.projects.models import Project, ProjectIdea, ProjectStatus
from idea4gov.projects.services import supporter_counts
from idea4gov.projects.values import format_baht
from idea4gov.timeutil import BUDDHIST_ERA_OFFSET


@dataclass
class YearTotals:
    """One fiscal year of an area: projects and budget by status."""

    fiscal_year: int
    count: dict[ProjectStatus, int] = field(default_factory=lambda: defaultdict(int))
    budget: dict[ProjectStatus, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @property
    def total_budget(self) -> Decimal:
        return sum((amount for status, amount in self.budget.items() if status != ProjectStatus.cancelled), Decimal())

    @property
    def total_count(self) -> int:
        return sum(count for status, count in self.count.items() if status != ProjectStatus.cancelled)


def totals_by_year(area: Area) -> list[YearTotals]:
    """Projects and budgets per fiscal year and status, newest year first. Added up as Decimal here
    (one query, a few hundred rows an area), so totals stay exact on SQLite too, where SUM is a float."""
    years: dict[int, YearTotals] = {}
    for year, status, budget in db.session.execute(
            sa.select(Project.fiscal_year, Project.status, Project.budget).where(Project.area_id == area.id)):
        totals = years.setdefault(year, YearTotals(year))
        totals.count[status] += 1
        totals.budget[status] += budget or Decimal()
    return [years[year] for year in sorted(years, reverse=True)]


def is_status(value: str | None) -> bool:
    """`?status=` of the results page: empty or a project status."""
    return value is None or value in ProjectStatus.__members__


def results_part(area: Area, fiscal_year: int, status: str | None) -> dict:
    """What the projects part of an area's results page shows (templates/projects/_results.html)."""
    from idea4gov import params

    page = params.paginate(projects_select(area, fiscal_year, ProjectStatus(status) if status else None), 20)
    return {"totals": totals_by_year(area), "project_page": page, "project_status": status,
            "project_statuses": ProjectStatus, "supporters": supporter_counts([p.id for p in page.items])}


def projects_select(area: Area, fiscal_year: int | None = None, status: ProjectStatus | None = None) -> sa.Select:
    query = (sa.select(Project).where(Project.area_id == area.id)
             .options(selectinload(Project.agency)).order_by(Project.fiscal_year.desc(), Project.id.desc()))
    if fiscal_year is not None:
        query = query.where(Project.fiscal_year == fiscal_year)
    if status is not None:
        query = query.where(Project.status == status)
    return query


EXPORT_COLUMNS = [
    ("แผน", "plan"), ("ปีงบประมาณ", "fiscal_year"), ("โครงการ", "project"), ("รายละเอียด", "description"),
    ("หน่วยงานรับผิดชอบ", "agency"), ("งบประมาณ (บาท)", "budget"), ("แหล่งงบประมาณ", "budget_source"),
    ("วันเริ่ม", "starts_on"), ("วันสิ้นสุด", "ends_on"), ("สถานะ", "status"), ("สถานที่", "place"),
    ("ละติจูด", "lat"), ("ลองจิจูด", "lng"), ("จำนวนไอเดียที่มา", "idea_count"),
    ("ผู้สนับสนุน (คน ไม่นับซ้ำ)", "supporters"), ("ไอเดียที่มา (เลขที่รับเรื่อง: ชื่อ, ผู้สนับสนุน)", "source_ideas"),
    ("ลิงก์", "url"),
]
STATUS_TH = {ProjectStatus.planned: "วางแผนแล้ว", ProjectStatus.in_progress: "กำลังดำเนินการ",
             ProjectStatus.done: "เสร็จแล้ว", ProjectStatus.cancelled: "ยกเลิก"}


def _thai_day(day) -> str:  # noqa: ANN001
    return f"{day.day}/{day.month}/{day.year + BUDDHIST_ERA_OFFSET}" if day else ""


def export_rows(area: Area, fiscal_year: int) -> tuple[list[str], list[list]]:
    """Rows shaped like a plan's project table: plan, project, budget and source, agency, dates,
    status, place, its source ideas with their supporter counts. Thai, as plan documents are."""
    projects = list(db.session.scalars(projects_select(area, fiscal_year).order_by(None)
                                       .order_by(Project.plan_type, Project.id)))
    ids = [project.id for project in projects]
    supporters = supporter_counts(ids)
    sources: dict[int, list[Idea]] = defaultdict(list)
    if ids:
        for project_id, idea in db.session.execute(
                sa.select(ProjectIdea.project_id, Idea).join(Idea, Idea.id == ProjectIdea.idea_id)
                .where(ProjectIdea.project_id.in_(ids)).order_by(Idea.id)):
            sources[project_id].append(idea)
    base = base_url()
    header = [f"{thai} ({key})" for thai, key in EXPORT_COLUMNS]
    rows = []
    for project in projects:
        ideas = sources[project.id]
        rows.append([
            PLAN_TH[project.plan_type], project.fiscal_year, project.title, project.description,
            project.agency.name_th if project.agency else "", project.budget,
            project.budget_source, _thai_day(project.starts_on), _thai_day(project.ends_on), STATUS_TH[project.status],
            project.place_name, project.lat, project.lng, len(ideas), supporters.get(project.id, 0),
            "\n".join(f"{idea.reference or '#' + str(idea.id)}: {idea.title} ({idea.vote_count})" for idea in ideas),
            f"{base}/projects/{project.id}",
        ])
    return header, rows


def budget_text(amount: Decimal | None) -> str:
    return format_baht(amount)
