"""A merge (and an unmerge) racing with many votes on both ideas, against a real server on loopback."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_concurrency import Call, WebSession, api_call, api_secret, assert_no_server_errors, fire_together
from test_triage_merge import invariants

from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea, IdeaStatus, Vote

pytestmark = pytest.mark.live


def test_merge_and_unmerge_racing_with_votes_keep_every_count_exact(live_server, make_area, make_user, make_staff,
                                                                   make_idea):
    area = make_area(slug="saensuk")
    officer = make_staff("officer", area)
    x = make_idea(area, title="เพิ่มถังขยะริมชายหาดบางแสน")
    y = make_idea(area, title="ถังขยะริมหาดไม่พอช่วงวันหยุด",
                  body="วันหยุดคนมาเที่ยวหาดเยอะ ถังขยะริมหาดล้นทุกสัปดาห์ ขอเพิ่มถังขยะและเก็บบ่อยขึ้น")
    early = [make_user() for _ in range(6)]
    for user in early[:4]:
        services.vote(x, user)
    for user in early[2:]:
        services.vote(y, user)
    db.session.commit()
    x_voters = [make_user() for _ in range(12)]
    y_voters = [make_user() for _ in range(12)]
    x_secrets = [api_secret(user) for user in x_voters]
    y_secrets = [api_secret(user) for user in y_voters]
    x_id, y_id, email = x.id, y.id, officer.email
    x_ids = {user.id for user in x_voters}
    early_ids = [user.id for user in early]
    x_order = [user.id for user in x_voters]
    y_ids = {user.id for user in y_voters}
    db.session.remove()

    web = WebSession(live_server)
    web.login(email)
    csrf = web.csrf_token(f"/triage/ideas/{x_id}")
    merge = Call("POST", f"/triage/ideas/{x_id}/merge", {
        "Cookie": web.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"},
        f"csrf_token={csrf}&target_id={y_id}".encode())
    calls = [api_call("PUT", x_id, s) for s in x_secrets] + [api_call("PUT", y_id, s) for s in y_secrets]
    calls.insert(len(calls) // 2, merge)

    replies = fire_together(live_server, calls)

    assert_no_server_errors(replies)
    merge_reply = next(r for r in replies if r.call is merge)
    assert merge_reply.status == 302, merge_reply.body[:300]
    x_ok = {user_id for user_id, r in zip(x_order, [r for r in replies if r.call.path.endswith(f"/{x_id}/vote")],
                                       strict=True) if r.status == 200}
    refused = [r for r in replies if r.call.path.endswith(f"/{x_id}/vote") and r.status != 200]
    assert all(r.status == 409 for r in refused), {r.status for r in refused}
    invariants()
    db.session.expire_all()
    assert db.session.get(Idea, x_id).status == IdeaStatus.duplicate
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote).where(Vote.idea_id == x_id)) == 0
    on_y = set(db.session.scalars(sa.select(Vote.user_id).where(Vote.idea_id == y_id)))
    # Everyone: the early supporters (the two of both counted once), every accepted vote on X, every vote on Y.
    assert on_y == set(early_ids) | x_ok | y_ids
    assert not (x_ids - x_ok) & on_y

    # Unmerge while Y keeps being supported and withdrawn.
    csrf = web.csrf_token(f"/triage/ideas/{x_id}")
    unmerge = Call("POST", f"/triage/ideas/{x_id}/unmerge", {
        "Cookie": web.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"},
        f"csrf_token={csrf}".encode())
    calls = [api_call("DELETE" if i % 2 else "PUT", y_id, s) for i, s in enumerate(y_secrets)]
    calls.insert(5, unmerge)
    replies = fire_together(live_server, calls)
    assert_no_server_errors(replies)
    assert next(r for r in replies if r.call is unmerge).status == 302
    invariants()
    db.session.expire_all()
    restored = db.session.get(Idea, x_id)
    assert restored.status == IdeaStatus.received and restored.merged_into_id is None
    on_x = set(db.session.scalars(sa.select(Vote.user_id).where(Vote.idea_id == x_id)))
    assert set(early_ids[:4]) <= on_x  # the early supporters of X are back
    assert on_x <= set(early_ids[:4]) | x_ok
