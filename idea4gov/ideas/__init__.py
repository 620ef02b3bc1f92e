from flask import Blueprint

from idea4gov.ideas.labels import idea_state_label, status_label
from idea4gov.text import rich_filter

bp = Blueprint("ideas", __name__)
bp.add_app_template_filter(rich_filter, "rich")
bp.add_app_template_global(status_label, "status_label")

bp.add_app_template_global(idea_state_label, "idea_state_label")
