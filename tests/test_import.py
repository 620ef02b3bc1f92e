"""`flask ideas import FILE.csv --area SLUG [--dry-run]`: every row validated, line numbers, all or nothing."""
from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from idea4gov.audit.models import AuditEntry
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas import importer
from idea4gov.ideas.models import Idea
from idea4gov.timeutil import as_utc
from tests.shortlist_support import TRICKY_BODY, TRICKY_TITLE

HEADER = ["title", "body", "theme", "place_name", "author_name", "submitted_at"]
GOOD = [
    [TRICKY_TITLE, TRICKY_BODY, "beach", "ซอย ๑๒", "ป้าแดง ใจดี", "2569-11-20"],
    ["เพิ่มถังขยะแยกประเภทริมหาดบางแสน", "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภททุก 100 เมตร",
     "beach", "", "", "2026-11-21 09:30"],
    ["จัดเวรเก็บขยะชายหาดทุกเช้าวันหยุด", "อาสาสมัครในชุมชนช่วยกันเก็บขยะชายหาดทุกเช้าวันเสาร์อาทิตย์ก่อนนักท่องเที่ยวมา",
     "beach", "", "", ""],
]


def _csv(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture()
def area(make_area):
    return make_area(slug="saensuk")


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Idea))


def _run(runner, tmp_path, content: bytes, *extra):
    path = tmp_path / "forms.csv"
    path.write_bytes(content)
    return runner.invoke(args=["ideas", "import", str(path), "--area", "saensuk", *extra])


def test_import_creates_every_idea_like_the_web_form(runner, client, tmp_path, area):
    result = _run(runner, tmp_path, _csv(GOOD))
    assert result.exit_code == 0, result.output
    assert "imported 3 ideas into saensuk" in result.output
    ideas = db.session.scalars(sa.select(Idea).order_by(Idea.id)).all()
    assert [i.title for i in ideas] == [row[0] for row in GOOD]
    first, second, third = ideas
    assert first.body == TRICKY_BODY and first.place_name == "ซอย ๑๒" and first.submitted_name == "ป้าแดง ใจดี"
    assert as_utc(first.created_at).isoformat() == "2026-11-20T05:00:00+00:00"  # noon Bangkok, 2569 BE = 2026
    assert as_utc(second.created_at).isoformat() == "2026-11-21T02:30:00+00:00"
    assert third.submitted_name is None and third.place_name is None
    author = db.session.get(User, first.author_id)
    assert author.display_name == importer.IMPORT_ACCOUNT_NAME and author.password_hash == "!"
    assert {i.author_id for i in ideas} == {author.id}
    assert all(i.search_tokens for i in ideas)
    # Found by Thai search like any idea.
    html = client.get("/areas/saensuk", query_string={"q": "ถังขยะ"}).get_data(as_text=True)
    assert "เพิ่มถังขยะแยกประเภทริมหาดบางแสน" in html
    assert db.session.scalar(sa.select(AuditEntry.after).where(AuditEntry.action == "import_ideas")) == "3"


def test_imported_near_duplicates_are_grouped(runner, tmp_path, area, make_idea):
    existing = make_idea(area=area, title="เพิ่มถังขยะแยกประเภทริมหาดบางแสน",
                         body="ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภททุก 100 เมตร")
    result = _run(runner, tmp_path, _csv([GOOD[1]]))
    assert result.exit_code == 0, result.output
    imported = db.session.scalar(sa.select(Idea).where(Idea.id != existing.id))
    db.session.refresh(existing)
    assert imported.group_id is not None and imported.group_id == existing.group_id


