"""What the idea page costs per request (issue 18 point 5), and that the parts it shares are shared safely."""
from __future__ import annotations

import re

from triage_support import world  # noqa: F401  (fixture)

from idea4gov.extensions import db
from tests.db_support import count_queries


def _statements(client, url: str) -> list[str]:
    client.get(url)  # the parts every visitor shares are rendered once; count the next view
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


def test_a_signed_in_idea_page_costs_four_queries(client, make_idea, make_user):
    from idea4gov.ideas import services

    idea = make_idea()
    resident = make_user()
    services.add_comment(idea, make_user(), "เห็นด้วยครับ ควรทำโดยเร็ว")
    db.session.commit()
    client.login(resident)
    statements = _statements(client, f"/ideas/{idea.id}")
    on_ideas = [s for s in statements if re.search(r"\bFROM ideas\b", s)]
    # One statement reads the idea, its area, and whether the resident supports it; the theme, the author,
    # the merged ideas, its project, point, events and confirmation rounds are in the parts every visitor
    # shares.
    assert len(on_ideas) == 1 and "EXISTS" in on_ideas[0].upper() and "JOIN areas" in on_ideas[0], on_ideas
    assert not any("FROM votes" in s and "FROM ideas" not in s for s in statements), statements
    # Then the header (notifications, roles, judged shortlists and events), the comments with their
    # authors, and all their replies with theirs (and, outside the tests, the account the session names).
    # No more, however many comments.
    assert len(statements) <= 4, "\n".join(statements)
    services.vote(idea, resident)
    db.session.commit()
    assert "ถอนการสนับสนุน" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    # An idea nobody commented on (most of them): the idea's statement says so, no comments are read.
    quiet = make_idea(title="ขอไฟส่องสว่างในซอยเพิ่ม")
    statements = _statements(client, f"/ideas/{quiet.id}")
    assert not any("FROM comments" in s and "FROM ideas" not in s for s in statements), "\n".join(statements)
    assert len(statements) <= 2, "\n".join(statements)


def test_what_came_after_the_answer_costs_the_reader_only_their_own_rows(client, world, make_user):  # noqa: F811
    """Project, point, events and rounds are read once for everyone; a follower's page then reads only their
    answer to the open round and their rating, and shows them right (their own, not someone else's)."""
    from project_support import implement, make_project, supporters

    from idea4gov.places import services as places
    from idea4gov.satisfaction import services as satisfaction
    from idea4gov.verification import services as verification

    idea = world["ideas"][0]
    fan, other = supporters(idea, make_user, 2)
    places.set_idea_location(idea, places.Point(13.2801, 100.9211))
    make_project(world["area"], world["officer"], [idea])
    implement(idea, world["officer"])
    verification.respond(verification.latest(idea=idea), other, False, "ยังไม่เห็นถังขยะเลย")
    satisfaction.rate(idea, other, 2, "ช้าไป")
    db.session.commit()
    client.login(fan)
    statements = _statements(client, f"/ideas/{idea.id}")
    assert not any(re.search(r"\bFROM (projects|verifications|idea_locations|events)\b", s) for s in statements), \
        "\n".join(statements)
    # idea+support, header, comments, the reader's rating, their answer to the round
    assert len(statements) <= 6, "\n".join(statements)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'data-testid="became-project"' in html and 'data-testid="confirm"' in html
    assert 'data-testid="rating"' in html and "คะแนนของคุณ" not in html and "คำตอบของคุณ" not in html
    verification.respond(verification.latest(idea=idea), fan, True)
    satisfaction.rate(idea, fan, 5)
    db.session.commit()
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "คะแนนของคุณ: 5 จาก 5" in html and "คำตอบของคุณ:" in html
    assert "ยืนยันว่าเสร็จ 1 คน · แจ้งว่ายังไม่เสร็จ 1 คน" in html  # the shared counts follow the answers
    client.logout()
    client.login(make_user())  # neither author nor supporter: no forms, no reads of their own
    statements = _statements(client, f"/ideas/{idea.id}")
    assert len(statements) <= 4, "\n".join(statements)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'data-testid="confirm"' in html and 'data-testid="rating"' not in html and "คำตอบของคุณ" not in html


