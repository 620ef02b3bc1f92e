"""Business rules for ideas, votes, comments and reports; services flush, never commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from idea4gov import pagecache
from idea4gov.areas import rounds
from idea4gov.areas.models import Area, Theme
from idea4gov.areas.settings import settings_of
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.groups import services as group_services
from idea4gov.groups.models import IdeaGroup, IdeaIssue
from idea4gov.ideas import events
from idea4gov.ideas.models import Comment, Idea, Report, ReportReason, Visibility, Vote
from idea4gov.moderation import filters
from idea4gov.moderation import services as moderation
from idea4gov.receipts import services as receipts
from idea4gov.search import tokens_for_storage
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain, clean_rich, plain_from_rich
from idea4gov.timeutil import utcnow

TITLE_MIN, TITLE_MAX = 10, 150
BODY_MIN, BODY_MAX = 30, 5000
PLACE_MAX = 200
COMMENT_MIN, COMMENT_MAX = 2, 2000
REPORT_DETAILS_MAX = 500


@dataclass(frozen=True)
class IdeaInput:
    title: str
    body: str
    theme: Theme
    place_name: Optional[str] = None
    #: The point picked on the map, from the device, or typed (`idea4gov.places.geo.Point`), checked
    #: with `idea4gov.places.services.validated_point`; stored exact, shown rounded.
    point: Optional[object] = None
    point_source: Optional[str] = None


def _check_can_post(user: User) -> None:
    if user.is_blocked:
        raise ServiceError("blocked", status=403)


def create_idea(area: Area, author: User, data: IdeaInput, submitted_at: datetime | None = None,
                on_paper: bool = False, schedule: rounds.AreaRounds | None = None) -> Idea:
    """Post a new idea in an open area; text is cleaned and tokenized once, here, and the idea
    gets its reference number (`idea4gov.receipts`).

    The theme must be open and, if it is in rounds, one of them open at `submitted_at`
    (now, or the time written on a paper form being imported, which becomes the idea's
    time). It is published at once, or waits in the moderation queue when the area
    pre-moderates or the text has listed words or too many links. The same text twice is refused.
    Where the area asks for a verified identity to post, the author must have one (`on_paper`: a
    paper form typed in by staff, whose writer signed it in person). `schedule`: the area's rounds
    (`rounds.area_rounds`) when the caller has read them already, to check the theme without a query.
    """
    with pagecache.in_area(area.id):
        return _create_idea(area, author, data, submitted_at, on_paper, schedule)


def _create_idea(area: Area, author: User, data: IdeaInput, submitted_at: datetime | None,
                 on_paper: bool = False, schedule: rounds.AreaRounds | None = None) -> Idea:
    _check_can_post(author)
    if area.is_archived:
        raise ServiceError("area_archived", status=403)
    if not area.is_open:
        raise ServiceError("area_closed", status=403)
    if not on_paper and settings_of(area).verified_to_post and not author.is_verified:
        raise ServiceError("verified_required_post", status=403)
    if data.theme.area_id != area.id or not data.theme.is_open:
        raise ServiceError("theme_not_open", field="theme")
    rounds.check_theme_takes_ideas(data.theme, submitted_at, schedule)
    body = clean_rich(data.body)
    title = clean_plain(data.title)
    plain = f"{title}\n{plain_from_rich(body)}"
    # The same text twice by one author is refused by the unique (author, fingerprint) constraint when
    # the idea is flushed (`_flush_unique`): no read before, and a copy sent twice at once is caught too.
    fingerprint = filters.fingerprint(plain)
    visibility, held_for = moderation.initial_state(area, plain)
    idea = Idea(
        area=area,
        theme=data.theme,
        author=author,
        title=title,
        body=body,
        place_name=clean_plain(data.place_name) or None,
        search_tokens=tokens_for_storage(plain),
        visibility=visibility,
        held_for=held_for,
        fingerprint=fingerprint,
        # Set in the INSERT, not by an UPDATE after it (`place_after_commit` below sets it too).
        awaiting_placement=visibility == Visibility.published,
    )
    if submitted_at is not None:
        idea.created_at = idea.updated_at = submitted_at
    if visibility != Visibility.published:
        receipts.assign_reference(idea, area)
        db.session.add(idea)
        _flush_unique(idea)
        _store_point(idea, area, data)
        return idea
    # Numbered last: the area's counter row stays locked until the transaction ends.
    receipts.assign_reference(idea, area)
    db.session.add(idea)
    _flush_unique(idea)
    _store_point(idea, area, data)
    # Its group and issue are decided once it is committed, by the background worker, against the
    # ideas published before it: the resident does not wait for the nearest-neighbour search.
    group_services.place_after_commit(idea, before_id=idea.id)
    events.idea_published(idea)
    return idea


def _store_point(idea: Idea, area: Area, data: IdeaInput) -> None:
    if data.point is None:
        return
    from idea4gov.areas.settings import bounding_box
    from idea4gov.places import services as places
    from idea4gov.places.geo import check_inside

    check_inside(data.point, bounding_box(area))
    places.set_idea_location(idea, data.point, places.PlaceSource(data.point_source or "typed"))
    db.session.flush()


def _flush_unique(idea: Idea) -> None:
    """Flush the new idea; a concurrent copy of the same text by the same author is refused.

    The caller rolls back on ServiceError, as after any refused idea.
    """
    try:
        db.session.flush()
    except IntegrityError as error:
        if "fingerprint" not in str(error.orig):
            raise
        raise ServiceError("duplicate_text", status=409) from error


def _insert_ignoring_duplicate(table: sa.Table, values: dict) -> int:
    """INSERT … ON CONFLICT DO NOTHING; returns how many rows went in (0 or 1)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Without preserve_rowcount SQLAlchemy reports -1 for an INSERT on psycopg (truthy: counted twice).
    result = db.session.execute(
        insert(table).values(**values).on_conflict_do_nothing().execution_options(preserve_rowcount=True)
    )
    return result.rowcount


