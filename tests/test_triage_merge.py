"""Merging duplicates: votes move once, counts stay exact, unmerge restores the state before, races are safe."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas import services
from idea4gov.ideas.models import Comment, Idea, IdeaStatus, Vote
from idea4gov.notifications.models import Notification
from idea4gov.triage.models import Merge, MergedVote


def invariants() -> None:
    """One vote per resident per idea; every idea's counter equals its rows; groups recounted."""
    db.session.expire_all()
    rows = dict(db.session.execute(sa.select(Vote.idea_id, sa.func.count()).group_by(Vote.idea_id)).all())
    for idea_id, counter in db.session.execute(sa.select(Idea.id, Idea.vote_count)):
        assert counter == rows.get(idea_id, 0), (idea_id, counter, rows.get(idea_id, 0))
    pairs = db.session.execute(sa.select(Vote.idea_id, Vote.user_id)).all()
    assert len(pairs) == len(set(pairs))
    for group in db.session.scalars(sa.select(IdeaGroup)):
        distinct = db.session.scalar(sa.select(sa.func.count(sa.distinct(Vote.user_id))).join(Idea, Idea.id == Vote.idea_id)
                                     .where(Idea.group_id == group.id, Idea.visible()))
        assert group.supporter_count == distinct, group


def _votes(idea_id: int) -> dict[int, object]:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(Vote.user_id, Vote.created_at).where(Vote.idea_id == idea_id)).all())


@pytest.fixture()
def pair(world, make_user):  # noqa: F811
    """X with supporters a, b, both; Y with supporters both, c; a group holding X and Y; a comment on X."""
    x, y, _light = world["ideas"]
    group = IdeaGroup(area_id=world["area"].id)
    db.session.add(group)
    db.session.flush()
    x.group_id = y.group_id = group.id
    people = {name: make_user(display_name=f"ผู้สนับสนุน {name}") for name in ("a", "b", "both", "c")}
    for name in ("a", "b", "both"):
        services.vote(x, people[name])
    for name in ("both", "c"):
        services.vote(y, people[name])
    comment = services.add_comment(x, people["a"], "เห็นด้วยมาก ขยะเยอะจริง")
    x.status = IdeaStatus.under_review
    db.session.commit()
    return {**world, "x": x, "y": y, "people": people, "group": group, "comment": comment}


def test_merge_moves_supporters_once_and_unmerge_restores_exactly(client, pair):
    x, y, people = pair["x"], pair["y"], pair["people"]
    invariants()
    before_x, before_y = _votes(x.id), _votes(y.id)
    client.login(pair["officer"])
    response = client.post(f"/triage/ideas/{x.id}/merge", {"target_id": y.id, "note": "ซ้ำกับไอเดียเรื่องถังขยะ"})
    assert response.status_code == 302
    invariants()
    db.session.expire_all()
    merged_x, merged_y = db.session.get(Idea, x.id), db.session.get(Idea, y.id)
    assert merged_x.status == IdeaStatus.duplicate and merged_x.merged_into_id == y.id
    assert merged_x.vote_count == 0 and merged_x.group_id is None
    assert set(_votes(y.id)) == {people[n].id for n in ("a", "b", "both", "c")}  # "both" counts once
    assert merged_y.vote_count == 4
    outcomes = dict(db.session.execute(sa.select(MergedVote.user_id, MergedVote.outcome)).all())
    assert {uid: o.value for uid, o in outcomes.items()} == {
        people["a"].id: "moved", people["b"].id: "moved", people["both"].id: "dropped"}
    # X's page shows the link to Y; its comment stays readable; voting on X is refused.
    page = client.get(f"/ideas/{x.id}").get_data(as_text=True)
    assert f'href="/ideas/{y.id}"' in page and "เห็นด้วยมาก ขยะเยอะจริง" in page
    assert 'data-testid="merged-notice"' in page
    told = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "idea_merged")))
    assert told == {people[n].id for n in people} | {x.author_id, y.author_id}
    client.logout()
    client.login(people["c"])
    refused = client.post(f"/ideas/{x.id}/vote")
    assert refused.status_code == 302
    assert _votes(x.id) == {}
    api = client.api("PUT", f"/api/v1/ideas/{x.id}/vote", csrf=True)
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "idea_merged"
    invariants()

    client.logout()
    client.login(pair["officer"])
    assert client.post(f"/triage/ideas/{x.id}/unmerge", {"note": "ไม่ได้ซ้ำกันจริง"}).status_code == 302
    invariants()
    db.session.expire_all()
    restored = db.session.get(Idea, x.id)
    assert restored.status == IdeaStatus.under_review and restored.merged_into_id is None
    assert restored.group_id == pair["group"].id
    assert _votes(x.id) == before_x and _votes(y.id) == before_y  # same voters, same times
    assert db.session.get(Idea, y.id).vote_count == 2
    assert db.session.scalar(sa.select(Merge.undone_at)) is not None
    assert [a for a in db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)) if "merge" in a] == [
        "merge", "unmerge"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.kind == "idea_unmerged")) == 6
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.idea_id == x.id)) == 1
    # Unmerging twice is refused.
    again = client.post(f"/triage/ideas/{x.id}/unmerge")
    assert again.status_code == 303
    invariants()


