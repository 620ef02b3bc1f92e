"""Public listing pages: the areas, and one area's ideas (sort, page, theme, Thai search)."""
from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from idea4gov.areas.models import Theme
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility, Vote
from idea4gov.timeutil import utcnow
from tests.db_support import count_queries

BODY = "รายละเอียดของไอเดียนี้ยาวพอสำหรับการทดสอบ มีปัญหาและข้อเสนอชัดเจน"


_voters = itertools.count(1)


def _quick_users(count: int) -> list[User]:
    """Voters without the cost of scrypt (they never log in)."""
    users = []
    for _ in range(count):
        number = next(_voters)
        users.append(User(email=f"voter-{number}@example.org", display_name=f"ผู้สนับสนุน {number}",
                          password_hash="!", pdpa_consent_at=utcnow()))
    db.session.add_all(users)
    db.session.commit()
    return users


def _add_votes(idea: Idea, users: list[User], days_ago: float = 0) -> None:
    when = utcnow() - timedelta(days=days_ago)
    for user in users:
        db.session.add(Vote(idea_id=idea.id, user_id=user.id, created_at=when))
    db.session.execute(sa.update(Idea).where(Idea.id == idea.id).values(vote_count=Idea.vote_count + len(users)))
    db.session.commit()


def _titles_in_order(html: str) -> list[str]:
    return re.findall(r'<li class="idea-card" id="idea-\d+">\s*<h[2-6][^>]*><a href="[^"]+"[^>]*>([^<]+)</a>', html)




# --- home ------------------------------------------------------------------------------

def test_home_lists_areas_with_open_themes_and_counts(client, make_area, make_idea, make_user):
    author = make_user()
    saensuk = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"),
                                                ("old", "โจทย์ที่ปิดแล้ว", "Closed theme")))
    saensuk.themes[1].is_open = False
    db.session.commit()
    make_area(slug="huawiang", themes=(("tourism", "ท่องเที่ยวชุมชน", "Community tourism"),))
    for _ in range(3):
        make_idea(area=saensuk, author=author)
    hidden = make_idea(area=saensuk, author=author)
    hidden.visibility = Visibility.hidden
    db.session.commit()

    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "พื้นที่ saensuk" in html and "พื้นที่ huawiang" in html
    assert "ขยะชายหาด" in html and "ท่องเที่ยวชุมชน" in html
    assert "โจทย์ที่ปิดแล้ว" not in html
    assert "3 ไอเดีย" in html  # the hidden idea is not counted
    assert "0 ไอเดีย" in html
    assert 'href="/areas/saensuk?theme=beach"' in html


def test_home_marks_a_closed_area(client, make_area):
    make_area(slug="closed", is_open=False)
    html = client.get("/").get_data(as_text=True)
    assert "ปิดรับไอเดียแล้ว" in html


