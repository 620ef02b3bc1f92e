"""Accessibility helpers shared by every template: form fields' ARIA attributes, the error summary,
the language of user text (WCAG 3.1.2) and the reader's text size.

* `field_attrs(field, rows)` gives an input only the attributes that apply (never `aria-invalid="None"`).
* Every error `render_field` or `form_errors` prints is noted; base.html renders the page's content
  first, then puts an error summary above it that takes the focus (`autofocus`, no script needed)
  and links each message to its field.
* `|user_text` wraps text people typed (titles, names, comments, area names) in `<span lang="th">`
  when it holds Thai script on an English page, or in `<span lang="en">` when it is Latin-only text
  on a Thai page; `|user_lang` gives the same as an attribute for an element that holds only it.
* Text size: normal, large or larger, kept in the `text_size` cookie and, for a signed-in person, on
  their account. Pages shared by anonymous visitors through caches never carry it in their HTML: a
  tiny script in <head> (static/js/textsize.js) sets it from the cookie before the first paint.
  Every other page (signed in, or not publicly cacheable) also carries it in the HTML, so it works
  without JavaScript there; such a response is then private and varies on Cookie.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, redirect, request
from flask_login import current_user, user_logged_in
from markupsafe import Markup, escape

THAI = re.compile(r"[\u0E00-\u0E7F]")
LATIN = re.compile(r"[A-Za-z]")

TEXT_SIZES = ("normal", "large", "larger")
TEXT_SIZE_COOKIE = "text_size"
TEXT_SIZE_MAX_AGE = 365 * 24 * 3600


# --- forms ---------------------------------------------------------------------------------------

def field_attrs(field, rows: int | None = None) -> dict:  # noqa: ANN001 (a WTForms field)
    """ARIA and size attributes of a field's control: only those that apply."""
    attrs: dict[str, object] = {}
    if rows and field.type == "TextAreaField":
        attrs["rows"] = rows
    described = []
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.id}-errors")
    if field.description and field.type != "BooleanField":
        described.append(f"{field.id}-hint")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.type in ("StringField", "TextAreaField", "SearchField") and isinstance(field.data, str):
        lang = text_lang(field.data, _locale())  # what was typed, shown again in another language's page
        if lang:
            attrs["lang"] = lang
    note_field(field)
    return attrs


def note_field(field) -> str:  # noqa: ANN001
    """Remember a field's errors for the page's error summary."""
    if field.errors:
        problems = g.setdefault("form_problems", [])
        label = field.label.text if field.label else ""
        for message in _messages(field.errors):
            problems.append({"id": field.id, "label": label, "message": message})
    return ""


def note_problem(message: str, target_id: str | None = None, label: str = "") -> str:
    """Remember one error printed by a template itself (a form-wide error, a hand-made field)."""
    g.setdefault("form_problems", []).append({"id": target_id, "label": label, "message": str(message)})
    return ""


def _messages(errors) -> list[str]:  # noqa: ANN001 (a list, or a dict of lists for FormField)
    if isinstance(errors, dict):
        return [str(m) for value in errors.values() for m in _messages(value)]
    return [str(message) for message in errors]


def form_problems() -> list[dict]:
    return g.get("form_problems", [])


# --- the language of user text -------------------------------------------------------------------

def text_lang(text: object, locale: str) -> str | None:
    """The language to mark `text` with on a page in `locale`, or None when the page's is right."""
    if text is None:
        return None
    value = str(text)
    if locale != "th" and THAI.search(value):
        return "th"
    if locale == "th" and LATIN.search(value) and not THAI.search(value):
        return "en"
    return None


def _locale() -> str:
    from idea4gov.i18n import current_locale

    return current_locale()


def user_text(text: object) -> Markup:
    """Escaped text, inside `<span lang=…>` when its language differs from the page's."""
    if text is None:
        return Markup("")
    lang = text_lang(text, _locale())
    if lang is None:
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(lang, text)


