"""Moderation: the queue of pending and reported content, decisions, auto-hide and text screening."""
from flask import Blueprint

bp = Blueprint("moderation", __name__)
