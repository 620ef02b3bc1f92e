"""In-app notifications: what happened to my content, with the reason."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)
