"""Pages a phone loads fast: the area page within its transfer budget (bench/transfer.py measures
every main page), fonts subset and, like CSS and JS, served with versioned, year-long URLs."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from transfer import FIRST_VISIT_BUDGET, REPEAT_VISIT_BUDGET, measure  # noqa: E402

TITLES = [
    "เพิ่มถังขยะแยกประเภทริมหาดบางแสนทุก 100 เมตร", "ขอไฟส่องสว่างบนทางเดินริมหาดตอนกลางคืน",
    "จัดจุดรับขยะรีไซเคิลให้ร้านค้าริมหาด", "ทางเท้าริมหาดชำรุด ผู้สูงอายุเดินลำบาก",
]


@pytest.fixture()
def full_area(make_area, make_idea, make_user):
    area = make_area(slug="saensuk")
    author = make_user()
    for n in range(25):  # more than a page: 20 cards and the pagination
        make_idea(area=area, author=author, title=f"{TITLES[n % 4]} ({n + 1})",
                  body="ขยะบนชายหาดเยอะมากโดยเฉพาะช่วงวันหยุดยาว ขวดพลาสติกและถุงลอยมาติดริมหาดทุกเช้า " * 3)
    return area


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_area_page_within_the_budget_first_and_repeat_visit(client, full_area, make_user, who):
    if who == "resident":
        client.login(make_user())
    result = measure(client.raw, "/areas/saensuk")
    assert result.first_bytes <= FIRST_VISIT_BUDGET, result.parts
    assert result.repeat_bytes <= REPEAT_VISIT_BUDGET, result.parts
    # HTML, two style sheets, the script, the text-size script (in <head>, before the first paint:
    # the reader's size from its cookie) and one font per weight (the map's files load only when it
    # comes near the screen); only the HTML is asked again.
    assert result.first_requests == 7 and result.repeat_requests == 1, result.parts
    fonts = [url for url, _size, _kept in result.parts if url.endswith(".woff2") or ".woff2?" in url]
    assert len(fonts) == 2 and all("?v=" in url for url in fonts)


def test_static_files_have_versioned_urls_kept_a_year(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "/static/css/app.css?v=" in page and "/static/js/app.js?v=" in page
    css = client.get("/static/vendor/sarabun-5.3.0/sarabun.css")
    assert css.headers["Cache-Control"] == "no-cache"  # unversioned: revalidated
    versioned = [line for line in page.split('"') if line.startswith("/static/vendor/sarabun-5.3.0/sarabun.css?v=")]
    kept = client.get(versioned[0].replace("&amp;", "&"))
    assert kept.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = client.get("/static/css/app.css?v=0000000000")  # an old release's URL: not kept forever
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    for response in (css, kept, stale):
        response.close()


def test_the_subset_font_covers_thai_and_the_latin_the_pages_use():
    from fontTools.ttLib import TTFont

    folder = Path(__file__).resolve().parents[1] / "static" / "vendor" / "sarabun-5.3.0"
    for weight in (400, 700):
        font = TTFont(folder / f"sarabun-{weight}.woff2")
        cmap = font.getBestCmap()
        assert all(cp in cmap for cp in range(0x0E01, 0x0E3B)) and all(cp in cmap for cp in range(0x0E3F, 0x0E5C))
        assert all(chr(cp) in "".join(map(chr, cmap)) for cp in range(0x20, 0x7F))
        assert {0x2013, 0x2014, 0x201C, 0x201D, 0x2026, 0x00E9} <= set(cmap)
        assert (folder / f"sarabun-{weight}.woff2").stat().st_size < 20_000
        assert "GPOS" in font and "mark" in {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
