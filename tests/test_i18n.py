"""Thai first, English complete: language choice, translated pages and errors, Buddhist-era dates."""
from __future__ import annotations

import importlib.util
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from babel.support import Translations
from wtforms.i18n import messages_path

from idea4gov.extensions import db
from idea4gov.i18n import WTFORMS_MESSAGES, compile_catalogues, form_translations
from idea4gov.timeutil import format_date

ROOT = Path(__file__).resolve().parent.parent
EN_PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
THAI = re.compile(r"[\u0E00-\u0E7F]+")


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_translations", ROOT / "scripts" / "check_translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


# ---------------------------------------------------------------- helpers


class _VisibleText(HTMLParser):
    """Text a person sees or hears: element text and the attributes shown or read aloud.

    Text marked `lang="th"` (what staff typed in a Thai field, shown in it) is Thai on purpose.
    """

    SHOWN_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "value"}
    VOID = {"input", "img", "br", "meta", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._thai: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        thai = ("lang", "th") in attrs
        if thai and tag not in self.VOID:
            self._thai.append(tag)
        hidden_input = tag == "input" and ("type", "hidden") in attrs
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value and not hidden_input and not thai:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1
        if self._thai and self._thai[-1] == tag:
            self._thai.pop()

    def handle_data(self, data):
        if not self._skip and not self._thai:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's visible text, without the Thai label of the language switcher ("ไทย")."""
    html = re.sub(r'<nav class="lang-switch".*?</nav>', "", html, flags=re.S)
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(part.strip() for part in parser.parts if part.strip())


def thai_left(html: str) -> list[str]:
    """Thai runs with some context, to say which string lacks English."""
    text = visible_text(html)
    return [text[max(0, m.start() - 30): m.end() + 30] for m in THAI.finditer(text)]


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def switcher_links(html: str) -> dict[str, str]:
    """hreflang -> href of the language switcher's links."""
    span = re.search(r'<nav class="lang-switch".*?</nav>', html, flags=re.S).group(0)
    return {lang: href.replace("&amp;", "&") for href, lang in re.findall(r'href="([^"]+)" hreflang="(\w+)"', span)}


def choose(client, lang: str) -> None:
    assert client.get(f"/?lang={lang}").status_code == 200


# ---------------------------------------------------------------- data with Latin user content


@pytest.fixture()
def world(make_user, make_area, make_idea):
    """An area, an idea with a comment and a reply, a vote and a token, all typed in Latin letters."""
    from idea4gov.account import tokens
    from idea4gov.ideas import services

    author = make_user(email="author@example.org", display_name="Somchai Writer")
    reader = make_user(email="reader@example.org", display_name="Malee Reader")
    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"), ("tour", "ท่องเที่ยว", "Tourism")))
    idea = make_idea(area, author, title="More bins along Bang Saen beach",
                     body="Litter piles up near the pier every weekend; please add sorted bins every 100 metres.")
    comment = services.add_comment(idea, reader, "Yes please, the pier is the worst spot on weekends.")
    db.session.flush()
    services.add_comment(idea, author, "Thank you, I will add a photo of the pier.", comment.id)
    services.vote(idea, reader)
    tokens.create_token(reader, "My script")
    db.session.commit()
    return {"author": author, "reader": reader, "area": area, "idea": idea}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# ---------------------------------------------------------------- language choice


def test_thai_is_the_default(client, world):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_lang(html) == "th"
    assert "เสนอไอเดียเพื่อพื้นที่ของคุณ" in html
    assert "Ideas for your area" not in html
    assert switcher_links(html) == {"en": "/?lang=en"}
    with client.raw.session_transaction() as session:
        assert "lang" not in session


def test_lang_en_is_remembered_for_the_next_page(client, world):
    first = client.get("/?lang=en").get_data(as_text=True)
    assert html_lang(first) == "en"
    assert "Ideas for your area" in first
    with client.raw.session_transaction() as session:
        assert session["lang"] == "en"

    response = client.get("/areas/saensuk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_lang(html) == "en"
    assert "Most supporters" in html and "ผู้สนับสนุนมากที่สุด" not in html

    back = client.get("/areas/saensuk?lang=th").get_data(as_text=True)
    assert html_lang(back) == "th"
    assert html_lang(client.get("/").get_data(as_text=True)) == "th"
    with client.raw.session_transaction() as session:
        assert session["lang"] == "th"


@pytest.mark.parametrize("asked", ["xx", "", "EN", "en-US", "../th", "th<script>"])
def test_unknown_lang_falls_back_to_thai(client, world, asked):
    response = client.get("/", query_string={"lang": asked})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_lang(html) == "th"
    assert "<script>" not in visible_text(html)
    with client.raw.session_transaction() as session:
        assert "lang" not in session


def test_unknown_lang_keeps_the_language_already_chosen(client, world):
    choose(client, "en")
    html = client.get("/areas/saensuk?lang=xx").get_data(as_text=True)
    assert html_lang(html) == "en"
    with client.raw.session_transaction() as session:
        assert session["lang"] == "en"


def test_language_survives_login_and_logout(client, world):
    choose(client, "en")
    client.login(world["reader"])
    assert html_lang(client.get("/account/").get_data(as_text=True)) == "en"
    response = client.logout()
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert html_lang(html) == "en"
    assert "You have logged out." in html


def _check_switcher(client, path: str) -> None:
    response = client.get(path, query_string={"sort": "new", "q": "bins beach", "tag": ["a", "b"]})
    assert response.status_code in (200, 404), path
    links = switcher_links(response.get_data(as_text=True))
    assert set(links) == {"en"}, path
    url = links["en"]
    assert url.startswith(path + "?"), (path, url)
    assert "sort=new" in url and "q=bins+beach" in url and "tag=a&tag=b" in url, url
    assert url.count("lang=") == 1 and url.endswith("lang=en"), url

    html = client.get(url).get_data(as_text=True)
    assert html_lang(html) == "en", url
    th_url = switcher_links(html)["th"]
    assert "sort=new" in th_url and th_url.endswith("lang=th") and "lang=en" not in th_url, th_url
    client.get("/?lang=th")


def test_switcher_is_on_every_page_and_keeps_the_query(client, world):
    for path in ["/", "/areas/saensuk", f"/ideas/{world['idea'].id}", "/auth/login", "/auth/register",
                 "/no-such-page"]:
        _check_switcher(client, path)
    client.login(world["reader"])
    for path in ["/", "/areas/saensuk/ideas/new", f"/ideas/{world['idea'].id}", "/account/"]:
        _check_switcher(client, path)


def test_switcher_links_stay_on_this_site(client):
    response = client.get("/x?q=1", environ_overrides={"PATH_INFO": "//evil.example/x"})
    assert response.status_code == 404
    assert switcher_links(response.get_data(as_text=True)) == {"en": "/evil.example/x?q=1&lang=en"}


def test_switcher_link_of_a_non_ascii_path_is_encoded(client):
    response = client.get("/areas/แสนสุข")
    assert response.status_code == 404
    assert switcher_links(response.get_data(as_text=True))["en"].startswith("/areas/%E0%B9%81")


# ---------------------------------------------------------------- English is complete


def _english_pages(client, world) -> list[tuple[str, object]]:
    """(what, response) for every page of the resident flow, rendered in English."""
    idea_id = world["idea"].id
    pages = []
    choose(client, "en")
    pages += [
        ("home (anonymous)", client.get("/")),
        ("area", client.get("/areas/saensuk?sort=trending")),
        ("area search without results", client.get("/areas/saensuk?q=zebra+crossing")),
        ("area page past the end", client.get("/areas/saensuk?page=99")),
        ("idea (anonymous)", client.get(f"/ideas/{idea_id}")),
        ("login", client.get("/auth/login")),
        ("login, empty", client.post("/auth/login", {"email": "", "password": ""})),
        ("login, wrong password", client.post("/auth/login", {"email": "reader@example.org", "password": "x" * 12})),
        ("login, over-long password", client.post("/auth/login", {"email": "reader@example.org", "password": "x" * 200})),
        ("register", client.get("/auth/register")),
        ("register, invalid", client.post("/auth/register", {
            "email": "not-an-email", "display_name": "A", "password": "short", "confirm": "other"})),
        ("register, taken and common", client.post("/auth/register", {
            "email": "reader@example.org", "display_name": "Another Reader", "password": "password123",
            "confirm": "password123", "consent": "y"})),
        ("404", client.get("/no-such-page")),
        ("404 idea", client.get("/ideas/999999")),
    ]
    client.login(world["reader"])
    pages += [
        ("home", client.get("/")),
        ("new idea form", client.get("/areas/saensuk/ideas/new")),
        ("new idea, empty", client.post("/areas/saensuk/ideas/new", {"title": "", "body": "", "theme": ""})),
        ("new idea, too short and bad theme", client.post("/areas/saensuk/ideas/new", {
            "title": "Bins", "body": "Short text", "theme": "no-such-theme", "place_name": "P" * 300})),
        ("idea", client.get(f"/ideas/{idea_id}")),
        ("idea, empty comment", client.post(f"/ideas/{idea_id}/comments", {"body": ""})),
        ("idea, bad report", client.post(f"/ideas/{idea_id}/report", {"reason": "because"})),
        ("account", client.get("/account/")),
        ("account, empty token name", client.post("/account/tokens", {"name": ""})),
        ("account, wrong password", client.post("/account/delete", {"password": "not-my-password"})),
    ]
    return pages


def test_english_pages_have_no_thai_left(client, world):
    ideas_before = _count(type(world["idea"]))
    for what, response in _english_pages(client, world):
        html = response.get_data(as_text=True)
        assert response.status_code < 500, what
        assert html_lang(html) == "en", what
        assert thai_left(html) == [], f"{what}: Thai left in the English page"
    assert _count(type(world["idea"])) == ideas_before  # none of the invalid posts created anything


def test_staff_pages_in_english_have_no_thai_left(client, world, make_staff):
    from idea4gov.areas.models import ModerationMode
    from idea4gov.areas.settings import settings_of
    from idea4gov.ideas import services
    from idea4gov.ideas.models import ReportReason

    area, reader = world["area"], world["reader"]
    settings_of(area).moderation_mode = ModerationMode.pre
    db.session.commit()
    pending = services.create_idea(area, reader, services.IdeaInput(
        "A bike rack by the pier", "Many visitors cycle here but there is nowhere to lock a bike safely.", area.themes[0]))
    services.report(reader, ReportReason.spam, "Looks like an advert", idea=world["idea"])
    db.session.commit()
    admin, moderator = make_staff("admin", email="admin@example.org", display_name="Admin Person"), \
        make_staff("moderator", area, email="mod@example.org", display_name="Mod Person")
    choose(client, "en")
    client.login(moderator)
    pages = [
        ("queue", client.get("/moderation/")),
        ("queue, reject without reason", client.post(f"/moderation/idea/{pending.id}/reject", {"reason": ""})),
        ("bulk without items", client.post("/moderation/bulk", {"action": "approve"})),
    ]
    client.post(f"/moderation/idea/{pending.id}/reject", {"reason": "Please remove the phone number"})
    client.logout()
    choose(client, "en")
    client.login(reader)
    pages += [("notifications", client.get("/notifications/")), ("rejected idea", client.get(f"/ideas/{pending.id}"))]
    client.logout()
    choose(client, "en")
    client.login(admin)
    pages += [
        ("admin", client.get("/admin/")),
        ("admin users", client.get("/admin/users?filter=staff")),
        ("admin user", client.get(f"/admin/users/{reader.id}")),
        ("admin grant without area", client.post(f"/admin/users/{reader.id}/roles", {"role": "officer", "area": ""})),
        ("admin block without reason", client.post(f"/admin/users/{reader.id}/block", {"reason": ""})),
        ("admin area", client.get("/admin/areas/saensuk")),
        ("admin area, invalid", client.post("/admin/areas/saensuk", {"moderation_mode": "pre", "auto_hide_reports": "0"})),
        ("audit", client.get("/admin/audit")),
        ("audit, bad date", client.get("/admin/audit?since=yesterday")),
    ]
    for what, response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code < 500, what
        assert html_lang(html) == "en", what
        assert thai_left(html) == [], f"{what}: Thai left in the English page"


def test_form_errors_come_out_in_the_page_language(client, world):
    client.login(world["reader"])
    empty = {"title": "", "body": "", "theme": "beach"}
    thai = client.post("/areas/saensuk/ideas/new", empty)
    assert thai.status_code == 400
    html = thai.get_data(as_text=True)
    assert "กรุณาใส่ชื่อไอเดีย" in html and "กรุณาเล่ารายละเอียดของไอเดีย" in html
    assert "This field is required" not in html

    english = client.post("/areas/saensuk/ideas/new?lang=en", empty)
    assert english.status_code == 400
    html = english.get_data(as_text=True)
    assert "Please give your idea a title." in html and "Please describe your idea." in html
    assert _count(type(world["idea"])) == 1


def test_wtforms_builtin_messages_follow_the_locale(client, world):
    """LoginForm's Length(max=128) has no message of its own: WTForms supplies it."""
    data = {"email": "reader@example.org", "password": "x" * 200}
    thai = client.post("/auth/login", data)
    assert thai.status_code == 400
    html = thai.get_data(as_text=True)
    assert "ยาวเกิน 128 ตัวอักษร" in html
    assert "Field cannot be longer" not in html

    english = client.post("/auth/login?lang=en", data)
    assert english.status_code == 400
    assert "Must be at most 128 characters long." in english.get_data(as_text=True)
    with client.raw.session_transaction() as session:
        assert "_user_id" not in session


def test_every_wtforms_message_has_a_thai_msgid():
    """A WTForms upgrade that adds a message shows up here, not as English on a Thai page."""
    with open(Path(messages_path()) / "wtforms.pot", "rb") as handle:
        wtforms_catalog = read_po(handle)
    not_shown_to_residents = {
        "Invalid field name '%s'.",  # a programming error in a FormField
        "Choices cannot be None.",  # a programming error in a SelectField
        # WTForms' SessionCSRF; Flask-WTF checks CSRF itself, with its own Thai error page
        "Invalid CSRF Token.", "CSRF token missing.", "CSRF failed.", "CSRF token expired.",
    }
    for message in wtforms_catalog:
        if not message.id:
            continue
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        if english in not_shown_to_residents:
            continue
        assert english in WTFORMS_MESSAGES, english
        thai = WTFORMS_MESSAGES[english]._args[0]
        assert checker.placeholders(thai) == checker.placeholders(english), english


def test_form_translations_fall_back_to_wtforms_english(app):
    with app.test_request_context("/?lang=en"):
        assert form_translations.ugettext("Invalid field name '%s'.") == "Invalid field name '%s'."
        assert form_translations.ungettext("%(num)d apple", "%(num)d apples", 2) == "%(num)d apples"
        assert form_translations.ungettext(
            "Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 3
        ) == "Must be at least %(min)d characters long."
    with app.app_context(), app.test_request_context("/"):  # a fresh context: the locale is cached per context
        assert form_translations.ugettext("This field is required.") == "กรุณากรอกช่องนี้"


@pytest.mark.parametrize("lang, message", [
    (None, "ไม่พบหน้าที่คุณต้องการ"),
    ("en", "The page you are looking for was not found."),
])
def test_404_page_in_both_languages(client, lang, message):
    response = client.get("/no/such/page", query_string={"lang": lang} if lang else None)
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert html_lang(html) == (lang or "th")
    assert message in html


def test_csrf_error_page_in_english(client, world):
    choose(client, "en")
    response = client.post("/auth/login", {"email": "a@example.org", "password": "x" * 12}, csrf=False)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please reload the page and try again." in html
    assert thai_left(html) == []


# ---------------------------------------------------------------- JSON API errors


@pytest.mark.parametrize("path, lang, message", [
    ("/api/v1/no-such-call", None, "ไม่พบหน้าที่คุณต้องการ"),
    ("/api/v1/no-such-call", "en", "The page you are looking for was not found."),
    ("/api/v1/ideas/999999", None, "ไม่พบไอเดียนี้"),
    ("/api/v1/ideas/999999", "en", "Idea not found."),
    ("/api/v1/areas/nowhere/ideas", "en", "Area not found."),
])
def test_api_404_follows_the_locale(client, path, lang, message):
    response = client.api("GET", path, query_string={"lang": lang} if lang else None)
    assert response.status_code == 404
    assert response.get_json()["error"] == {"code": "not_found", "message": message, "fields": {}}


def test_api_parameter_errors_in_english(client, world):
    response = client.api("GET", "/api/v1/areas/saensuk/ideas?lang=en&sort=best&per_page=500&page=x&theme=none")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["message"] == "Invalid parameters."
    assert error["fields"]["per_page"] == ["Must be between 1 and 100."]
    assert error["fields"]["page"] == ["Must be a whole number."]
    assert not THAI.search(json.dumps(error, ensure_ascii=False))


def test_api_validation_errors_follow_the_locale(client, world):
    from idea4gov.account import tokens

    _token, secret = tokens.create_token(world["author"], "script")
    db.session.commit()
    before = _count(type(world["idea"]))

    thai = client.api("POST", "/api/v1/areas/saensuk/ideas", json={"title": "", "body": "short"}, token=secret)
    assert thai.status_code == 422
    assert thai.get_json()["error"]["message"] == "ข้อมูลไม่ถูกต้อง"
    assert thai.get_json()["error"]["fields"]["title"] == ["กรุณาใส่ชื่อไอเดีย"]

    english = client.api("POST", "/api/v1/areas/saensuk/ideas?lang=en", json={"title": "", "body": "short"},
                         token=secret)
    assert english.status_code == 422
    error = english.get_json()["error"]
    assert error["message"] == "Invalid data."
    assert error["fields"]["title"] == ["Please give your idea a title."]
    assert error["fields"]["body"] == ["The details must be 30–5000 characters long."]
    assert not THAI.search(json.dumps(error, ensure_ascii=False))

    bad_token = client.api("GET", "/api/v1/areas?lang=en", token="nope")
    assert bad_token.status_code == 401
    assert bad_token.get_json()["error"]["message"] == "The token is invalid or has been revoked."
    assert _count(type(world["idea"])) == before


def test_api_status_label_follows_the_locale(client, world):
    idea_id = world["idea"].id
    assert client.api("GET", f"/api/v1/ideas/{idea_id}").get_json()["status_label"] == "ได้รับแล้ว"
    assert client.api("GET", f"/api/v1/ideas/{idea_id}?lang=en").get_json()["status_label"] == "Received"


# ---------------------------------------------------------------- the catalogue


def test_english_catalogue_is_complete():
    catalog = checker.load(EN_PO)
    assert checker.problems(catalog) == []
    assert checker.missing_from(catalog, checker.load(checker.DEFAULT_POT), "in messages.pot") == []
    assert sum(1 for message in catalog if message.id) > 150


def test_every_string_in_the_code_has_english():
    """Strings added to the code since the last extraction; fix with `make translations-update`."""
    assert checker.missing_from(checker.load(EN_PO), checker.extract(), "in the code") == []


def test_checker_lists_missing_english_and_placeholder_mismatches(tmp_path, capsys):
    broken = tmp_path / "messages.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Language: en\\n"\n\n'
        'msgid "ไอเดีย"\nmsgstr ""\n\n'
        '#, python-format\nmsgid "พบ %(count)d ไอเดีย"\nmsgstr "%(total)d ideas found"\n\n'
        'msgid "โจทย์"\nmsgstr "โจทย์"\n\n'
        '#, fuzzy\nmsgid "พื้นที่"\nmsgstr "Area"\n\n'
        'msgid "ลบ"\nmsgstr "Delete 100%"\n\n'
        'msgid "ภาษา"\nmsgstr "Language"\n',
        encoding="utf-8",
    )
    assert checker.main([str(broken)]) == 1
    err = capsys.readouterr().err
    assert "no English: 'ไอเดีย'" in err
    assert "placeholders differ: 'พบ %(count)d ไอเดีย'" in err
    assert "Thai left in the English: 'โจทย์'" in err
    assert "fuzzy (check and remove the flag): 'พื้นที่'" in err
    assert "placeholders differ: 'ลบ'" in err
    assert "ภาษา" not in err

    assert checker.main([str(EN_PO)]) == 0


def test_missing_mo_is_compiled(tmp_path):
    target = tmp_path / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_bytes(EN_PO.read_bytes())
    assert compile_catalogues(tmp_path) == [target / "messages.mo"]
    assert compile_catalogues(tmp_path) == []  # up to date: nothing to do
    translations = Translations.load(str(tmp_path), ["en"])
    assert translations.gettext("รอตรวจสอบ") == "Awaiting review"
    assert translations.ngettext("%(count)d ไอเดีย", "%(count)d ไอเดีย", 1) == "%(count)d idea"


# ---------------------------------------------------------------- dates


EDGE = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)  # 03:00 on 22 November in Bangkok


