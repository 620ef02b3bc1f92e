"""Projects (โครงการ): what ideas became. A project belongs to an area and a plan, has a fiscal
year, a budget in baht, an agency, dates, milestones and a place, and a public history."""
from __future__ import annotations

import enum
import json
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow
from idea4gov.triage.models import PhotoFile

if TYPE_CHECKING:
    from idea4gov.areas.models import Area
    from idea4gov.ideas.models import Idea
    from idea4gov.triage.models import Agency


def _enum(cls: type[enum.Enum], length: int = 24) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, create_constraint=True, length=length)


class PlanType(enum.Enum):
    """The plan a project belongs to (labels in `idea4gov.projects.labels`)."""

    community_plan = "community_plan"          # แผนชุมชน
    village_plan = "village_plan"              # แผนพัฒนาหมู่บ้าน
    local_development_plan = "local_development_plan"  # แผนพัฒนาท้องถิ่น
    agency_project = "agency_project"          # โครงการของหน่วยงาน
    other = "other"                            # อื่น ๆ


class ProjectStatus(enum.Enum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


class MilestoneStatus(enum.Enum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
        sa.CheckConstraint("fiscal_year BETWEEN 2500 AND 2700", name="fiscal_year_range"),
        sa.CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("(lat IS NULL) = (lng IS NULL)", name="point_complete"),
        sa.CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90 AND lng BETWEEN -180 AND 180)", name="point_range"),
        sa.Index("ix_projects_area_fiscal_year", "area_id", "fiscal_year"),
    )

    #: Stable: the public address is /projects/<id> (events' proposals link here).
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Plain text, cleaned; shown with line breaks.
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    plan_type: Mapped[PlanType] = mapped_column(_enum(PlanType), index=True)
    #: Thai fiscal year (Buddhist era), e.g. 2569 = 1 Oct 2025 – 30 Sep 2026 (`idea4gov.programme.fiscal`).
    fiscal_year: Mapped[int] = mapped_column()
    #: Baht, exact (never a float); NULL when not budgeted (yet).
    budget: Mapped[Optional[Decimal]] = mapped_column(sa.Numeric(15, 2))
    #: Where the money comes from (เงินอุดหนุน, งบประมาณเทศบาล, …).
    budget_source: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    agency_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    starts_on: Mapped[Optional[date]] = mapped_column(sa.Date)
    ends_on: Mapped[Optional[date]] = mapped_column(sa.Date)
    status: Mapped[ProjectStatus] = mapped_column(_enum(ProjectStatus), default=ProjectStatus.planned,
                                                  server_default=ProjectStatus.planned.value, index=True)
    #: An official place: shown exactly (unlike residents' points).
    place_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    lat: Mapped[Optional[float]] = mapped_column(sa.Float)
    lng: Mapped[Optional[float]] = mapped_column(sa.Float)
    #: Optional outline: JSON list of [lat, lng] corners (3–200).
    polygon: Mapped[Optional[str]] = mapped_column(sa.Text)
    #: The group of similar ideas it was made from, when it was.
    source_group_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("idea_groups.id", ondelete="SET NULL"),
                                                           index=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    completed_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))

    area: Mapped["Area"] = relationship()
    agency: Mapped[Optional["Agency"]] = relationship()
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="project", order_by=lambda: (Milestone.position, Milestone.id), cascade="all, delete-orphan")
    links: Mapped[list["ProjectIdea"]] = relationship(back_populates="project", order_by="ProjectIdea.id",
                                                      cascade="all, delete-orphan")

    @property
    def polygon_points(self) -> list[list[float]]:
        return json.loads(self.polygon) if self.polygon else []

    def __repr__(self) -> str:
        return f"<Project {self.id} area={self.area_id} {self.title[:20]!r}>"


class ProjectIdea(db.Model):
    """An idea that became (part of) a project; an idea belongs to at most one project."""

    __tablename__ = "project_ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), unique=True)
    added_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    added_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="links")
    idea: Mapped["Idea"] = relationship()

    def __repr__(self) -> str:
        return f"<ProjectIdea project={self.project_id} idea={self.idea_id}>"


class Milestone(db.Model):
    __tablename__ = "project_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[Optional[date]] = mapped_column(sa.Date)
    status: Mapped[MilestoneStatus] = mapped_column(_enum(MilestoneStatus), default=MilestoneStatus.planned,
                                                    server_default=MilestoneStatus.planned.value)
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="milestones")

    def __repr__(self) -> str:
        return f"<Milestone {self.id} project={self.project_id} {self.status.value}>"


class ProjectChange(db.Model):
    """One line of a project's public history (each is also in the audit log)."""

    __tablename__ = "project_changes"
    __table_args__ = (sa.Index("ix_project_changes_project_created", "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: created, field, status, milestone_added, milestone, ideas_linked, idea_unlinked, disputed
    kind: Mapped[str] = mapped_column(sa.String(30))
    #: The field changed (title, budget, …) or the milestone's title.
    field: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    before: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    after: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: A public note (the completion report when marked done).
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    photos: Mapped[list["ProjectPhoto"]] = relationship(order_by="ProjectPhoto.id")

    def __repr__(self) -> str:
        return f"<ProjectChange {self.id} project={self.project_id} {self.kind}>"


class ProjectPhoto(PhotoFile, db.Model):
    """Evidence of a done project (same checks as evidence photos: decoded, re-encoded, no EXIF)."""

    __tablename__ = "project_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    change_id: Mapped[int] = mapped_column(sa.ForeignKey("project_changes.id", ondelete="CASCADE"), index=True)

    def __repr__(self) -> str:
        return f"<ProjectPhoto {self.id} project={self.project_id}>"