def _lock_idea(idea: Idea) -> None:
    """PostgreSQL: take the idea's row lock before touching its votes, as a merge does, so a
    vote and a merge of the same idea queue up instead of deadlocking (SQLite has one writer)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(Idea.id).where(Idea.id == idea.id).with_for_update())


def vote(idea: Idea, user: User) -> bool:
    """Support an idea; idempotent. The unique constraint settles concurrent requests."""
    with pagecache.in_area(idea.area_id):  # its writes change this area's pages only
        return _vote(idea, user)


def _check_verified_to_vote(idea: Idea, user: User) -> None:
    if settings_of(idea.area).verified_to_vote and not user.is_verified:
        raise ServiceError("verified_required_vote", status=403)


def _vote(idea: Idea, user: User) -> bool:
    _check_can_post(user)
    if idea.visibility != Visibility.published:
        raise ServiceError("idea_not_open", status=404)
    if idea.merged_into_id is not None:
        raise ServiceError("idea_merged", status=409)
    rounds.check_engagement(idea.area, idea.theme_id, "votes")
    _check_verified_to_vote(idea, user)
    _lock_idea(idea)
    # A verified person's vote names them: the unique (idea, person) index refuses a second one
    # through another of their accounts, whatever the concurrency.
    added = _insert_ignoring_duplicate(
        Vote.__table__, {"idea_id": idea.id, "user_id": user.id, "created_at": utcnow(),
                         "person_key": user.person_key}
    )
    if not added and user.person_key is not None and not has_voted(idea, user):
        raise ServiceError("person_already_supports", status=409)
    if added:
        # Counted only while the idea is not merged away (a merge may have committed meanwhile).
        counted = db.session.execute(sa.update(Idea).where(Idea.id == idea.id, Idea.merged_into_id.is_(None))
                                     .values(vote_count=Idea.vote_count + 1,
                                             verified_vote_count=Idea.verified_vote_count
                                             + (1 if user.person_key else 0))).rowcount
        if not counted:
            raise ServiceError("idea_merged", status=409)
        group_services.recount_idea(idea)
    db.session.expire(idea, ["vote_count", "verified_vote_count"])
    return bool(added)


def unvote(idea: Idea, user: User) -> bool:
    """Withdraw support; idempotent. Refused when voting is (see `vote`)."""
    with pagecache.in_area(idea.area_id):
        return _unvote(idea, user)


def _unvote(idea: Idea, user: User) -> bool:
    _check_can_post(user)
    rounds.check_engagement(idea.area, idea.theme_id, "votes")
    _lock_idea(idea)
    removed = db.session.execute(sa.delete(Vote).where(Vote.idea_id == idea.id, Vote.user_id == user.id)
                                 .returning(Vote.person_key)).all()
    if removed:
        verified = sum(1 for (key,) in removed if key is not None)
        db.session.execute(sa.update(Idea).where(Idea.id == idea.id).values(
            vote_count=Idea.vote_count - len(removed), verified_vote_count=Idea.verified_vote_count - verified))
        group_services.recount_idea(idea)
    db.session.expire(idea, ["vote_count", "verified_vote_count"])
    return bool(removed)


def recount_votes(idea_ids: list[int]) -> None:
    """Set each idea's supporter counts (all, verified) from its vote rows."""
    for idea_id in sorted(set(idea_ids)):
        votes = sa.select(sa.func.count()).select_from(Vote).where(Vote.idea_id == idea_id)
        db.session.execute(sa.update(Idea).where(Idea.id == idea_id).values(
            vote_count=votes.scalar_subquery(),
            verified_vote_count=votes.where(Vote.person_key.is_not(None)).scalar_subquery()))


