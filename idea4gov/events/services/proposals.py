"""A team's proposal: a draft anyone in the team edits, then final before the deadline.

Attachments are images checked, scaled and re-encoded exactly like evidence photos
(`idea4gov.triage.services.photos`). Linked ideas are published ideas of the event's areas,
given by number or reference number; linked groups are groups of those areas.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from idea4gov.auth.models import User
from idea4gov.events.models import Event, EventState, Proposal, ProposalFile, ProposalStatus, Team
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas.models import Idea
from idea4gov.receipts.services import normalise_reference
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow
from idea4gov.triage.services import photos

TITLE_MIN, TITLE_MAX = 5, 200
#: A final proposal's problem, solution and beneficiaries have at least this many characters.
TEXT_MIN = 10
TEXT_MAX = 5000
COST_NOTE_MAX = 1000
COST_MAX = 10**12
MAX_IDEAS = 20
MAX_GROUPS = 10
MAX_FILES = 6
CAPTION_MAX = 120
_SPLIT = re.compile(r"[,\s;、]+")


@dataclass(frozen=True)
class ProposalInput:
    title: str
    problem: str = ""
    solution: str = ""
    beneficiaries: str = ""
    cost_baht: int | None = None
    cost_note: str = ""
    #: Idea numbers or reference numbers as typed ("12, SSK-2569-00042").
    ideas: str = ""
    #: Group numbers as typed ("3, 7").
    groups: str = ""


def proposal_of(team: Team) -> Proposal | None:
    return db.session.scalar(sa.select(Proposal).where(Proposal.team_id == team.id))


def editable(event: Event) -> bool:
    return event.state == EventState.published and utcnow() < event.deadline


def _tokens(raw: str, limit: int, field: str) -> list[str]:
    tokens = [token for token in _SPLIT.split(raw or "") if token]
    if len(tokens) > limit:
        raise ServiceError("too_many_links", field=field, max=limit)
    return tokens


def resolve_ideas(event: Event, raw: str) -> list[Idea]:
    """Published ideas of the event's areas, by number (#12, 12) or reference number; unknown ones are named."""
    ids, references, bad = [], [], []
    for token in _tokens(raw, MAX_IDEAS, "ideas"):
        digits = token.lstrip("#")
        if digits.isdigit() and len(digits) <= 9:
            ids.append(int(digits))
        elif (reference := normalise_reference(token)) is not None:
            references.append(reference)
        else:
            bad.append(token)
    found = list(db.session.scalars(sa.select(Idea).where(
        sa.or_(Idea.id.in_(ids or [-1]), Idea.reference.in_(references or ["-"])),
        Idea.visible(), Idea.area_id.in_(event.area_ids or [-1]))))
    known_ids = {idea.id for idea in found}
    known_refs = {idea.reference for idea in found}
    bad += [str(i) for i in ids if i not in known_ids] + [r for r in references if r not in known_refs]
    if bad:
        raise ServiceError("unknown_ideas", field="ideas", items=", ".join(bad[:5]))
    return sorted(found, key=lambda idea: idea.id)


def resolve_groups(event: Event, raw: str) -> list[IdeaGroup]:
    ids, bad = [], []
    for token in _tokens(raw, MAX_GROUPS, "groups"):
        digits = token.lstrip("#")
        (ids.append(int(digits)) if digits.isdigit() and len(digits) <= 9 else bad.append(token))
    found = list(db.session.scalars(sa.select(IdeaGroup).where(IdeaGroup.id.in_(ids or [-1]),
                                                               IdeaGroup.area_id.in_(event.area_ids or [-1]))))
    bad += [str(i) for i in ids if i not in {group.id for group in found}]
    if bad:
        raise ServiceError("unknown_groups", field="groups", items=", ".join(bad[:5]))
    return sorted(found, key=lambda group: group.id)


def _text(value: str, field: str, limit: int) -> str:
    value = clean_plain(value)
    if len(value) > limit:
        raise ServiceError("too_long", field=field, max=limit)
    return value


