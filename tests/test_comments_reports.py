"""Comments with one level of replies, deleting one's own comment, and abuse reports."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Comment, Idea, Report, ReportReason, Visibility
from tests.conftest import Client

COMMENT = "เห็นด้วยครับ ชายหาดบางแสนสกปรกมากช่วงวันหยุด"


def _comments() -> list[Comment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Comment).order_by(Comment.id)))


def _reports() -> list[Report]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Report).order_by(Report.id)))


def _comment_count(idea: Idea) -> int:
    db.session.expire_all()
    return db.session.get(Idea, idea.id).comment_count


def _add_comment(idea: Idea, author, body: str = COMMENT, parent: Comment | None = None) -> Comment:
    comment = services.add_comment(idea, author, body, parent.id if parent else None)
    db.session.commit()
    return comment


@pytest.fixture()
def idea(make_idea):
    return make_idea()


@pytest.fixture()
def resident(client, make_user):
    user = make_user(display_name="มานี ใจงาม")
    client.login(user)
    return user


# --- comments --------------------------------------------------------------------------

def test_comment_on_an_idea(client, idea, resident):
    response = client.post(f"/ideas/{idea.id}/comments", {"body": COMMENT})
    [comment] = _comments()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#comment-{comment.id}"
    assert comment.body == COMMENT
    assert comment.author_id == resident.id
    assert comment.parent_id is None
    assert _comment_count(idea) == 1
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert COMMENT in html and "มานี ใจงาม" in html
    assert "ความคิดเห็น (1)" in html


def test_reply_attaches_to_the_comment(client, idea, resident, make_user):
    top = _add_comment(idea, make_user())
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "ขอบคุณที่เห็นด้วยครับ", "parent_id": str(top.id)})
    assert response.status_code == 302
    reply = _comments()[-1]
    assert reply.parent_id == top.id
    assert _comment_count(idea) == 2
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    replies = re.search(rf'<li class="comment" id="comment-{top.id}">.*?<ol class="replies">(.*?)</ol>', html, re.S)
    assert replies and "ขอบคุณที่เห็นด้วยครับ" in replies.group(1)


def test_reply_to_a_reply_attaches_to_the_top_level_comment(client, idea, resident, make_user):
    someone = make_user()
    top = _add_comment(idea, someone)
    reply = _add_comment(idea, someone, "คำตอบชั้นที่หนึ่ง", parent=top)
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "คำตอบของคำตอบ", "parent_id": str(reply.id)})
    assert response.status_code == 302
    newest = _comments()[-1]
    assert newest.body == "คำตอบของคำตอบ"
    assert newest.parent_id == top.id
    # Nothing is ever nested two levels deep.
    assert all(c.parent is None or c.parent.parent_id is None for c in _comments())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "กรุณาพิมพ์ความคิดเห็น"),
        ("ก", "ความคิดเห็นต้องยาว 2–2000 ตัวอักษร"),
        ("ก" * 2001, "ความคิดเห็นต้องยาว 2–2000 ตัวอักษร"),
        ("<b></b><i></i>", "ความคิดเห็นต้องยาว 2–2000 ตัวอักษร"),
    ],
    ids=["empty", "one-char", "too-long", "only-tags"],
)
def test_bad_comment_comes_back_with_the_text_and_the_error(client, idea, resident, body, message):
    response = client.post(f"/ideas/{idea.id}/comments", {"body": body})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    form = re.search(r'<form[^>]*id="comment-form".*?</form>', html, re.S).group(0)
    assert message in form
    assert "has-error" in form
    if body:
        assert f">\r\n{body.replace('<', '&lt;').replace('>', '&gt;')}</textarea>" in form
    assert _comments() == []
    assert _comment_count(idea) == 0


def test_reply_to_a_comment_of_another_idea_is_refused(client, idea, make_idea, make_user, resident):
    other_idea = make_idea()
    foreign = _add_comment(other_idea, make_user())
    response = client.post(f"/ideas/{idea.id}/comments", {"body": COMMENT, "parent_id": str(foreign.id)})
    assert response.status_code == 400
    assert "ไม่พบความคิดเห็นที่คุณต้องการตอบ" in response.get_data(as_text=True)
    assert len(_comments()) == 1
    assert _comment_count(idea) == 0


@pytest.mark.parametrize("parent_id", ["abc", "1.5", "999999", "-1", "99999999999999999999999"])
def test_junk_parent_id_is_a_400(client, idea, resident, parent_id):
    response = client.post(f"/ideas/{idea.id}/comments", {"body": COMMENT, "parent_id": parent_id})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    assert _comments() == []


def test_comment_needs_login(client, idea):
    response = client.post(f"/ideas/{idea.id}/comments", {"body": COMMENT})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert _comments() == []


def test_comment_on_a_hidden_idea_is_404(client, idea, resident):
    idea.visibility = Visibility.hidden
    db.session.commit()
    assert client.post(f"/ideas/{idea.id}/comments", {"body": COMMENT}).status_code == 404
    assert _comments() == []


def test_comment_is_cleaned_and_shown_escaped(client, idea, resident):
    body = "<script>alert(1)</script>ดูข่าว https://example.org/news <img src=x onerror=alert(2)> 3 < 4"
    client.post(f"/ideas/{idea.id}/comments", {"body": body})
    [comment] = _comments()
    assert "<script" not in comment.body and "<img" not in comment.body
    assert 'rel="nofollow ugc"' in comment.body
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "onerror" not in html
    assert "3 &lt; 4" in html


def test_comment_counts_show_on_the_listing(client, idea, make_user):
    author = make_user()
    _add_comment(idea, author)
    _add_comment(idea, author, "อีกหนึ่งความคิดเห็น")
    html = client.get(f"/areas/{idea.area.slug}").get_data(as_text=True)
    assert "2 ความคิดเห็น" in html


# --- deleting --------------------------------------------------------------------------

def test_author_deletes_own_comment(client, idea, resident, make_user):
    mine = _add_comment(idea, resident, "ความคิดเห็นที่จะลบทิ้ง")
    reply = _add_comment(idea, make_user(), "คำตอบที่ยังอยู่", parent=mine)
    assert _comment_count(idea) == 2

    response = client.post(f"/comments/{mine.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}"

    comments = _comments()
    assert len(comments) == 2  # the row stays
    assert comments[0].deleted_at is not None
    assert _comment_count(idea) == 1
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "ความคิดเห็นนี้ถูกลบโดยผู้เขียน" in html
    assert "ความคิดเห็นที่จะลบทิ้ง" not in html
    assert "คำตอบที่ยังอยู่" in html  # replies stay readable
    assert "ความคิดเห็น (1)" in html
    assert reply.id


def test_deleting_twice_counts_once(client, idea, resident):
    mine = _add_comment(idea, resident)
    client.post(f"/comments/{mine.id}/delete")
    response = client.post(f"/comments/{mine.id}/delete")
    assert response.status_code == 302
    assert _comment_count(idea) == 0


def test_someone_else_cannot_delete_a_comment(client, idea, resident, make_user):
    theirs = _add_comment(idea, make_user(), "ความคิดเห็นของคนอื่น")
    response = client.post(f"/comments/{theirs.id}/delete")
    assert response.status_code == 403
    assert "คุณไม่มีสิทธิ์ทำรายการนี้" in response.get_data(as_text=True)
    assert _comments()[0].deleted_at is None
    assert _comment_count(idea) == 1


def test_delete_buttons_only_on_own_comments(client, idea, resident, make_user):
    mine = _add_comment(idea, resident)
    theirs = _add_comment(idea, make_user())
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'action="/comments/{mine.id}/delete"' in html
    assert f'action="/comments/{theirs.id}/delete"' not in html


def test_delete_needs_login_and_post(client, idea, make_user):
    comment = _add_comment(idea, make_user())
    assert client.post(f"/comments/{comment.id}/delete").headers["Location"].startswith("/auth/login")
    assert client.get(f"/comments/{comment.id}/delete").status_code == 405
    assert _comments()[0].deleted_at is None


def test_delete_unknown_comment_is_404(client, resident):
    assert client.post("/comments/999999/delete").status_code == 404


# --- reports ---------------------------------------------------------------------------

@pytest.mark.parametrize("reason", [reason.value for reason in ReportReason])
def test_report_an_idea(client, idea, resident, reason):
    response = client.post(f"/ideas/{idea.id}/report", {"reason": reason, "details": "มีเบอร์โทรส่วนตัว"})
    assert response.status_code == 302
    [report] = _reports()
    assert report.idea_id == idea.id and report.comment_id is None
    assert report.reporter_id == resident.id
    assert report.reason == ReportReason(reason)
    assert report.details == "มีเบอร์โทรส่วนตัว"
    assert report.resolved_at is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ขอบคุณ เราได้รับรายงานแล้ว" in page


def test_second_report_of_the_same_idea_is_refused_kindly(client, idea, resident):
    client.post(f"/ideas/{idea.id}/report", {"reason": "spam"})
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "offensive"}, follow_redirects=True)
    assert response.status_code == 200
    assert "คุณรายงานรายการนี้ไปแล้ว" in response.get_data(as_text=True)
    [report] = _reports()
    assert report.reason == ReportReason.spam


def test_two_people_can_report_the_same_idea(client, idea, resident, make_user, app):
    client.post(f"/ideas/{idea.id}/report", {"reason": "spam"})
    other = Client(app)
    other.login(make_user())
    other.post(f"/ideas/{idea.id}/report", {"reason": "spam"})
    assert len(_reports()) == 2


def test_report_a_comment(client, idea, resident, make_user):
    comment = _add_comment(idea, make_user())
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "offensive", "comment_id": str(comment.id)})
    assert response.status_code == 302
    [report] = _reports()
    assert report.comment_id == comment.id and report.idea_id is None
    assert report.reason == ReportReason.offensive
    # Reporting the comment and the idea are two different items.
    client.post(f"/ideas/{idea.id}/report", {"reason": "spam"})
    client.post(f"/ideas/{idea.id}/report", {"reason": "spam", "comment_id": str(comment.id)})
    assert len(_reports()) == 2


def test_comment_page_has_report_forms_for_comments(client, idea, resident, make_user):
    comment = _add_comment(idea, make_user())
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'name="comment_id" value="{comment.id}"' in html
    assert 'value="personal_data"' in html


@pytest.mark.parametrize("reason", ["", "bogus", "SPAM", "spam ", "1"])
def test_invalid_reason_shows_the_form_again(client, idea, resident, reason):
    response = client.post(f"/ideas/{idea.id}/report", {"reason": reason, "details": "รายละเอียดที่พิมพ์ไว้"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    form = re.search(r'<details class="report" open>.*?</details>', html, re.S)
    assert form, "the report form is shown open again"
    assert "กรุณาเลือก" in form.group(0)
    assert "รายละเอียดที่พิมพ์ไว้</textarea>" in form.group(0)
    assert _reports() == []


def test_report_details_too_long_is_400(client, idea, resident):
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "spam", "details": "ก" * 501})
    assert response.status_code == 400
    assert "ยาวเกิน 500 ตัวอักษร" in response.get_data(as_text=True)
    assert _reports() == []


def test_report_of_a_comment_on_another_idea_is_404(client, idea, make_idea, make_user, resident):
    foreign = _add_comment(make_idea(), make_user())
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "spam", "comment_id": str(foreign.id)})
    assert response.status_code == 404
    assert _reports() == []


@pytest.mark.parametrize("comment_id", ["abc", "999999", "-5", "99999999999999999999999"])
def test_report_with_junk_comment_id(client, idea, resident, comment_id):
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "spam", "comment_id": comment_id})
    assert response.status_code in (400, 404)
    assert _reports() == []


def test_report_needs_login(client, idea):
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "spam"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert _reports() == []


def test_report_details_are_cleaned(client, idea, resident):
    client.post(f"/ideas/{idea.id}/report", {"reason": "spam", "details": "<script>x</script>โฆษณา\u200b"})
    assert _reports()[0].details == "xโฆษณา"