def test_home_without_areas_says_what_to_do(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "ยังไม่มีพื้นที่เปิดรับไอเดีย" in response.get_data(as_text=True)


def test_home_queries_do_not_grow_with_areas(client, make_area):
    make_area()
    db.session.expire_all()  # the test shares the requests' session: start each count cold
    with count_queries() as few:
        client.get("/")
    for _ in range(5):
        make_area(themes=(("a", "ก", "A"), ("b", "ข", "B")))
    db.session.expire_all()
    with count_queries() as many:
        client.get("/")
    assert len(many) == len(few)


# --- one area --------------------------------------------------------------------------

def test_area_page_lists_its_published_ideas_only(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk")
    other = make_area(slug="other")
    make_idea(area=area, author=author, title="ไอเดียที่เผยแพร่ในแสนสุข")
    hidden = make_idea(area=area, author=author, title="ไอเดียที่ถูกซ่อนแล้ว")
    hidden.visibility = Visibility.hidden
    pending = make_idea(area=area, author=author, title="ไอเดียที่รอตรวจสอบ")
    pending.visibility = Visibility.pending
    db.session.commit()
    make_idea(area=other, author=author, title="ไอเดียของพื้นที่อื่น")

    response = client.get("/areas/saensuk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _titles_in_order(html) == ["ไอเดียที่เผยแพร่ในแสนสุข"]
    assert "พบ 1 ไอเดีย" in html


def test_unknown_area_is_a_thai_404(client):
    response = client.get("/areas/no-such-place")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "ไม่พบหน้าที่คุณต้องการ" in html
    assert 'lang="th"' in html


def test_sort_top_orders_by_supporters(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk")
    few = make_idea(area=area, author=author, title="ไอเดียที่มีผู้สนับสนุนน้อย")
    many = make_idea(area=area, author=author, title="ไอเดียที่มีผู้สนับสนุนมาก")
    make_idea(area=area, author=author, title="ไอเดียที่ยังไม่มีผู้สนับสนุน")
    voters = _quick_users(3)
    _add_votes(many, voters)
    _add_votes(few, voters[:1])

    for url in ("/areas/saensuk", "/areas/saensuk?sort=top", "/areas/saensuk?sort=bogus"):
        titles = _titles_in_order(client.get(url).get_data(as_text=True))
        assert titles == ["ไอเดียที่มีผู้สนับสนุนมาก", "ไอเดียที่มีผู้สนับสนุนน้อย", "ไอเดียที่ยังไม่มีผู้สนับสนุน"]


def test_sort_new_orders_by_date(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk")
    old = make_idea(area=area, author=author, title="ไอเดียเก่าที่สุดของพื้นที่")
    middle = make_idea(area=area, author=author, title="ไอเดียกลาง ๆ ของพื้นที่")
    make_idea(area=area, author=author, title="ไอเดียใหม่ที่สุดของพื้นที่")
    old.created_at = utcnow() - timedelta(days=10)
    middle.created_at = utcnow() - timedelta(days=5)
    _add_votes(old, _quick_users(2))

    titles = _titles_in_order(client.get("/areas/saensuk?sort=new").get_data(as_text=True))
    assert titles == ["ไอเดียใหม่ที่สุดของพื้นที่", "ไอเดียกลาง ๆ ของพื้นที่", "ไอเดียเก่าที่สุดของพื้นที่"]


def test_sort_trending_counts_supporters_of_the_last_seven_days(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk")
    once_popular = make_idea(area=area, author=author, title="ไอเดียที่เคยดังเมื่อเดือนก่อน")
    rising = make_idea(area=area, author=author, title="ไอเดียที่กำลังมาแรงสัปดาห์นี้")
    make_idea(area=area, author=author, title="ไอเดียที่ไม่มีใครสนับสนุนเลย")
    voters = _quick_users(6)
    _add_votes(once_popular, voters[:5], days_ago=30)
    _add_votes(once_popular, voters[5:6], days_ago=8)
    _add_votes(rising, voters[:2], days_ago=1)

    html = client.get("/areas/saensuk?sort=trending").get_data(as_text=True)
    assert _titles_in_order(html) == [
        "ไอเดียที่กำลังมาแรงสัปดาห์นี้", "ไอเดียที่เคยดังเมื่อเดือนก่อน", "ไอเดียที่ไม่มีใครสนับสนุนเลย",
    ]
    # ...while "top" still ranks by all supporters.
    top = _titles_in_order(client.get("/areas/saensuk?sort=top").get_data(as_text=True))
    assert top[0] == "ไอเดียที่เคยดังเมื่อเดือนก่อน"


def test_twenty_ideas_a_page(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk")
    for number in range(25):
        idea = make_idea(area=area, author=author, title=f"ไอเดียหมายเลข {number:02d} ของพื้นที่")
        idea.created_at = utcnow() - timedelta(minutes=100 - number)
    db.session.commit()

    first = client.get("/areas/saensuk?sort=new").get_data(as_text=True)
    second = client.get("/areas/saensuk?sort=new&page=2").get_data(as_text=True)
    first_titles, second_titles = _titles_in_order(first), _titles_in_order(second)
    assert len(first_titles) == 20 and len(second_titles) == 5
    assert first_titles[0] == "ไอเดียหมายเลข 24 ของพื้นที่"
    assert second_titles[-1] == "ไอเดียหมายเลข 00 ของพื้นที่"
    assert not set(first_titles) & set(second_titles)
    assert "พบ 25 ไอเดีย" in first
    assert "หน้า 1 จาก 2" in first
    assert 'rel="next" href="/areas/saensuk?page=2&amp;sort=new"' in first
    assert 'rel="prev"' in second


@pytest.mark.parametrize(
    "page",
    ["abc", "-1", "0", "1.5", "", "1e3", "99999999999999999999", "9223372036854775808", "٣", "๒", "1;DROP"],
)
def test_junk_page_values_never_fail(client, make_area, make_idea, page):
    area = make_area(slug="saensuk")
    make_idea(area=area)
    response = client.get(f"/areas/saensuk?page={page}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Traceback" not in html


def test_a_page_past_the_end_says_so_and_links_back(client, make_area, make_idea):
    area = make_area(slug="saensuk")
    make_idea(area=area)
    response = client.get("/areas/saensuk?page=7")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _titles_in_order(html) == []
    assert "ไม่มีไอเดียในหน้านี้" in html
    assert 'href="/areas/saensuk"' in html


def test_theme_filter(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"),
                                             ("water", "น้ำเสีย", "Waste water")))
    make_idea(area=area, author=author, title="ไอเดียเรื่องขยะชายหาด", theme=area.themes[0])
    make_idea(area=area, author=author, title="ไอเดียเรื่องน้ำเสียในคลอง", theme=area.themes[1])

    html = client.get("/areas/saensuk?theme=water").get_data(as_text=True)
    assert _titles_in_order(html) == ["ไอเดียเรื่องน้ำเสียในคลอง"]
    assert '<option value="water" selected>' in html
    # The post-an-idea button keeps the chosen theme.
    assert "/areas/saensuk/ideas/new?theme=water" in html


def test_theme_filter_of_a_closed_theme_still_lists_its_ideas(client, make_area, make_idea):
    area = make_area(slug="saensuk")
    make_idea(area=area, title="ไอเดียในโจทย์ที่ปิดไปแล้ว")
    area.themes[0].is_open = False
    db.session.commit()
    html = client.get("/areas/saensuk?theme=beach").get_data(as_text=True)
    assert _titles_in_order(html) == ["ไอเดียในโจทย์ที่ปิดไปแล้ว"]


@pytest.mark.parametrize("theme", ["nope", "BEACH", "beach'--", "%"])
def test_unknown_theme_is_404(client, make_area, theme):
    make_area(slug="saensuk")
    response = client.get("/areas/saensuk", query_string={"theme": theme})
    assert response.status_code == 404
    assert "ไม่พบหน้าที่คุณต้องการ" in response.get_data(as_text=True)


def test_theme_of_another_area_is_404(client, make_area):
    make_area(slug="saensuk")
    make_area(slug="huawiang", themes=(("tourism", "ท่องเที่ยว", "Tourism"),))
    assert client.get("/areas/saensuk?theme=tourism").status_code == 404


# --- search ----------------------------------------------------------------------------

def test_thai_search_finds_a_word_inside_unspaced_text(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk")
    make_idea(area=area, author=author, title="อยากให้มีถังขยะเพิ่ม", body="ขยะบนชายหาดเยอะมาก ช่วยจัดการด้วยนะครับทุกคน")
    make_idea(area=area, author=author, title="ไฟถนนในซอยมืดมาก",
              body="ซอยบ้านเราไม่มีไฟส่องสว่าง กลางคืนเดินกลับบ้านอันตราย")

    html = client.get("/areas/saensuk", query_string={"q": "ชายหาด"}).get_data(as_text=True)
    assert _titles_in_order(html) == ["อยากให้มีถังขยะเพิ่ม"]
    assert 'value="ชายหาด"' in html


def test_search_needs_every_word(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk")
    make_idea(area=area, author=author, title="ขยะชายหาดบางแสนล้นถัง", body=BODY)
    make_idea(area=area, author=author, title="ขยะในตลาดหนองมนล้นถัง", body=BODY)
    html = client.get("/areas/saensuk", query_string={"q": "ขยะ ชายหาด"}).get_data(as_text=True)
    assert _titles_in_order(html) == ["ขยะชายหาดบางแสนล้นถัง"]


def test_search_combines_with_theme_and_sort(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach"), ("water", "น้ำเสีย", "Water")))
    make_idea(area=area, author=author, title="ขยะชายหาดในโจทย์ชายหาด", body=BODY, theme=area.themes[0])
    make_idea(area=area, author=author, title="ขยะชายหาดไหลลงคลอง", body=BODY, theme=area.themes[1])
    html = client.get("/areas/saensuk", query_string={"q": "ชายหาด", "theme": "water", "sort": "new"}).get_data(
        as_text=True)
    assert _titles_in_order(html) == ["ขยะชายหาดไหลลงคลอง"]


def test_search_with_no_match_says_what_to_do(client, make_area, make_idea):
    area = make_area(slug="saensuk")
    make_idea(area=area)
    html = client.get("/areas/saensuk", query_string={"q": "รถไฟฟ้า"}).get_data(as_text=True)
    assert _titles_in_order(html) == []
    assert "ไม่พบไอเดียที่ตรงกับ “รถไฟฟ้า”" in html
    assert "ลองใช้คำอื่น" in html


@pytest.mark.parametrize(
    "query",
    [
        "%", "_", "%%", "'", "''", '"', '"""', "*", "ขยะ*", "NEAR(", "NEAR(ขยะ ชายหาด)", "OR", "AND", "NOT",
        "ขยะ OR ชายหาด", "-", "-ขยะ", "ขยะ -ชายหาด", "^", ":", "ideas_fts:ขยะ", "title:ขยะ", "(", ")", "{}",
        "'; DROP TABLE ideas; --", "\\", "🏖️", "ขยะ" * 200, " ", "a" * 500, "% _ ' \" * NEAR( OR -",
    ],
)
def test_search_syntax_never_fails(client, make_area, make_idea, query):
    area = make_area(slug="saensuk")
    make_idea(area=area)
    response = client.get("/areas/saensuk", query_string={"q": query})
    assert response.status_code == 200
    assert "Traceback" not in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 1


def test_search_of_a_word_still_finds_it_when_wrapped_in_syntax(client, make_area, make_idea):
    area = make_area(slug="saensuk")
    make_idea(area=area, title="เพิ่มถังขยะริมชายหาดบางแสน")
    for query in ('"ชายหาด"', "ชายหาด*", "%ชายหาด%", "(ชายหาด)"):
        html = client.get("/areas/saensuk", query_string={"q": query}).get_data(as_text=True)
        assert _titles_in_order(html) == ["เพิ่มถังขยะริมชายหาดบางแสน"], query


def test_search_query_is_shown_escaped(client, make_area):
    make_area(slug="saensuk")
    html = client.get("/areas/saensuk", query_string={"q": '<script>alert(1)</script>"'}).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_area_says_what_to_do(client, make_area):
    make_area(slug="saensuk")
    html = client.get("/areas/saensuk").get_data(as_text=True)
    assert "ยังไม่มีไอเดียในพื้นที่นี้" in html
    assert "เป็นคนแรกที่เสนอไอเดีย" in html
    assert 'href="/areas/saensuk/ideas/new"' in html


def test_closed_area_page_says_it_is_closed_and_offers_no_post_button(client, make_area):
    make_area(slug="saensuk", is_open=False)
    html = client.get("/areas/saensuk").get_data(as_text=True)
    assert "พื้นที่นี้ปิดรับไอเดียใหม่แล้ว" in html
    assert "/areas/saensuk/ideas/new" not in html


def test_area_page_queries_do_not_grow_with_ideas(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk")
    make_idea(area=area, author=author)
    db.session.expire_all()  # the test shares the requests' session: start each count cold
    with count_queries() as few:
        client.get("/areas/saensuk")
    for _ in range(8):
        make_idea(area=area, author=author)
    db.session.expire_all()
    with count_queries() as many:
        client.get("/areas/saensuk")
    assert len(many) == len(few)


def test_theme_counts_in_the_filter(client, make_area, make_idea, make_user):
    author = make_user()
    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach"), ("water", "น้ำเสีย", "Water")))
    make_idea(area=area, author=author, theme=area.themes[0])
    make_idea(area=area, author=author, theme=area.themes[0])
    html = client.get("/areas/saensuk").get_data(as_text=True)
    assert "ขยะชายหาด (2)" in html
    assert "น้ำเสีย (0)" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Theme)) == 2
