"""Public page of one group of similar ideas."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from idea4gov.extensions import db
from idea4gov.groups import bp
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas.models import Idea


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
