"""E-mail: written to the outbox with the change it tells about, sent over SMTP by the worker.

Services call `queue(session, mail)`: the mail becomes an `outbox_messages` row in the same
transaction (a rollback drops it, so nobody is told about a change that did not happen), and
the background worker sends it after the commit, retrying with back-off (`idea4gov.outbox`).
No request ever waits for an SMTP server. `MAIL_BACKEND`: `smtp` sends to
MAIL_SERVER:MAIL_PORT, `log` writes them to the log and prints them on standard error (the
development default: `make run` needs no SMTP server, and its terminal shows every mail with its
links), `none` drops them.
"""
from __future__ import annotations

import logging
import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy.orm import Session

from idea4gov.outbox import services as outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    #: A one-click unsubscribe URL (RFC 8058 header) when the mail is about followed ideas.
    unsubscribe_url: str | None = None


def queue(session: Session, mail: Mail) -> None:
    """Send `mail` once this session's transaction commits (an outbox row of channel `email`)."""
    outbox.add(session, "email", mail.to, mail.body, subject=mail.subject,
               extra={"unsubscribe_url": mail.unsubscribe_url} if mail.unsubscribe_url else None)


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
    """Deliver these mails at once with the configured backend; returns how many went out."""
    return sum(error is None for error in deliver(mails))


def deliver(mails: list[Mail]) -> list[str | None]:
    """Send each mail (one SMTP connection for all); per mail None when sent, else why not."""
    if not mails:
        return []
    config = current_app.config
    backend = config.get("MAIL_BACKEND", "log")
    sender = config.get("MAIL_DEFAULT_SENDER", "idea4gov <no-reply@idea4gov.local>")
    if backend == "none":
        return [None] * len(mails)
    if backend == "log":
        for mail in mails:
            # Printed, not only logged: nothing shows INFO logs under `flask run`, and a developer
            # needs to see the mail (a registration link) where the server runs.
            print(f"\n----- mail to {mail.to}: {mail.subject}\n{mail.body}\n----- end of mail\n",
                  file=sys.stderr, flush=True)
            log.info("mail to %s: %s\n%s", mail.to, mail.subject, mail.body)
        return [None] * len(mails)
    errors: list[str | None] = []
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config.get("MAIL_TIMEOUT", 10)) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            for mail in mails:
                try:
                    smtp.send_message(_build(mail, sender))
                    errors.append(None)
                except smtplib.SMTPException as error:
                    log.warning("mail to %s refused: %s", mail.to, error)
                    errors.append(f"refused: {error}")
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server %s:%s unreachable: %s", config.get("MAIL_SERVER"), config.get("MAIL_PORT"), error)
        errors += [f"SMTP server unreachable: {error}"] * (len(mails) - len(errors))
    return errors


@outbox.channel("email")
def deliver_messages(messages) -> list[str | None]:  # noqa: ANN001
    """The outbox's e-mail channel."""
    return deliver([Mail(to=m.recipient, subject=m.subject, body=m.body,
                         unsubscribe_url=(m.extra or {}).get("unsubscribe_url")) for m in messages])
