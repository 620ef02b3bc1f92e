"""Satisfaction with official answers: ratings 1–5 and their averages."""
from flask import Blueprint

bp = Blueprint("satisfaction", __name__)