def test_a_signed_in_area_page_costs_the_header_only(client, make_idea, make_user):
    """The listing is shared; a signed-in resident's area page reads only the header (and, outside the
    tests, the account): judged events come with it, not in a query of their own."""
    idea = make_idea()
    client.login(make_user())
    statements = _statements(client, f"/areas/{idea.area.slug}")
    assert len(statements) <= 1, "\n".join(statements)


def test_officer_tools_never_reach_the_parts_residents_share(client, world):  # noqa: F811
    x, y, _light = world["ideas"]
    client.login(world["officer"])
    assert client.post(f"/triage/ideas/{x.id}/merge", {"target_id": y.id}).status_code == 302
    # The officer is the first to see the target after the merge: the shared parts are made then.
    officer_html = client.get(f"/ideas/{y.id}").get_data(as_text=True)
    assert f'action="/triage/ideas/{x.id}/unmerge"' in officer_html
    client.logout()
    client.login(world["resident"])
    html = client.get(f"/ideas/{y.id}").get_data(as_text=True)
    listed = re.search(r'data-testid="merged-sources".*?</section>', html, re.S).group(0)
    assert f'href="/ideas/{x.id}"' in listed and "unmerge" not in html and "/triage/" not in html
    client.logout()
    anonymous = client.get(f"/ideas/{y.id}").get_data(as_text=True)
    assert f'href="/ideas/{x.id}"' in anonymous and "unmerge" not in anonymous
    client.login(world["officer"])
    assert f'action="/triage/ideas/{x.id}/unmerge"' in client.get(f"/ideas/{y.id}").get_data(as_text=True)


def test_an_unknown_or_huge_idea_number_is_404(client, make_user):
    client.login(make_user())
    for path in ("/ideas/999999", f"/ideas/{2**31}", f"/ideas/{10**30}"):
        assert client.get(path).status_code == 404, path


def test_the_page_frame_is_made_once_per_language_and_never_carries_the_reader(client, app, make_idea, make_user):
    """The frame's fixed parts (menu, footer; idea4gov.chrome) are reused per language; the unread count,
    the CSRF token and the current page's links stay the reader's own."""
    idea = make_idea()
    first, second = make_user(), make_user()
    from idea4gov.notifications.services import notify

    notify([second.id], "idea_approved", data={"title": "ของคนอื่น"})
    db.session.commit()
    client.login(first)
    thai = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    english = client.get(f"/ideas/{idea.id}?lang=en").get_data(as_text=True)
    assert ">การแจ้งเตือน<" in thai and ">ออกจากระบบ<" in thai and '<html lang="th"' in thai
    assert ">Notifications<" in english and ">Log out<" in english and ">Areas<" in english and "การแจ้งเตือน" not in english
    token = re.search(r'name="csrf_token" value="([^"]+)"', english).group(1)
    client.logout()
    client.login(second)
    html = client.get(f"/ideas/{idea.id}?lang=th").get_data(as_text=True)
    assert 'การแจ้งเตือน <span class="count" aria-hidden="true">1</span>' in html and token not in html
    assert 'class="count"' not in thai
    assert app.extensions["chrome_fragments"], "the fixed parts are reused"


