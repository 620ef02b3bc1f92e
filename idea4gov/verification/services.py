"""Rounds of confirmation and the dispute rule; services flush, never commit.

    from idea4gov.verification import services as verification
    verification.open_round(idea=idea)            # idea marked implemented (triage set_status)
    verification.open_round(project=project)      # project marked done
    verification.respond(round_, user, is_done, note, photo)   # -> (response, disputed now?)
    verification.latest(idea=idea) / latest(project=project)

The rule (area settings `dispute_share_percent`, default 50, and `dispute_min_responses`, default 3):
once at least the minimum of people answered, and at least that share of them say "not done", the
round is disputed: an idea goes back to "in progress" on the officers' board, marked disputed with
the residents' notes; a project goes back to "in progress" too. Answers to one round are serialised
on its row (an UPDATE first, so PostgreSQL holds the row lock and SQLite the write lock): counts
stay exact and a round is disputed exactly once, however many people answer at the same moment.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from idea4gov.areas.settings import settings_of
from idea4gov.audit import services as audit
from idea4gov.auth.models import Role, StaffRole, User
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility, Vote
from idea4gov.notifications.services import notify
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow
from idea4gov.verification.models import Verification, VerificationResponse, VerificationState

NOTE_MAX = 1000


def _target(idea: Idea | None, project) -> sa.ColumnElement[bool]:  # noqa: ANN001
    return Verification.idea_id == idea.id if idea is not None else Verification.project_id == project.id


def close_rounds(idea: Idea | None = None, project=None) -> int:  # noqa: ANN001
    """Close the open round of the idea or project (its status moved on); disputed rounds stay."""
    result = db.session.execute(sa.update(Verification).where(_target(idea, project),
                                                              Verification.state == VerificationState.open)
                                .values(state=VerificationState.closed, closed_at=utcnow()))
    return result.rowcount


def open_round(idea: Idea | None = None, project=None) -> Verification:  # noqa: ANN001
    """A new round: the idea was marked implemented, or the project done (again)."""
    close_rounds(idea, project)
    area_id = idea.area_id if idea is not None else project.area_id
    round_ = Verification(idea_id=idea.id if idea is not None else None,
                          project_id=project.id if project is not None else None, area_id=area_id,
                          state=VerificationState.open, opened_at=utcnow(), updated_at=utcnow())
    db.session.add(round_)
    db.session.flush()
    return round_


def latest(idea: Idea | None = None, project=None) -> Verification | None:  # noqa: ANN001
    return db.session.scalar(sa.select(Verification).where(_target(idea, project))
                             .order_by(Verification.id.desc()).limit(1))


def disputes(idea: Idea | None = None, project=None) -> list[Verification]:  # noqa: ANN001
    """Every disputed round, newest first: shown on the public page for good."""
    return list(db.session.scalars(sa.select(Verification).where(
        _target(idea, project), Verification.state == VerificationState.disputed).order_by(Verification.id.desc())))


def currently_disputed_clause() -> sa.ColumnElement[bool]:
    """Ideas whose latest round is disputed (for the officers' board)."""
    newer = aliased(Verification)
    latest_disputed = (sa.select(Verification.idea_id).where(
        Verification.idea_id.is_not(None), Verification.state == VerificationState.disputed,
        ~sa.exists().where(newer.idea_id == Verification.idea_id, newer.id > Verification.id)))
    return Idea.id.in_(latest_disputed)


def disputed_idea_ids(idea_ids: list[int]) -> set[int]:
    if not idea_ids:
        return set()
    return set(db.session.scalars(sa.select(Idea.id).where(Idea.id.in_(idea_ids), currently_disputed_clause())))


def _idea_ids_of(round_: Verification) -> list[int]:
    if round_.idea_id is not None:
        return [round_.idea_id]
    from idea4gov.projects.services import idea_ids

    return idea_ids(round_.project_id)


def may_respond(user: User | None, round_: Verification) -> bool:
    """The author or a supporter of the idea (of one of the project's ideas)."""
    if user is None or not user.is_authenticated:
        return False
    ids = _idea_ids_of(round_)
    if not ids:
        return False
    authored = sa.exists().where(Idea.id.in_(ids), Idea.author_id == user.id)
    supported = sa.exists().where(Vote.idea_id.in_(ids), Vote.user_id == user.id)
    return bool(db.session.scalar(sa.select(sa.or_(authored, supported))))


def response_of(user: User | None, round_: Verification) -> VerificationResponse | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(sa.select(VerificationResponse).where(
        VerificationResponse.verification_id == round_.id, VerificationResponse.user_id == user.id))


def respond(round_: Verification, user: User, is_done: bool, note: str = "",
            photo: bytes | None = None) -> tuple[VerificationResponse, bool]:
    """Record (or change) one person's answer; returns it and whether this answer disputed the round."""
    from idea4gov.triage.services import photos as photo_files

    if user.is_blocked:
        raise ServiceError("blocked", status=403)
    from idea4gov.areas.models import Area

    if db.session.get(Area, round_.area_id).is_archived:
        raise ServiceError("area_archived", status=409)
    note = clean_plain(note or "")
    if len(note) > NOTE_MAX:
        raise ServiceError("note_too_long", field="note")
    if not may_respond(user, round_):
        raise ServiceError("not_a_follower", status=403)
    photos = photo_files.stored_photos([photo] if photo else [])
    stored = photos[0] if photos else None
    # The lock: every answer to this round passes here one at a time (row lock on PostgreSQL,
    # write lock on SQLite); a round that is no longer open takes no answer.
    locked = db.session.execute(
        sa.update(Verification).where(Verification.id == round_.id, Verification.state == VerificationState.open)
        .values(updated_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not locked:
        raise ServiceError("round_closed", status=409)
    response = db.session.scalar(sa.select(VerificationResponse).where(
        VerificationResponse.verification_id == round_.id, VerificationResponse.user_id == user.id))
    if response is None:
        response = VerificationResponse(verification_id=round_.id, user_id=user.id, is_done=is_done, note=note,
                                        created_at=utcnow())
        db.session.add(response)
    else:
        # A changed answer keeps its earlier photo unless a new one comes (the old file stays on disk:
        # it is never removed before the change is committed).
        response.is_done, response.note = is_done, note
    if stored is not None:
        response.photo_filename, response.photo_content_type = stored.filename, stored.content_type
        response.photo_width, response.photo_height = stored.width, stored.height
    db.session.flush()
    counts = dict(db.session.execute(
        sa.select(VerificationResponse.is_done, sa.func.count()).where(
            VerificationResponse.verification_id == round_.id).group_by(VerificationResponse.is_done)).all())
    done, not_done = counts.get(True, 0), counts.get(False, 0)
    db.session.execute(sa.update(Verification).where(Verification.id == round_.id)
                       .values(done_count=done, not_done_count=not_done)
                       .execution_options(synchronize_session=False))
    disputed = _tips(round_.area_id, done, not_done) and _dispute(round_)
    db.session.expire(round_)
    return response, disputed


def _tips(area_id: int, done: int, not_done: int) -> bool:
    rule = settings_of(area_id)
    total = done + not_done
    return total >= rule.dispute_min_responses and not_done * 100 >= rule.dispute_share_percent * total


def _dispute(round_: Verification) -> bool:
    """Mark the round disputed (once) and send its idea or project back to the officers."""
    now = utcnow()
    changed = db.session.execute(
        sa.update(Verification).where(Verification.id == round_.id, Verification.state == VerificationState.open)
        .values(state=VerificationState.disputed, disputed_at=now, closed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if not changed:
        return False
    if round_.idea_id is not None:
        _dispute_idea(db.session.get(Idea, round_.idea_id))
    else:
        _dispute_project(round_.project_id)
    return True


def _system_answer() -> str:
    from idea4gov.projects.services import thai_and_english

    return thai_and_english(lambda: _("ผู้เสนอและผู้สนับสนุนส่วนใหญ่แจ้งว่ายังไม่เสร็จ "
                                      "เรื่องนี้จึงกลับไปให้เจ้าหน้าที่ตรวจสอบอีกครั้ง"))


def _officers(area_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(StaffRole.user_id).where(StaffRole.area_id == area_id,
                                                                     StaffRole.role == Role.officer)))


def _dispute_idea(idea: Idea) -> None:
    from idea4gov.triage.services.statuses import set_status

    audit.record(None, "dispute", "idea", idea.id, area_id=idea.area_id, before=idea.status,
                 after=IdeaStatus.in_progress, reason="verification")
    if idea.status == IdeaStatus.implemented and idea.visibility == Visibility.published:
        set_status(idea, IdeaStatus.in_progress, _system_answer(), None)
    notify(_officers(idea.area_id), "idea_disputed", idea_id=idea.id, data={"title": idea.title})


def _dispute_project(project_id: int) -> None:
    from idea4gov.projects.models import Project, ProjectChange, ProjectStatus

    project = db.session.get(Project, project_id)
    audit.record(None, "dispute", "project", project.id, area_id=project.area_id, before=project.status,
                 after=ProjectStatus.in_progress, reason="verification")
    db.session.add(ProjectChange(project_id=project.id, kind="disputed", before=project.status.value,
                                 after=ProjectStatus.in_progress.value, note=_system_answer(), created_at=utcnow()))
    project.status = ProjectStatus.in_progress
    project.completed_at = None
    from idea4gov.projects.services import followers

    data = {"project_title": project.title, "project_id": project.id}
    notify(followers(project) | _officers(project.area_id), "project_disputed", data=data)
    db.session.flush()
