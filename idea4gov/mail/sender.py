"""Sending e-mail over SMTP (stdlib smtplib), only once the database transaction has committed.

Services call `queue(message)`; the messages wait in the session and go out after a
successful commit (a rollback drops them), so nobody is told about a change that did not
happen. `MAIL_BACKEND`: `smtp` sends to MAIL_SERVER:MAIL_PORT, `log` writes them to the log
and prints them on standard error (the development default: `make run` needs no SMTP server,
and its terminal shows every mail with its links), `none` drops them.
"""
from __future__ import annotations

import logging
import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_OUTBOX = "idea4gov_outbox"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    #: A one-click unsubscribe URL (RFC 8058 header) when the mail is about followed ideas.
    unsubscribe_url: str | None = None


def queue(session: Session, mail: Mail) -> None:
    """Send `mail` once this session's transaction commits."""
    session.info.setdefault(_OUTBOX, []).append(mail)


def _build(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "idea4gov.local")
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
    message.set_content(mail.body, charset="utf-8")
    return message


def send_now(mails: list[Mail]) -> int:
    """Deliver these mails with the configured backend; failures are logged, never raised."""
    if not mails:
        return 0
    config = current_app.config
    backend = config.get("MAIL_BACKEND", "log")
    sender = config.get("MAIL_DEFAULT_SENDER", "idea4gov <no-reply@idea4gov.local>")
    if backend == "none":
        return 0
    if backend == "log":
        for mail in mails:
            # Printed, not only logged: nothing shows INFO logs under `flask run`, and a developer
            # needs to see the mail (a registration link) where the server runs.
            print(f"\n----- mail to {mail.to}: {mail.subject}\n{mail.body}\n----- end of mail\n",
                  file=sys.stderr, flush=True)
            log.info("mail to %s: %s\n%s", mail.to, mail.subject, mail.body)
        return len(mails)
    sent = 0
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config.get("MAIL_TIMEOUT", 10)) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            for mail in mails:
                try:
                    smtp.send_message(_build(mail, sender))
                    sent += 1
                except smtplib.SMTPException:
                    log.exception("mail to %s refused", mail.to)
    except (OSError, smtplib.SMTPException):
        log.exception("SMTP server %s:%s unreachable; %d mails not sent", config.get("MAIL_SERVER"),
                      config.get("MAIL_PORT"), len(mails) - sent)
    return sent


@sa.event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    mails = session.info.pop(_OUTBOX, [])
    if mails:
        send_now(mails)


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:  # noqa: ANN001
    session.info.pop(_OUTBOX, None)
