"""Receipts: reference numbers (unique, never reused, race-safe), the look-up, the e-mail receipt,
and where residents see the number (idea page, my account, the API)."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from test_triage_mail import smtp  # noqa: F401  (fixture: a real SMTP server on loopback)

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility
from idea4gov.receipts import services as receipts
from idea4gov.receipts.models import ReferenceCounter
from idea4gov.timeutil import to_bangkok

BODY = "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภททุก 100 เมตร"


def this_year() -> int:
    return to_bangkok(datetime.now(UTC)).year + 543


# --- numbers -------------------------------------------------------------------------------------


def test_every_new_idea_gets_the_next_number_of_its_area_and_year(app, make_area, make_idea):
    saensuk = make_area(slug="saensuk")
    huawiang = make_area(slug="huawiang")
    assert (saensuk.ref_code, huawiang.ref_code) == ("SNS", "HWN")  # derived from the slugs when created
    first, second = make_idea(area=saensuk), make_idea(area=saensuk)
    other = make_idea(area=huawiang)
    year = this_year()
    assert [first.reference, second.reference] == [f"SNS-{year}-00001", f"SNS-{year}-00002"]
    assert other.reference == f"HWN-{year}-00001"
    assert db.session.get(ReferenceCounter, (saensuk.id, year)).last_number == 2


def test_a_refused_idea_uses_no_number_and_numbers_are_never_reused(app, make_area, make_user):
    from idea4gov.ideas import services

    area = make_area(slug="bangsaen")
    author = make_user()
    data = services.IdeaInput("เพิ่มถังขยะริมชายหาดบางแสน", BODY, area.themes[0])
    first = services.create_idea(area, author, data)
    db.session.commit()
    with pytest.raises(services.ServiceError):
        services.create_idea(area, author, data)  # the same text twice is refused
    db.session.rollback()
    # Hidden ideas keep their numbers: the next idea continues the sequence.
    first.visibility = Visibility.hidden
    db.session.commit()
    second = services.create_idea(area, make_user(), data)
    db.session.commit()
    assert first.reference.endswith("-00001") and second.reference.endswith("-00002")
    # The database refuses a reference given twice.
    second.reference = first.reference
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_codes_avoid_clashes_and_bulk_inserted_areas_get_one_on_first_use(app, make_area, make_idea):
    first = make_area(slug="saensuk")
    clash = make_area(slug="sansook")
    assert first.ref_code == "SNS" and clash.ref_code != "SNS" and receipts.is_valid_code(clash.ref_code)
    db.session.execute(sa.insert(Area).values(slug="bulk-area", name_th="พื้นที่นำเข้า", name_en="Bulk"))
    db.session.commit()
    bulk = db.session.scalar(sa.select(Area).where(Area.slug == "bulk-area"))
    assert bulk.ref_code is None
    from idea4gov.areas.models import Theme

    bulk.themes.append(Theme(slug="general", title_th="ทั่วไป", title_en="General"))
    db.session.commit()
    idea = make_idea(area=bulk)
    assert idea.reference.startswith(bulk.ref_code + "-") and bulk.ref_code == "BLK"
    for slug in ("", "ก-ข", "x", "a-very-long-slug-with-many-words"):
        assert all(receipts.is_valid_code(code) for code in receipts.code_candidates(slug, 7))


def test_concurrent_ideas_never_share_a_number(app, make_area, make_user):
    """Threads, each with its own connection, take numbers at once (PostgreSQL row lock, SQLite's
    single writer); every transaction holds its number a moment before committing."""
    from idea4gov.ideas import services

    area = make_area(slug="concurrent")
    authors = [make_user() for _ in range(12)]
    area_id, author_ids, theme_id = area.id, [a.id for a in authors], area.themes[0].id
    barrier = threading.Barrier(len(authors))
    errors: list[BaseException] = []

    def post(index: int) -> None:
        try:
            with app.app_context():
                from idea4gov.areas.models import Theme
                from idea4gov.auth.models import User

                place = db.session.get(Area, area_id)
                author = db.session.get(User, author_ids[index])
                data = services.IdeaInput(f"ไอเดียพร้อมกันหมายเลข {index}", f"{BODY} จุดที่ {index}",
                                          db.session.get(Theme, theme_id))
                barrier.wait(timeout=30)
                services.create_idea(place, author, data)
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(authors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    db.session.expire_all()
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in db.session.scalars(
        sa.select(Idea.reference).where(Idea.area_id == area_id)))
    assert numbers == list(range(1, len(authors) + 1))


def test_concurrent_allocation_on_separate_connections(app, make_area):
    """The bare counter under contention: 40 numbers from 8 threads, each number once."""
    area = make_area(slug="counter")
    area_id, year = area.id, this_year()
    taken: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def take() -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            for _ in range(5):
                number = receipts.next_number(area_id, year)
                db.session.commit()
                with lock:
                    taken.append(number)
            db.session.remove()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(taken) == list(range(1, 41))


# --- look-up -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "{ref}", "{ref_lower}", "  {ref}  ", "{code} {year} {short}", "{code}{year}{short}", "{code}–{year}–{seq}",
    "{thai}", "{fullwidth}", "{code}/{year}/{seq}",
])
def test_lookup_redirects_to_the_idea_whatever_the_typing(client, make_area, make_idea, typed):
    idea = make_idea(area=make_area(slug="saensuk"))
    code, year, seq = idea.reference.split("-")
    thai_digits = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in idea.reference)
    text = typed.format(ref=idea.reference, ref_lower=idea.reference.lower(), code=code, year=year, seq=seq,
                        short=str(int(seq)), thai=f"{code}-{year.translate(thai_digits)}-{seq.translate(thai_digits)}",
                        fullwidth=fullwidth)
    response = client.get("/ideas/lookup", query_string={"ref": text})
    assert response.status_code == 302, text
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}")


def test_lookup_gives_clear_pages_for_unknown_hidden_and_malformed_numbers(client, make_area, make_idea, make_user):
    author = make_user()
    idea = make_idea(area=make_area(slug="saensuk"), author=author)
    unknown = client.get("/ideas/lookup?ref=SNS-2569-99999")
    assert unknown.status_code == 404 and "SNS-2569-99999" in unknown.get_data(as_text=True)
    assert 'id="lookup-ref"' in unknown.get_data(as_text=True)  # the form is there to try again
    for junk in ("hello", "<script>alert(1)</script>", "SNS-25-1", "SNS-2569-0", "A" * 500, "SNS-2569-00001-9"):
        bad = client.get("/ideas/lookup", query_string={"ref": junk})
        assert bad.status_code == 400, junk
        assert "<script>alert(1)" not in bad.get_data(as_text=True)
    idea.visibility = Visibility.hidden
    db.session.commit()
    assert client.get(f"/ideas/lookup?ref={idea.reference}").status_code == 404
    client.login(author)  # the author still finds their own idea
    assert client.get(f"/ideas/lookup?ref={idea.reference}").status_code == 302
    empty = client.get("/ideas/lookup")
    assert empty.status_code == 200 and "เลขที่รับเรื่อง" in empty.get_data(as_text=True)
    english = client.get("/ideas/lookup?ref=nope&lang=en")
    assert english.status_code == 400 and "reference number" in english.get_data(as_text=True)


def test_residents_find_the_lookup_box(client):
    home = client.get("/").get_data(as_text=True)
    assert 'action="/ideas/lookup"' in home


# --- where the number shows ----------------------------------------------------------------------


def test_number_on_the_idea_page_in_my_ideas_and_in_the_api(client, make_area, make_user, make_idea):
    author = make_user()
    idea = make_idea(area=make_area(slug="saensuk"), author=author)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'data-testid="reference">{idea.reference}<' in page
    assert 'data-testid="first-answer-due"' in page
    client.login(author)
    assert idea.reference in client.get("/account/").get_data(as_text=True)
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["reference"] == idea.reference
    listed = client.get("/api/v1/areas/saensuk/ideas").get_json()["items"]
    assert listed[0]["reference"] == idea.reference


def test_posting_shows_the_number_and_mails_a_receipt(client, app, make_area, make_user, smtp):  # noqa: F811
    from idea4gov.deadlines.services import first_answer_due_day
    from idea4gov.timeutil import format_date

    area = make_area(slug="saensuk")
    author = make_user(email="resident@example.org", display_name="มาลี ศรีสุข")
    client.login(author)
    response = client.post("/areas/saensuk/ideas/new", {
        "title": "ติดไฟส่องสว่างทางเดินริมหาด", "body": BODY, "theme": area.themes[0].slug, "confirm_new": "1"},
        follow_redirects=True)
    idea = db.session.scalar(sa.select(Idea))
    assert response.status_code == 200 and idea.reference in response.get_data(as_text=True)
    [mail] = smtp.to("resident@example.org")
    assert idea.reference in mail["Subject"]
    body = mail.get_content()
    due = first_answer_due_day(idea)
    assert f"เลขที่รับเรื่อง: {idea.reference}" in body and f"Reference number: {idea.reference}" in body
    assert format_date(due, "th") in body and format_date(due, "en") in body
    assert f"/ideas/{idea.id}" in body and "----- English -----" in body
    # The API sends the same receipt.
    from tests.api_support import token_for

    token = token_for(author)
    created = client.api("POST", "/api/v1/areas/saensuk/ideas", token=token, json={
        "title": "ขอจุดล้างเท้าริมหาดเพิ่ม", "body": BODY + " อีกจุดหนึ่ง"})
    assert created.status_code == 201
    assert len(smtp.to("resident@example.org")) == 2


def test_receipt_carries_the_area_promise(app, make_area, make_idea):
    from idea4gov.areas.models import IAP2Level

    area = make_area(slug="saensuk")
    idea = make_idea(area=area)
    assert "สัญญา" not in receipts.receipt_mail(idea).body  # no promise stated: nothing shown
    area.iap2_level = IAP2Level.consult
    area.promise_th, area.promise_en = "ทุกไอเดียจะถูกพิจารณาในแผนชุมชน", "Every idea goes to the community plan"
    db.session.commit()
    body = receipts.receipt_mail(idea).body
    assert "ทุกไอเดียจะถูกพิจารณาในแผนชุมชน" in body and "Every idea goes to the community plan" in body
    assert "การปรึกษาหารือ" in body and "(Consult)" in body


def test_no_receipt_for_imported_paper_forms(app, make_area, make_user):
    from idea4gov.auth import services as auth_services
    from idea4gov.ideas import services

    area = make_area(slug="saensuk")
    importer = auth_services.register("import-saensuk@system.invalid", "นำเข้า", "correct-horse-battery-9")
    idea = services.create_idea(area, importer, services.IdeaInput("ไอเดียจากกระดาษที่เวทีชุมชน", BODY,
                                                                  area.themes[0]))
    assert idea.reference and receipts.receipt_mail(idea) is None
