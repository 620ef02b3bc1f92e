"""What automated accessibility rules miss (issue 18, points 2–4), checked on the HTML the app
sends: form fields without bogus attributes, the error summary, the language of user text
(WCAG 3.1.2), unique ids, the language switcher, charts' numbers as text, headings in order,
evidence photos' alt text, `lang` per language, and the reader's text size (cookie, account,
public caching)."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db
from tests.conftest import PASSWORD

THAI = re.compile(r"[\u0E00-\u0E7F]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """The parts of a page these tests look at: text with the language it is in, ids, headings,
    elements with their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, str, str]] = []  # (text, language in force, enclosing tag)
        self.ids: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.elements: list[tuple[str, dict]] = []
        self._heading: list | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag not in VOID:
            self.stack.append((tag, attrs))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if self._heading is not None and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if not data.strip() or any(tag in ("script", "style", "title") for tag, _attrs in self.stack):
            return
        lang = next((attrs["lang"] for _tag, attrs in reversed(self.stack) if "lang" in attrs), "")
        self.texts.append((data.strip(), lang, self.stack[-1][0] if self.stack else ""))

    def thai_outside_lang_th(self) -> list[str]:
        return [text for text, lang, _tag in self.texts if THAI.search(text) and lang != "th"]

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def page(client, url: str) -> tuple[int, str, Page]:
    response = client.get(url)
    html = response.get_data(as_text=True)
    return response.status_code, html, Page(html)


# --- forms: attributes, error summary ------------------------------------------------------------

