"""Hackathon shortlists (รายการคัดเลือก): organisers pick ideas, judges score them, exports and print."""
from flask import Blueprint

bp = Blueprint("shortlists", __name__)
