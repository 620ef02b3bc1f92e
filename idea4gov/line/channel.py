"""The outbox's `line` channel: push messages through the LINE Messaging API with line-bot-sdk (v3).

Runs in the background worker (`idea4gov.outbox.deliver_due`), never in a request. Each message
carries its own `X-Line-Retry-Key`, so a retry after a lost answer is not shown twice (LINE
answers 409 to a key it already accepted, which counts as sent). `LINE_API_BASE_URL` points the
SDK elsewhere (a stand-in on loopback in the tests).
"""
from __future__ import annotations

import logging

from flask import current_app

from idea4gov.outbox import services as outbox

log = logging.getLogger(__name__)
DEFAULT_BASE_URL = "https://api.line.me"
#: Seconds one push may take.
TIMEOUT = 10


def _error_text(error) -> str:  # noqa: ANN001 (linebot's ApiException)
    body = error.body.decode("utf-8", "replace") if isinstance(error.body, bytes) else str(error.body or "")
    return f"LINE API {error.status} {error.reason or ''}: {body[:300]}".strip()


@outbox.channel("line")
def deliver(messages) -> list[str | None]:  # noqa: ANN001 (OutboxMessage rows)
    """Push each message to its LINE user; per message None when delivered, else why not."""
    # Imported here: the SDK takes seconds to import, and only the worker ever sends.
    from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, PushMessageRequest, TextMessage
    from linebot.v3.messaging.exceptions import ApiException, OpenApiException
    from urllib3.exceptions import HTTPError

    token = current_app.config.get("LINE_CHANNEL_ACCESS_TOKEN")
    if not token:
        return ["LINE_CHANNEL_ACCESS_TOKEN is not set"] * len(messages)
    base = (current_app.config.get("LINE_API_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    configuration = Configuration(host=base, access_token=token)
    configuration.retries = False  # the outbox retries, with back-off
    errors: list[str | None] = []
    with ApiClient(configuration) as api_client:
        api = MessagingApi(api_client)
        for message in messages:
            request = PushMessageRequest(to=message.recipient, messages=[TextMessage(text=message.body)])
            retry_key = (message.extra or {}).get("retry_key")
            try:
                api.push_message(request, x_line_retry_key=retry_key, _request_timeout=TIMEOUT)
                errors.append(None)
            except ApiException as error:
                if error.status == 409 and retry_key:
                    errors.append(None)  # this retry key was accepted before: the message went out
                else:
                    log.warning("LINE push %s refused: %s", message.id, _error_text(error))
                    errors.append(_error_text(error))
            except (OpenApiException, HTTPError, OSError, ValueError) as error:
                log.warning("LINE API at %s unreachable: %s", base, error)
                errors.append(f"LINE API unreachable: {type(error).__name__}: {error}")
    return errors
