"""Page numbers and dates from requests, bounded in one place.

Anything a visitor types into the query string or a filter form: `?page=100000000000000000000`
or a date of 9999-12-31 overflows SQLite's integers, PostgreSQL's bigint or Python's date
arithmetic (a Bangkok day turned into UTC). Pages read as page 1 beyond `MAX_PAGE`; dates
outside `EARLIEST_DATE`…`LATEST_DATE` are a form error with a message (a 400), never a 500.
`tests/test_extreme_params.py` walks every GET route of the URL map with such values.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from idea4gov.extensions import db
from idea4gov.timeutil import BUDDHIST_ERA_OFFSET, EARLIEST_DATE, LATEST_DATE, date_in_range  # noqa: F401

#: Highest page number a listing accepts (far past any real listing); larger ones, up to numbers
#: whose OFFSET overflows SQLite, read as page 1.
MAX_PAGE = 100_000


def parse_page(raw: str | None) -> int:
    """A page number from the query string; junk, zero, negatives and overflows read as page 1."""
    try:
        page = int(raw or 1)
    except ValueError:
        return 1
    return page if 1 <= page <= MAX_PAGE else 1


def page_arg(name: str = "page") -> int:
    """This request's `?page=`, bounded."""
    return parse_page(request.args.get(name))


def paginate(select: sa.Select, per_page: int):  # noqa: ANN201 (Flask-SQLAlchemy's Pagination)
    """One page of `select` for this request's `?page=` (Flask-SQLAlchemy would read it unbounded)."""
    return db.paginate(select, page=page_arg(), per_page=per_page, max_per_page=per_page, error_out=False)


class DateInRange:
    """WTForms validator: a date between EARLIEST_DATE and LATEST_DATE."""

    message = _l("วันที่ต้องอยู่ระหว่างปี ค.ศ. %(low)d ถึง %(high)d (พ.ศ. %(low_be)d–%(high_be)d)")

    def __call__(self, form, field) -> None:  # noqa: ANN001 (WTForms' signature)
        if field.data is not None and not date_in_range(field.data):
            raise ValidationError(self.message % {
                "low": EARLIEST_DATE.year, "high": LATEST_DATE.year,
                "low_be": EARLIEST_DATE.year + BUDDHIST_ERA_OFFSET, "high_be": LATEST_DATE.year + BUDDHIST_ERA_OFFSET})
