"""Static pages: the privacy notice (PDPA)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("pages", __name__)


@bp.get("/privacy")
def privacy():
    """Show the privacy notice: what is collected, why, for how long, and the resident's rights."""
    return render_template("pages/privacy.html", contact=current_app.config["PRIVACY_CONTACT_EMAIL"])
