"""Events (hackathons, workshops, forums): registrations, teams, proposals, outcomes and the survey.

The database holds the invariants: one registration per person and event, seats never beyond the
capacity (`accepted_count`, kept in the same transaction as the registrations it counts, with a
CHECK against `capacity`), one team per person and event, one proposal per team, a taken-forward
proposal names its agency, one survey answer per participant.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import as_utc, utcnow

if TYPE_CHECKING:
    from idea4gov.areas.models import Area, Theme
    from idea4gov.auth.models import User
    from idea4gov.groups.models import IdeaGroup
    from idea4gov.ideas.models import Idea
    from idea4gov.projects.models import Project
    from idea4gov.shortlists.models import Criterion, Shortlist, ShortlistJudge
    from idea4gov.triage.models import Agency


def _enum(cls: type[enum.Enum], name: str) -> sa.Enum:
    return sa.Enum(cls, name=name, native_enum=False, create_constraint=True, length=20)


class EventKind(enum.Enum):
    hackathon = "hackathon"
    workshop = "workshop"
    forum = "forum"


class EventState(enum.Enum):
    """A draft is seen only by its organisers; a cancelled event stays readable."""

    draft = "draft"
    published = "published"
    cancelled = "cancelled"


class RegistrationStatus(enum.Enum):
    accepted = "accepted"
    waitlisted = "waitlisted"
    cancelled = "cancelled"


class Sector(enum.Enum):
    """Where a participant comes from; given only with consent, reported only in aggregate."""

    citizen = "citizen"
    student = "student"
    public = "public"
    private = "private"
    civil_society = "civil_society"
    academic = "academic"
    other = "other"


class AgeBand(enum.Enum):
    under_18 = "under_18"
    age_18_24 = "age_18_24"
    age_25_34 = "age_25_34"
    age_35_44 = "age_35_44"
    age_45_59 = "age_45_59"
    age_60_plus = "age_60_plus"


class ProposalStatus(enum.Enum):
    draft = "draft"
    final = "final"


class Outcome(enum.Enum):
    """What happened to a final proposal after the event."""

    taken_forward = "taken_forward"
    parked = "parked"
    declined = "declined"


#: The areas an event belongs to; managing it needs the organiser role in each.
event_areas = sa.Table(
    "event_areas", db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True, index=True),
)
#: Challenges (โจทย์) the event works on.
event_themes = sa.Table(
    "event_themes", db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)
#: Groups of similar ideas the event works on (a regroup that drops a group drops the link).
event_groups = sa.Table(
    "event_groups", db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("group_id", sa.ForeignKey("idea_groups.id", ondelete="CASCADE"), primary_key=True, index=True),
)
#: Partner agencies (หน่วยงานร่วม) of the event.
event_agencies = sa.Table(
    "event_agencies", db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("agency_id", sa.ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True, index=True),
)
#: Residents' ideas a proposal was developed from.
proposal_ideas = sa.Table(
    "event_proposal_ideas", db.metadata,
    sa.Column("proposal_id", sa.ForeignKey("event_proposals.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("idea_id", sa.ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True),
)
proposal_groups = sa.Table(
    "event_proposal_groups", db.metadata,
    sa.Column("proposal_id", sa.ForeignKey("event_proposals.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("group_id", sa.ForeignKey("idea_groups.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Event(db.Model):
    """A hackathon, workshop or forum in one or more areas."""

    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        # Seats: the database refuses one registration more than the room holds, whatever the concurrency.
        sa.CheckConstraint("accepted_count >= 0 AND accepted_count <= capacity", name="seats_within_capacity"),
        sa.CheckConstraint("team_size_max BETWEEN 1 AND 20", name="team_size_range"),
        sa.CheckConstraint("registration_closes_at IS NULL OR registration_opens_at IS NULL "
                           "OR registration_closes_at > registration_opens_at", name="registration_window"),
        sa.Index("ix_events_state_starts", "state", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "event_kind"))
    state: Mapped[EventState] = mapped_column(_enum(EventState, "event_state"), default=EventState.draft,
                                              server_default=EventState.draft.value)
    title_th: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description_th: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: UTC; entered and shown in Bangkok time (Buddhist era in Thai).
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    #: Where it happens (plain text); an online event gives `online_url` instead or as well.
    place: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: Seats; registrations past it go on the waitlist.
    capacity: Mapped[int] = mapped_column()
    #: Accepted registrations, changed in the same statement that checks the capacity.
    accepted_count: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When residents may register online (NULL: from publication / until the start).
    registration_opens_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    registration_closes_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    #: Last moment a team may change or submit its proposal (NULL: the end of the event).
    proposal_deadline: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    team_size_max: Mapped[int] = mapped_column(default=6, server_default="6")
    #: A shortlist of residents' ideas the event works on.
    shortlist_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("shortlists.id", ondelete="SET NULL"),
                                                        index=True)
    #: Why an event was cancelled (public).
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    areas: Mapped[list["Area"]] = relationship(secondary=event_areas, order_by="Area.id")
    themes: Mapped[list["Theme"]] = relationship(secondary=event_themes, order_by="Theme.id")
    groups: Mapped[list["IdeaGroup"]] = relationship(secondary=event_groups, order_by="IdeaGroup.id")
    agencies: Mapped[list["Agency"]] = relationship(secondary=event_agencies, order_by="Agency.id")
    shortlist: Mapped[Optional["Shortlist"]] = relationship()
    #: The judging rubric: the same criteria, judges and 1–5 scores as shortlists (`idea4gov.shortlists.rubric`).
    criteria: Mapped[list["Criterion"]] = relationship(
        primaryjoin="Criterion.event_id == Event.id", order_by="(Criterion.position, Criterion.id)",
        cascade="all, delete-orphan")
    judges: Mapped[list["ShortlistJudge"]] = relationship(
        primaryjoin="ShortlistJudge.event_id == Event.id", order_by="ShortlistJudge.id", cascade="all, delete-orphan")
    created_by: Mapped[Optional["User"]] = relationship()

    @property
    def area_ids(self) -> set[int]:
        return {area.id for area in self.areas}

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_th

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_th

    @property
    def is_public(self) -> bool:
        return self.state != EventState.draft

    def has_started(self, now: datetime | None = None) -> bool:
        return as_utc(self.starts_at) <= (now or utcnow())

    def has_ended(self, now: datetime | None = None) -> bool:
        return as_utc(self.ends_at) <= (now or utcnow())

    @property
    def deadline(self) -> datetime:
        """When proposals close: the deadline set, or the end of the event."""
        return as_utc(self.proposal_deadline or self.ends_at)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.kind.value} {self.title_th[:20]!r}>"


class Registration(db.Model):
    """One person's place at an event: accepted, on the waitlist or cancelled; checked in on the day."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id"),
        sa.CheckConstraint("checked_in_at IS NULL OR status = 'accepted'", name="checked_in_is_accepted"),
        # Sector and age band are kept only with the person's explicit consent.
        sa.CheckConstraint("(sector IS NULL AND age_band IS NULL) OR demographics_consent_at IS NOT NULL",
                           name="demographics_need_consent"),
        sa.Index("ix_event_registrations_event_status_queue", "event_id", "status", "waitlisted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(_enum(RegistrationStatus, "registration_status"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: The waitlist is served oldest first by this time.
    waitlisted_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    checked_in_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True), index=True)
    checked_in_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: Made on site through the event's join code.
    join_code_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("join_codes.id", ondelete="SET NULL"),
                                                        index=True)
    sector: Mapped[Optional[Sector]] = mapped_column(_enum(Sector, "registration_sector"))
    age_band: Mapped[Optional[AgeBand]] = mapped_column(_enum(AgeBand, "registration_age_band"))
    demographics_consent_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    #: When the reminder before the event was queued (`flask events remind` sends it once).
    reminded_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))

    event: Mapped[Event] = relationship()
    user: Mapped["User"] = relationship(foreign_keys=[user_id])

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None

    def __repr__(self) -> str:
        return f"<Registration {self.id} event={self.event_id} user={self.user_id} {self.status.value}>"