def test_the_account_and_its_header_are_read_in_one_statement(client, make_area, make_staff, make_user, make_idea):
    """Outside the tests the session's account is read on each request: its unread notifications, staff
    roles and what it judges come in the same statement, and the menu is right for each kind of person."""
    from event_support import make_event

    from idea4gov.notifications.services import notify
    from idea4gov.shortlists import services as shortlists
    from idea4gov.shortlists.models import ShortlistJudge

    area = make_area(slug="saensuk")
    make_idea(area=area)
    organiser = make_staff("organiser", area)
    moderator = make_staff("moderator", area)
    judge, resident = make_user(), make_user()
    shortlist = shortlists.create_shortlist(organiser, shortlists.ShortlistInput("HACKATHON 2569", None, "", [area]))
    event = make_event([area], organiser)
    db.session.add_all([ShortlistJudge(shortlist_id=shortlist.id, user_id=judge.id),
                        ShortlistJudge(event_id=event.id, user_id=judge.id)])
    notify([judge.id], "idea_approved", data={"title": "หนึ่ง"})
    notify([judge.id], "idea_approved", data={"title": "สอง"})
    db.session.commit()
    expected = {  # by id: the session forgets the objects on each round
        resident: ([], ["คิวตรวจสอบเนื้อหา", "รายการคัดเลือก", "จัดการกิจกรรม", "จัดการพื้นที่"]),
        judge: (["รายการคัดเลือก", "จัดการกิจกรรม", '<span class="count" aria-hidden="true">2</span>'],
                ["คิวตรวจสอบเนื้อหา", "จัดการพื้นที่"]),
        moderator: (["คิวตรวจสอบเนื้อหา"], ["รายการคัดเลือก", "จัดการกิจกรรม", "จัดการพื้นที่"]),
        organiser: (["รายการคัดเลือก", "จัดการกิจกรรม", "จัดการพื้นที่"], ["คิวตรวจสอบเนื้อหา"]),
    }
    expected = {person.id: value for person, value in expected.items()}
    from idea4gov.auth.models import User

    for person_id, (shown, hidden) in expected.items():
        person = db.session.get(User, person_id)
        client.login(person)
        client.get("/areas/saensuk")
        db.session.expunge_all()  # as in production: nothing of the account is known before the request
        with count_queries() as statements:
            html = client.get("/areas/saensuk").get_data(as_text=True)
        assert len(statements) == 1 and "FROM users" in statements[0], "\n".join(statements)
        assert all(text in html for text in shown), (person_id, shown)
        assert not any(text in html for text in hidden), (person_id, hidden)
        client.logout()


def test_an_area_whose_votes_and_comments_follow_rounds_reads_the_theme_rounds_once(client, make_idea, make_user):
    from idea4gov.areas.settings import save_settings

    idea = make_idea()
    save_settings(idea.area, None, votes_follow_rounds=True, comments_follow_rounds=True)
    db.session.commit()
    client.login(make_user())
    statements = _statements(client, f"/ideas/{idea.id}")
    assert len([s for s in statements if "FROM rounds" in s]) == 1, "\n".join(statements)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "สนับสนุนไอเดียนี้" in html and 'data-testid="votes-closed"' not in html  # a theme without rounds is open


def test_a_session_signs_its_csrf_token_once_and_a_new_session_gets_a_new_one(client, make_idea, make_user):
    """idea4gov.csrf_token: the signed token is kept in the reader's own session; it works for posting,
    is the same on the next pages (no signing per page), and a new log-in has a new one."""
    import time

    idea = make_idea()
    resident = make_user()
    client.login(resident)

    def token() -> str:
        html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        tokens |= set(re.findall(r'name="csrf-token" content="([^"]+)"', html))
        assert len(tokens) == 1, tokens  # the header's, the forms' and the page's meta are one
        return tokens.pop()

    first = token()
    time.sleep(1.1)  # Flask-WTF's own signing would now carry a new timestamp
    assert token() == first
    posted = client.post(f"/ideas/{idea.id}/comments", {"body": "เห็นด้วยอย่างยิ่ง ควรทำโดยเร็ว", "csrf_token": first})
    assert posted.status_code == 302
    assert client.post(f"/ideas/{idea.id}/vote", {"csrf_token": first[:-2] + "xx"}).status_code == 400
    client.logout()
    client.login(resident)
    assert token() != first


