"""Proof of action: residents confirm that an implemented idea or a done project is really done."""
from flask import Blueprint

bp = Blueprint("verification", __name__)
