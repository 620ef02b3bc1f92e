"""The one error a service raises when a rule is broken (shared by every feature's services)."""
from __future__ import annotations


class ServiceError(Exception):
    """A rule was broken; `message` is a code the view turns into text, `field` names the input."""

    def __init__(self, message: str, field: str | None = None, status: int = 400, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        #: Values the text needs (e.g. `next_opens_at` for a closed round).
        self.details = details
