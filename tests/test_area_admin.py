"""Areas without code (issue 13, point 1): a hierarchy of any depth made, changed, opened, closed
and archived by admins in /admin/areas, each change audited, cycles refused, nothing deleted."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from idea4gov.areas.models import Area, IAP2Level, ModerationMode
from idea4gov.areas.settings import settings_of
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Idea, Vote
from tests.db_support import count_queries

NEW_AREA = {"slug": "chonburi", "name_th": "จังหวัดชลบุรี", "name_en": "Chonburi Province", "parent": "",
            "description_th": "จังหวัดชายฝั่งทะเลตะวันออก", "description_en": "", "iap2_level": "",
            "promise_th": "", "promise_en": "", "is_open": "y"}


def _area(slug: str) -> Area:
    db.session.expire_all()
    return db.session.scalar(sa.select(Area).where(Area.slug == slug))


def _actions(area: Area) -> list[tuple[str, str, str, str]]:
    return [(e.action, e.reason, e.before, e.after) for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.area_id == area.id).order_by(AuditEntry.id))]


@pytest.fixture()
def admin(client, make_staff):
    user = make_staff("admin")
    client.login(user)
    return user


def test_admin_creates_a_province_then_a_municipality_under_it(client, admin):
    response = client.post("/admin/areas", NEW_AREA)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/areas/chonburi")
    response = client.post("/admin/areas", {**NEW_AREA, "slug": "saensuk", "name_th": "เทศบาลเมืองแสนสุข",
                                            "name_en": "Saensuk", "parent": "chonburi", "iap2_level": "consult"})
    assert response.status_code == 302
    province, town = _area("chonburi"), _area("saensuk")
    assert town.parent_id == province.id and province.parent_id is None
    assert (town.is_open, town.iap2_level) == (True, IAP2Level.consult)
    # A level without a promise of its own gets IAP2's standard promise, in both languages.
    assert "แจ้งกลับ" in town.promise_th and town.promise_en.startswith("We will keep you informed")
    # Its settings start at the defaults, in the one place they live.
    assert (settings_of(town).moderation_mode, settings_of(town).days_to_first_answer) == (ModerationMode.post, 14)
    assert _actions(town) == [("area_create", "chonburi", "", "saensuk")]
    assert _actions(province)[0][:1] == ("area_create",)
    listing = client.get("/admin/areas").get_data(as_text=True)
    assert listing.index("จังหวัดชลบุรี") < listing.index("เทศบาลเมืองแสนสุข")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("slug", "Saen Suk!", "รหัสพื้นที่ (slug) ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก"),
    ("slug", "", "กรุณาใส่รหัสพื้นที่"),
    ("name_th", "", "กรุณาใส่ชื่อภาษาไทย"),
    ("parent", "nowhere", "ไม่พบพื้นที่แม่ที่เลือก"),
    ("promise_th", "สั้นไป", "คำมั่นต้องยาว"),
])
def test_a_refused_new_area_comes_back_with_what_was_typed(client, admin, field, value, message):
    data = {**NEW_AREA, "iap2_level": "consult", "promise_th": "ความคิดเห็นทุกข้อจะถูกนำเข้าที่ประชุมสภาเทศบาล",
            field: value}
    response = client.post("/admin/areas", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'value="จังหวัดชลบุรี"' in html or field == "name_th"
    assert "จังหวัดชายฝั่งทะเลตะวันออก" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Area)) == 0


def test_a_slug_is_used_once(client, admin, make_area):
    make_area(slug="chonburi")
    response = client.post("/admin/areas", NEW_AREA)
    assert response.status_code == 400 and "มีพื้นที่ที่ใช้รหัสนี้แล้ว" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Area)) == 1


def _edit(area: Area, **changes) -> dict:
    settings = settings_of(area)
    data = {"name_th": area.name_th, "name_en": area.name_en, "description_th": area.description_th,
            "description_en": area.description_en, "parent": area.parent.slug if area.parent else "",
            "iap2_level": area.iap2_level.value if area.iap2_level else "", "promise_th": area.promise_th,
            "promise_en": area.promise_en, "moderation_mode": settings.moderation_mode.value,
            "auto_hide_reports": settings.auto_hide_reports, "days_to_first_answer": settings.days_to_first_answer}
    flags = {"is_open": area.is_open, "votes_follow_rounds": settings.votes_follow_rounds,
             "comments_follow_rounds": settings.comments_follow_rounds}
    data.update({name: "y" for name, on in flags.items() if on})
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_reparenting_refuses_cycles_at_any_depth(client, admin, make_area):
    top, middle, bottom = make_area(slug="top"), make_area(slug="middle"), make_area(slug="bottom")
    middle.parent_id, bottom.parent_id = top.id, middle.id
    db.session.commit()
    for slug in ("bottom", "middle", "top"):
        response = client.post("/admin/areas/top", _edit(_area("top"), parent=slug))
        assert response.status_code == 400, slug
        assert "จะเกิดวงวน" in response.get_data(as_text=True)
    assert _area("top").parent_id is None
    # The form offers neither the area itself nor what is below it.
    page = client.get("/admin/areas/top").get_data(as_text=True)
    parent_select = re.search(r'<select[^>]*name="parent".*?</select>', page, re.S).group(0)
    assert 'value="middle"' not in parent_select and 'value="top"' not in parent_select
    # The command line refuses it the same way.
    from idea4gov.areas.cli import areas_cli  # noqa: F401  (registered on the app)

    result = client.app.test_cli_runner().invoke(args=["areas", "update", "top", "--parent", "bottom"])
    assert result.exit_code == 1 and "วงวน" in result.output
    assert _area("top").parent_id is None


def test_moving_an_area_keeps_its_ideas_themes_and_children(client, admin, make_area, make_idea):
    chonburi = make_area(slug="chonburi", themes=())
    make_area(slug="rayong", themes=())
    town, community = make_area(slug="town"), make_area(slug="community")
    town.parent_id, community.parent_id = chonburi.id, town.id
    db.session.commit()
    idea = make_idea(area=town)
    assert '<option selected value="chonburi">' in client.get("/admin/areas/town").get_data(as_text=True)
    assert client.post("/admin/areas/town", _edit(_area("town"), parent="rayong")).status_code == 302
    town = _area("town")
    assert town.parent.slug == "rayong" and [child.slug for child in town.children] == ["community"]
    assert db.session.get(Idea, idea.id).area_id == town.id and len(town.themes) == 1
    assert ("area_move", "", "chonburi", "rayong") in _actions(town)
    assert "พื้นที่ rayong" in client.get("/areas/community").get_data(as_text=True)  # the breadcrumb follows


def test_details_promise_and_settings_are_saved_together_and_audited_field_by_field(client, admin, make_area):
    area = make_area(slug="saensuk")
    response = client.post("/admin/areas/saensuk", _edit(
        area, name_en="Saensuk Town", iap2_level="involve",
        promise_th="เทศบาลจะชวนผู้เสนอไอเดียมาร่วมออกแบบโครงการในเวทีประชาคมทุกเดือน",
        promise_en="We will invite the authors to design the projects with us at monthly forums.",
        moderation_mode="pre", days_to_first_answer="30", votes_follow_rounds="y"))
    assert response.status_code == 302
    area = _area("saensuk")
    settings = settings_of(area)
    assert (area.name_en, area.iap2_level, settings.moderation_mode, settings.days_to_first_answer,
            settings.votes_follow_rounds, settings.comments_follow_rounds) == (
        "Saensuk Town", IAP2Level.involve, ModerationMode.pre, 30, True, False)
    form = client.get("/admin/areas/saensuk").get_data(as_text=True)
    assert '<option selected value="involve">' in form and '<option selected value="pre">' in form
    assert re.search(r'<input[^>]* checked[^>]*name="votes_follow_rounds"', form)
    logged = {(action, reason) for action, reason, _before, _after in _actions(area)}
    assert {("area_update", "name_en"), ("area_update", "iap2_level"), ("area_update", "promise_th"),
            ("area_settings", "moderation_mode"), ("area_settings", "days_to_first_answer"),
            ("area_settings", "votes_follow_rounds")} <= logged
    # A refused edit keeps what was typed.
    bad = client.post("/admin/areas/saensuk", _edit(area, name_en="Saensuk Town renamed", days_to_first_answer="0"))
    assert bad.status_code == 400 and 'value="Saensuk Town renamed"' in bad.get_data(as_text=True)
    assert _area("saensuk").name_en == "Saensuk Town"


def test_close_open_and_archive_keep_everything(client, admin, make_area, make_idea, make_user):
    area = make_area(slug="saensuk")
    idea = make_idea(area=area)
    from idea4gov.ideas import services

    services.vote(idea, make_user())
    services.add_comment(idea, make_user(), "เห็นด้วยครับ")
    db.session.commit()
    assert client.post("/admin/areas/saensuk/close").status_code == 302
    assert _area("saensuk").state == "closed"
    assert client.post("/admin/areas/saensuk/open").status_code == 302
    assert _area("saensuk").state == "open"
    unconfirmed = client.post("/admin/areas/saensuk/archive", {"reason": "จบโครงการนำร่อง"})
    assert unconfirmed.status_code == 400 and "กรุณายืนยันก่อนเก็บถาวร" in unconfirmed.get_data(as_text=True)
    assert client.post("/admin/areas/saensuk/archive", {"reason": "จบโครงการนำร่อง", "confirm": "y"}).status_code == 302
    area = _area("saensuk")
    assert area.state == "archived" and not area.is_open and area.archived_at is not None
    assert [row[0] for row in _actions(area)] == ["area_close", "area_open", "area_archive"]
    assert _actions(area)[-1][1] == "จบโครงการนำร่อง"
    counts = [db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Idea, Vote, Comment)]
    assert counts == [1, 1, 1]
    # Read-only: the admin form refuses changes until it is taken out of the archive (closed).
    assert client.post("/admin/areas/saensuk", _edit(area, name_en="Changed")).status_code == 409
    assert client.post("/admin/areas/saensuk/open").status_code == 303
    assert client.post("/admin/areas/saensuk/unarchive").status_code == 302
    assert _area("saensuk").state == "closed"


def test_an_organiser_runs_themes_and_rounds_of_their_area_only(client, make_area, make_staff):
    area, other = make_area(slug="saensuk"), make_area(slug="huawiang")
    organiser = make_staff("organiser", area)
    client.login(organiser)
    page = client.get("/admin/areas/saensuk")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="themes"' in html and 'name="name_th"' not in html
    assert client.post("/admin/areas/saensuk", _edit(area, name_en="Mine now")).status_code == 403
    assert client.post("/admin/areas/saensuk/close").status_code == 403
    assert client.get("/admin/areas").status_code == 403
    added = client.post("/admin/areas/saensuk/themes", {"title_th": "ทางเท้า", "title_en": "Footpaths"})
    assert added.status_code == 302
    assert [theme.slug for theme in _area("saensuk").themes] == ["beach", "footpaths"]
    assert client.post("/admin/areas/huawiang/themes", {"title_th": "ทางเท้า", "title_en": "Footpaths"}).status_code == 403
    assert client.get("/admin/areas/huawiang").status_code == 403
    assert len(_area("huawiang").themes) == len(other.themes)


def test_area_page_has_breadcrumb_and_lists_children_with_counts(client, make_area, make_idea):
    province = make_area(slug="chonburi", themes=())
    town, village = make_area(slug="saensuk"), make_area(slug="bangsaen")
    town.parent_id, village.parent_id = province.id, town.id
    db.session.commit()
    make_idea(area=town)
    make_idea(area=village)
    html = client.get("/areas/bangsaen").get_data(as_text=True)
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert crumbs.index("พื้นที่ chonburi") < crumbs.index("พื้นที่ saensuk") < crumbs.index("พื้นที่ bangsaen")
    assert 'aria-current="page">พื้นที่ bangsaen' in crumbs
    province_page = client.get("/areas/chonburi").get_data(as_text=True)
    children = re.search(r'<section class="children".*?</section>', province_page, re.S).group(0)
    assert "พื้นที่ saensuk" in children and "2 ไอเดีย" in children and "1 พื้นที่ย่อย" in children
    # A province with no themes of its own offers no empty search, no "be the first" and no post button.
    assert 'role="search"' not in province_page and "เสนอไอเดียใหม่" not in province_page
    # The home page shows the province with its municipality.
    home = client.get("/").get_data(as_text=True)
    assert home.index("พื้นที่ chonburi") < home.index("พื้นที่ saensuk")


def test_area_page_queries_do_not_grow_with_depth_or_children(client, make_area):
    root = make_area(slug="root")
    leaf = make_area(slug="leaf")
    leaf.parent_id = root.id
    db.session.commit()
    for _ in range(2):
        db.session.add(Area(slug=f"child-{_}", name_th="ลูก", name_en="Child", parent_id=leaf.id))
    db.session.commit()

    def queries(url: str) -> int:
        client.get(url)
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = queries("/areas/leaf")
    parent = root
    for depth in range(4):
        above = Area(slug=f"above-{depth}", name_th="ชั้นบน", name_en="Above")
        db.session.add(above)
        db.session.flush()
        parent.parent_id = above.id
        parent = above
    for number in range(2, 8):
        db.session.add(Area(slug=f"child-{number}", name_th="ลูก", name_en="Child", parent_id=leaf.id))
    db.session.commit()
    assert queries("/areas/leaf") == few


def test_areas_command_line_creates_updates_closes_and_lists_in_thai(runner):
    result = runner.invoke(args=["areas", "create", "chonburi", "--name-th", "จังหวัดชลบุรี", "--name-en", "Chonburi"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=[
        "areas", "create", "saensuk", "--name-th", "เทศบาลเมืองแสนสุข", "--name-en", "Saensuk", "--parent", "chonburi",
        "--iap2", "collaborate", "--promise-th", "เทศบาลจะร่วมออกแบบทางแก้กับชาวบ้านและนำข้อเสนอไปใช้ให้มากที่สุด"])
    assert result.exit_code == 0, result.output
    town = _area("saensuk")
    assert (town.parent.slug, town.iap2_level, town.promise_en.startswith("We will look to you")) == (
        "chonburi", IAP2Level.collaborate, True)
    assert runner.invoke(args=["areas", "update", "saensuk", "--days-to-first-answer", "21",
                               "--moderation", "pre"]).exit_code == 0
    assert (settings_of(_area("saensuk")).days_to_first_answer, settings_of(_area("saensuk")).moderation_mode) == (
        21, ModerationMode.pre)
    bad = runner.invoke(args=["areas", "create", "Bad Slug", "--name-th", "ผิด", "--name-en", "Bad"])
    assert bad.exit_code == 1 and "--slug:" in bad.output
    assert runner.invoke(args=["areas", "close", "saensuk"]).exit_code == 0
    assert _area("saensuk").state == "closed"
    listing = runner.invoke(args=["areas", "list"])
    assert listing.exit_code == 0
    lines = listing.output.splitlines()
    assert lines[0].split() == ["SLUG", "STATE", "IAP2", "IDEAS", "OPEN", "ROUND", "NAME"]
    assert lines[2].startswith("  saensuk") and "closed" in lines[2] and "เทศบาลเมืองแสนสุข" in lines[2]
    # Columns line up by what a terminal shows (Thai marks take no column).
    assert len({line.index(line.split()[1]) for line in lines[1:]}) == 1
    rows = runner.invoke(args=["areas", "list", "--json"]).output.splitlines()
    import json

    assert json.loads(rows[1])["parent"] == "chonburi" and json.loads(rows[1])["name_th"] == "เทศบาลเมืองแสนสุข"


def test_areas_list_is_utf8_even_on_an_ascii_terminal(app):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from idea4gov.areas import manage
    from idea4gov.areas.cli import areas_cli, width

    manage.create_area("chonburi", manage.AreaInput(name_th="จังหวัดชลบุรี", name_en="Chonburi"), None)
    db.session.commit()
    result = CliRunner(charset="ascii").invoke(areas_cli, ["list"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "จังหวัดชลบุรี".encode() in result.stdout_bytes
    assert width("จังหวัดชลบุรี") == 9 and width("ผู้ใหญ่") == 4


def test_the_programme_pages_in_english_have_no_thai_left(client, make_area, make_staff, make_round, make_user):
    from tests.test_i18n import choose, thai_left

    province = make_area(slug="chonburi", themes=())
    town = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"), ("market", "ตลาด", "Market")))
    town.parent_id = province.id
    from idea4gov.areas import manage

    manage.update_area(town, manage.AreaInput(iap2_level="involve"), None)
    db.session.commit()
    past = make_round(town, -30, -10, [town.themes[0]], title_th="รอบที่ 1", title_en="Round 1")
    make_round(town, 5, 30, [town.themes[1]], title_th="รอบที่ 2", title_en="Round 2")
    choose(client, "en")
    client.login(make_staff("admin"))
    pages = {
        "areas": client.get("/admin/areas"),
        "areas, refused": client.post("/admin/areas", {"slug": "Bad!", "name_th": "", "name_en": "Somewhere"}),
        "area": client.get("/admin/areas/saensuk"),
        "round": client.get(f"/admin/areas/saensuk/rounds/{past.id}"),
        "round, refused": client.post(f"/admin/areas/saensuk/rounds/{past.id}", {"title_th": "", "title_en": "R"}),
        "public area": client.get("/areas/saensuk"),
        "province": client.get("/areas/chonburi"),
        "home": client.get("/"),
    }
    client.logout()
    choose(client, "en")
    client.login(make_user())
    pages["closed form"] = client.get("/areas/saensuk/ideas/new")
    for what, response in pages.items():
        assert response.status_code < 500, what
        # The change log shows what staff typed (a Thai promise, say) as it was typed.
        html = re.sub(r'<section class="card" id="history">.*?</section>', "", response.get_data(as_text=True),
                      flags=re.S)
        assert thai_left(html) == [], what
