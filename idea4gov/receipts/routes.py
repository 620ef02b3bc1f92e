"""Looking an idea up by its reference number."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from idea4gov.auth.models import Role
from idea4gov.auth.permissions import has_role
from idea4gov.ideas.models import Visibility
from idea4gov.receipts import bp
from idea4gov.receipts import services as receipts


@bp.get("/ideas/lookup")
def lookup():
    """Go to the idea with reference ?ref= (any case, spaces, dashes or Thai digits); without it, the form."""
    raw = request.args.get("ref")
    if raw is None or not raw.strip():
        return render_template("receipts/lookup.html", ref="", error=None), 200
    reference = receipts.normalise_reference(raw)
    shown = raw.strip()[:receipts.LOOKUP_MAX]
    if reference is None:
        error = _("เลขที่รับเรื่องไม่ถูกต้อง ตัวอย่างที่ถูกต้อง: SSK-2569-00042 (รหัสพื้นที่-ปี พ.ศ.-ลำดับ)")
        return render_template("receipts/lookup.html", ref=shown, error=error), 400
    idea = receipts.find_by_reference(reference)
    # A hidden or waiting idea is found only by those who may see it (its author, the area's
    # moderators); anyone else gets the same answer as for an unknown number.
    if idea is not None and (idea.visibility == Visibility.published or (
            current_user.is_authenticated and idea.author_id == current_user.id)
            or has_role(current_user, Role.moderator, idea.area_id)):
        return redirect(url_for("ideas.show", idea_id=idea.id))
    error = _("ไม่พบไอเดียเลขที่ %(ref)s หรือไอเดียนี้ไม่ได้เผยแพร่ กรุณาตรวจสอบเลขในอีเมลตอบรับอีกครั้ง", ref=reference)
    return render_template("receipts/lookup.html", ref=shown, error=error), 404
