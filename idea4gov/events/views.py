"""What the event views share: run a service change, commit, and go back saying what happened (or why not)."""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from idea4gov.extensions import db
from idea4gov.i18n import lazy_text
from idea4gov.ideas.forms import EmptyForm
from idea4gov.service_errors import ServiceError


def refuse(error: ServiceError, back: str):  # noqa: ANN201
    """Roll back and go back with the rule's message (translated on the page that shows it)."""
    db.session.rollback()
    details = {key: value for key, value in error.details.items() if isinstance(value, (str, int))}
    flash(lazy_text("event_error", error.message, details), "error")
    return redirect(back)


def apply(change: Callable[[], object], back: str, done: str, *, then: str | None = None, clash: str | None = None):  # noqa: ANN201
    """Run `change` (a service call) and commit; a broken rule, or with `clash` a unique constraint that
    refused a second request at the same moment, rolls back and says why. Goes to `then` (or `back`)."""
    try:
        change()
        db.session.commit()
    except ServiceError as error:
        return refuse(error, back)
    except IntegrityError:
        if clash is None:
            raise
        return refuse(ServiceError(clash), back)
    flash(done, "success")
    return redirect(then or back)


def first_error(form: FlaskForm, back: str):  # noqa: ANN201
    """A small form sent back to a page that holds many: say its first error there."""
    errors = [str(error) for errors in form.errors.values() for error in errors]
    flash(errors[0] if errors else _l("ข้อมูลไม่ถูกต้อง"), "error")
    return redirect(back)


def require_button() -> None:
    """A POST-only button: its CSRF token or a 400."""
    if not EmptyForm().validate_on_submit():
        abort(400)