def save(team: Team, user: User, data: ProposalInput) -> Proposal:
    """Create or update the team's draft (title required); a final proposal must be reopened first."""
    event = team.event
    if not editable(event):
        raise ServiceError("deadline_passed", status=409)
    title = _text(data.title, "title", TITLE_MAX)
    if len(title) < TITLE_MIN:
        raise ServiceError("title_length", field="title", min=TITLE_MIN, max=TITLE_MAX)
    if data.cost_baht is not None and not 0 <= data.cost_baht <= COST_MAX:
        raise ServiceError("cost_range", field="cost_baht")
    values = {"title": title, "problem": _text(data.problem, "problem", TEXT_MAX),
              "solution": _text(data.solution, "solution", TEXT_MAX),
              "beneficiaries": _text(data.beneficiaries, "beneficiaries", TEXT_MAX),
              "cost_note": _text(data.cost_note, "cost_note", COST_NOTE_MAX), "cost_baht": data.cost_baht}
    ideas, groups = resolve_ideas(event, data.ideas), resolve_groups(event, data.groups)
    proposal = proposal_of(team)
    if proposal is None:
        proposal = Proposal(event_id=event.id, team_id=team.id, status=ProposalStatus.draft, title=title)
        db.session.add(proposal)
    elif proposal.is_final:
        raise ServiceError("already_final", status=409)
    for name, value in values.items():
        setattr(proposal, name, value)
    proposal.ideas, proposal.groups, proposal.updated_by_id = ideas, groups, user.id
    db.session.flush()
    return proposal


def missing_for_final(proposal: Proposal) -> list[str]:
    """Fields a final proposal still lacks."""
    return [name for name in ("problem", "solution", "beneficiaries") if len(getattr(proposal, name)) < TEXT_MIN]


def submit(proposal: Proposal, user: User) -> None:
    """Make the proposal final (judges then see it); refused after the deadline or when incomplete."""
    if not editable(proposal.event):
        raise ServiceError("deadline_passed", status=409)
    if proposal.is_final:
        return
    missing = missing_for_final(proposal)
    if missing:
        raise ServiceError("incomplete", fields=missing)
    proposal.status, proposal.submitted_at, proposal.updated_by_id = ProposalStatus.final, utcnow(), user.id
    db.session.flush()


def reopen(proposal: Proposal, user: User) -> None:
    """Back to draft before the deadline (scores stay; judges score the final text again)."""
    if not editable(proposal.event):
        raise ServiceError("deadline_passed", status=409)
    if proposal.outcome is not None:
        raise ServiceError("has_outcome", status=409)
    proposal.status, proposal.submitted_at, proposal.updated_by_id = ProposalStatus.draft, None, user.id
    db.session.flush()


def add_file(proposal: Proposal, user: User, data: bytes, caption: str) -> ProposalFile:
    """Attach an image (decoded, size-checked, scaled, re-encoded without EXIF), as an evidence photo is
    checked; the stored file is deleted again if the transaction fails (`photos.stage`)."""
    if not editable(proposal.event):
        raise ServiceError("deadline_passed", status=409)
    count = db.session.scalar(sa.select(sa.func.count()).where(ProposalFile.proposal_id == proposal.id)) or 0
    if count >= MAX_FILES:
        raise ServiceError("too_many_files", field="file", max=MAX_FILES)
    caption = _text(caption, "caption", CAPTION_MAX)
    stored = photos.store(data)
    row = ProposalFile(proposal_id=proposal.id, filename=stored.filename, content_type=stored.content_type,
                       width=stored.width, height=stored.height, size_bytes=stored.size_bytes, caption=caption,
                       uploaded_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    return row


def remove_file(row: ProposalFile) -> str:
    """Detach an attachment; returns its file name, removed from disk by the caller after commit."""
    if not editable(row.proposal.event):
        raise ServiceError("deadline_passed", status=409)
    name = row.filename
    db.session.delete(row)
    db.session.flush()
    return name


def final_proposals(event: Event) -> list[Proposal]:
    """In the order they were sent, with what their lists and pages show (a fixed number of queries)."""
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(sa.select(Proposal).where(
        Proposal.event_id == event.id, Proposal.status == ProposalStatus.final)
        .options(selectinload(Proposal.team), selectinload(Proposal.outcome_agency), selectinload(Proposal.ideas))
        .order_by(Proposal.submitted_at, Proposal.id)))


def events_of_idea(idea_id: int) -> list[tuple[Event, Proposal]]:
    """Where a resident's idea was developed: public events whose final proposals link it."""
    from idea4gov.events.models import proposal_ideas

    rows = db.session.execute(
        sa.select(Event, Proposal).join(Proposal, Proposal.event_id == Event.id)
        .join(proposal_ideas, proposal_ideas.c.proposal_id == Proposal.id)
        .where(proposal_ideas.c.idea_id == idea_id, Proposal.status == ProposalStatus.final,
               Event.state != EventState.draft)
        .order_by(Event.starts_at, Proposal.id))
    return [(event, proposal) for event, proposal in rows]