def test_urls_reused_by_templates_follow_host_values_and_file_versions(app, monkeypatch):
    """idea4gov.template_urls: a remembered URL is the one Flask builds for the same endpoint, values,
    host, scheme and script root, and a static file's new content gets a new URL."""
    from flask import url_for

    from idea4gov import template_urls

    render = app.jinja_env.from_string(
        "{{ url_for('ideas.show', idea_id=7) }} {{ url_for('areas.index', _external=True) }} "
        "{{ url_for('static', filename='css/app.css') }}")
    with app.test_request_context("/"):
        flags = app.jinja_env.from_string("{{ url_for('areas.index', x=1) }} {{ url_for('areas.index', x=True) }} "
                                          "{{ url_for('areas.index', a=1, b=2) }} {{ url_for('areas.index', b=2, a=1) }}")
        assert flags.render() == "/?x=1 /?x=True /?a=1&amp;b=2 /?b=2&amp;a=1"  # escaped as in HTML
    with app.test_request_context("/", base_url="https://one.example"):
        first = render.render()
        assert first == " ".join([url_for("ideas.show", idea_id=7), url_for("areas.index", _external=True),
                                  url_for("static", filename="css/app.css")])
        assert first.startswith("/ideas/7 https://one.example/ ")
    with app.test_request_context("/", base_url="http://two.example/sub"):
        assert render.render().startswith("/sub/ideas/7 http://two.example/sub/ ")
    monkeypatch.setattr(template_urls, "version_of", lambda filename: "changed")
    monkeypatch.setattr("idea4gov.static_files.version_of", lambda filename: "changed")
    with app.test_request_context("/", base_url="https://one.example"):
        assert render.render().endswith("/static/css/app.css?v=changed")


def test_the_header_is_shared_by_readers_alike_and_filled_in_for_each_request(client, app, make_area, make_user):
    """One header per language and kind of reader (idea4gov.chrome.page_header); the CSRF token and the
    page's own address (language, text size, log-in links) are this request's."""
    area = make_area(slug="saensuk")
    first, second = make_user(), make_user()
    headers = app.extensions["chrome_fragments"]
    client.login(first)
    html = client.get(f"/areas/{area.slug}?sort=new").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    logout = re.search(r'action="/auth/logout" class="inline">\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
                       html).group(1)
    assert logout == token
    assert f'href="/areas/{area.slug}?sort=new&amp;lang=en"' in html
    assert f'href="/text-size?size=large&amp;next=/areas/{area.slug}%3Fsort%3Dnew"' in html
    kept = {key for key in headers if key[0] == "header"}
    client.logout()
    client.login(second)
    other = client.get(f"/areas/{area.slug}").get_data(as_text=True)
    assert {key for key in headers if key[0] == "header"} == kept, "a reader like the first shares the header"
    assert token not in other and f'next=/areas/{area.slug}"' in other and "sort" not in other.split("</header>")[0]
    client.logout()
    anonymous = client.get("/events/?page=2").get_data(as_text=True)
    assert 'href="/auth/login?next=/events/%3Fpage%3D2"' in anonymous and "csrf_token" not in anonymous.split("</header>")[0]


def test_template_imports_reuse_the_module_unless_the_page_brings_new_globals(app):
    """idea4gov.template_imports: Jinja's answer, asked of a set."""
    from idea4gov.template_imports import Template

    env = app.jinja_env
    macros = env.from_string("{% macro show() %}{{ extra | default('ไม่มี') }}{% endmacro %}")
    assert isinstance(macros, Template)
    plain = env.from_string("x").new_context()
    assert macros._get_default_module(plain) is macros._get_default_module(plain) is macros._get_default_module()
    assert str(macros._get_default_module(plain).show()) == "ไม่มี"
    richer = env.from_string("x", globals={"extra": "ค่าเพิ่ม"}).new_context()
    module = macros._get_default_module(richer)
    assert module is not macros._get_default_module() and str(module.show()) == "ค่าเพิ่ม"


