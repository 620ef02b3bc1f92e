"""LINE notices: a second channel of the outbox, sent with the official line-bot-sdk by the worker.

A resident links LINE (LINE Login, under /account) and picks the kinds they want; messages are
outbox rows of channel `line`, delivered by `idea4gov.line.channel` through the Messaging API
(`LINE_CHANNEL_ACCESS_TOKEN`, `LINE_API_BASE_URL`), retried with back-off like e-mail.
"""
from flask import Blueprint

bp = Blueprint("line", __name__)
