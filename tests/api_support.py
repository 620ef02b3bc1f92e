"""Helpers shared by the tests/test_api_*.py files (imported, not a test module)."""
from __future__ import annotations

import re

import sqlalchemy as sa

from idea4gov.account.tokens import create_token
from idea4gov.extensions import db

THAI = re.compile(r"[\u0E00-\u0E7F]")
#: A title and body that pass validation (10–150 and 30–5,000 characters).
GOOD_TITLE = "จัดจุดแยกขยะรีไซเคิลที่ชายหาด"
GOOD_BODY = "ขวดพลาสติกบนชายหาดแสนสุขเยอะมาก อยากให้มีจุดรับขยะรีไซเคิลและแลกของทุกวันเสาร์"


def token_for(user, name: str = "tests") -> str:
    """A fresh personal token's secret for `user`."""
    _token, secret = create_token(user, name)
    db.session.commit()
    return secret


def count(model, *where) -> int:
    """Rows of `model` matching `where`, read fresh from the database."""
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def assert_api_error(response, status: int, code: str | None = None, fields: tuple[str, ...] = ()) -> dict:
    """The response is the documented JSON error: status, code, a Thai message, `fields` naming inputs."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and THAI.search(error["message"]), error["message"]
    assert isinstance(error["fields"], dict)
    for messages in error["fields"].values():
        assert isinstance(messages, list) and messages and all(isinstance(m, str) and m for m in messages)
    if code is not None:
        assert error["code"] == code, error
    for name in fields:
        assert name in error["fields"], error
    return error