def test_unmerge_keeps_changes_made_on_the_target_after_the_merge(client, pair, make_user):
    from idea4gov.triage.services import merging

    x, y, people = pair["x"], pair["y"], pair["people"]
    merging.merge(x, y, pair["officer"])
    db.session.commit()
    newcomer = make_user()
    services.vote(db.session.get(Idea, y.id), newcomer)      # gained after the merge: stays on Y
    services.unvote(db.session.get(Idea, y.id), people["b"])  # withdrew after the merge: stays withdrawn
    db.session.commit()
    merging.unmerge(db.session.get(Idea, x.id), pair["officer"])
    db.session.commit()
    invariants()
    assert set(_votes(x.id)) == {people["a"].id, people["both"].id}
    assert set(_votes(y.id)) == {people["both"].id, people["c"].id, newcomer.id}


@pytest.mark.parametrize("case", ["itself", "other_area", "into_duplicate", "twice", "chain"])
def test_bad_merges_are_refused_with_a_message(client, pair, make_idea, case):
    from idea4gov.triage.services import merging

    x, y, light = pair["x"], pair["y"], pair["ideas"][2]
    if case == "itself":
        target = x.id
    elif case == "other_area":
        target = make_idea(pair["other"]).id
    elif case == "into_duplicate":
        merging.merge(light, y, pair["officer"])
        db.session.commit()
        target = light.id
    elif case == "twice":
        merging.merge(x, y, pair["officer"])
        db.session.commit()
        target = light.id
    else:  # something is merged into x already: x cannot be merged away
        merging.merge(light, x, pair["officer"])
        db.session.commit()
        target = y.id
    before = _votes(x.id), _votes(y.id)
    client.login(pair["officer"])
    response = client.post(f"/triage/ideas/{x.id}/merge", {"target_id": target})
    assert response.status_code in (400, 409), case
    assert '<ul class="errors"' in response.get_data(as_text=True) or case == "twice"
    assert (_votes(x.id), _votes(y.id)) == before
    invariants()
    assert client.post(f"/triage/ideas/{x.id}/merge", {"target_id": "abc"}).status_code == 400
    assert client.post(f"/triage/ideas/{x.id}/merge", {"target_id": str(2**40)}).status_code == 400


def test_database_refuses_a_duplicate_without_target(app, pair):
    from sqlalchemy.exc import IntegrityError

    for values in ({"status": IdeaStatus.duplicate}, {"merged_into_id": pair["y"].id},
                   {"status": IdeaStatus.duplicate, "merged_into_id": pair["x"].id}):
        with pytest.raises(IntegrityError):
            db.session.execute(sa.update(Idea).where(Idea.id == pair["x"].id).values(**values))
        db.session.rollback()


def test_a_merged_idea_leaves_similar_ideas_and_groups_and_comes_back_after_unmerge(app, pair):
    from idea4gov.groups.services import recompute_area
    from idea4gov.ideas.similar import similar_ideas
    from idea4gov.triage.services import merging

    x, y = pair["x"], pair["y"]
    merging.merge(x, y, pair["officer"])
    db.session.commit()
    found = [idea.id for idea, _score in similar_ideas(pair["area"], x.title + " " + x.body, 5)]
    assert x.id not in found and y.id in found
    recompute_area(pair["area"])
    db.session.commit()
    assert db.session.get(Idea, x.id).group_id is None
    merging.unmerge(db.session.get(Idea, x.id), pair["officer"])
    db.session.commit()
    found = [idea.id for idea, _score in similar_ideas(pair["area"], x.title + " " + x.body, 5)]
    assert x.id in found
    invariants()
