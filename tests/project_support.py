"""Shared set-up for the project, place, proof-of-action and satisfaction tests."""
from __future__ import annotations

from idea4gov.extensions import db


def make_project(area, officer, ideas=(), title="โครงการติดตั้งถังขยะแยกประเภทริมหาด", budget="480,000", **extra):
    from idea4gov.projects import services
    from idea4gov.projects.models import PlanType
    from idea4gov.projects.values import parse_budget

    data = services.ProjectInput(title=title, plan_type=extra.pop("plan_type", PlanType.local_development_plan),
                                 fiscal_year=extra.pop("fiscal_year", 2569), budget=parse_budget(budget), **extra)
    project = services.create_project(area, officer, data, list(ideas))
    db.session.commit()
    return project


def implement(idea, officer, answer="ติดตั้งถังขยะแยกประเภทครบทุกจุดแล้ว ขอบคุณที่เสนอ"):
    """Mark an idea implemented with a public answer (opens a confirmation round)."""
    from idea4gov.ideas.models import IdeaStatus
    from idea4gov.triage.services.statuses import set_status

    set_status(idea, IdeaStatus.implemented, answer, officer)
    db.session.commit()


def supporters(idea, make_user, count):
    from idea4gov.ideas import services

    people = [make_user() for _ in range(count)]
    for person in people:
        services.vote(idea, person)
    db.session.commit()
    return people