def test_form_fields_carry_no_none_attributes_and_errors_are_described(client, make_area, make_user):
    area = make_area(slug="saensuk")
    client.login(make_user())
    _status, html, _page = page(client, f"/areas/{area.slug}/ideas/new")
    assert '"None"' not in html
    assert "aria-invalid" not in html and 'rows="None"' not in html
    assert re.search(r'<textarea[^>]*id="body"[^>]*rows="8"', html)  # a textarea keeps its rows
    assert not re.search(r'<input[^>]*rows=', html)  # an input gets none

    response = client.post(f"/areas/{area.slug}/ideas/new", {"title": "สั้น", "body": "", "theme": "beach"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '"None"' not in html
    parsed = Page(html)
    title = parsed.find("input", id="title")[0]
    assert title["aria-invalid"] == "true" and title["aria-describedby"].split()[0] == "title-errors"
    assert title["value"] == "สั้น"  # nothing typed is lost
    assert parsed.find("ul", id="title-errors") and parsed.find("ul", id="body-errors")


def test_a_form_with_errors_gets_a_summary_that_takes_the_focus_and_links_to_each_field(client, make_area,
                                                                                        make_user):
    area = make_area(slug="saensuk")
    client.login(make_user())
    response = client.post(f"/areas/{area.slug}/ideas/new?lang=en", {"title": "", "body": "", "theme": "beach"})
    html = response.get_data(as_text=True)
    parsed = Page(html)
    summary = parsed.find("div", id="error-summary")
    assert summary and summary[0]["role"] == "alert" and summary[0]["tabindex"] == "-1" and "autofocus" in summary[0]
    links = [a["href"] for a in parsed.find("a") if a.get("href", "").startswith("#") and a["href"] != "#main"]
    assert links[:2] == ["#title", "#body"]
    assert "Please correct 2 items" in html
    assert re.search(r"<title>Error: ", html)
    # The summary comes before the form in the page, so it is read first.
    assert html.index('id="error-summary"') < html.index('id="idea-form"')
    # A page without errors has no summary.
    assert 'id="error-summary"' not in client.get(f"/areas/{area.slug}/ideas/new").get_data(as_text=True)


def test_form_wide_errors_are_in_the_summary_too(client, make_user):
    user = make_user()
    response = client.post("/auth/login", {"email": user.email, "password": "not-the-password-1"})
    parsed = Page(response.get_data(as_text=True))
    summary_texts = response.get_data(as_text=True).split('id="error-summary"')[1].split("</div>")[0]
    assert response.status_code in (400, 401) and parsed.find("div", id="error-summary")
    assert THAI.search(summary_texts)


def test_every_control_has_a_thai_label(client, make_area, make_user, make_staff):
    """Every visible input, select and textarea of the main forms is named by a <label for> (or an
    aria-label) in Thai."""
    area = make_area(slug="saensuk")
    admin = make_staff("admin")
    resident = make_user()
    urls = ["/auth/login", "/auth/register", f"/areas/{area.slug}"]
    checked = 0
    for who, pages in ((None, urls), (resident, [f"/areas/{area.slug}/ideas/new", "/account/"]),
                       (admin, ["/admin/areas", f"/admin/areas/{area.slug}", "/admin/users"])):
        if who is not None:
            client.login(who)
        for url in pages:
            _status, html, parsed = page(client, url)
            labels = {}
            for match in re.finditer(r'<label[^>]*for="([^"]+)"[^>]*>(.*?)</label>', html, flags=re.S):
                labels[match.group(1)] = re.sub(r"<[^>]+>", "", match.group(2))
            for tag, attrs in parsed.elements:
                if tag not in ("input", "select", "textarea") or attrs.get("type") in ("hidden", "submit"):
                    continue
                name = labels.get(attrs.get("id", ""), "") or attrs.get("aria-label", "")
                if not name and tag == "input" and attrs.get("type") in ("checkbox", "radio"):
                    name = "wrapped"  # inside its <label> (render_field's check boxes)
                assert THAI.search(name) or name == "wrapped", f"{url}: {tag} {attrs} has no Thai label"
                checked += 1
    assert checked >= 20


def test_html_lang_follows_the_language(client):
    assert '<html lang="th"' in client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in client.get("/?lang=en").get_data(as_text=True)


# --- the language of user text (WCAG 3.1.2) ------------------------------------------------------

@pytest.fixture()
def thai_content(make_area, make_user, make_idea):
    from idea4gov.ideas import services

    area = make_area(slug="saensuk")
    author = make_user(display_name="สมชาย ใจดี")
    idea = make_idea(area=area, author=author, title="เพิ่มถังขยะแยกประเภทริมหาดบางแสน")
    services.add_comment(idea, make_user(display_name="มาลี ศรีสุข"), "เห็นด้วยค่ะ ช่วงวันหยุดขยะล้นถัง")
    english = make_idea(area=area, author=make_user(display_name="John Smith"),
                        title="Free drinking water at Bang Saen beach",
                        body="Please put water refill points along the beach so visitors buy fewer plastic bottles.")
    db.session.commit()
    return {"area": area, "idea": idea, "english": english}


def test_thai_user_text_on_english_pages_is_marked_lang_th(client, thai_content):
    area, idea = thai_content["area"], thai_content["idea"]
    for url in (f"/ideas/{idea.id}?lang=en", f"/areas/{area.slug}?lang=en", f"/areas/{area.slug}?lang=en&q=ถังขยะ"):
        status, _html, parsed = page(client, url)
        assert status == 200
        assert parsed.thai_outside_lang_th() == [], url
    _status, html, _parsed = page(client, f"/ideas/{idea.id}?lang=en")
    assert '<h1><span lang="th">เพิ่มถังขยะแยกประเภทริมหาดบางแสน</span></h1>' in html
    assert '<span lang="th">สมชาย ใจดี</span>' in html and '<span lang="th">มาลี ศรีสุข</span>' in html
    assert re.search(r'<div class="body" lang="th">\s*<p>เห็นด้วยค่ะ', html) or 'class="body" lang="th"' in html


def test_english_labels_around_thai_text_are_not_marked_thai(client, thai_content):
    """Only the Thai text itself carries lang="th": the idea page's labels beside it ("Status:") are read
    in the page's language, and no inline element wraps the article's blocks."""
    _status, html, parsed = page(client, f"/ideas/{thai_content['idea'].id}?lang=en")
    labels = [lang for text, lang, _tag in parsed.texts if text.startswith("Status:")]
    assert labels and all(lang != "th" for lang in labels), labels
    assert not re.search(r'<span lang="th">\s*<div', html)


def test_english_user_text_on_thai_pages_is_not_marked_thai(client, thai_content):
    english = thai_content["english"]
    _status, html, parsed = page(client, f"/ideas/{english.id}")
    title = [lang for text, lang, _tag in parsed.texts if text == "Free drinking water at Bang Saen beach"]
    assert title and all(lang == "en" for lang in title)
    assert '<span lang="th">' not in html  # Thai text on a Thai page is not wrapped
    assert [lang for text, lang, _tag in parsed.texts if text == "John Smith"] == ["en"]
    # On the English page nothing of it is marked at all.
    _status, html, parsed = page(client, f"/ideas/{english.id}?lang=en")
    assert [lang for text, lang, _tag in parsed.texts if text == "Free drinking water at Bang Saen beach"] == ["en"]
    assert 'lang="en">Free drinking' not in html


def test_the_language_filter_decides_by_script():
    from idea4gov.a11y import text_lang

    assert text_lang("ขยะชายหาด", "en") == "th"
    assert text_lang("Big Cleaning Day ที่หาดบางแสน", "en") == "th"
    assert text_lang("Big Cleaning Day", "en") is None
    assert text_lang("Big Cleaning Day", "th") == "en"
    assert text_lang("Big Cleaning Day ที่หาดบางแสน", "th") is None
    assert text_lang("SSK-2569-00042", "th") == "en"
    assert text_lang("2569", "th") is None and text_lang(None, "en") is None


# --- ids, switcher, charts, headings, photos -----------------------------------------------------

def test_no_two_elements_share_an_id_on_the_agency_page(client, make_area, make_staff):
    from idea4gov.triage.services import agencies

    area = make_area(slug="saensuk")
    admin = make_staff("admin")
    agency = agencies.save_agency(area, admin, "กองช่าง", "Public works", "works@example.org")
    db.session.commit()
    client.login(admin)
    _status, html, parsed = page(client, f"/triage/agencies/{agency.id}")
    duplicates = {i for i in parsed.ids if parsed.ids.count(i) > 1}
    assert duplicates == set()
    assert 'for="member-email"' in html and 'id="member-email"' in html and 'for="email"' in html
    # The member form still posts `email` (what the tests and scripts send).
    member = re.search(r'<input[^>]*id="member-email"[^>]*>', html).group(0)
    assert 'name="email"' in member


def test_no_page_has_two_csrf_fields_with_one_id(client, make_area, make_user, make_idea):
    area = make_area(slug="saensuk")
    idea = make_idea(area=area)
    client.login(make_user())
    _status, html, parsed = page(client, f"/ideas/{idea.id}")
    assert html.count('name="csrf_token"') >= 2
    assert 'id="csrf_token"' not in html
    assert len(parsed.ids) == len(set(parsed.ids))


def test_the_language_switcher_is_a_labelled_nav(client):
    for url, label in (("/", "ภาษา"), ("/?lang=en", "Language")):
        _status, html, parsed = page(client, url)
        navs = parsed.find("nav", **{"class": "lang-switch"})
        assert navs and navs[0]["aria-label"] == label
        assert not re.search(r"<span[^>]*aria-label", html)  # a bare span with a label is read by nobody
        switcher = html.split('class="lang-switch"')[1].split("</nav>")[0]
        assert 'hreflang="en"' in switcher or 'hreflang="th"' in switcher
        assert 'aria-current="true"' in switcher


def test_charts_have_their_numbers_as_text(client):
    from idea4gov.triage.charts import bar_chart

    chart = str(bar_chart([("ขยะชายหาด", 12), ("ไฟถนน", 3.5), ("ยังไม่ตอบ", None)], "ไอเดียตามโจทย์", "ยังไม่มี"))
    svg, table = chart.split("</svg>")
    assert 'aria-hidden="true"' in svg and 'role="img"' not in svg
    assert "<caption>ไอเดียตามโจทย์</caption>" in table
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table)
    assert rows == [("ขยะชายหาด", "12"), ("ไฟถนน", "3.5"), ("ยังไม่ตอบ", "ยังไม่มี")]
    assert "<script" not in bar_chart([("<script>x</script>", 1)], "<b>t</b>")


def test_every_chart_on_the_stats_and_programme_pages_has_a_table_matching_its_csv(client, make_area, make_staff,
                                                                                  make_idea):
    area = make_area(slug="saensuk")
    for title in ("เพิ่มถังขยะริมชายหาดบางแสน", "ซ่อมไฟถนนในซอยวัดให้สว่าง"):
        make_idea(area=area, title=title)
    officer = make_staff("officer", area)
    client.login(officer)
    html = client.get("/triage/saensuk/stats").get_data(as_text=True)
    assert html.count("<svg") == 5 and html.count('<div class="visually-hidden"><table class="chart-table">') == 5
    for name in ("weekly", "themes", "funnel", "first-answer", "satisfaction"):
        section = html.split(f'id="chart-{name}"')[1].split("</section>")[0]
        table = section.split("</svg>")[1]
        cells = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table)
        csv_rows = client.get(f"/triage/saensuk/stats/{name}.csv").data.decode("utf-8-sig").splitlines()[1:]
        assert len(cells) == len(csv_rows), name
        if name in ("themes", "funnel"):
            assert [f"{label},{value}" for label, value in cells] == csv_rows
    admin = make_staff("admin")
    client.login(admin)
    for url in ("/programme", "/programme/areas/saensuk", "/areas/saensuk/results"):
        html = client.get(url).get_data(as_text=True)
        assert html.count("<svg") >= 1 and html.count("<svg") == html.count('<div class="visually-hidden"><table class="chart-table">'), url


