"""Proof of action: when an idea is marked implemented (or a project done), its author and supporters
confirm it or say it is not done, with an optional photo; when at least half (area setting) of at
least 3 (area setting) responders say "not done", it goes back to the officers' board as disputed,
with their notes, and its public page says so for good. Exact under concurrent answers."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from project_support import implement, make_project, supporters
from triage_support import png_bytes, world  # noqa: F401  (fixture)

from idea4gov.areas.settings import save_settings
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.notifications.models import Notification
from idea4gov.projects.models import Project, ProjectStatus
from idea4gov.service_errors import ServiceError
from idea4gov.triage.models import StatusChange
from idea4gov.verification import services as verification
from idea4gov.verification.models import Verification, VerificationResponse, VerificationState


def _answer(client, idea, done: bool, note: str = "", photo: bytes | None = None):
    import io

    data = {"answer": "done" if done else "not_done", "note": note}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), "proof.jpg")
    return client.post(f"/ideas/{idea.id}/confirm", data, content_type="multipart/form-data")


def test_half_of_three_or_more_saying_not_done_sends_the_idea_back_to_the_board(client, world, make_user):  # noqa: F811
    idea = world["ideas"][0]
    people = supporters(idea, make_user, 4)
    implement(idea, world["officer"])
    round_ = verification.latest(idea=idea)
    assert round_.state == VerificationState.open
    client.login(people[0])
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "เสร็จจริงหรือไม่?" in page and 'name="answer"' in page
    assert _answer(client, idea, True, "เห็นถังแล้ว").status_code == 302
    client.logout()
    client.login(people[1])
    assert _answer(client, idea, False, "ไปดูมาแล้ว ยังไม่มีถังขยะเลย", png_bytes(exif=True)).status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == IdeaStatus.implemented  # 1 of 2: below the minimum of 3
    client.logout()
    client.login(people[2])
    response = _answer(client, idea, False, "ถังมีแค่สองใบ ไม่ครบตามที่บอก")
    assert response.status_code == 302
    db.session.expire_all()
    # 2 of 3 said not done (≥ half of at least 3): disputed, back to "in progress" on the board.
    assert db.session.get(Verification, round_.id).state == VerificationState.disputed
    assert (db.session.get(Verification, round_.id).done_count, db.session.get(Verification, round_.id).not_done_count) == (1, 2)
    assert db.session.get(Idea, idea.id).status == IdeaStatus.in_progress
    change = db.session.scalars(sa.select(StatusChange).order_by(StatusChange.id.desc())).first()
    assert change.actor_id is None and change.after == IdeaStatus.in_progress and "ยังไม่เสร็จ" in change.answer
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "dispute")) == "dispute"
    officers = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "idea_disputed")))
    assert world["officer"].id in officers
    # The photo was stored like an evidence photo: re-encoded, no EXIF.
    photo = db.session.scalars(sa.select(VerificationResponse).where(VerificationResponse.photo_filename.is_not(None))).one()
    served = client.get(f"/confirmations/photos/{photo.id}")
    assert served.status_code == 200 and b"SecretCam" not in served.data
    served.close()
    # Later answers are refused: the round is closed.
    client.logout()
    client.login(people[3])
    late = _answer(client, idea, False, "ยังไม่เสร็จ")
    assert late.status_code == 303
    # The public page shows the dispute with the residents' notes.
    client.logout()
    public = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'data-testid="disputes"' in public and "ไปดูมาแล้ว ยังไม่มีถังขยะเลย" in public
    assert "ผู้ตอบ 2 จาก 3 คนแจ้งว่ายังไม่เสร็จ" in public
    # And the officers' board lists it as disputed.
    client.login(world["officer"])
    board = client.get("/triage/saensuk?disputed=1").get_data(as_text=True)
    assert 'data-testid="disputed-badge"' in board and idea.title in board
    assert "ไปดูมาแล้ว ยังไม่มีถังขยะเลย" in client.get(f"/triage/ideas/{idea.id}").get_data(as_text=True)


def test_marking_it_implemented_again_opens_a_new_round_and_the_dispute_stays_visible(app, world, make_user):  # noqa: F811
    idea = world["ideas"][0]
    people = supporters(idea, make_user, 3)
    implement(idea, world["officer"])
    for person in people:
        verification.respond(verification.latest(idea=idea), person, False, "ยังไม่เสร็จ")
        db.session.commit()
    disputed = verification.latest(idea=idea)
    assert disputed.state == VerificationState.disputed
    implement(idea, world["officer"], "ติดตั้งเพิ่มครบแล้วจริง ๆ ครั้งนี้ตรวจแล้ว")
    assert verification.latest(idea=idea).state == VerificationState.open
    assert [r.id for r in verification.disputes(idea=idea)] == [disputed.id]
    assert idea.id not in verification.disputed_idea_ids([idea.id])  # the latest round is open again
    # Moving the status on closes the open round; the disputed one stays disputed.
    from idea4gov.triage.services.statuses import set_status

    set_status(idea, IdeaStatus.declined, "ตรวจแล้วทำต่อไม่ได้เพราะพื้นที่ไม่พอ", world["officer"])
    db.session.commit()
    states = [r.state for r in db.session.scalars(sa.select(Verification).order_by(Verification.id))]
    assert states == [VerificationState.disputed, VerificationState.closed]


def test_only_the_author_and_supporters_answer_and_nobody_can_delete_a_dispute(client, app, world, make_user):  # noqa: F811
    idea = world["ideas"][0]
    implement(idea, world["officer"])
    round_ = verification.latest(idea=idea)
    with pytest.raises(ServiceError) as refused:
        verification.respond(round_, make_user(), False, "ไม่ใช่ผู้ติดตาม")
    assert refused.value.message == "not_a_follower"
    client.login(world["officer"])
    assert _answer(client, idea, False).status_code == 303  # an officer who does not follow it: refused
    # There is no route that deletes or hides answers or disputes (agencies cannot hide them).
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not {e for e in endpoints if "verification" in e and any(w in e for w in ("delete", "hide", "remove"))}
    assert not {e for e in endpoints if e.startswith(("triage.", "project_manage.")) and "dispute" in e}


def test_the_rule_follows_the_area_setting(app, world, make_user):  # noqa: F811
    idea = world["ideas"][0]
    save_settings(world["area"], world["admin"], dispute_min_responses=5, dispute_share_percent=60)
    db.session.commit()
    people = supporters(idea, make_user, 5)
    implement(idea, world["officer"])
    answers = [False, False, True, False, True]  # 3 of 5 = 60 %: disputed only at the fifth answer
    for person, done in zip(people, answers, strict=True):
        _response, disputed = verification.respond(verification.latest(idea=idea), person, done, "")
        db.session.commit()
    assert disputed is True
    assert verification.latest(idea=idea).state == VerificationState.disputed


def test_a_done_project_is_confirmed_or_disputed_by_its_ideas_followers(client, world, make_user):  # noqa: F811
    beach1, beach2, _light = world["ideas"]
    fans = supporters(beach1, make_user, 2)
    project = make_project(world["area"], world["officer"], [beach1, beach2])
    from idea4gov.projects import services

    services.set_status(project, ProjectStatus.done, world["officer"], "ติดตั้งถังขยะครบ 40 จุดแล้วครับ",
                        [png_bytes()])
    db.session.commit()
    told = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "project_done")))
    assert told == {beach1.author_id, beach2.author_id, *[f.id for f in fans]}
    round_ = verification.latest(project=project)
    for person in (*fans, db.session.get(type(fans[0]), beach2.author_id)):
        client.login(person)
        assert client.post(f"/projects/{project.id}/confirm", {"answer": "not_done", "note": "ยังไม่ครบ"},
                           content_type="multipart/form-data").status_code == 302
        client.logout()
    db.session.expire_all()
    assert db.session.get(Verification, round_.id).state == VerificationState.disputed
    assert db.session.get(Project, project.id).status == ProjectStatus.in_progress
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'data-testid="project-disputed"' in page and "ยังไม่ครบ" in page
    assert client.get(f"/api/v1/projects/{project.id}").get_json()["disputed"] is True
    client.login(world["officer"])
    assert "ผู้ติดตามโต้แย้งว่ายังไม่เสร็จ" in client.get("/triage/saensuk/projects").get_data(as_text=True)


def test_concurrent_answers_dispute_exactly_once_with_exact_counts(app, world, make_user):  # noqa: F811
    """Eight people answer "not done" at the same moment, each in its own session (its own database
    connection): the round's row serialises them, so three are counted, the third disputes it
    once, and the rest are refused because the round closed."""
    idea = world["ideas"][0]
    people = supporters(idea, make_user, 8)
    implement(idea, world["officer"])
    round_id, user_ids = verification.latest(idea=idea).id, [p.id for p in people]
    db.session.remove()
    barrier = threading.Barrier(len(user_ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def answer(user_id: int) -> None:
        from idea4gov.auth.models import User

        with app.app_context():
            try:
                round_ = db.session.get(Verification, round_id)
                user = db.session.get(User, user_id)
                barrier.wait(timeout=30)
                _response, disputed = verification.respond(round_, user, False, "ยังไม่เสร็จ")
                db.session.commit()
                result = "disputed" if disputed else "counted"
            except ServiceError as error:
                db.session.rollback()
                result = error.message
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=answer, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted(["counted", "counted", "disputed"] + ["round_closed"] * 5), outcomes
    round_ = db.session.get(Verification, round_id)
    assert (round_.state, round_.not_done_count, round_.done_count) == (VerificationState.disputed, 3, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VerificationResponse)) == 3
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "dispute")) == 1
    changes = db.session.scalars(sa.select(StatusChange.after).where(StatusChange.idea_id == idea.id)
                                 .order_by(StatusChange.id)).all()
    assert changes == [IdeaStatus.implemented, IdeaStatus.in_progress]


def test_an_archived_area_takes_no_answers(app, world, make_user):  # noqa: F811
    from idea4gov.areas import manage

    idea = world["ideas"][0]
    fan = supporters(idea, make_user, 1)[0]
    implement(idea, world["officer"])
    manage.archive(world["area"], world["admin"], "จบโครงการนำร่อง")
    db.session.commit()
    with pytest.raises(ServiceError) as refused:
        verification.respond(verification.latest(idea=idea), fan, False, "ยังไม่เสร็จ")
    assert refused.value.message == "area_archived"


def test_anonymous_cached_pages_follow_projects_and_disputes(app, world, make_user):  # noqa: F811
    """An anonymous visitor's idea page and the API's list are kept whole (idea4gov.pagecache): a new
    project or a dispute shows at once, and the page stays public (no form, no CSRF token)."""
    from project_support import make_project

    idea = world["ideas"][0]
    people = supporters(idea, make_user, 3)
    visitor = app.test_client(use_cookies=False)
    url, api = f"/ideas/{idea.id}", "/api/v1/areas/saensuk/ideas"
    first = visitor.get(url)
    assert "public" in first.headers["Cache-Control"] and 'data-testid="became-project"' not in first.get_data(as_text=True)
    assert visitor.get(api).get_json()["items"][0]["project_id"] is None
    project = make_project(world["area"], world["officer"], [idea])
    page = visitor.get(url)
    assert 'data-testid="became-project"' in page.get_data(as_text=True) and "public" in page.headers["Cache-Control"]
    assert next(item for item in visitor.get(api).get_json()["items"] if item["id"] == idea.id)["project_id"] == project.id
    implement(idea, world["officer"])
    opened = visitor.get(url)
    html = opened.get_data(as_text=True)
    assert 'data-testid="confirm"' in html and "csrf_token" not in html and "public" in opened.headers["Cache-Control"]
    for person in people:  # three of three: disputed
        verification.respond(verification.latest(idea=idea), person, False, "ยังไม่เห็นถังขยะเลย")
        db.session.commit()
    assert verification.latest(idea=idea).state == VerificationState.disputed
    html = visitor.get(url).get_data(as_text=True)
    assert 'data-testid="disputes"' in html and "ยังไม่เห็นถังขยะเลย" in html


def test_an_answer_refused_after_its_photo_was_stored_leaves_no_file(app, world, make_user):  # noqa: F811
    import os

    idea = world["ideas"][0]
    [person] = supporters(idea, make_user, 1)
    implement(idea, world["officer"])
    round_ = verification.latest(idea=idea)
    verification.close_rounds(idea=idea)  # closed between the page and the answer
    db.session.commit()
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    before = set(os.listdir(folder))
    with pytest.raises(ServiceError) as refused:
        verification.respond(round_, person, False, "ยังไม่เสร็จ", png_bytes())
    assert refused.value.message == "round_closed"
    db.session.rollback()
    assert set(os.listdir(folder)) == before
