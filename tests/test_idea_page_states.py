"""An idea that is not public does not look live; replies go only to comments that are public."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from idea4gov.areas.models import ModerationMode
from idea4gov.areas.settings import settings_of
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Comment, Visibility
from idea4gov.moderation import services as moderation

BODY = "ชายหาดบางแสนมีขยะพลาสติกเยอะหลังวันหยุด อยากให้มีจุดแยกขยะและอาสาสมัครเก็บขยะทุกเช้า"


def _pending_idea(make_area, make_user):
    area = make_area()
    settings_of(area).moderation_mode = ModerationMode.pre
    db.session.commit()
    author = make_user()
    idea = services.create_idea(area, author, services.IdeaInput("จุดแยกขยะริมหาดบางแสน", BODY, area.themes[0]))
    db.session.commit()
    return idea, author


def test_a_pending_idea_shows_its_author_that_it_waits_and_offers_nothing_that_fails(client, make_area, make_user):
    idea, author = _pending_idea(make_area, make_user)
    client.login(author)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'data-testid="idea-state">รอตรวจสอบ<' in page
    assert "ได้รับแล้ว" not in page
    for action in (f"/ideas/{idea.id}/vote", f"/ideas/{idea.id}/report", f"/ideas/{idea.id}/comments"):
        assert f'action="{action}"' not in page, action
    assert "จะเปิดเมื่อไอเดียนี้เผยแพร่ต่อสาธารณะแล้ว" in page
    mine = client.get("/account/").get_data(as_text=True)
    assert "รอตรวจสอบ" in mine and "ได้รับแล้ว" not in mine


def test_a_moderator_sees_the_pending_idea_without_resident_actions(client, make_area, make_user, make_staff):
    idea, _author = _pending_idea(make_area, make_user)
    client.login(make_staff("moderator", idea.area))
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'data-testid="idea-state">รอตรวจสอบ<' in page and f'action="/ideas/{idea.id}/vote"' not in page


def test_a_published_idea_keeps_its_status_and_actions(client, make_idea, make_user):
    idea = make_idea()
    client.login(make_user())
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'data-testid="idea-state">ได้รับแล้ว<' in page
    for action in (f"/ideas/{idea.id}/vote", f"/ideas/{idea.id}/report", f"/ideas/{idea.id}/comments"):
        assert f'action="{action}"' in page, action


def test_the_api_tells_the_author_their_new_idea_is_pending(client, make_area, make_user):
    from tests.api_support import token_for

    area = make_area()
    settings_of(area).moderation_mode = ModerationMode.pre
    db.session.commit()
    response = client.api("POST", f"/api/v1/areas/{area.slug}/ideas",
                          json={"title": "ที่จอดจักรยานริมชายหาด", "body": BODY}, token=token_for(make_user()))
    assert response.status_code == 201 and response.get_json()["visibility"] == "pending"


def _thread(idea, make_user):
    top = services.add_comment(idea, make_user(), "ความคิดเห็นหลักที่มีคนตอบ")
    db.session.flush()
    reply = services.add_comment(idea, make_user(), "คำตอบแรกของความคิดเห็นนี้", top.id)
    db.session.commit()
    return top, reply


def test_the_service_refuses_a_reply_to_a_deleted_comment(app, make_idea, make_user):
    idea = make_idea()
    top, _reply = _thread(idea, make_user)
    services.delete_comment(top, top.author)
    db.session.commit()
    with pytest.raises(services.ServiceError, match="parent_closed"):
        services.add_comment(idea, make_user(), "ตอบความคิดเห็นที่ถูกลบไปแล้ว", top.id)


def test_the_service_refuses_replies_to_hidden_rejected_or_pending_comments(app, make_idea, make_user, make_staff):
    idea = make_idea()
    moderator = make_staff("moderator", idea.area)
    top, reply = _thread(idea, make_user)
    moderation.decide(top, moderation.Action.hide, moderator, "ข้อความไม่สุภาพ")
    db.session.commit()
    # Directly, and through one of its replies (which would attach to it).
    for parent in (top, reply):
        with pytest.raises(services.ServiceError, match="parent_closed"):
            services.add_comment(idea, make_user(), "ตอบความคิดเห็นที่ถูกซ่อน", parent.id)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 2
    # A comment still waiting for a moderator takes no replies either, nor one they rejected.
    settings_of(idea.area).moderation_mode = ModerationMode.pre
    db.session.commit()
    waiting = services.add_comment(idea, make_user(), "ความคิดเห็นที่รอตรวจสอบอยู่")
    db.session.commit()
    assert waiting.visibility == Visibility.pending
    with pytest.raises(services.ServiceError, match="parent_closed"):
        services.add_comment(idea, make_user(), "ตอบความคิดเห็นที่รอตรวจสอบ", waiting.id)
    db.session.rollback()
    moderation.decide(waiting, moderation.Action.reject, moderator, "นอกเรื่อง")
    db.session.commit()
    with pytest.raises(services.ServiceError, match="parent_closed"):
        services.add_comment(idea, make_user(), "ตอบความคิดเห็นที่ไม่ผ่าน", waiting.id)


def test_a_refused_reply_keeps_its_text_in_the_form(client, make_idea, make_user, make_staff):
    idea = make_idea()
    top, _reply = _thread(idea, make_user)
    moderation.decide(top, moderation.Action.hide, make_staff("moderator", idea.area), "สแปม")
    db.session.commit()
    client.login(make_user())
    text = "ข้อความตอบกลับที่ไม่ควรหายไป"
    response = client.post(f"/ideas/{idea.id}/comments", {"body": text, "parent_id": str(top.id)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert text in html and "ตอบกลับความคิดเห็นนี้ไม่ได้" in html
    assert f'name="parent_id" type="hidden" value="{top.id}"' not in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 2


def test_no_reply_form_under_a_hidden_comment_even_for_moderators(client, make_idea, make_user, make_staff):
    idea = make_idea()
    moderator = make_staff("moderator", idea.area)
    top, _reply = _thread(idea, make_user)
    moderation.decide(top, moderation.Action.hide, moderator, "สแปม")
    db.session.commit()
    assert db.session.get(Comment, top.id).visibility == Visibility.hidden
    client.login(moderator)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'id="reply-{top.id}"' not in page
