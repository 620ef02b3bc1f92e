"""Development mail (MAIL_BACKEND=log, the default of `make run`) is printed where the server runs,
so a developer sees the registration link; nothing depends on how logging is configured."""
from __future__ import annotations

import logging


def test_log_backend_prints_every_mail_on_standard_error(app, client, capsys, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "log")
    logging.getLogger("idea4gov.mail.sender").setLevel(logging.WARNING)  # as under `flask run`: INFO shows nowhere
    try:
        response = client.post("/auth/register", {
            "email": "dev@example.org", "display_name": "นักพัฒนา ทดสอบ", "password": "correct-horse-battery-9",
            "confirm": "correct-horse-battery-9", "consent": "y"})
    finally:
        logging.getLogger("idea4gov.mail.sender").setLevel(logging.NOTSET)
    assert response.status_code == 302
    printed = capsys.readouterr().err
    assert "----- mail to dev@example.org: ยืนยันการสมัครสมาชิก idea4gov / Confirm your idea4gov registration" in printed
    assert "http://localhost/auth/register/confirm/" in printed and "----- end of mail" in printed
    sent = client.get("/auth/register/sent").get_data(as_text=True)
    assert "พิมพ์ไว้ในหน้าจอที่รัน make run" in sent


def test_other_backends_print_nothing(app, client, capsys):
    assert app.config["MAIL_BACKEND"] == "none"
    client.post("/auth/register", {
        "email": "quiet@example.org", "display_name": "เงียบ ทดสอบ", "password": "correct-horse-battery-9",
        "confirm": "correct-horse-battery-9", "consent": "y"})
    assert "mail to" not in capsys.readouterr().err
    assert "พิมพ์ไว้ในหน้าจอ" not in client.get("/auth/register/sent").get_data(as_text=True)