def test_plain_utf8_without_bom_is_accepted(runner, tmp_path, area):
    result = _run(runner, tmp_path, _csv(GOOD[:1], encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(Idea.title)) == TRICKY_TITLE


def test_thai_windows_encoding_is_refused_with_a_clear_message(runner, tmp_path, area):
    rows = [["เพิ่มถังขยะแยกประเภทริมหาดบางแสน", "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภท", "beach",
             "", "", ""]]
    result = _run(runner, tmp_path, _csv(rows, encoding="cp874"))
    assert result.exit_code == 1
    assert "not UTF-8" in result.output and "line 2" in result.output and "nothing imported" in result.output
    assert _count() == 0


def test_row_errors_name_their_lines_and_nothing_is_written(runner, tmp_path, area):
    rows = [
        GOOD[0],                                             # line 2..3 (the body has a line break)
        ["สั้น", GOOD[1][1], "beach", "", "", ""],            # line 4: title too short
        [GOOD[1][0], GOOD[1][1], "no-such-theme", "", "", ""],  # line 5
        [GOOD[2][0], "สั้นไป", "beach", "", "", "2026-02-30"],  # line 6: body and date
        [GOOD[2][0], GOOD[2][1], "beach", "ก" * 201, "", "2199-01-01"],  # line 7: place and future date
        ["<b></b>" * 5, GOOD[1][1], "beach", "", "", ""],       # line 8: empty once cleaned
    ]
    result = _run(runner, tmp_path, _csv(rows))
    assert result.exit_code == 1
    out = result.output
    for expected in ("line 4: title", "line 5: theme: 'no-such-theme'", "line 6: body", "line 6: submitted_at",
                     "line 7: place_name", "line 7: submitted_at: is in the future", "line 8: title",
                     "7 errors in 6 rows; nothing imported"):
        assert expected in out, (expected, out)
    assert "line 2" not in out and "line 3" not in out
    assert _count() == 0


def test_dry_run_validates_and_writes_nothing(runner, tmp_path, area):
    result = _run(runner, tmp_path, _csv(GOOD), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: 3 rows valid" in result.output
    assert _count() == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_dry_run_reports_errors_too(runner, tmp_path, area):
    result = _run(runner, tmp_path, _csv([["สั้น", "สั้น", "beach", "", "", ""]]), "--dry-run")
    assert result.exit_code == 1 and "line 2: title" in result.output and "line 2: body" in result.output


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (_csv([], header=["title", "body"]), "missing: theme"),
    (_csv([], header=["title", "body", "theme", "email"]), "unknown: email"),
    (_csv([], header=["title", "body", "theme", "title"]), "each once"),
    (b"PK\x03\x04\x00\x00", "NUL"),
])
def test_bad_files_are_refused(runner, tmp_path, area, content, message):
    result = _run(runner, tmp_path, content)
    assert result.exit_code == 1 and message in result.output, result.output
    assert _count() == 0


def test_too_many_rows_or_bytes_are_refused(runner, tmp_path, area, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    result = _run(runner, tmp_path, _csv(GOOD))
    assert result.exit_code == 1 and "more than 2 rows" in result.output
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    result = _run(runner, tmp_path, _csv(GOOD))
    assert result.exit_code == 1 and "the limit is 100" in result.output
    assert _count() == 0


def test_wrong_cell_count_and_unknown_area(runner, tmp_path, area):
    result = _run(runner, tmp_path, _csv([GOOD[2][:2]]))
    assert result.exit_code == 1 and "line 2: -: has 2 cells" in result.output
    path = tmp_path / "x.csv"
    path.write_bytes(_csv(GOOD))
    missing = runner.invoke(args=["ideas", "import", str(path), "--area", "nowhere"])
    assert missing.exit_code == 1 and "no area 'nowhere'" in missing.output
    no_file = runner.invoke(args=["ideas", "import", str(tmp_path / "none.csv"), "--area", "saensuk"])
    assert no_file.exit_code == 1


def test_closed_area_takes_no_import(runner, tmp_path, make_area):
    make_area(slug="saensuk", is_open=False)
    result = _run(runner, tmp_path, _csv(GOOD))
    assert result.exit_code == 1 and "closed" in result.output
    assert _count() == 0


def test_import_account_is_reused(runner, tmp_path, area):
    _run(runner, tmp_path, _csv(GOOD[:1]))
    _run(runner, tmp_path, _csv(GOOD[1:2]))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert _count() == 2


@pytest.mark.parametrize("when", ["0001-01-01 00:00", "0001-01-01", "9999-12-31 23:59", "1899-12-31", "2401-01-01"])
def test_a_date_far_outside_any_real_form_is_a_clear_row_error(runner, tmp_path, area, when):
    result = _run(runner, tmp_path, _csv([GOOD[1][:5] + [when]]))
    assert result.exit_code == 1
    assert f"line 2: submitted_at: {when!r} is out of range: the year must be 1900–2200" in result.output, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert _count() == 0
