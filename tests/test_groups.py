"""Stored groups of similar ideas: joining on publish, distinct supporters, recompute, pages and API."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.grouping import tokenize
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea
from tests.api_support import assert_api_error

BINS = ("เพิ่มถังขยะแยกประเภทริมหาดบางแสน",
        "ขยะบนชายหาดเยอะมาก ขวดพลาสติกกับถุงลอยเต็มหาด อยากให้เทศบาลวางถังขยะแยกประเภทริมหาดทุก 100 เมตร")
BINS_AGAIN = ("อยากให้มีถังขยะแยกประเภทริมหาดบางแสน",
              "ขยะบนชายหาดเยอะมาก ขวดพลาสติกและถุงลอยเต็มหาด ขอให้เทศบาลวางถังขยะแยกประเภทริมหาดทุก 100 เมตร")
OTHERS = [
    ("ไฟถนนซอยตลาดดับทั้งซอยมาหลายเดือน", "กลางคืนมืดมาก ผู้หญิงกับเด็กเดินกลับบ้านไม่ปลอดภัย ขอให้ซ่อมไฟถนนโดยเร็ว"),
    ("จัดเรือพาเที่ยวชมวิถีชีวิตริมแม่น้ำ", "อยากให้ชุมชนมีเรือนำเที่ยวชมบ้านริมน้ำและวัดเก่า สร้างรายได้ให้คนในพื้นที่"),
    ("ทางเท้าหน้าโรงเรียนพังเป็นหลุม", "ฝนตกน้ำขังทุกครั้ง เด็กนักเรียนเดินลำบาก ขอให้ปรับปรุงทางเท้าให้เรียบร้อย"),
]


@pytest.fixture()
def area_ideas(make_area, make_user, make_idea):
    """A realistic-size area: 30 tourism ideas (written for the demo) plus ours."""
    from idea4gov.seed.demo_huawiang import AREA

    area = make_area(slug="saensuk")
    author = make_user()
    # Background only: bulk-inserted so it does not group itself as it is published.
    db.session.execute(sa.insert(Idea), [
        {"area_id": area.id, "theme_id": area.themes[0].id, "author_id": author.id, "title": spec["title"],
         "body": spec["body"], "search_tokens": " ".join(tokenize(spec["title"] + "\n" + spec["body"]))}
        for spec in AREA["ideas"]
    ])
    db.session.commit()
    others = [make_idea(area=area, author=author, title=t, body=b) for t, b in OTHERS]
    first = make_idea(area=area, author=author, title=BINS[0], body=BINS[1])
    second = make_idea(area=area, author=author, title=BINS_AGAIN[0], body=BINS_AGAIN[1])
    return area, first, second, others


def _reload(*ideas):
    db.session.expire_all()
    return [db.session.get(Idea, idea.id) for idea in ideas]


def test_a_reworded_idea_joins_its_twin_when_published(area_ideas):
    _area, first, second, others = area_ideas
    first, second, *others = _reload(first, second, *others)
    assert first.group_id is not None and first.group_id == second.group_id
    assert all(other.group_id != first.group_id for other in others)
    group = db.session.get(IdeaGroup, first.group_id)
    assert group.size >= 2
    assert group.size == db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(Idea.group_id == group.id))
    assert group.keyword_list and all(any("\u0e00" <= ch <= "\u0e7f" for ch in word) for word in group.keyword_list)


def test_group_supporters_are_distinct_residents(area_ideas, make_user):
    _area, first, second, _others = area_ideas
    both, one = make_user(), make_user()
    services.vote(first, both)
    services.vote(second, both)
    services.vote(second, one)
    db.session.commit()
    group = db.session.get(IdeaGroup, first.group_id)
    db.session.refresh(group)
    assert group.supporter_count == 2  # "both" supports two members and counts once
    services.unvote(second, both)
    db.session.commit()
    db.session.refresh(group)
    assert group.supporter_count == 2  # still supports the first member
    services.unvote(first, both)
    db.session.commit()
    db.session.refresh(group)
    assert group.supporter_count == 1


def test_recompute_keeps_group_ids_and_reports(runner, area_ideas):
    _area, first, second, _others = area_ideas
    before = first.group_id
    result = runner.invoke(args=["grouping", "recompute"])
    assert result.exit_code == 0, result.output
    assert "regrouped 1 areas: 35 ideas" in result.output
    first, second = _reload(first, second)
    assert first.group_id == second.group_id == before
    sizes = dict(db.session.execute(sa.select(IdeaGroup.id, IdeaGroup.size)).all())
    assert sizes[before] >= 2 and all(size >= 2 for size in sizes.values())
    # Group sizes agree with the rows.
    for group_id, size in sizes.items():
        assert size == db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(Idea.group_id == group_id))
    again = runner.invoke(args=["grouping", "recompute", "--area", "saensuk"])
    assert again.exit_code == 0, again.output
    assert _reload(first)[0].group_id == before
    assert dict(db.session.execute(sa.select(IdeaGroup.id, IdeaGroup.size)).all()) == sizes


def test_recompute_of_an_unknown_area_fails_in_red(runner, app):
    result = runner.invoke(args=["grouping", "recompute", "--area", "nowhere"])
    assert result.exit_code == 1
    assert "no area" in result.output


def test_group_page_lists_members_and_the_idea_page_links_it(client, area_ideas):
    _area, first, second, others = area_ideas
    html = client.get(f"/groups/{first.group_id}").get_data(as_text=True)
    assert BINS[0] in html and BINS_AGAIN[0] in html and OTHERS[0][0] not in html
    assert f'href="/groups/{first.group_id}"' in client.get(f"/ideas/{first.id}").get_data(as_text=True)
    loner = next(other for other in _reload(*others) if other.group_id is None)
    assert "/groups/" not in client.get(f"/ideas/{loner.id}").get_data(as_text=True)
    assert client.get("/groups/999999").status_code == 404


def test_groups_api(client, area_ideas, make_user):
    _area, first, second, _others = area_ideas
    services.vote(first, make_user())
    db.session.commit()
    response = client.get("/api/v1/areas/saensuk/groups")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] >= 1
    group = next(item for item in body["items"] if item["id"] == first.group_id)
    supporters = [item["supporter_count"] for item in body["items"]]
    assert supporters == sorted(supporters, reverse=True)
    assert group["size"] >= 2 and group["supporter_count"] == 1
    assert {first.id, second.id} <= set(group["idea_ids"]) and len(group["idea_ids"]) == group["size"]
    assert group["keywords"]
    assert client.get(f"/api/v1/ideas/{first.id}").get_json()["group_id"] == first.group_id


@pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "page=abc"])
def test_groups_api_bad_input(client, area_ideas, query):
    assert_api_error(client.get(f"/api/v1/areas/saensuk/groups?{query}"), 400)


def test_groups_api_unknown_area(client):
    assert_api_error(client.get("/api/v1/areas/nowhere/groups"), 404)
