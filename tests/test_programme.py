"""Results by Thai fiscal year: /programme for admins and programme viewers, drill-down, CSV and
XLSX, SVG charts, the public results page of an area, the programme viewer role."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from idea4gov.areas.settings import settings_of
from idea4gov.auth.models import Role, User
from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, IdeaStatus, Visibility, Vote
from idea4gov.programme import fiscal
from idea4gov.triage.models import Agency
from tests.db_support import count_queries

BODY = "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภททุก 100 เมตร"


def bkk(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture()
def programme(app, make_area, make_user, make_idea, make_staff):
    """Two areas with ideas around fiscal year 2569 (1 Oct 2025 – 30 Sep 2026, Bangkok time)."""
    from idea4gov.deadlines.services import load_shipped

    load_shipped()  # the Thai holidays: Makha Bucha and Songkran 2569 matter below
    saensuk = make_area(slug="saensuk")
    huawiang = make_area(slug="huawiang")
    works = Agency(area_id=saensuk.id, name_th="กองช่าง", name_en="Public works")
    db.session.add(works)
    settings_of(saensuk).days_to_first_answer = 2
    db.session.commit()
    u1, u2, u3, u4 = (make_user() for _ in range(4))

    def idea(area, author, when, **fields):  # noqa: ANN001, ANN202
        made = make_idea(area=area, author=author, title=f"ไอเดียทดสอบปีงบ {when.isoformat()[:16]}")
        made.created_at = when
        for name, value in fields.items():
            setattr(made, name, value)
        db.session.commit()
        return made

    # Mon 2 Mar 2569 (Tue 3 Mar is Makha Bucha); answered Wed 4 Mar: 1 working day, due Thu 5: on time.
    i1 = idea(saensuk, u1, bkk(2026, 3, 2), agency_id=works.id, status=IdeaStatus.accepted,
              first_answered_at=bkk(2026, 3, 4, 15))
    # Thu 9 Apr 17:00 (after hours) → received Fri 10 Apr; Songkran; answered Mon 20 Apr: 3 working
    # days, due Fri 17 Apr: late.
    i2 = idea(saensuk, u1, bkk(2026, 4, 9, 17), agency_id=works.id, status=IdeaStatus.implemented,
              first_answered_at=bkk(2026, 4, 20, 9))
    # The last evening of the fiscal year, never answered: due long ago, late.
    i3 = idea(saensuk, u2, bkk(2026, 9, 30, 23, 30))
    # A merged duplicate counts as received, not for "on time".
    i5 = idea(saensuk, u3, bkk(2026, 5, 5))
    i5.status, i5.merged_into_id = IdeaStatus.duplicate, i1.id
    # Ten minutes into fiscal year 2570, and a hidden idea: not in 2569.
    idea(saensuk, u3, bkk(2026, 10, 1, 0, 10))
    idea(saensuk, u4, bkk(2026, 2, 1), visibility=Visibility.hidden)
    idea(huawiang, u4, bkk(2026, 6, 1))
    db.session.add_all([
        Vote(idea_id=i1.id, user_id=u2.id, created_at=bkk(2026, 3, 10)),
        Vote(idea_id=i1.id, user_id=u4.id, created_at=bkk(2026, 11, 10)),  # fiscal year 2570
        Comment(idea_id=i2.id, author_id=u4.id, body="เห็นด้วยครับ", created_at=bkk(2026, 4, 11)),
    ])
    db.session.commit()
    return {"saensuk": saensuk, "huawiang": huawiang, "works": works, "ideas": (i1, i2, i3, i5),
            "viewer": make_staff("programme_viewer"), "admin": make_staff("admin")}


def test_fiscal_years_run_october_to_september_in_the_buddhist_era():
    fy = fiscal.FiscalYear(2569)
    assert (fy.first_day, fy.last_day) == (date(2025, 10, 1), date(2026, 9, 30))
    assert fy.start == datetime(2025, 9, 30, 17, tzinfo=UTC) and fy.end == datetime(2026, 9, 30, 17, tzinfo=UTC)
    assert fy.contains(bkk(2026, 9, 30, 23, 59)) and not fy.contains(bkk(2026, 10, 1, 0, 0))
    assert fiscal.current(bkk(2026, 9, 30, 23)).be == 2569
    assert fiscal.current(bkk(2026, 10, 1, 0, 1)).be == 2570
    assert fiscal.parse("๒๕๖๙").be == 2569 and fiscal.parse(" 2569 ").be == 2569
    with pytest.raises(fiscal.FiscalYearError) as ce:
        fiscal.parse("2026")
    assert ce.value.redirect_to == 2569
    for junk in ("abc", "-1", "0", "25.69", "99999999999", "2569; DROP TABLE ideas", "3000"):
        with pytest.raises(fiscal.FiscalYearError) as error:
            fiscal.parse(junk)
        assert error.value.redirect_to is None, junk


def test_programme_figures_per_area_and_agency(client, programme):
    from idea4gov.programme import services

    found = services.results(fiscal.FiscalYear(2569))
    by_slug = {result.area.slug: result for result in found.areas}
    area = by_slug["saensuk"].figures
    assert (area.ideas, area.participants, area.due, area.on_time) == (4, 4, 3, 1)
    assert area.on_time_percent == 33.3 and area.median_days == 2.0
    assert (area.accepted, area.implemented) == (2, 1)
    agencies = {(agency.name_th if agency else None): figures for agency, figures in by_slug["saensuk"].agencies}
    works, unrouted = agencies["กองช่าง"], agencies[None]
    assert (works.ideas, works.participants, works.due, works.on_time, works.median_days) == (2, 3, 2, 1, 2.0)
    assert (unrouted.ideas, unrouted.participants, unrouted.due, unrouted.on_time) == (2, 2, 1, 0)
    assert by_slug["huawiang"].figures.ideas == 1
    # A person active in both areas counts once in all.
    assert found.total.ideas == 5 and found.total.participants == 4
    assert services.results(fiscal.FiscalYear(2570)).total.ideas == 1


def test_programme_page_tables_charts_and_drill_down(client, programme):
    client.login(programme["viewer"])
    response = client.get("/programme?fy=2569")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ปีงบประมาณ 2569" in html and "1 ต.ค. 2568" in html and "30 ก.ย. 2569" in html
    assert html.count("<svg") == 2 and "<script" not in html.split("</head>")[1]
    assert "33.3%" in html and "ยังไม่มีข้อมูล" in html and "กองช่าง" in html
    drill = client.get("/programme/areas/saensuk?fy=2569")
    assert drill.status_code == 200 and drill.get_data(as_text=True).count("<svg") == 3
    assert client.get("/programme/areas/nowhere?fy=2569").status_code == 404
    english = client.get("/programme?fy=2569&lang=en").get_data(as_text=True)
    assert "Fiscal year 2569" in english and "No data yet" in english


def test_programme_downloads_csv_and_xlsx(client, programme):
    from openpyxl import load_workbook

    programme["works"].name_th = "=HYPERLINK(\"http://evil.example\")"
    db.session.commit()
    client.login(programme["admin"])
    csv_response = client.get("/programme/export.csv?fy=2569")
    assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
    assert csv_response.data.startswith(b"\xef\xbb\xbf")
    assert "programme-2569.csv" in csv_response.headers["Content-Disposition"]
    lines = csv_response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ปีงบประมาณ (fiscal_year),ระดับ (level)")
    assert lines[1].startswith("2569,total,ทุกพื้นที่,,5,4,")
    assert any(line.startswith("2569,area,พื้นที่ saensuk,,4,4,3,1,33.3,2.0,2,1,ยังไม่มีข้อมูล") for line in lines)
    assert any("\"'=HYPERLINK" in line for line in lines)  # formula-safe: a quote before the =
    xlsx = client.get("/programme/export.xlsx?fy=2569&area=saensuk")
    assert xlsx.status_code == 200 and "programme-2569-saensuk.xlsx" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == (2569, "total", "ทุกพื้นที่", None, 4, 4)
    assert any(row[3] == "=HYPERLINK(\"http://evil.example\")" for row in rows)
    assert sheet.cell(row=1, column=1).font.bold
    assert client.get("/programme/export.pdf?fy=2569").status_code == 404
    assert client.get("/programme/export.csv?fy=abc").status_code == 400


@pytest.mark.parametrize(("fy", "status"), [("abc", 400), ("1", 400), ("99999999999", 400), ("๒๕๖๙", 200),
                                            ("", 200), ("2569", 200), ("%00", 400), ("2569.5", 400)])
def test_bad_fiscal_years_get_a_clear_answer(client, programme, fy, status):
    client.login(programme["viewer"])
    for url in ("/programme", "/programme/areas/saensuk", "/areas/saensuk/results"):
        response = client.get(url, query_string={"fy": fy})
        assert response.status_code == status, (url, fy)
        if status == 400:
            assert "ปีงบประมาณ" in response.get_data(as_text=True)


def test_a_ce_year_redirects_to_the_buddhist_era(client, programme):
    client.login(programme["viewer"])
    response = client.get("/programme?fy=2026")
    assert response.status_code == 302 and response.headers["Location"].endswith("/programme?fy=2569")
    public = client.get("/areas/saensuk/results?fy=2026")
    assert public.status_code == 302 and "fy=2569" in public.headers["Location"]


def test_only_admins_and_programme_viewers_see_the_programme(client, programme, make_user, make_staff):
    assert client.get("/programme").status_code == 302  # log in first
    for person in (make_user(), make_staff("officer", programme["saensuk"]),
                   make_staff("organiser", programme["saensuk"])):
        client.login(person)
        for url in ("/programme", "/programme/areas/saensuk", "/programme/export.csv"):
            assert client.get(url).status_code == 403, url
        client.logout()
    client.login(programme["viewer"])
    assert client.get("/programme").status_code == 200
    assert "/programme" in client.get("/").get_data(as_text=True)  # the header links it
    # Read only: a programme viewer is no admin, officer or moderator.
    for url in ("/admin/", "/admin/users", "/triage/saensuk", "/moderation/", "/admin/holidays"):
        assert client.get(url).status_code == 403, url


def test_programme_page_runs_a_fixed_number_of_queries(client, programme, make_area, make_idea):
    client.login(programme["viewer"])
    client.get("/programme?fy=2569")
    db.session.expire_all()
    with count_queries() as few:
        assert client.get("/programme?fy=2569").status_code == 200
    for _ in range(4):
        area = make_area()
        db.session.add(Agency(area_id=area.id, name_th=f"หน่วยงาน {area.slug}"))
        db.session.commit()
        extra = make_idea(area=area)
        extra.created_at = bkk(2026, 5, 1)
        db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        assert client.get("/programme?fy=2569").status_code == 200
    assert len(many) == len(few)


def test_public_results_page_shows_the_key_figures(client, programme):
    response = client.get("/areas/saensuk/results?fy=2569")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="figure-ideas">4<' in html and 'data-testid="figure-participants">4<' in html
    assert 'data-testid="figure-on-time">33.3%<' in html and 'data-testid="figure-median">2.0<' in html
    assert 'data-testid="figure-accepted">2<' in html and 'data-testid="figure-implemented">1<' in html
    assert "ยังไม่มีข้อมูล" in html and "<svg" in html
    assert client.get("/areas/nowhere/results").status_code == 404
    assert "/areas/saensuk/results" in client.get("/areas/saensuk").get_data(as_text=True)


def test_programme_viewer_is_granted_from_the_command_line_and_the_admin_page(client, runner, make_user, make_staff,
                                                                              make_area):
    result = runner.invoke(args=["users", "create", "opdc@example.org", "--role", "programme_viewer",
                                 "--password", "correct-horse-battery-9"])
    assert result.exit_code == 0, result.output
    viewer = db.session.scalar(sa.select(User).where(User.email == "opdc@example.org"))
    assert viewer.role == Role.programme_viewer
    wrong = runner.invoke(args=["users", "create", "x@example.org", "--role", "programme_viewer", "--area", "x"])
    assert wrong.exit_code == 1
    assert "programme_viewer" in runner.invoke(args=["users", "list", "--staff"]).output
    area = make_area()
    client.login(make_staff("admin"))
    target = make_user()
    assert client.post(f"/admin/users/{target.id}/roles", {"role": "programme_viewer", "area": area.slug}
                       ).status_code == 400
    assert client.post(f"/admin/users/{target.id}/roles", {"role": "programme_viewer", "area": ""}).status_code == 302
    db.session.refresh(target)
    assert target.role == Role.programme_viewer
    assert "ผู้ติดตามผลการดำเนินงาน" in client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert client.post(f"/admin/users/{target.id}/roles/programme_viewer/revoke").status_code == 302
    db.session.refresh(target)
    assert target.role == Role.resident
