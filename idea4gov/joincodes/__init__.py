"""Join codes for workshops: one public address, many residents, audited."""
from flask import Blueprint

bp = Blueprint("joincodes", __name__)


def _may_open_join_codes(area) -> bool:  # noqa: ANN001
    """Organisers of the area (and admins) open join codes for it."""
    from flask_login import current_user

    from idea4gov.auth.models import Role
    from idea4gov.auth.permissions import has_role

    return has_role(current_user, Role.organiser, area.id)


bp.add_app_template_global(_may_open_join_codes, "may_open_join_codes")
