"""Open data: each area's published ideas as CSV and JSON, streamed."""
from flask import Blueprint

bp = Blueprint("opendata", __name__)