def headings_in_order(headings: list[tuple[int, str]]) -> list[str]:
    problems, previous = [], 0
    for level, text in headings:
        if (previous == 0 and level != 1) or level > previous + 1:
            problems.append(f"h{level} after h{previous}: {text}")
        previous = level
    return problems


def test_headings_go_in_order_on_lists_of_ideas(client, make_area, make_idea):
    from idea4gov.groups.models import IdeaGroup

    area = make_area(slug="saensuk")
    ideas = [make_idea(area=area, title=f"เพิ่มถังขยะริมชายหาดบางแสน จุดที่ {n}") for n in range(3)]
    group = IdeaGroup(area_id=area.id, size=3)
    db.session.add(group)
    db.session.flush()
    for idea in ideas:
        idea.group_id = group.id
    db.session.commit()
    for url in ("/", f"/areas/{area.slug}", f"/areas/{area.slug}?q=ถังขยะ", f"/groups/{group.id}",
                f"/ideas/{ideas[0].id}", "/auth/login"):
        _status, _html, parsed = page(client, url)
        assert parsed.headings and parsed.headings[0][0] == 1, url
        assert headings_in_order(parsed.headings) == [], url
    _status, _html, parsed = page(client, f"/areas/{area.slug}")
    levels = [level for level, text in parsed.headings if "เพิ่มถังขยะ" in text]
    assert levels == [3, 3, 3]  # under the list's own h2
    _status, _html, parsed = page(client, f"/groups/{group.id}")
    assert [level for level, text in parsed.headings if "เพิ่มถังขยะ" in text] == [2, 2, 2]  # under the h1


