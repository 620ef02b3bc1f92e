"""Thai first: locale selection, the language switcher and date filters."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from idea4gov.extensions import babel
from idea4gov.timeutil import format_date


def select_locale() -> str:
    """`?lang=` wins and is remembered; then the session, the account, then Thai."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.preferred_locale in languages:
        return current_user.preferred_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    return str(get_locale() or "th")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.before_request
    def remember_language() -> None:
        asked = request.args.get("lang")
        if asked in app.config["LANGUAGES"] and session.get("lang") != asked:
            session["lang"] = asked

    @app.template_filter("date")
    def date_filter(value, with_time: bool = False) -> str:  # noqa: ANN001
        return format_date(value, current_locale(), with_time)

    @app.context_processor
    def inject_locale() -> dict:
        return {"locale": current_locale(), "lang_url": lang_url}


def lang_url(code: str) -> str:
    """This page's URL in another language (the switcher's links)."""
    args = request.args.to_dict()
    args["lang"] = code
    return request.path + "?" + urlencode(args)
