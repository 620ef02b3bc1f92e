"""A push spike: anonymous pages a CDN may keep (Cache-Control, ETag, Vary, 304), pages of signed-in
residents never in a shared cache, and parts reused only while what they show is unchanged."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from idea4gov import pagecache
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea

PUBLIC_PAGES = ["/areas/{slug}", "/areas/{slug}?sort=new&page=1", "/ideas/{idea}", "/api/v1/areas/{slug}/ideas"]


@pytest.fixture()
def world(make_area, make_idea, make_user):
    area = make_area(slug="saensuk")
    other = make_area(slug="huawiang")
    idea = make_idea(area=area, title="เพิ่มถังขยะริมชายหาดบางแสน")
    far = make_idea(area=other, title="ท่องเที่ยวชุมชนริมแม่น้ำหัวเวียง")
    return {"area": area, "other": other, "idea": idea, "far": far, "voter": make_user()}


def _urls(world) -> list[str]:
    return [url.format(slug=world["area"].slug, idea=world["idea"].id) for url in PUBLIC_PAGES]


class SharedCache:
    """A reverse proxy or CDN that follows RFC 9111 for what matters here: it stores only responses
    that are `public` with a shared lifetime, never one that sets a cookie, and keys them by URL
    plus the request headers named in Vary."""

    def __init__(self, client) -> None:
        self.client, self.store, self.hits = client, {}, 0

    def _key(self, url, headers, vary) -> tuple:
        return (url, *((name, headers.get(name, "")) for name in vary))

    def get(self, url: str, headers: dict | None = None):
        headers = headers or {}
        for (stored_url, *varied), response in self.store.items():
            if stored_url == url and all(headers.get(name, "") == value for name, value in varied):
                self.hits += 1
                return response
        response = self.client.get(url, headers=headers)
        control = response.headers.get("Cache-Control", "")
        if "public" in control and "s-maxage" in control and "Set-Cookie" not in response.headers \
                and "private" not in control and "no-store" not in control:
            vary = [name.strip() for name in response.headers.get("Vary", "").split(",") if name.strip()]
            assert "*" not in vary
            self.store[self._key(url, headers, vary)] = response
        return response


def _cookie_header(client) -> dict:
    """The Cookie header the visitor's browser sends (their session)."""
    cookie = client.raw.get_cookie("session")
    assert cookie is not None
    return {"Cookie": f"session={cookie.value}"}


def test_anonymous_public_pages_are_cacheable_and_carry_nothing_personal(client, world):
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        control = response.headers["Cache-Control"]
        assert control.startswith("public") and "s-maxage=30" in control and "max-age=0" in control, url
        assert response.headers["ETag"] and "Cookie" in response.headers["Vary"], url
        assert "Set-Cookie" not in response.headers, url
        body = response.get_data(as_text=True)
        assert 'name="csrf-token"' not in body and 'name="csrf_token"' not in body, url
        # Asked again with its ETag: 304 and no body.
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"", url
        assert again.headers["ETag"] == response.headers["ETag"]


def test_signed_in_pages_are_private_and_never_stored_by_a_shared_cache(client, world, monkeypatch):
    client.login(world["voter"])
    proxy = SharedCache(client.raw)
    for url in _urls(world):
        response = proxy.get(url, headers=_cookie_header(client))
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-cache", url
        assert "Cookie" in response.headers["Vary"], url
    assert proxy.store == {}
    # The browser itself may revalidate: a 304 for an unchanged page. (The page's CSRF token is signed
    # with the current second: held still here, or two requests a second apart differ on a busy machine.)
    import itsdangerous.timed

    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: 1_800_000_000)
    page = client.get(_urls(world)[0])
    assert client.get(_urls(world)[0], headers={"If-None-Match": page.headers["ETag"]}).status_code == 304