def test_bangkok_day_starts_at_17_utc():
    assert format_date(EDGE, "th") == "22 พ.ย. 2569"
    assert format_date(EDGE, "en") == "22 Nov 2026"
    assert format_date(EDGE, "th", with_time=True) == "22 พ.ย. 2569 03:00"
    assert format_date(datetime(2026, 11, 21, 16, 59, tzinfo=UTC), "th", True) == "21 พ.ย. 2569 23:59"
    assert format_date(datetime(2026, 11, 21, 17, 0, tzinfo=UTC), "en", True) == "22 Nov 2026 00:00"


def test_naive_datetimes_are_utc():
    assert format_date(EDGE.replace(tzinfo=None), "th") == "22 พ.ย. 2569"
    assert format_date(EDGE.replace(tzinfo=None), "en", with_time=True) == "22 Nov 2026 03:00"


def test_other_time_zones_and_plain_dates():
    new_york = timezone(timedelta(hours=-5))
    assert format_date(datetime(2026, 12, 31, 12, 0, tzinfo=new_york), "th") == "1 ม.ค. 2570"
    assert format_date(date(2026, 11, 21), "th") == "21 พ.ย. 2569"
    assert format_date(date(2026, 11, 21), "en", with_time=True) == "21 Nov 2026"
    assert format_date(None) == ""


