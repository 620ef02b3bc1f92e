"""Receipts: every new idea's reference number (เลขที่รับเรื่อง), its e-mail receipt and the look-up."""
from flask import Blueprint

bp = Blueprint("receipts", __name__)