def adopt_person(user: User) -> None:
    """The account now names a verified person: its votes carry the person, and where that person
    already supports an idea through another account, this account's vote goes (counted once)."""
    key = user.person_key
    if key is None:
        return
    elsewhere = sa.select(Vote.idea_id).where(Vote.person_key == key, Vote.user_id != user.id)
    touched = set(db.session.scalars(sa.select(Vote.idea_id).where(Vote.user_id == user.id)))
    if not touched:
        return
    db.session.execute(sa.delete(Vote).where(Vote.user_id == user.id, Vote.idea_id.in_(elsewhere)))
    db.session.execute(sa.update(Vote).where(Vote.user_id == user.id, Vote.person_key.is_(None))
                       .values(person_key=key))
    recount_votes(list(touched))
    placed = db.session.execute(sa.select(Idea.group_id, Idea.issue_id).where(Idea.id.in_(touched))).all()
    group_services.recount(IdeaGroup, [group_id for group_id, _issue in placed])
    group_services.recount(IdeaIssue, [issue_id for _group, issue_id in placed])


def supported_ids(user: User | None, idea_ids: list[int]) -> set[int]:
    """Which of these ideas the user supports (one query)."""
    if user is None or not user.is_authenticated or not idea_ids:
        return set()
    return set(db.session.scalars(sa.select(Vote.idea_id).where(Vote.user_id == user.id, Vote.idea_id.in_(idea_ids))))


