"""The one path for telling people things outside the site: e-mail now, LINE notices next.

A message is a row written in the same transaction as the change it is about; a background
worker delivers it afterwards, retrying with back-off; admins see what failed at /admin/outbox.
"""
from flask import Blueprint

bp = Blueprint("outbox", __name__)
