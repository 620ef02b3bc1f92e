"""List pages must not issue a query per row (N+1): the count stays flat as rows grow."""
from __future__ import annotations

import pytest

from idea4gov import pagecache
from idea4gov.extensions import db
from tests.db_support import count_queries


def _queries_for(client, url: str) -> int:
    client.get(url)  # warm caches (locale, templates) so both runs compare like with like
    pagecache.clear()  # count what rendering the page costs, not a page or part kept from before
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", [
    "/areas/{slug}?sort=top",
    "/areas/{slug}?sort=new",
    "/areas/{slug}?sort=trending",
    "/areas/{slug}?q=%E0%B8%8A%E0%B8%B2%E0%B8%A2%E0%B8%AB%E0%B8%B2%E0%B8%94",  # ชายหาด
    "/api/v1/areas/{slug}/ideas",
    "/",
])
def test_list_query_count_does_not_grow_with_ideas(client, make_area, make_user, make_idea, url):
    area = make_area(themes=(("beach", "ขยะชายหาด", "Beach"), ("market", "ตลาด", "Market")))
    authors = [make_user() for _ in range(3)]
    for i in range(2):
        make_idea(area=area, author=authors[i % 3], title=f"ไอเดียเรื่องชายหาดลำดับที่ {i}")
    few = _queries_for(client, url.format(slug=area.slug))
    for i in range(2, 20):
        make_idea(area=area, author=authors[i % 3], theme=area.themes[i % 2], title=f"ไอเดียเรื่องชายหาดลำดับที่ {i}")
    many = _queries_for(client, url.format(slug=area.slug))
    assert many == few, f"{url}: {few} queries with 2 ideas, {many} with 20"


@pytest.mark.parametrize("signed_in", [False, True])
def test_idea_page_query_count_does_not_grow_with_comments(client, make_idea, make_user, signed_in):
    from idea4gov.ideas import services

    idea = make_idea()
    commenters = [make_user() for _ in range(4)]
    if signed_in:
        client.login(commenters[2])
    first = services.add_comment(idea, commenters[0], "เห็นด้วยครับ")
    services.add_comment(idea, commenters[1], "ขอบคุณครับ", parent_id=first.id)
    db.session.commit()
    # A signed-in reader: an anonymous one may get the whole page from the page cache (no query at all).
    client.login(make_user())
    few = _queries_for(client, f"/ideas/{idea.id}")
    for i in range(12):
        parent = services.add_comment(idea, commenters[i % 4], f"ความคิดเห็นที่ {i}")
        services.add_comment(idea, commenters[(i + 1) % 4], f"ตอบกลับที่ {i}", parent_id=parent.id)
    services.add_comment(idea, commenters[1], "ตอบความเห็นแรก", parent_id=first.id)
    db.session.commit()
    many = _queries_for(client, f"/ideas/{idea.id}")
    assert many == few
