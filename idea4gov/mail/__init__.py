"""E-mail: a small SMTP sender that sends only after the transaction commits, and unsubscribing."""
from flask import Blueprint

bp = Blueprint("mail", __name__)