def test_a_shared_cache_never_serves_one_visitors_page_to_another(app, client, world):
    """Through one proxy: a signed-in resident, then an anonymous visitor, then an English visitor:
    each gets their own page; only the anonymous Thai one is shared."""
    proxy = SharedCache(app.test_client(use_cookies=False))
    url = f"/areas/{world['area'].slug}"
    resident = client
    resident.login(world["voter"])
    mine = proxy.get(url, headers=_cookie_header(resident))
    assert "ออกจากระบบ" in mine.get_data(as_text=True)  # the resident's header

    first = proxy.get(url)  # an anonymous visitor: not the resident's page
    body = first.get_data(as_text=True)
    assert "ออกจากระบบ" not in body and "เข้าสู่ระบบ" in body
    assert proxy.get(url).get_data() == first.get_data() and proxy.hits == 1  # shared with the next visitor

    english = app.test_client()
    chosen = english.get("/?lang=en")  # remembered in the session: a cookie, so a private page
    assert "Set-Cookie" in chosen.headers and "private" in chosen.headers["Cache-Control"]
    cookie = {"Cookie": "session=" + re.search(r"session=([^;]+)", chosen.headers["Set-Cookie"]).group(1)}
    theirs = proxy.get(url, headers=cookie)
    assert re.search(r'<html lang="en"', theirs.get_data(as_text=True))
    assert proxy.hits == 1  # not served from the Thai entry
    # The language in the URL is its own entry, and a cookieless ?lang=th changes nothing.
    assert 'lang="en"' in proxy.get(url + "?lang=en").get_data(as_text=True)
    th = app.test_client().get(url + "?lang=th")
    assert "Set-Cookie" not in th.headers and th.headers["Cache-Control"].startswith("public")


def test_a_flashed_message_makes_the_page_private(app, client, world):
    """A message meant for one visitor (here: "log in first") is never cached for others."""
    visitor = app.test_client()
    visitor.get(f"/areas/{world['area'].slug}/ideas/new")  # login required: a flashed message
    page = visitor.get("/auth/login")
    assert "กรุณาเข้าสู่ระบบก่อน" in page.get_data(as_text=True)
    assert "private" in page.headers["Cache-Control"]


def test_anonymous_page_answers_from_memory_until_its_area_changes(app, client, world, make_user):
    url = f"/areas/{world['area'].slug}"
    before = client.get(url)
    with _counting() as statements:
        again = client.get(url)
    assert again.get_data() == before.get_data() and statements == []  # no query at all
    services.vote(world["idea"], world["voter"])
    db.session.commit()
    after = client.get(url)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert re.search(r"<strong>1</strong>", after.get_data(as_text=True))
    # A vote in another area leaves this area's page alone.
    services.vote(world["far"], world["voter"])
    db.session.commit()
    with _counting() as statements:
        assert client.get(url).headers["ETag"] == after.headers["ETag"]
    assert statements == []


def test_signed_in_listing_follows_votes_and_new_ideas_at_once(client, world, make_idea):
    client.login(world["voter"])
    url = f"/areas/{world['area'].slug}?sort=new"
    assert "<strong>0</strong>" in client.get(url).get_data(as_text=True)
    assert client.post(f"/ideas/{world['idea'].id}/vote").status_code == 302
    assert "<strong>1</strong>" in client.get(url).get_data(as_text=True)
    newer = make_idea(area=world["area"], title="ขอไฟส่องสว่างริมหาดเพิ่มเติมอีก")
    assert newer.title in client.get(url).get_data(as_text=True)
    api = client.get(f"/api/v1/areas/{world['area'].slug}/ideas?sort=new").get_json()
    assert api["items"][0]["id"] == newer.id and api["total"] == 2


def test_a_write_the_cache_cannot_place_changes_every_area(app, world):
    """Raw SQL or an update outside a known area bumps the global version: nothing stays stale."""
    before = (pagecache.versions(world["area"].id), pagecache.versions(world["other"].id))
    db.session.execute(sa.update(Idea).where(Idea.id == world["far"].id).values(title="แก้ชื่อไอเดียโดยตรงในฐานข้อมูล"))
    db.session.commit()
    after = (pagecache.versions(world["area"].id), pagecache.versions(world["other"].id))
    assert after[0][0] == before[0][0] + 1 and after[1][0] == before[1][0] + 1
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    assert (pagecache.versions(world["area"].id), pagecache.versions(world["other"].id)) == after


def test_a_rolled_back_change_bumps_nothing(app, world):
    before = pagecache.versions(world["area"].id)
    services.vote(world["idea"], world["voter"])
    db.session.rollback()
    assert pagecache.versions(world["area"].id) == before


def test_unknown_area_and_theme_are_still_404(client, world):
    assert client.get("/areas/nowhere").status_code == 404
    assert client.get(f"/areas/{world['area'].slug}?theme=nope").status_code == 404
    assert client.get(f"/areas/{world['area'].slug}?theme=nope").status_code == 404  # never cached


class _counting:
    def __enter__(self):
        self.statements = []
        sa.event.listen(db.engine, "before_cursor_execute", self._record)
        return self.statements

    def _record(self, conn, cursor, statement, *args):  # noqa: ANN001
        self.statements.append(statement)

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "before_cursor_execute", self._record)
