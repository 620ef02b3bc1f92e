"""Verified residents: the badge, areas that ask for a verified identity, verified supporters counted,
and one verified person counted once through any number of accounts (enforced by the database)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from oidc_support import Person, sign_in, thaid, thaid_server, welcome  # noqa: F401  (fixtures)
from sqlalchemy.exc import IntegrityError

from idea4gov.areas.settings import save_settings, settings_of
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea, Vote
from idea4gov.oidc.models import LinkedIdentity


def _verified(client, provider, sub: str, name: str = "ชาวบ้าน ยืนยันแล้ว") -> User:
    """A resident who signs in with ThaiD for the first time (a new account), signed in afterwards."""
    client.logout()
    provider.person = Person(sub=sub, name=name)
    sign_in(client, provider)
    welcome(client, provider, display_name=name)
    return db.session.scalar(sa.select(User).join(LinkedIdentity).where(LinkedIdentity.subject == sub))


def _idea(idea_id: int) -> Idea:
    db.session.expire_all()
    return db.session.get(Idea, idea_id)


def test_an_area_can_require_a_verified_identity_to_vote(client, thaid, make_idea, make_user):  # noqa: F811
    idea = make_idea()
    save_settings(idea.area, None, verified_to_vote=True)
    db.session.commit()
    client.login(make_user())
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'data-testid="verify-needed"' in page and 'data-testid="verify-thaid"' in page
    response = client.post(f"/ideas/{idea.id}/vote")
    assert response.status_code == 302 and _idea(idea.id).vote_count == 0
    assert "รับโหวตเฉพาะผู้ที่ยืนยันตัวตนแล้ว" in client.get(response.headers["Location"]).get_data(as_text=True)
    api = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", csrf=True)
    assert api.status_code == 403 and api.get_json()["error"]["code"] == "verified_required_vote"
    _verified(client, thaid, "person-a")
    assert client.post(f"/ideas/{idea.id}/vote").status_code == 302
    assert (_idea(idea.id).vote_count, _idea(idea.id).verified_vote_count) == (1, 1)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "ยืนยันตัวตนแล้ว 1 คน" in html
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["verified_vote_count"] == 1


def test_one_verified_person_counts_once_through_several_accounts(client, thaid, make_idea, make_user):  # noqa: F811
    from conftest import PASSWORD

    idea = make_idea()
    first = make_user()
    client.login(first)
    sign_in(client, thaid, start="/auth/oidc/thaid/start", data={"intent": "link"})  # person P on account 1
    assert client.post(f"/ideas/{idea.id}/vote").status_code == 302
    [identity] = db.session.scalars(sa.select(LinkedIdentity)).all()
    assert client.post(f"/account/sign-in/{identity.id}/unlink").status_code == 302
    # The same person signs in with ThaiD again: a second account, the same person.
    second = _verified(client, thaid, thaid.person.sub)
    assert second.id != first.id and second.person_key == db.session.get(User, first.id).person_key
    refused = client.post(f"/ideas/{idea.id}/vote")
    assert "หนึ่งคนนับหนึ่งเสียง" in client.get(refused.headers["Location"]).get_data(as_text=True)
    api = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", csrf=True)
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "person_already_supports"
    assert (_idea(idea.id).vote_count, _idea(idea.id).verified_vote_count) == (1, 1)
    # The first account (still that person) keeps its vote; unvoting and voting again keeps one.
    client.logout()
    client.login(db.session.get(User, first.id), PASSWORD)
    assert client.post(f"/ideas/{idea.id}/unvote").status_code == 302
    assert (_idea(idea.id).vote_count, _idea(idea.id).verified_vote_count) == (0, 0)


def test_an_account_that_becomes_a_verified_person_drops_its_second_vote(client, thaid, make_idea, make_user):  # noqa: F811
    idea, other = make_idea(), make_idea()
    person_a = _verified(client, thaid, "person-b")
    services.vote(idea, person_a)
    db.session.commit()
    client.logout()
    second = make_user()
    services.vote(idea, second)  # unverified: counted as a supporter, not a verified one
    services.vote(other, second)
    db.session.commit()
    assert (_idea(idea.id).vote_count, _idea(idea.id).verified_vote_count) == (2, 1)
    # The unlinked person proves on the second account that they are person-b: one vote left on `idea`.
    db.session.execute(sa.delete(LinkedIdentity))
    db.session.commit()
    client.login(second)
    thaid.person = Person(sub="person-b")
    sign_in(client, thaid, start="/auth/oidc/thaid/start", data={"intent": "link"})
    assert (_idea(idea.id).vote_count, _idea(idea.id).verified_vote_count) == (1, 1)
    assert (_idea(other.id).vote_count, _idea(other.id).verified_vote_count) == (1, 1)
    assert db.session.scalar(sa.select(Vote.user_id).where(Vote.idea_id == idea.id)) == person_a.id


def test_the_database_refuses_a_second_vote_of_one_person(app, make_idea, make_user):
    idea = make_idea()
    first, second = make_user(), make_user()
    db.session.add(Vote(idea_id=idea.id, user_id=first.id, person_key="k" * 64))
    db.session.commit()
    db.session.add(Vote(idea_id=idea.id, user_id=second.id, person_key="k" * 64))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add_all([Vote(idea_id=idea.id, user_id=second.id)])  # unverified votes never collide
    db.session.commit()


def test_a_merge_counts_a_verified_person_once(client, thaid, make_idea, make_user, make_staff):  # noqa: F811
    from idea4gov.triage.services import merging

    source = make_idea(title="ไฟถนนดับหน้าตลาด")
    target = make_idea(area=source.area, title="ไฟถนนหน้าตลาดดับหลายดวง")
    one = _verified(client, thaid, "person-c")
    services.vote(target, one)
    db.session.commit()
    db.session.execute(sa.delete(LinkedIdentity))
    db.session.commit()
    two = _verified(client, thaid, "person-c")  # the same person, another account
    services.vote(source, two)
    db.session.commit()
    officer = make_staff("officer", source.area)
    merging.merge(db.session.get(Idea, source.id), db.session.get(Idea, target.id), officer)
    db.session.commit()
    assert (_idea(target.id).vote_count, _idea(target.id).verified_vote_count) == (1, 1)
    merging.unmerge(db.session.get(Idea, source.id), officer)
    db.session.commit()
    assert (_idea(source.id).vote_count, _idea(source.id).verified_vote_count) == (1, 1)
    assert (_idea(target.id).vote_count, _idea(target.id).verified_vote_count) == (1, 1)


def test_an_area_can_require_a_verified_identity_to_post_and_the_text_waits(client, thaid, make_area, make_user):  # noqa: F811
    area = make_area()
    save_settings(area, None, verified_to_post=True)
    db.session.commit()
    client.login(make_user())
    form = client.get(f"/areas/{area.slug}/ideas/new").get_data(as_text=True)
    assert 'data-testid="verify-thaid"' in form
    typed = {"title": "ทางเท้าริมคลองแตกหลายจุด", "body": "ทางเท้าริมคลองแตกหลายจุด คนเดินสะดุดล้มบ่อยช่วงกลางคืน ขอให้ซ่อม",
             "theme": "beach", "place_name": "ริมคลองแสนแสบ"}
    refused = client.post(f"/areas/{area.slug}/ideas/new", typed)
    assert refused.status_code == 400 and "รับไอเดียเฉพาะผู้ที่ยืนยันตัวตนแล้ว" in refused.get_data(as_text=True)
    assert typed["body"] in refused.get_data(as_text=True)
    api = client.api("POST", f"/api/v1/areas/{area.slug}/ideas", json=typed, csrf=True)
    assert api.status_code == 403 and api.get_json()["error"]["code"] == "verified_required_post"
    # Leave for ThaiD from the form (its text with it) and refuse there: the text comes back.
    path = f"/areas/{area.slug}/ideas/new"
    start = {**typed, "intent": "link", "next": path}
    cancelled = sign_in(client, thaid, start="/auth/oidc/thaid/start", data=start, decision="deny")
    assert cancelled.headers["Location"] == path
    back = client.get(path).get_data(as_text=True)
    assert typed["body"] in back and typed["place_name"] in back and "คุณยกเลิก" in back
    # Again, and allow: verified, and the text is back once more, ready to send.
    done = sign_in(client, thaid, start="/auth/oidc/thaid/start", data=start)
    assert done.headers["Location"] == path
    again = client.get(path).get_data(as_text=True)
    assert typed["title"] in again and 'data-testid="verify-needed"' not in again
    assert client.post(path, typed).status_code == 302
    assert db.session.scalar(sa.select(Idea.title).where(Idea.area_id == area.id)) == typed["title"]
    assert client.get(path).get_data(as_text=True).count(typed["body"]) == 0  # taken once, then forgotten


def test_paper_forms_are_imported_into_an_area_that_asks_for_verification(app, runner, make_area, tmp_path):
    area = make_area()
    save_settings(area, None, verified_to_post=True)
    db.session.commit()
    csv = tmp_path / "forms.csv"
    csv.write_text("title,body,theme\nขอถังขยะเพิ่มที่ซอยสาม,ขยะล้นถังทุกเช้าในซอยสาม ขอเพิ่มถังอีกสองใบ,beach\n",
                   encoding="utf-8")
    result = runner.invoke(args=["ideas", "import", str(csv), "--area", area.slug])
    assert result.exit_code == 0, result.output


def test_admins_set_the_verified_rules_on_the_area_page_and_the_command_line(client, make_area, make_staff, runner):
    area = make_area()
    client.login(make_staff("admin"))
    form = client.get(f"/admin/areas/{area.slug}").get_data(as_text=True)
    assert 'name="verified_to_vote"' in form and 'name="verified_to_post"' in form
    result = runner.invoke(args=["areas", "update", area.slug, "--verified-to-vote", "--verified-to-post"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert settings_of(area.id).verified_to_vote and settings_of(area.id).verified_to_post
    from idea4gov.audit.models import AuditEntry

    assert {e.reason for e in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "area_settings"))} \
        >= {"verified_to_vote", "verified_to_post"}


def test_the_badge_is_public_only_with_the_residents_consent(client, thaid, make_area):  # noqa: F811
    area = make_area()
    user = _verified(client, thaid, "person-d", name="ป้าศรี")
    idea = services.create_idea(area, user, services.IdeaInput(
        "ขอไฟส่องสว่างที่ท่าเรือ", "ท่าเรือมืดมากตอนกลางคืน ผู้สูงอายุเดินลำบาก ขอไฟเพิ่มสองดวง", area.themes[0]))
    db.session.commit()
    assert 'data-testid="verified-badge"' in client.get("/account/").get_data(as_text=True)
    assert 'data-testid="author-verified"' not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert client.post("/account/verified-badge", {"show": "y"}).status_code == 302
    assert 'data-testid="author-verified"' in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    client.logout()
    assert 'data-testid="author-verified"' in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
