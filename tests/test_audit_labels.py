"""The audit log speaks Thai (and English): labelled actions, states and types, linked objects."""
from __future__ import annotations

import re

from idea4gov.audit import services as audit
from idea4gov.audit.labels import ACTION_LABELS, TARGET_LABELS
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.moderation import services as moderation


def _world(make_idea, make_user, make_staff):
    idea = make_idea()
    moderator = make_staff("moderator", idea.area)
    admin = make_staff("admin")
    comment = services.add_comment(idea, make_user(), "ความคิดเห็นที่จะถูกซ่อน")
    db.session.commit()
    moderation.decide(comment, moderation.Action.hide, moderator, "ไม่สุภาพ")
    moderation.decide(idea, moderation.Action.hide, moderator, "ข้อมูลส่วนตัว")
    db.session.commit()
    return idea, comment, moderator, admin


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr data-action=.*?</tr>", html, re.S)


def test_actions_states_and_types_are_translated_and_objects_linked(client, make_idea, make_user, make_staff):
    idea, comment, moderator, admin = _world(make_idea, make_user, make_staff)
    client.login(admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    rows = _rows(html)
    hide_idea = next(row for row in rows if f'href="/ideas/{idea.id}"' in row)
    assert "ซ่อน" in hide_idea and "ไอเดีย #" in hide_idea and idea.title in hide_idea
    assert "เผยแพร่อยู่ → ถูกซ่อนจากสาธารณะ" in hide_idea and "published" not in hide_idea
    hide_comment = next(row for row in rows if f'href="/ideas/{idea.id}#comment-{comment.id}"' in row)
    assert "ความคิดเห็น #" in hide_comment
    grant = next(row for row in rows if 'data-action="grant_role"' in row and f'href="/admin/users/{moderator.id}"' in row)
    assert "ให้สิทธิ์" in grant and "→ ผู้ดูแลเนื้อหา" in grant and moderator.email in grant
    for code in ("hide", "grant_role", "published", "hidden"):
        assert f">{code}<" not in html and f"{code} →" not in html and f"→ {code}" not in html

    english = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Published → Hidden from the public" in english


def test_the_action_filter_is_a_list_of_translated_choices(client, make_idea, make_user, make_staff):
    idea, _comment, _moderator, admin = _world(make_idea, make_user, make_staff)
    client.login(admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="action".*?</select>', html, re.S)
    assert select, "the action filter is a <select>"
    assert '<option value="hide">ซ่อน</option>' in select.group(0)
    assert '<option value="dismiss">คงไว้ ยกเลิกรายงาน</option>' in select.group(0)
    filtered = client.get("/admin/audit?action=hide").get_data(as_text=True)
    assert {re.search(r'data-action="([^"]+)"', row).group(1) for row in _rows(filtered)} == {"hide"}


def test_an_action_without_a_label_is_still_listed_and_filterable(client, make_staff, make_area):
    area = make_area()
    admin = make_staff("admin")
    audit.record(admin, "future_thing", "area", area.id, area_id=area.id, before="a", after="b")
    db.session.commit()
    client.login(admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="future_thing">future_thing</option>' in html
    assert f'href="/admin/areas/{area.slug}"' in html


def test_every_action_the_code_records_has_a_label():
    """A new `audit.record(..., "action", ...)` needs a label here, or the log shows its code."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "idea4gov"
    recorded = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        recorded |= set(re.findall(r'(?:audit\.record|_record|record)\(\s*[\w.]+,\s*"([a-z_]+)"', text))
    recorded |= {action.value for action in moderation.Action}
    assert recorded - set(ACTION_LABELS) == set()
    assert {"idea", "comment", "user", "area"} <= set(TARGET_LABELS)