class Team(db.Model):
    """A team at an event; people join by its invitation link."""

    __tablename__ = "event_teams"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "name"),
        # The target of the members' and proposal's (team, event) foreign key.
        sa.UniqueConstraint("id", "event_id", name="uq_event_teams_id_event"),
        sa.CheckConstraint("member_count >= 0", name="member_count_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    #: The secret part of the invitation link; a member can replace it.
    invite_token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    member_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    event: Mapped[Event] = relationship()
    members: Mapped[list["TeamMember"]] = relationship(back_populates="team", order_by="TeamMember.id")
    proposal: Mapped[Optional["Proposal"]] = relationship(back_populates="team", uselist=False)

    def __repr__(self) -> str:
        return f"<Team {self.id} event={self.event_id} {self.name!r}>"


class TeamMember(db.Model):
    """A participant in a team; one team per person and event."""

    __tablename__ = "event_team_members"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id"),
        sa.ForeignKeyConstraint(["team_id", "event_id"], ["event_teams.id", "event_teams.event_id"],
                                name="fk_event_team_members_team_event", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    team: Mapped[Team] = relationship(back_populates="members")
    user: Mapped["User"] = relationship()

    def __repr__(self) -> str:
        return f"<TeamMember team={self.team_id} user={self.user_id}>"


class Proposal(db.Model):
    """What a team proposes: a draft until submitted as final (before the deadline); then judged and
    given an outcome."""

    __tablename__ = "event_proposals"
    __table_args__ = (
        sa.UniqueConstraint("team_id"),
        sa.ForeignKeyConstraint(["team_id", "event_id"], ["event_teams.id", "event_teams.event_id"],
                                name="fk_event_proposals_team_event", ondelete="CASCADE"),
        sa.CheckConstraint("(status = 'final') = (submitted_at IS NOT NULL)", name="final_has_submitted_at"),
        sa.CheckConstraint("cost_baht IS NULL OR cost_baht >= 0", name="cost_non_negative"),
        sa.CheckConstraint("outcome IS NULL OR status = 'final'", name="outcome_only_final"),
        sa.CheckConstraint("outcome IS NULL OR outcome <> 'taken_forward' OR outcome_agency_id IS NOT NULL",
                           name="taken_forward_has_agency"),
        sa.CheckConstraint("outcome IS NULL OR outcome_reason <> ''", name="outcome_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column()
    status: Mapped[ProposalStatus] = mapped_column(_enum(ProposalStatus, "proposal_status"),
                                                   default=ProposalStatus.draft, server_default="draft")
    title: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    solution: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Who benefits (ผู้ได้รับประโยชน์).
    beneficiaries: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Estimated cost in baht; NULL when not estimated.
    cost_baht: Mapped[Optional[int]] = mapped_column(sa.BigInteger)
    cost_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    outcome: Mapped[Optional[Outcome]] = mapped_column(_enum(Outcome, "proposal_outcome"), index=True)
    #: The public reason of the outcome.
    outcome_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    outcome_agency_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    #: Only kept from before projects could be chosen: a link typed by hand (a /projects/<id> page or
    #: elsewhere), still shown while no project is chosen; nothing writes a new one.
    outcome_project_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: The project that carries it on: one of the event's areas (checked by the service).
    outcome_project_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("projects.id", ondelete="SET NULL"),
                                                              index=True)
    outcome_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    outcome_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    #: Read only: the (team, event) key writes `event_id`.
    event: Mapped[Event] = relationship(viewonly=True)
    team: Mapped[Team] = relationship(back_populates="proposal")
    ideas: Mapped[list["Idea"]] = relationship(secondary=proposal_ideas, order_by="Idea.id")
    groups: Mapped[list["IdeaGroup"]] = relationship(secondary=proposal_groups, order_by="IdeaGroup.id")
    files: Mapped[list["ProposalFile"]] = relationship(back_populates="proposal", order_by="ProposalFile.id",
                                                       cascade="all, delete-orphan")
    outcome_agency: Mapped[Optional["Agency"]] = relationship()
    outcome_project: Mapped[Optional["Project"]] = relationship()

    @property
    def is_final(self) -> bool:
        return self.status == ProposalStatus.final

    def __repr__(self) -> str:
        return f"<Proposal {self.id} event={self.event_id} team={self.team_id} {self.status.value}>"


class ProposalFile(db.Model):
    """An image attached to a proposal (a sketch, a photo of the flip chart), checked and re-encoded
    like an evidence photo."""

    __tablename__ = "event_proposal_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("event_proposals.id", ondelete="CASCADE"), index=True)
    #: Random name under UPLOAD_FOLDER; never a name the uploader chose.
    filename: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(20))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size_bytes: Mapped[int] = mapped_column()
    #: What the uploader called it (cleaned), shown as its caption.
    caption: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="files")

    def __repr__(self) -> str:
        return f"<ProposalFile {self.id} proposal={self.proposal_id}>"


class SurveyAnswer(db.Model):
    """A checked-in participant's verdict on the event; once each."""

    __tablename__ = "event_survey_answers"
    __table_args__ = (
        sa.UniqueConstraint("registration_id"),
        sa.CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("event_registrations.id", ondelete="CASCADE"))
    #: 1 (very unsatisfied) to 5 (very satisfied); 4 and 5 count as satisfied.
    satisfaction: Mapped[int] = mapped_column()
    would_return: Mapped[bool] = mapped_column()
    #: Free text, read by the organisers only (never on the public report).
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<SurveyAnswer {self.id} event={self.event_id} {self.satisfaction}>"