def user_lang(text: object) -> Markup:
    """` lang="th"` (or en) for an element holding only this text, when it differs from the page's."""
    lang = text_lang(text, _locale())
    return Markup(' lang="{}"').format(lang) if lang else Markup("")


# --- text size -----------------------------------------------------------------------------------

def chosen_text_size() -> str:
    """This reader's size: the account's when signed in, else the browser's cookie."""
    user = current_user._get_current_object()
    if user and user.is_authenticated and user.text_size in TEXT_SIZES:
        return user.text_size
    size = request.cookies.get(TEXT_SIZE_COOKIE)
    return size if size in TEXT_SIZES else "normal"


def page_text_size() -> str | None:
    """The size to write into this page's HTML; None on a page shared through public caches (the
    head script applies the cookie there)."""
    if g.get("anonymous_page"):
        return None
    g.text_size_in_page = True
    return chosen_text_size()


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def set_text_size() -> Response:
    """`GET /text-size?size=large&next=/areas/x`: remember the size in this browser (and on the
    account when signed in), then go back. A link, so it works without JavaScript and on pages
    without a form token; like `?lang=`, it changes only how pages look."""
    size = request.args.get("size")
    response = redirect(_safe_next(request.args.get("next")), code=303)
    if size not in TEXT_SIZES:
        return response
    if current_user.is_authenticated:
        remember_size_for_account(current_user, size)
    _set_cookie(response, size)
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_cookie(response: Response, size: str) -> None:
    if size == "normal":
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    else:
        response.set_cookie(TEXT_SIZE_COOKIE, size, max_age=TEXT_SIZE_MAX_AGE, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))


def remember_size_for_account(user, size: str) -> None:  # noqa: ANN001
    import sqlalchemy as sa

    from idea4gov.auth.models import User
    from idea4gov.extensions import db

    value = None if size == "normal" else size
    if user.text_size != value:
        db.session.execute(sa.update(User).where(User.id == user.id).values(text_size=value))
        db.session.commit()
        db.session.expire(user, ["text_size"])


def _size_at_login(sender: Flask, user, **extra) -> None:  # noqa: ANN001
    """At log-in: a size chosen in this browser goes to the account; otherwise the account's size
    comes to this browser (set on the response by `_sync_cookie`)."""
    size = request.cookies.get(TEXT_SIZE_COOKIE)
    if size in TEXT_SIZES:
        remember_size_for_account(user, size)
    elif user.text_size in TEXT_SIZES:
        g.text_size_cookie = user.text_size


def _after_request(response: Response) -> Response:
    size = g.get("text_size_cookie")
    if size:
        _set_cookie(response, size)
    if g.get("text_size_in_page") and not g.get("http_cache_decided"):
        # The HTML depends on a cookie: never one shared cache copy for everybody.
        response.vary.add("Cookie")
        if "public" in (response.headers.get("Cache-Control") or "") or "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-cache"
    return response


def _no_id_on_csrf_fields() -> None:
    """Every form's hidden CSRF field would be `id="csrf_token"`: two forms on a page, two equal ids.
    Hidden fields need no id, so none is written (FlaskForm's Meta renders every field)."""
    from flask_wtf import FlaskForm

    meta = FlaskForm.Meta
    if getattr(meta.render_field, "_idea4gov", False):
        return
    render = meta.render_field

    def render_field(self, field, render_kw):  # noqa: ANN001, ANN202
        if field.type == "CSRFTokenField":
            render_kw = {**render_kw, "id": False}
        return render(self, field, render_kw)

    render_field._idea4gov = True
    meta.render_field = render_field


def init_app(app: Flask) -> None:
    _no_id_on_csrf_fields()
    app.add_template_global(field_attrs)
    app.add_template_global(note_field)
    app.add_template_global(note_problem)
    app.add_template_global(form_problems)
    app.add_template_global(page_text_size)
    app.add_template_global(TEXT_SIZES, "text_sizes")
    app.add_template_filter(user_text)
    app.add_template_filter(user_lang)
    app.add_url_rule("/text-size", "text_size", set_text_size)
    app.after_request(_after_request)
    user_logged_in.connect(_size_at_login, app)