@pytest.mark.parametrize("month, thai, english", [
    (1, "ม.ค.", "Jan"), (2, "ก.พ.", "Feb"), (3, "มี.ค.", "Mar"), (4, "เม.ย.", "Apr"), (5, "พ.ค.", "May"),
    (6, "มิ.ย.", "Jun"), (7, "ก.ค.", "Jul"), (8, "ส.ค.", "Aug"), (9, "ก.ย.", "Sep"), (10, "ต.ค.", "Oct"),
    (11, "พ.ย.", "Nov"), (12, "ธ.ค.", "Dec"),
])
def test_month_names(month, thai, english):
    value = datetime(2027, month, 15, 5, 0, tzinfo=UTC)
    assert format_date(value, "th") == f"15 {thai} 2570"
    assert format_date(value, "en") == f"15 {english} 2027"


def test_pages_show_the_bangkok_date_from_the_database(client, world):
    idea = world["idea"]
    idea.created_at = EDGE
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(type(idea), idea.id).created_at
    if db.engine.dialect.name == "sqlite":
        assert stored.tzinfo is None  # SQLite gives it back naive; it is UTC all the same
    assert format_date(stored, "th") == "22 พ.ย. 2569"

    assert "22 พ.ย. 2569" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "22 พ.ย. 2569" in client.get("/areas/saensuk").get_data(as_text=True)
    # The reference number (e.g. SNS-2569-00001) names the Buddhist year in any language.
    english = client.get(f"/ideas/{idea.id}?lang=en").get_data(as_text=True).replace(idea.reference, "")
    assert "22 Nov 2026" in english and "2569" not in english