def has_voted(idea: Idea, user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(
        sa.select(sa.exists().where(Vote.idea_id == idea.id, Vote.user_id == user.id))
    )


def add_comment(idea: Idea, author: User, body: str, parent_id: int | None = None) -> Comment:
    """Comment on an idea, or reply to a top-level comment (one level of replies).

    Like ideas, a comment may wait for a moderator; the same comment twice on one idea is refused.
    """
    with pagecache.in_area(idea.area_id):
        return _add_comment(idea, author, body, parent_id)


def _add_comment(idea: Idea, author: User, body: str, parent_id: int | None = None) -> Comment:
    _check_can_post(author)
    if idea.visibility != Visibility.published:
        raise ServiceError("idea_not_open", status=404)
    rounds.check_engagement(idea.area, idea.theme_id, "comments")
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.idea_id != idea.id:
            raise ServiceError("parent_not_found", field="parent_id")
        # Replies to a reply attach to its top-level comment: one level, no deeper.
        if parent.parent_id is not None:
            _check_open_for_replies(parent)
            parent = parent.parent
        _check_open_for_replies(parent)
    body = clean_rich(body)
    plain = plain_from_rich(body)
    fingerprint = filters.fingerprint(plain)
    if db.session.scalar(sa.select(Comment.id).where(
            Comment.author_id == author.id, Comment.idea_id == idea.id, Comment.fingerprint == fingerprint,
            Comment.deleted_at.is_(None))):
        raise ServiceError("duplicate_text", field="body", status=409)
    visibility, held_for = moderation.initial_state(idea.area, plain)
    comment = Comment(idea=idea, author=author, parent=parent, body=body, visibility=visibility,
                      held_for=held_for, fingerprint=fingerprint, agency_id=official_agency_id(idea, author))
    db.session.add(comment)
    if visibility == Visibility.published:
        db.session.execute(
            sa.update(Idea).where(Idea.id == idea.id).values(comment_count=Idea.comment_count + 1)
        )
    db.session.flush()
    db.session.expire(idea, ["comment_count"])
    return comment


def official_agency_id(idea: Idea, author: User) -> int | None:
    """The agency an officer of the idea's area answers for (the idea's own agency when they work
    for it, else the first of theirs by name); None for anyone else."""
    from idea4gov.auth.models import Role, StaffRole
    from idea4gov.triage.models import Agency, AgencyMember

    officer = sa.exists().where(StaffRole.user_id == author.id, StaffRole.area_id == idea.area_id,
                                StaffRole.role == Role.officer)
    agency_ids = list(db.session.scalars(
        sa.select(Agency.id).join(AgencyMember, AgencyMember.agency_id == Agency.id)
        .where(AgencyMember.user_id == author.id, Agency.area_id == idea.area_id, officer)
        .order_by(Agency.name_th, Agency.id)))
    if idea.agency_id in agency_ids:
        return idea.agency_id
    return agency_ids[0] if agency_ids else None


def _check_open_for_replies(comment: Comment) -> None:
    """Only a public comment takes replies: not one its author deleted, nor one a moderator
    hid, rejected or has yet to approve (whatever the page showed or a hand-made form sends)."""
    if comment.deleted_at is not None or comment.visibility != Visibility.published:
        raise ServiceError("parent_closed", field="body", status=409)


def delete_comment(comment: Comment, user: User) -> None:
    """An author deletes their own comment: it stays, shown as deleted."""
    with pagecache.in_area(comment.idea.area_id):
        _delete_comment(comment, user)


def _delete_comment(comment: Comment, user: User) -> None:
    if comment.author_id != user.id:
        raise ServiceError("not_your_comment", status=403)
    if comment.deleted_at is not None:
        return
    comment.deleted_at = utcnow()
    if comment.visibility == Visibility.published:
        db.session.execute(
            sa.update(Idea).where(Idea.id == comment.idea_id).values(comment_count=Idea.comment_count - 1)
        )
    db.session.flush()


def report(user: User, reason: ReportReason, details: str = "", *, idea: Idea | None = None,
           comment: Comment | None = None) -> bool:
    """Report an idea or a comment once per user; returns False when already reported.

    Enough distinct reports hide the item until a moderator decides (the area's setting).
    """
    if (idea is None) == (comment is None):
        raise ValueError("report exactly one of idea or comment")
    _check_can_post(user)
    values = {
        "reporter_id": user.id,
        "idea_id": idea.id if idea else None,
        "comment_id": comment.id if comment else None,
        "reason": reason,
        "details": clean_plain(details)[:REPORT_DETAILS_MAX],
        "created_at": utcnow(),
    }
    added = bool(_insert_ignoring_duplicate(Report.__table__, values))
    if added:
        moderation.after_report(idea or comment)
    return added
