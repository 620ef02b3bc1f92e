"""Projects (โครงการ): ideas become budgeted, tracked projects with a public page and history.

Public pages live on blueprint `projects` (`/projects/<id>`, `/areas/<slug>/projects`, the plan-shaped
export); officers manage them on blueprint `project_manage` under `/triage/`.
"""
from flask import Blueprint

bp = Blueprint("projects", __name__)
manage_bp = Blueprint("project_manage", __name__)
