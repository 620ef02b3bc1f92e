"""Administration: users and their roles, blocking, area settings, the audit log."""
from flask import Blueprint

bp = Blueprint("admin", __name__)
