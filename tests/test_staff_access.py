"""Every staff endpoint, called by people who must not use it, is refused on the server.

The endpoints are read from the app's URL map, so a staff page added later is covered
as soon as it exists: its URL arguments must be known to `ARGS` below, or this fails.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import url_for

from idea4gov.extensions import db

#: Blueprint of the staff pages -> the role that uses them ("admin": admins only).
STAFF_BLUEPRINTS = {"moderation": "moderator", "admin": "admin", "triage": "officer", "shortlists": "organiser",
                    "deadlines": "admin", "programme": "programme_viewer", "joincodes": "organiser",
                    "project_manage": "officer", "eventadmin": "organiser"}
#: Public pages that live in a staff blueprint.
PUBLIC_ENDPOINTS = {"joincodes.join", "programme.public_results"}
#: Endpoints any staff member of the right kind may open without naming an object of an area.
UNSCOPED = {"moderation.queue", "moderation.bulk", "triage.index", "shortlists.index", "shortlists.create",
            "eventadmin.index", "eventadmin.create"}


def staff_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if blueprint in STAFF_BLUEPRINTS and rule.endpoint not in PUBLIC_ENDPOINTS:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                rules.append((rule, method))
    return rules


@pytest.fixture()
def world(make_area, make_user, make_idea, make_staff):
    """Area A with an idea and a comment; staff of area B; a resident."""
    from idea4gov.ideas import services

    area_a, area_b = make_area(slug="area-a"), make_area(slug="area-b")
    idea = make_idea(area=area_a)
    comment = services.add_comment(idea, make_user(), "ความคิดเห็นในพื้นที่ A")
    db.session.commit()
    other_staff = make_staff("moderator", area_b)
    shortlist = _shortlist(area_a, idea, make_staff, make_user)
    triage = _triage(area_a, idea, make_staff)
    for role in ("officer", "organiser"):
        from idea4gov.auth import staff
        from idea4gov.auth.models import Role

        staff.grant(other_staff, Role(role), area_b)
    db.session.commit()
    from idea4gov.joincodes.services import open_code

    join_code = open_code(area_a, make_staff("organiser", area_a), "เวทีประชาคมพื้นที่ A", 2, 10)
    db.session.commit()
    return {"area": area_a, "idea": idea, "comment": comment, "other_staff": other_staff,
            "resident": make_user(), "target_user": make_user(), "join_code": join_code, **shortlist, **triage,
            "round": _round(area_a), **_project(area_a, idea, make_staff),
            **_event(area_a, idea, make_staff, make_user)}


def _project(area, idea, make_staff) -> dict:
    """A project of area A holding the idea, with a milestone."""
    from idea4gov.projects import services
    from idea4gov.projects.models import PlanType

    officer = make_staff("officer", area)
    project = services.create_project(area, officer, services.ProjectInput("โครงการของพื้นที่ A", PlanType.other, 2569),
                                      [idea])
    milestone = services.add_milestone(project, officer, "ขั้นตอนแรก", None)
    db.session.commit()
    return {"project": project, "milestone": milestone}


def _event(area, idea, make_staff, make_user) -> dict:
    """An event of area A under way: a participant in a team with a final proposal, a criterion, a judge."""
    from datetime import timedelta

    from idea4gov.events.models import TeamMember
    from idea4gov.events.services import events, judging, proposals, teams
    from idea4gov.events.services.registration import register
    from idea4gov.joincodes.services import open_code
    from idea4gov.timeutil import utcnow

    organiser = make_staff("organiser", area)
    start = utcnow() - timedelta(hours=1)
    event = events.create_event(organiser, [area], events.EventInput(
        kind=events.EventKind.hackathon, title_th="แฮกกาธอนพื้นที่ A", title_en="", description_th="", description_en="",
        starts_at=start, ends_at=start + timedelta(days=1), place="หอประชุม", online_url="", capacity=10))
    events.publish(event, organiser)
    participant = make_user()
    code = open_code(area, organiser, "หน้างาน", 2, 10, event=event)
    registration = register(event, participant, code=code)
    team = teams.create_team(event, participant, "ทีม A")
    proposal = proposals.save(team, participant, proposals.ProposalInput(
        "ข้อเสนอของทีม A", "ปัญหาที่ชัดเจนพอสมควร", "ทางแก้ที่ทำได้จริง", "ชาวบ้านทั้งชุมชน", ideas=str(idea.id)))
    proposals.submit(proposal, participant)
    rubric = judging.rubric_of(event)
    event_criterion = rubric.add_criterion("ผลกระทบ", 1, organiser)
    event_judge = rubric.add_judge(make_user(), organiser)
    db.session.commit()
    member = db.session.scalar(sa.select(TeamMember).where(TeamMember.team_id == team.id))
    return {"event": event, "registration": registration, "team": team, "member": member, "proposal": proposal,
            "event_criterion": event_criterion, "event_judge": event_judge}



def _round(area):
    """A round of area A, yet to open, holding its theme."""
    from datetime import timedelta

    from idea4gov.areas.models import Round
    from idea4gov.timeutil import utcnow

    round_ = Round(area_id=area.id, title_th="รอบหน้า", title_en="Next round", opens_at=utcnow() + timedelta(days=30),
                   closes_at=utcnow() + timedelta(days=60), themes=list(area.themes))
    db.session.add(round_)
    db.session.commit()
    return round_


def _triage(area, idea, make_staff) -> dict:
    """An agency of area A, and a group in area A holding the idea, in an issue of that group."""
    from idea4gov.groups.models import IdeaGroup, IdeaIssue
    from idea4gov.triage.services import agencies

    agency = agencies.save_agency(area, make_staff("admin"), "กองสาธารณสุข", "Health", "")
    group = IdeaGroup(area_id=area.id)
    db.session.add(group)
    db.session.flush()
    issue = IdeaIssue(area_id=area.id, group_id=group.id, representative_id=idea.id, size=1)
    db.session.add(issue)
    db.session.flush()
    idea.group_id, idea.issue_id = group.id, issue.id
    db.session.commit()
    return {"agency": agency, "group": group, "issue": issue}


def _shortlist(area, idea, make_staff, make_user) -> dict:
    """A shortlist of area A with one idea, one criterion and one judge."""
    from idea4gov.shortlists import services

    organiser = make_staff("organiser", area)
    shortlist = services.create_shortlist(organiser, services.ShortlistInput("งานแฮกกาธอน", None, "", [area]))
    services.add_ideas(shortlist, [idea.id], organiser)
    criterion = services.add_criterion(shortlist, "ผลกระทบ", 2, organiser)
    judge = services.add_judge(shortlist, make_user(), organiser)
    db.session.commit()
    return {"shortlist": shortlist, "item": shortlist.items[0], "criterion": criterion, "judge": judge}


def url_args(rule, world) -> dict:
    values = {
        "slug": world["area"].slug,
        "idea_id": world["idea"].id,
        "comment_id": world["comment"].id,
        "item_id": world["idea"].id,
        "kind": "idea",
        "action": "approve",
        "user_id": world["target_user"].id,
        "role": "moderator",
        "group_id": world["group"].id,
        "issue_id": world["issue"].id,
        "agency_id": world["agency"].id,
        "name": "weekly",
        "shortlist_id": world["shortlist"].id,
        "criterion_id": world["criterion"].id,
        "judge_id": world["judge"].id,
        "fmt": "csv",
        "theme_id": world["area"].themes[0].id,
        "round_id": world["round"].id,
        "code_id": world["join_code"].id,
        "holiday_id": 1,
        "project_id": world["project"].id,
        "milestone_id": world["milestone"].id,
    }
    if rule.endpoint.startswith("shortlists.") and "item_id" in rule.arguments:
        values["item_id"] = world["item"].id
    if rule.endpoint.startswith("eventadmin."):
        values.update(event_id=world["event"].id, registration_id=world["registration"].id, action="checkin",
                      team_id=world["team"].id, member_id=world["member"].id, proposal_id=world["proposal"].id,
                      criterion_id=world["event_criterion"].id, judge_id=world["event_judge"].id)
    missing = [name for name in rule.arguments if name not in values]
    if missing:
        pytest.fail(f"{rule.endpoint}: no test value for {missing}; add one to url_args()")
    return {name: values[name] for name in rule.arguments}


def _call(client, app, rule, method, world):
    with app.test_request_context():
        url = url_for(rule.endpoint, **url_args(rule, world))
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"reason": "ทดสอบ", "items": f"idea:{world['idea'].id}",
                                  "action": "approve", "area": world["area"].slug,
                                  "areas": world["area"].id, "name": "รายการของคนอื่น", "idea_id": world["idea"].id})


def test_the_staff_pages_exist(app):
    endpoints = {rule.endpoint for rule, _method in staff_rules(app)}
    assert {"moderation.queue", "moderation.decide", "moderation.bulk", "admin.index", "admin.grant",
            "admin.block", "admin.audit_log", "admin.area_settings"} <= endpoints


def test_anonymous_is_sent_to_login_everywhere(app, client, world):
    for rule, method in staff_rules(app):
        response = _call(client, app, rule, method, world)
        assert response.status_code == 302, (rule.endpoint, method, response.status_code)
        assert "/auth/login" in response.headers["Location"], rule.endpoint


def test_a_resident_is_refused_everywhere(app, client, world):
    client.login(world["resident"])
    for rule, method in staff_rules(app):
        response = _call(client, app, rule, method, world)
        assert response.status_code == 403, (rule.endpoint, method, response.status_code)


def test_staff_of_another_area_is_refused_for_this_areas_objects(app, client, world):
    client.login(world["other_staff"])
    checked = 0
    for rule, method in staff_rules(app):
        if rule.endpoint in UNSCOPED and method == "GET":
            continue
        response = _call(client, app, rule, method, world)
        # Creating a shortlist or an event over area A: area A is not among their choices (a form error).
        allowed = {403, 400} if rule.endpoint in ("shortlists.create", "eventadmin.create") else {403}
        assert response.status_code in allowed, (rule.endpoint, method, response.status_code)
        checked += 1
    assert checked >= 10
    # Nothing they tried changed area A's idea or made a shortlist.
    from idea4gov.shortlists.models import Shortlist

    db.session.refresh(world["idea"])
    assert world["idea"].visibility.value == "published"
    # …nor its issue: not answered, routed, split or moved, nor pinned there.
    assert (world["idea"].status.value, world["idea"].agency_id, world["idea"].issue_id,
            world["idea"].issue_pinned) == ("received", None, world["issue"].id, False)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Shortlist)) == 1
    # Nor made an event, checked anyone in or out, moved a team or judged.
    from idea4gov.events.models import Event, Registration, TeamMember
    from idea4gov.shortlists.models import Score

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1
    registration = db.session.get(Registration, world["registration"].id)
    db.session.refresh(registration)
    assert registration.checked_in_at is not None and registration.status.value == "accepted"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMember)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Score)) == 0


def test_staff_roles_do_not_stand_in_for_each_other(app, client, world, make_staff):
    officer = make_staff("officer", world["area"])
    client.login(officer)
    assert client.get("/moderation/").status_code == 403
    assert client.post(f"/moderation/idea/{world['idea'].id}/hide", data={"reason": "x"}).status_code == 403
    assert client.get("/admin/").status_code == 403
