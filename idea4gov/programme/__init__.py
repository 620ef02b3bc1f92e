"""Results of the programme by Thai fiscal year: /programme for admins and programme viewers,
and each area's public results page."""
from flask import Blueprint

bp = Blueprint("programme", __name__)
