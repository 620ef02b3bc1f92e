"""Public pages of groups of similar ideas and of issues (the same problem reported again), and
staff's button to regroup an area in the background."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from idea4gov import jobs
from idea4gov.areas import services as area_services
from idea4gov.audit.services import record
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import has_role
from idea4gov.extensions import db
from idea4gov.groups import bp
from idea4gov.groups.models import IdeaGroup, IdeaIssue
from idea4gov.ideas.forms import EmptyForm
from idea4gov.ideas.models import Idea

#: Groups listed on an area's page (the largest by distinct supporters).
AREA_GROUPS_LIMIT = 100


def can_regroup(area_id: int) -> bool:
    """Officers and moderators of the area (and admins) may start a regroup."""
    return has_role(current_user, Role.officer, area_id) or has_role(current_user, Role.moderator, area_id)


@bp.get("/groups/<int:group_id>")
def show(group_id: int):
    """List a group's published ideas, most supported first."""
    group = db.get_or_404(IdeaGroup, group_id)
    ideas = db.session.scalars(
        sa.select(Idea).where(Idea.group_id == group.id, Idea.visible())
        .options(selectinload(Idea.theme), selectinload(Idea.area))
        .order_by(Idea.vote_count.desc(), Idea.id)
    ).all()
    return render_template("groups/show.html", group=group, ideas=ideas, area=ideas[0].area if ideas else None)


@bp.get("/issues/<int:issue_id>")
def issue(issue_id: int):
    """List the published reports of one issue (the same problem at the same place), most supported first."""
    issue = db.get_or_404(IdeaIssue, issue_id)
    ideas = db.session.scalars(
        sa.select(Idea).where(Idea.issue_id == issue.id, Idea.visible())
        .options(selectinload(Idea.theme), selectinload(Idea.area))
        .order_by(Idea.vote_count.desc(), Idea.id)
    ).all()
    if not ideas:
        abort(404)
    named = next((idea for idea in ideas if idea.id == issue.representative_id), ideas[0])
    return render_template("groups/issue.html", issue=issue, ideas=ideas, name=named, area=ideas[0].area)


@bp.app_template_global()
def idea_issue(idea: Idea) -> IdeaIssue | None:
    """For the idea page: the issue it is one report of ("N others reported this")."""
    return db.session.get(IdeaIssue, idea.issue_id) if idea.issue_id else None


@bp.get("/areas/<slug>/groups")
def area_groups(slug: str):
    """List an area's groups of similar ideas, most distinct supporters first."""
    area = area_services.get_area_or_404(slug)
    groups = db.session.scalars(
        sa.select(IdeaGroup).where(IdeaGroup.area_id == area.id, IdeaGroup.size > 0)
        .order_by(IdeaGroup.supporter_count.desc(), IdeaGroup.size.desc(), IdeaGroup.id).limit(AREA_GROUPS_LIMIT)
    ).all()
    return render_template("groups/area.html", area=area, groups=groups, form=EmptyForm(),
                           can_regroup=can_regroup(area.id) and not area.is_archived, jobs_on=bool(current_app.config.get("REDIS_URL")))


@bp.post("/areas/<slug>/groups/regroup")
@login_required
def regroup(slug: str):
    """Queue a regroup of the area for the background worker (never run in this request)."""
    area = area_services.get_area_or_404(slug)
    if not can_regroup(area.id):
        abort(403)
    area_services.refuse_if_archived(area)
    if not EmptyForm().validate_on_submit():
        abort(400)
    job = jobs.enqueue_regroup(area.id)
    if job is None:
        flash(_l("งานเบื้องหลังปิดอยู่ (ไม่ได้ตั้งค่า REDIS_URL) ผู้ดูแลระบบจัดกลุ่มใหม่ได้ด้วยคำสั่ง "
                "flask grouping recompute"), "error")
        return redirect(url_for("groups.area_groups", slug=area.slug)), 303
    record(current_user, "enqueue_regroup", "area", area.id, area_id=area.id, after=job.id)
    db.session.commit()
    flash(_l("เข้าคิวจัดกลุ่มใหม่แล้ว ผลจะแสดงเมื่องานเบื้องหลังเสร็จ (ไม่กี่นาที)"), "success")
    return redirect(url_for("groups.area_groups", slug=area.slug))