def test_evidence_photos_carry_alt_text_saying_what_they_show(app, client, make_area, make_staff, make_idea,
                                                              tmp_path, monkeypatch):
    from PIL import Image
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    area = make_area(slug="saensuk")
    idea = make_idea(area=area)
    client.login(make_staff("officer", area))
    data = MultiDict({"status": "implemented", "answer": "ติดตั้งถังขยะครบแล้ว", "csrf_token": client.csrf_token()})
    for color in ((200, 30, 30), (30, 200, 30)):
        image = io.BytesIO()
        Image.new("RGB", (40, 30), color).save(image, "JPEG")
        data.add("photos", FileStorage(io.BytesIO(image.getvalue()), filename="bins.jpg", content_type="image/jpeg"))
    boundary, body = encode_multipart(data)
    response = client.raw.post(f"/triage/ideas/{idea.id}/status", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302
    client.logout()
    for url, words in ((f"/ideas/{idea.id}", ("ภาพหลักฐานการดำเนินการ 1 จาก 2", "ดำเนินการแล้ว")),
                       (f"/ideas/{idea.id}?lang=en", ("Evidence photo 1 of 2", "Implemented"))):
        _status, _html, parsed = page(client, url)
        alts = [attrs.get("alt", "") for attrs in parsed.find("img")]
        assert len(alts) == 2 and len(set(alts)) == 2, alts
        assert all(word in alts[0] for word in words), alts


# --- text size -----------------------------------------------------------------------------------

def test_text_size_is_a_link_that_sets_a_cookie_and_goes_back(client, make_area):
    area = make_area(slug="saensuk")
    html = client.get(f"/areas/{area.slug}").get_data(as_text=True)
    nav = html.split('class="text-size"')[1].split("</nav>")[0]
    assert "ขนาดตัวอักษร" in html.split('class="text-size"')[1][:80]
    assert nav.count("<a ") == 3 and f"next=/areas/{area.slug}" in nav
    response = client.get(f"/text-size?size=large&next=/areas/{area.slug}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/areas/{area.slug}")
    assert "text_size=large" in response.headers["Set-Cookie"]
    for bad in ("//evil.example/x", "https://evil.example/", "/\\evil"):
        assert client.get("/text-size", query_string={"size": "large", "next": bad}).headers["Location"] in (
            "/", "http://localhost/")
    unknown = client.get("/text-size?size=huge&next=/")
    assert unknown.status_code == 303 and "Set-Cookie" not in unknown.headers
    back = client.get("/text-size?size=normal&next=/")
    assert "text_size=;" in back.headers["Set-Cookie"]  # deleted


def test_public_cached_pages_never_carry_the_size_but_private_pages_do(client, make_area, make_idea):
    area = make_area(slug="saensuk")
    idea = make_idea(area=area)
    plain = client.raw.get(f"/ideas/{idea.id}")
    client.raw.set_cookie("text_size", "larger")
    sized = client.raw.get(f"/ideas/{idea.id}")
    # The anonymous idea page is shared through caches: the same bytes, public, no size in it.
    assert sized.headers["Cache-Control"].startswith("public")
    assert sized.get_data() == plain.get_data() and b"data-text-size" not in sized.get_data()
    assert b"js/textsize.js" in sized.get_data()  # the head script applies the cookie
    # A page that is not publicly cached carries the size (works without JavaScript), privately.
    private = client.raw.get("/privacy")
    assert b'data-text-size="larger"' in private.get_data()
    assert "private" in private.headers["Cache-Control"] and "Cookie" in private.headers["Vary"]


def test_text_size_is_kept_on_the_account_and_follows_the_person(app, client, make_user):
    from idea4gov.auth.models import User

    user = make_user()
    client.login(user)
    client.get("/text-size?size=larger&next=/")
    assert db.session.scalar(sa.select(User.text_size).where(User.id == user.id)) == "larger"
    assert b'data-text-size="larger"' in client.get("/account/").get_data()
    # Another browser: the account's size comes with the log-in.
    from tests.conftest import Client

    other = Client(app)
    response = other.post("/auth/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "text_size=larger" in " ".join(response.headers.getlist("Set-Cookie"))
    assert b'data-text-size="larger"' in other.get("/").get_data()
    # Normal again: the account forgets it.
    other._token = None
    other.get("/text-size?size=normal&next=/")
    assert db.session.scalar(sa.select(User.text_size).where(User.id == user.id)) is None


def test_a_size_chosen_before_signing_in_goes_to_the_account(client, make_user):
    from idea4gov.auth.models import User

    user = make_user()
    client.get("/text-size?size=large&next=/")
    client.login(user)
    assert db.session.scalar(sa.select(User.text_size).where(User.id == user.id)) == "large"


def test_the_database_refuses_an_unknown_size(make_user):
    from sqlalchemy.exc import IntegrityError

    from idea4gov.auth.models import User

    user = make_user()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(User).where(User.id == user.id).values(text_size="huge"))
        db.session.flush()
    db.session.rollback()


def test_focus_is_styled_visible_in_the_stylesheet(app):
    from pathlib import Path

    css = (Path(app.static_folder) / "css" / "app.css").read_text(encoding="utf-8")
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid", css)
    assert "outline: none" not in css and "outline:none" not in css
    assert ':root[data-text-size="large"]' in css and ':root[data-text-size="larger"]' in css
