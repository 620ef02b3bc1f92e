"""Events (กิจกรรม): hackathons, workshops and forums with registration, teams, proposals, judging,
outcomes, the participants' survey, the report and certificates."""
from flask import Blueprint

#: Public pages and what participants do (register, teams, proposals, survey, certificate).
bp = Blueprint("events", __name__)
#: Organisers' (and judges', and for outcomes officers') pages; every one checks the event's areas.
manage_bp = Blueprint("eventadmin", __name__)
