"""Officer triage: agencies, routing, official answers with status history, merging duplicates, numbers."""
from flask import Blueprint

bp = Blueprint("triage", __name__)
