"""Admin pages: grant and revoke roles, block users, area settings, the audit log."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.areas.models import ModerationMode
from idea4gov.areas.settings import settings_of
from idea4gov.audit.models import AuditEntry
from idea4gov.auth.models import Role, StaffRole
from idea4gov.extensions import db


def test_admin_grants_and_revokes_a_scoped_role(client, make_area, make_user, make_staff):
    area = make_area(slug="huawiang")
    admin, person = make_staff("admin"), make_user(display_name="สมศรี ใจดี")
    client.login(admin)
    assert "สมศรี ใจดี" in client.get("/admin/users?q=สมศรี").get_data(as_text=True)
    response = client.post(f"/admin/users/{person.id}/roles", data={"role": "officer", "area": "huawiang"})
    assert response.status_code == 302
    role = db.session.scalar(sa.select(StaffRole))
    assert (role.user_id, role.area_id, role.role, role.granted_by_id) == (person.id, area.id, Role.officer, admin.id)
    assert "เจ้าหน้าที่" in client.get("/admin/users?filter=staff").get_data(as_text=True)
    missing_area = client.post(f"/admin/users/{person.id}/roles", data={"role": "moderator", "area": ""})
    assert missing_area.status_code == 400 and "ต้องเลือกพื้นที่" in missing_area.get_data(as_text=True)
    response = client.post(f"/admin/users/{person.id}/roles/officer/revoke", data={"area": "huawiang"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffRole)) == 0
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.actor_id == admin.id)
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["grant_role", "revoke_role"]


def test_an_admin_cannot_remove_their_own_admin_role(client, make_staff):
    admin = make_staff("admin")
    client.login(admin)
    client.post(f"/admin/users/{admin.id}/roles/admin/revoke")
    db.session.refresh(admin)
    assert admin.is_admin


def test_a_blocked_user_reads_but_cannot_post_vote_comment_or_report(client, make_user, make_staff, make_idea):
    from tests.api_support import token_for

    idea = make_idea()
    person = make_user()
    token = token_for(person)
    client.login(make_staff("admin"))
    empty = client.post(f"/admin/users/{person.id}/block", data={"reason": ""})
    assert empty.status_code == 400 and "กรุณาใส่เหตุผล" in empty.get_data(as_text=True)
    assert client.post(f"/admin/users/{person.id}/block", data={"reason": "โพสต์สแปมซ้ำหลายครั้ง"}).status_code == 302
    client.logout()
    client.login(person)
    assert client.get(f"/ideas/{idea.id}").status_code == 200
    client.post(f"/ideas/{idea.id}/vote")
    db.session.refresh(idea)
    assert idea.vote_count == 0
    response = client.post(f"/areas/{idea.area.slug}/ideas/new", data={
        "title": "ไอเดียจากผู้ถูกระงับ", "body": "รายละเอียดยาวพอสมควรสำหรับการทดสอบการระงับบัญชีผู้ใช้",
        "theme": idea.area.themes[0].slug, "confirm_new": "1"})
    assert response.status_code == 400 and "ถูกระงับ" in response.get_data(as_text=True)
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "ความคิดเห็นจากผู้ถูกระงับ"})
    assert response.status_code == 400 and "ถูกระงับ" in response.get_data(as_text=True)
    api = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=token)
    assert api.status_code == 403 and api.get_json()["error"]["code"] == "blocked"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "block")) == 1


def test_unblock_lets_them_vote_again(client, make_user, make_staff, make_idea):
    from idea4gov.auth import staff

    idea, person = make_idea(), make_user()
    staff.block(person, "ทดสอบ", None)
    db.session.commit()
    client.login(make_staff("admin"))
    assert client.post(f"/admin/users/{person.id}/unblock").status_code == 302
    client.logout()
    client.login(person)
    client.post(f"/ideas/{idea.id}/vote")
    db.session.refresh(idea)
    assert idea.vote_count == 1


def test_area_settings_switch_to_pre_moderation_and_are_audited(client, make_area, make_staff):
    area = make_area(slug="saensuk")
    client.login(make_staff("admin"))
    assert client.get("/admin/areas/saensuk").status_code == 200
    bad = client.post("/admin/areas/saensuk", data={"is_open": "y", "moderation_mode": "pre", "auto_hide_reports": "0",
                                                    "days_to_first_answer": "14"})
    assert bad.status_code == 400 and "ต้องเป็นจำนวน" in bad.get_data(as_text=True)
    ok = client.post("/admin/areas/saensuk", data={"is_open": "y", "moderation_mode": "pre", "auto_hide_reports": "5",
                                                   "days_to_first_answer": "14"})
    assert ok.status_code == 302
    db.session.expire_all()
    settings = settings_of(area.id)
    assert (settings.moderation_mode, settings.auto_hide_reports, area.is_open) == (ModerationMode.pre, 5, True)
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "area_settings")
                                 .order_by(AuditEntry.id)).all()
    assert [(e.reason, e.before, e.after) for e in entries] == [("moderation_mode", "post", "pre"),
                                                                ("auto_hide_reports", "3", "5")]
    assert client.get("/admin/areas/nowhere").status_code == 404


def test_audit_log_filters(client, make_area, make_user, make_staff):
    from idea4gov.audit import services as audit

    area = make_area(slug="ratchathewi")
    admin = make_staff("admin")
    audit.record(admin, "hide", "idea", 7, area_id=area.id, before="published", after="hidden", reason="สแปม")
    audit.record(None, "auto_hide", "comment", 9, before="published", after="hidden", reason="3 reports")
    db.session.commit()
    client.login(admin)
    page = client.get("/admin/audit?area=ratchathewi").get_data(as_text=True)
    assert "สแปม" in page and "3 reports" not in page
    page = client.get("/admin/audit?action=auto_hide").get_data(as_text=True)
    assert "3 reports" in page and "สแปม" not in page
    page = client.get(f"/admin/audit?actor={admin.email}").get_data(as_text=True)
    assert "สแปม" in page and "3 reports" not in page
    assert client.get("/admin/audit?since=not-a-date").status_code == 400
    assert "สแปม" in client.get("/admin/audit?since=2020-01-01&until=2099-12-31").get_data(as_text=True)
    assert "ไม่พบรายการ" in client.get("/admin/audit?until=2001-01-01").get_data(as_text=True)
