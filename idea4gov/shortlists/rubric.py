"""The scoring rubric, shared by shortlists and events: criteria with weights, invited judges, and
each judge's 1–5 score per criterion of each entry.

A shortlist scores its ideas (entries are `ShortlistItem` rows, scores in `Score.item_id`); an
event scores its teams' final proposals (`Proposal` rows, `Score.proposal_id`). Criteria and
judges belong to exactly one owner (a CHECK in the database). The owner decides what is audited
and who is told; the rules and the ranking (`idea4gov.shortlists.scoring`) are the same.
Services flush, never commit.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.service_errors import ServiceError
from idea4gov.shortlists import scoring
from idea4gov.shortlists.models import SCORE_MAX, SCORE_MIN, Criterion, Score, ShortlistJudge
from idea4gov.text import clean_plain

CRITERION_MAX = 100
WEIGHT_MIN, WEIGHT_MAX = 1, 100
#: Most criteria and judges per rubric.
MAX_CRITERIA = 10
MAX_JUDGES = 30

#: `on_change(by, verb, before=…, after=…, reason=…)` audits one change; verbs are `add_criterion`,
#: `remove_criterion`, `add_judge`, `remove_judge` and `score`.
Recorder = Callable[..., None]


@dataclass
class Rubric:
    """The rubric of one owner (a `Shortlist` or an `Event`)."""

    owner: Any
    #: "shortlist_id" or "event_id" on `Criterion` and `ShortlistJudge`.
    owner_column: str
    #: "item_id" or "proposal_id" on `Score`.
    entry_column: str
    #: The ids of every entry of the owner (scored or not), for clearing a removed judge's scores.
    all_entry_ids: sa.Select
    on_change: Recorder
    #: Tells a newly invited judge (an in-app notification).
    tell_judge: Callable[[User], None]

    # --- reading ------------------------------------------------------------------------------

    @property
    def criteria(self) -> list[Criterion]:
        return self.owner.criteria

    @property
    def judges(self) -> list[ShortlistJudge]:
        return self.owner.judges

    def _owned(self, model: type) -> sa.ColumnElement[bool]:
        return getattr(model, self.owner_column) == self.owner.id

    @property
    def _entry(self) -> sa.Column:
        return getattr(Score, self.entry_column)

    def is_judge(self, user: User | None) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return bool(db.session.scalar(sa.select(sa.exists().where(
            self._owned(ShortlistJudge), ShortlistJudge.user_id == user.id))))

    def weights(self) -> dict[int, int]:
        return dict(db.session.execute(sa.select(Criterion.id, Criterion.weight).where(self._owned(Criterion))).all())

    def results(self, entries: Sequence[Any]) -> list[scoring.ItemResult]:
        """One result per entry, in the given order, with ranks (two queries)."""
        ids = [entry.id for entry in entries]
        rows = db.session.execute(
            sa.select(self._entry, Score.judge_id, Score.criterion_id, Score.value)
            .where(self._entry.in_(ids or [-1]))
        ).all() if ids else []
        return scoring.compute(entries, self.weights(), rows)

    def judge_scores(self, judge: User, entry_ids: Sequence[int]) -> dict[tuple[int, int], int]:
        """{(entry_id, criterion_id): value} of one judge."""
        rows = db.session.execute(
            sa.select(self._entry, Score.criterion_id, Score.value)
            .where(Score.judge_id == judge.id, self._entry.in_(list(entry_ids) or [-1])))
        return {(entry_id, criterion_id): value for entry_id, criterion_id, value in rows}

    # --- changing -----------------------------------------------------------------------------

    def add_criterion(self, name: str, weight: int, by: User) -> Criterion:
        name = clean_plain(name)[:CRITERION_MAX]
        if not name:
            raise ServiceError("criterion_name_required", field="name")
        if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            raise ServiceError("weight_range", field="weight")
        if len(self.criteria) >= MAX_CRITERIA:
            raise ServiceError("too_many_criteria", field="name")
        if any(criterion.name == name for criterion in self.criteria):
            raise ServiceError("criterion_exists", field="name")
        position = max((criterion.position for criterion in self.criteria), default=-1) + 1
        criterion = Criterion(name=name, weight=weight, position=position, **{self.owner_column: self.owner.id})
        self.criteria.append(criterion)
        db.session.flush()
        self.on_change(by, "add_criterion", after=weight, reason=name)
        return criterion

    def remove_criterion(self, criterion: Criterion, by: User) -> None:
        """Remove a criterion and the scores given on it."""
        self.on_change(by, "remove_criterion", before=criterion.weight, reason=criterion.name)
        self.criteria.remove(criterion)
        db.session.delete(criterion)
        db.session.flush()

    def add_judge(self, user: User | None, by: User) -> ShortlistJudge:
        """Invite an existing account as a judge; they are told in their notifications."""
        if user is None or user.deleted_at is not None:
            raise ServiceError("judge_not_found", field="email")
        if any(judge.user_id == user.id for judge in self.judges):
            raise ServiceError("judge_exists", field="email")
        if len(self.judges) >= MAX_JUDGES:
            raise ServiceError("too_many_judges", field="email")
        judge = ShortlistJudge(user_id=user.id, **{self.owner_column: self.owner.id})
        self.judges.append(judge)
        db.session.flush()
        self.on_change(by, "add_judge", after=f"user {user.id}")
        self.tell_judge(user)
        return judge

    def remove_judge(self, judge: ShortlistJudge, by: User) -> None:
        """Remove a judge and the scores they gave here."""
        db.session.execute(sa.delete(Score).where(Score.judge_id == judge.user_id,
                                                  self._entry.in_(self.all_entry_ids)))
        self.on_change(by, "remove_judge", before=f"user {judge.user_id}")
        self.judges.remove(judge)
        db.session.delete(judge)
        db.session.flush()

    def save_scores(self, judge: User, values: dict[tuple[int, int], int | None], entry_ids: Sequence[int]) -> int:
        """Store one judge's scores of these entries: a value sets it, None clears it. Returns how many changed."""
        allowed = set(entry_ids)
        criterion_ids = {criterion.id for criterion in self.criteria}
        existing = {(getattr(score, self.entry_column), score.criterion_id): score for score in db.session.scalars(
            sa.select(Score).where(Score.judge_id == judge.id, self._entry.in_(allowed or [-1])))}
        changed = 0
        for (entry_id, criterion_id), value in values.items():
            if entry_id not in allowed or criterion_id not in criterion_ids:
                raise ServiceError("unknown_score_cell")
            if value is not None and not SCORE_MIN <= value <= SCORE_MAX:
                raise ServiceError("score_range")
            score = existing.get((entry_id, criterion_id))
            if value is None and score is not None:
                db.session.delete(score)
                changed += 1
            elif value is not None and score is None:
                db.session.add(Score(criterion_id=criterion_id, judge_id=judge.id, value=value,
                                     **{self.entry_column: entry_id}))
                changed += 1
            elif value is not None and score.value != value:
                score.value = value
                changed += 1
        db.session.flush()
        if changed:
            self.on_change(judge, "score", after=changed)
        return changed


def scores_from_form(form: Mapping[str, str], entry_ids: Sequence[int],
                     criterion_ids: Sequence[int]) -> dict[tuple[int, int], int | None] | None:
    """A judge's score cells as a score page sends them (`score-<entry>-<criterion>`: "" clears, 1–5 sets);
    None when a cell holds anything else."""
    values: dict[tuple[int, int], int | None] = {}
    for entry_id in entry_ids:
        for criterion_id in criterion_ids:
            raw = form.get(f"score-{entry_id}-{criterion_id}")
            if raw is None:
                continue
            raw = raw.strip()
            if raw == "":
                values[(entry_id, criterion_id)] = None
            elif raw.isdigit() and SCORE_MIN <= int(raw) <= SCORE_MAX:
                values[(entry_id, criterion_id)] = int(raw)
            else:
                return None
    return values
