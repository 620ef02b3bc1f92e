"""Shared set-up for the issue tests: an area of realistic size holding reports of the same problems
(written for these tests), regrouped into topics and the issues inside them."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db

#: Three residents report the same full bins at the same viewpoint.
BINS = [
    ("ถังขยะหน้าศาลาชมวิวแหลมแท่นล้นทุกเย็นวันเสาร์",
     "ถังขยะสองใบหน้าศาลาชมวิวแหลมแท่น ใกล้ป้ายจอดรถสองแถว ล้นทุกเย็นวันเสาร์ ขยะกระจายลงโขดหิน "
     "ขอให้เพิ่มรอบเก็บขยะช่วงบ่ายวันหยุด"),
    ("ขยะล้นถังที่ศาลาชมวิวแหลมแท่น ปลิวลงทะเล",
     "เดินออกกำลังกายผ่านศาลาชมวิวแหลมแท่นทุกเช้าวันอาทิตย์ เห็นถังขยะล้นตั้งแต่เมื่อคืน "
     "ถุงขนมกับขวดน้ำปลิวลงทะเล อยากให้เทศบาลมาเก็บขยะวันเสาร์เพิ่มอีกรอบ"),
    ("ศาลาชมวิวแหลมแท่น ถังขยะเต็มตลอดสุดสัปดาห์",
     "สุดสัปดาห์นักท่องเที่ยวมาถ่ายรูปที่ศาลาชมวิวแหลมแท่นเยอะ ถังขยะเต็มตั้งแต่บ่าย "
     "คนเลยวางถุงขยะไว้ข้างถัง แมวกับนกมาคุ้ยกระจาย ขอถังใบใหญ่ขึ้นหรือเก็บบ่อยขึ้น"),
]
#: A fourth report of it, posted after the regrouping.
BINS_AGAIN = ("ถังขยะศาลาชมวิวแหลมแท่นล้นอีกแล้ว",
              "เย็นวันเสาร์ที่ผ่านมาถังขยะหน้าศาลาชมวิวแหลมแท่นล้นจนขยะกองบนพื้น ขอให้เทศบาลเพิ่มถังหรือรอบเก็บขยะ")
#: Two reports of the same dark street (soi 12), and one of another street (soi 14, another place number).
LIGHTS = [
    ("ไฟถนนซอยแสนสุข 12 ดับทั้งซอยมาสามคืน",
     "ไฟถนนในซอยแสนสุข 12 ดับหมดทั้งซอยตั้งแต่วันจันทร์ กลางคืนมืดมาก เด็กกับผู้หญิงเดินกลับบ้านไม่ปลอดภัย "
     "ขอให้มาซ่อมไฟด่วน"),
    ("ซอยแสนสุข 12 มืดสนิท ไฟทางเสียทุกดวง",
     "ไฟทางในซอยแสนสุข 12 เสียทุกดวงมาหลายคืนแล้ว รถมอเตอร์ไซค์เกือบชนคนเดิน "
     "ขอให้เทศบาลเปลี่ยนหลอดไฟในซอยโดยเร็ว"),
]
SOI_14 = ("ไฟถนนซอยแสนสุข 14 กะพริบ", "ไฟถนนหน้าบ้านเลขที่ 8 ซอยแสนสุข 14 กะพริบทั้งคืน ขอให้ช่างมาตรวจดู")
SOI_14_AGAIN = ("ไฟหน้าบ้านเลขที่ 8 ซอยแสนสุข 14 กะพริบทั้งคืน",
                "ไฟถนนซอยแสนสุข 14 หน้าบ้านเลขที่ 8 กะพริบติด ๆ ดับ ๆ ทั้งคืน ขอให้ช่างไฟมาซ่อม")
FOOTPATH = ("ทางเท้าหน้าโรงเรียนพังเป็นหลุม", "ฝนตกน้ำขังทุกครั้ง เด็กนักเรียนเดินลำบาก ขอให้ปรับปรุงทางเท้าให้เรียบร้อย")


@pytest.fixture()
def issues_world(app, make_area, make_user, make_staff, make_idea):
    """Saensuk with 30 background ideas (the Hua Wiang demo's, bulk-inserted) and the reports above,
    posted one by one and regrouped; an officer of the area with two agencies."""
    from idea4gov.grouping import tokenize
    from idea4gov.groups.services import recompute_area
    from idea4gov.ideas.models import Idea
    from idea4gov.seed.demo_huawiang import AREA
    from idea4gov.triage.models import Agency

    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"), ("light", "ไฟถนน", "Street lights")))
    author = make_user()
    db.session.execute(sa.insert(Idea), [
        {"area_id": area.id, "theme_id": area.themes[0].id, "author_id": author.id, "title": spec["title"],
         "body": spec["body"], "search_tokens": " ".join(tokenize(spec["title"] + "\n" + spec["body"]))}
        for spec in AREA["ideas"]
    ])
    db.session.commit()
    beach, light = area.themes

    def post(spec, theme, who=None):
        return make_idea(area, who or make_user(), spec[0], spec[1], theme=theme)

    bins = [post(spec, beach) for spec in BINS]
    lights = [post(spec, light) for spec in LIGHTS]
    soi14, footpath = post(SOI_14, light), post(FOOTPATH, beach)
    recompute_area(area)
    officer = make_staff("officer", area, display_name="เจ้าหน้าที่ แสนสุข")
    cleaning = Agency(area_id=area.id, name_th="กองสาธารณสุขและสิ่งแวดล้อม", name_en="Public health and environment")
    works = Agency(area_id=area.id, name_th="กองช่าง", name_en="Public works")
    db.session.add_all([cleaning, works])
    db.session.commit()
    world = SimpleNamespace(area=area, bins=bins, lights=lights, soi14=soi14, footpath=footpath, officer=officer,
                            cleaning=cleaning, works=works, post=post, beach=beach, light=light)
    return refresh(world)


def refresh(world: SimpleNamespace) -> SimpleNamespace:
    """The world's ideas as the database has them now."""
    from idea4gov.ideas.models import Idea

    db.session.expire_all()
    for name in ("bins", "lights"):
        setattr(world, name, [db.session.get(Idea, idea.id) for idea in getattr(world, name)])
    world.soi14, world.footpath = db.session.get(Idea, world.soi14.id), db.session.get(Idea, world.footpath.id)
    return world


def issue_of(idea):
    from idea4gov.groups.models import IdeaIssue

    return db.session.get(IdeaIssue, idea.issue_id) if idea.issue_id is not None else None


def assert_counts_match_rows(area_id: int) -> None:
    """Every stored group and issue of the area: size and distinct supporters as the rows say, and
    every issue inside one group."""
    from idea4gov.groups.models import IdeaGroup, IdeaIssue
    from idea4gov.ideas.models import Idea, Vote

    db.session.expire_all()
    for model, column in ((IdeaGroup, Idea.group_id), (IdeaIssue, Idea.issue_id)):
        for row in db.session.scalars(sa.select(model).where(model.area_id == area_id)):
            size = db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(column == row.id, Idea.visible()))
            supporters = db.session.scalar(sa.select(sa.func.count(sa.distinct(Vote.user_id))).join(
                Idea, Idea.id == Vote.idea_id).where(column == row.id, Idea.visible()))
            assert (row.size, row.supporter_count) == (size, supporters), (model.__tablename__, row.id)
    for issue in db.session.scalars(sa.select(IdeaIssue).where(IdeaIssue.area_id == area_id)):
        groups = set(db.session.scalars(sa.select(Idea.group_id).where(Idea.issue_id == issue.id, Idea.visible())))
        assert groups <= {issue.group_id}, (issue.id, groups, issue.group_id)
    for idea_id, count in db.session.execute(sa.select(Idea.id, Idea.vote_count).where(Idea.area_id == area_id)):
        assert count == db.session.scalar(sa.select(sa.func.count()).select_from(Vote).where(Vote.idea_id == idea_id))