def _token_of(html: str) -> str:
    """The page's one CSRF token (its meta, the header's and the forms' are the same)."""
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
    tokens |= set(re.findall(r'name="csrf-token" content="([^"]+)"', html))
    assert len(tokens) == 1, tokens
    return tokens.pop()


def test_residents_alike_share_one_rendered_idea_page_each_with_their_own_token(client, make_idea, make_user):
    """A resident's idea page is rendered once for every resident of the same kind (support given or not,
    language, header) while the area's content is unchanged; each gets their own CSRF token, which works."""
    from flask import template_rendered

    idea = make_idea()
    first, second = make_user(), make_user()
    url = f"/ideas/{idea.id}"

    rendered: list[str] = []

    def record(sender, template, context, **extra):  # noqa: ANN001
        rendered.append(template.name)

    client.login(first)
    client.get(url)  # with the message of the log-in: made for them alone
    page = client.get(url).get_data(as_text=True)
    mine = _token_of(page)
    client.logout()
    client.login(second)
    client.get("/")
    template_rendered.connect(record)
    try:
        html = client.get(url).get_data(as_text=True)
    finally:
        template_rendered.disconnect(record)
    assert "ideas/show.html" not in rendered, rendered  # reused
    theirs = _token_of(html)
    assert theirs != mine and mine not in html
    assert html.replace(theirs, "TOKEN") == page.replace(mine, "TOKEN")
    assert client.post(f"{url}/vote", {"csrf_token": theirs}).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "ถอนการสนับสนุน" in html and 'data-testid="vote-count">1<' in html
    assert 'class="flash' in html  # the message of their vote, on the page after it
    assert 'class="flash' not in client.get(url).get_data(as_text=True)
    client.logout()
    client.login(first)  # the vote changed the area's content: the page is made again, with the new count
    html = client.get(url).get_data(as_text=True)
    assert "ถอนการสนับสนุน" not in html and "สนับสนุนไอเดียนี้" in html and 'data-testid="vote-count">1<' in html


def test_residents_alike_share_one_area_page_and_staff_keep_their_links(client, make_area, make_idea, make_staff,
                                                                          make_user):
    """The frame around the shared listing is made once for signed-in readers of the same kind; an organiser's
    links, another query string (its address is in the language links) and each reader's token stay apart."""
    from flask import template_rendered

    area = make_area(slug="saensuk")
    make_idea(area=area)
    organiser = make_staff("organiser", area)
    first, second = make_user(), make_user()
    rendered: list[str] = []

    def record(sender, template, context, **extra):  # noqa: ANN001
        rendered.append(template.name)

    def page_of(person, url: str = "/areas/saensuk") -> str:
        client.login(person)
        client.get("/")  # the log-in's message is shown there
        rendered.clear()
        template_rendered.connect(record)
        try:
            return client.get(url).get_data(as_text=True)
        finally:
            template_rendered.disconnect(record)
            client.logout()

    mine = page_of(first)
    theirs = page_of(second)
    assert "areas/show.html" not in rendered, rendered
    my_token, their_token = _token_of(mine), _token_of(theirs)
    assert my_token != their_token and my_token not in theirs
    assert theirs.replace(their_token, "TOKEN") == mine.replace(my_token, "TOKEN")
    staff = page_of(organiser)
    assert "areas/show.html" in rendered and "จัดการพื้นที่ โจทย์ และรอบ" in staff and "จัดการพื้นที่ โจทย์ และรอบ" not in theirs
    newest = page_of(second, "/areas/saensuk?sort=new")
    assert "areas/show.html" in rendered and "sort=new" in re.search(r'<a[^>]*hreflang="en"[^>]*>', newest).group(0)
