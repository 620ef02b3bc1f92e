"""Staff roles per area, the `flask users` commands, audit of role changes, notifications page."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.audit.models import AuditEntry
from idea4gov.auth import permissions, staff
from idea4gov.auth.models import Role, StaffRole, User
from idea4gov.extensions import db
from idea4gov.notifications import services as notifications


def test_staff_role_holds_only_in_its_area(app, make_area, make_staff, make_user):
    here, there = make_area(), make_area()
    moderator = make_staff("moderator", here)
    admin = make_staff("admin")
    resident = make_user()
    with app.test_request_context():
        assert permissions.has_role(moderator, Role.moderator, here.id)
        assert not permissions.has_role(moderator, Role.moderator, there.id)
        assert not permissions.has_role(moderator, Role.officer, here.id)
        assert permissions.has_role(admin, Role.officer, there.id)
        assert not permissions.has_role(resident, Role.moderator, here.id)
        assert permissions.area_ids_for(moderator, Role.moderator) == {here.id}
        assert permissions.area_ids_for(admin, Role.moderator) is None


def test_grant_twice_keeps_one_row_and_is_audited(app, make_area, make_user):
    area, user = make_area(), make_user()
    with app.test_request_context():
        assert staff.grant(user, Role.officer, area) is True
        assert staff.grant(user, Role.officer, area) is False
        db.session.commit()
        assert staff.revoke(user, Role.officer, area) is True
        db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffRole)) == 0
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["grant_role", "revoke_role"]


def test_staff_role_without_area_is_refused_by_the_database(app, make_user):
    import pytest
    from sqlalchemy.exc import IntegrityError

    user = make_user()
    db.session.add(StaffRole(user_id=user.id, area_id=None, role=Role.moderator))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_users_create_makes_a_scoped_staff_account(app, runner, make_area):
    area = make_area(slug="saensuk")
    result = runner.invoke(args=["users", "create", "mod@example.org", "--role", "moderator", "--area", "saensuk",
                                 "--name", "ผู้ดูแล แสนสุข"])
    assert result.exit_code == 0, result.output
    assert "password (shown once)" in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "mod@example.org"))
    assert user.role == Role.resident and user.display_name == "ผู้ดูแล แสนสุข"
    assert [(r.area_id, r.role) for r in staff.roles_of(user)] == [(area.id, Role.moderator)]
    again = runner.invoke(args=["users", "create", "mod@example.org", "--role", "moderator", "--area", "saensuk"])
    assert again.exit_code == 0 and "already held" in again.output
    listed = runner.invoke(args=["users", "list", "--staff"])
    assert "moderator@saensuk" in listed.output


def test_users_create_refuses_bad_arguments(app, runner, make_area):
    make_area(slug="huawiang")
    cases = [
        (["users", "create", "a@example.org", "--role", "officer"], "--area is required"),
        (["users", "create", "a@example.org", "--role", "admin", "--area", "huawiang"], "does not apply"),
        (["users", "create", "a@example.org", "--role", "officer", "--area", "nowhere"], "no area"),
        (["users", "create", "not-an-email", "--role", "officer", "--area", "huawiang"], "invalid e-mail"),
        (["users", "create", "a@example.org", "--password", "password123"], "common"),
    ]
    for args, expected in cases:
        result = runner.invoke(args=args)
        assert result.exit_code == 1, args
        assert expected in result.output, (args, result.output)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_users_revoke_and_admin(app, runner, make_area):
    make_area(slug="ratchathewi")
    assert runner.invoke(args=["users", "create", "boss@example.org", "--role", "admin"]).exit_code == 0
    boss = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert boss.is_admin
    result = runner.invoke(args=["users", "revoke", "boss@example.org", "--role", "admin"])
    assert result.exit_code == 0 and "revoked" in result.output
    db.session.refresh(boss)
    assert not boss.is_admin
    assert runner.invoke(args=["users", "revoke", "ghost@example.org", "--role", "admin"]).exit_code == 1


def test_notifications_page_lists_mine_and_marks_read(client, make_user, make_idea):
    author, other = make_user(), make_user()
    idea = make_idea(author=author)
    notifications.notify([author.id, author.id, None], "idea_rejected", idea_id=idea.id,
                         reason="มีข้อมูลส่วนบุคคล <b>ของผู้อื่น</b>", data={"title": idea.title})
    notifications.notify([other.id], "idea_approved", data={"title": "ของคนอื่น"})
    db.session.commit()
    client.login(author)
    page = client.get("/notifications/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('data-kind="idea_rejected"') == 1 and "ของคนอื่น" not in html
    assert "&lt;b&gt;ของผู้อื่น&lt;/b&gt;" in html
    assert 'class="count"' in client.get("/").get_data(as_text=True)
    response = client.post("/notifications/read")
    assert response.status_code == 302
    assert notifications.unread_count(author.id) == 0
    assert notifications.unread_count(other.id) == 1
    assert client.post("/notifications/read", csrf=False).status_code == 400


def test_notifications_need_login_and_show_empty_state(client, make_user):
    assert client.get("/notifications/").status_code == 302
    client.login(make_user())
    assert "ยังไม่มีการแจ้งเตือน" in client.get("/notifications/").get_data(as_text=True)


def test_unknown_notification_kind_is_a_programming_error(app, make_user):
    import pytest

    with pytest.raises(ValueError):
        notifications.notify([make_user().id], "no_such_kind")


def test_header_links_follow_roles_and_judging(client, make_area, make_user, make_staff):
    from idea4gov.shortlists import services as shortlists

    area = make_area()
    moderator, judge = make_staff("moderator", area), make_user()
    organiser = make_staff("organiser", area)
    client.login(moderator)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/moderation/"' in html and 'href="/shortlists/"' not in html and 'href="/admin/"' not in html
    client.logout()
    client.login(judge)
    assert 'href="/shortlists/"' not in client.get("/").get_data(as_text=True)
    shortlists.add_judge(shortlists.create_shortlist(organiser, shortlists.ShortlistInput("งาน", None, "", [area])),
                         judge, organiser)
    db.session.commit()
    assert 'href="/shortlists/"' in client.get("/").get_data(as_text=True)
