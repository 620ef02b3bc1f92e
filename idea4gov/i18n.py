"""Thai first: locale selection, the language switcher, date filters and WTForms' own messages."""
from __future__ import annotations

import functools
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, request, session
from flask.json.tag import JSONTag, TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from flask_babel import LazyString, get_locale, get_translations, gettext, ngettext, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_logged_in
from itsdangerous import BadSignature
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from idea4gov.extensions import babel, db
from idea4gov.timeutil import format_date

#: WTForms' built-in messages (English msgids of its "wtforms" domain) mapped to our Thai
#: msgids. WTForms ships no Thai catalogue, so without this a form that forgets to pass its
#: own message would show English on a Thai page. Placeholders are the ones WTForms fills in.
WTFORMS_MESSAGES = {
    "This field is required.": _l("กรุณากรอกช่องนี้"),
    "Invalid input.": _l("ข้อมูลไม่ถูกต้อง"),
    "Invalid email address.": _l("รูปแบบอีเมลไม่ถูกต้อง"),
    "Field must be equal to %(other_name)s.": _l("ต้องตรงกับช่อง %(other_name)s"),
    "Field must be at least %(min)d character long.": _l("ต้องยาวอย่างน้อย %(min)d ตัวอักษร"),
    "Field cannot be longer than %(max)d character.": _l("ยาวเกิน %(max)d ตัวอักษร"),
    "Field must be exactly %(max)d character long.": _l("ต้องยาว %(max)d ตัวอักษรพอดี"),
    "Field must be between %(min)d and %(max)d characters long.": _l("ต้องยาว %(min)d–%(max)d ตัวอักษร"),
    "Number must be at least %(min)s.": _l("ตัวเลขต้องไม่น้อยกว่า %(min)s"),
    "Number must be at most %(max)s.": _l("ตัวเลขต้องไม่มากกว่า %(max)s"),
    "Number must be between %(min)s and %(max)s.": _l("ตัวเลขต้องอยู่ระหว่าง %(min)s ถึง %(max)s"),
    "Date must be at least %(min)s.": _l("วันที่ต้องไม่ก่อน %(min)s"),
    "Date must be at most %(max)s.": _l("วันที่ต้องไม่หลัง %(max)s"),
    "Date must be between %(min)s and %(max)s.": _l("วันที่ต้องอยู่ระหว่าง %(min)s ถึง %(max)s"),
    "Invalid IP address.": _l("รูปแบบ IP address ไม่ถูกต้อง"),
    "Invalid Mac address.": _l("รูปแบบ MAC address ไม่ถูกต้อง"),
    "Invalid URL.": _l("รูปแบบ URL ไม่ถูกต้อง"),
    "Invalid UUID.": _l("รูปแบบ UUID ไม่ถูกต้อง"),
    "Invalid value, must be one of: %(values)s.": _l("ค่าไม่ถูกต้อง ต้องเป็นหนึ่งใน: %(values)s"),
    "Invalid value, can't be any of: %(values)s.": _l("ค่าไม่ถูกต้อง ต้องไม่เป็น: %(values)s"),
    "This field cannot be edited.": _l("ช่องนี้แก้ไขไม่ได้"),
    "This field is disabled and cannot have a value.": _l("ช่องนี้ปิดใช้งานอยู่ จึงใส่ค่าไม่ได้"),
    "Invalid Choice: could not coerce.": _l("ตัวเลือกไม่ถูกต้อง"),
    "Not a valid choice.": _l("ตัวเลือกไม่ถูกต้อง"),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("มีตัวเลือกที่ไม่ถูกต้อง"),
    "'%(value)s' is not a valid choice for this field.": _l("“%(value)s” ไม่ใช่ตัวเลือกที่ใช้ได้"),
    "Not a valid datetime value.": _l("รูปแบบวันและเวลาไม่ถูกต้อง"),
    "Not a valid date value.": _l("รูปแบบวันที่ไม่ถูกต้อง"),
    "Not a valid time value.": _l("รูปแบบเวลาไม่ถูกต้อง"),
    "Not a valid week value.": _l("รูปแบบสัปดาห์ไม่ถูกต้อง"),
    "Not a valid integer value.": _l("ต้องเป็นจำนวนเต็ม"),
    "Not a valid decimal value.": _l("ต้องเป็นตัวเลข"),
    "Not a valid float value.": _l("ต้องเป็นตัวเลข"),
}


class FormTranslations:
    """WTForms' gettext interface answered from our catalogue (Thai source, English in en).

    A message not in the table (none that our forms can raise) stays in WTForms' English.
    """

    def ugettext(self, string: str) -> str:
        message = WTFORMS_MESSAGES.get(string)
        return str(message) if message is not None else string

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        # Thai has no plural forms; the English side reads well for any number.
        message = WTFORMS_MESSAGES.get(singular)
        if message is not None:
            return str(message)
        return singular if n == 1 else plural

    gettext = ugettext
    ngettext = ungettext


form_translations = FormTranslations()


#: The functions a flashed lazy string may come from, by the name the session stores.
_LAZY_FUNCTIONS: dict[str, Callable[..., str]] = {"g": gettext, "n": ngettext}


def lazy_function(name: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register a function of JSON-able arguments returning translated text (e.g. a service
    error code's message), so `lazy_text(name, ...)` can be flashed and translated when shown."""
    def register(function: Callable[..., str]) -> Callable[..., str]:
        _LAZY_FUNCTIONS[name] = function
        return function
    return register


def lazy_text(name: str, *args: object) -> LazyString:
    return LazyString(_LAZY_FUNCTIONS[name], *args)


class _TagLazyString(JSONTag):
    """A flashed message made with `_l(...)`, `lazy_ngettext` or `lazy_text` is kept in the
    session as its Thai msgid and values, and translated when a page shows it: in that page's
    language, whichever language the request that flashed it had."""

    key = " i18n"

    def check(self, value: object) -> bool:
        return isinstance(value, LazyString) and any(f is value._func for f in _LAZY_FUNCTIONS.values())

    def to_json(self, value: LazyString) -> list:
        name = next(name for name, function in _LAZY_FUNCTIONS.items() if function is value._func)
        return [name, self.serializer.tag(list(value._args)), self.serializer.tag(value._kwargs)]

    def to_python(self, value: list) -> LazyString | str:
        name, args, kwargs = value
        function = _LAZY_FUNCTIONS.get(name)
        return LazyString(function, *args, **kwargs) if function else ""


def _fresh_copy(value):  # noqa: ANN001, ANN202
    """The session's containers copied, so a request's changes stay its own; their values (strings,
    numbers, lazy strings) are immutable and shared (`copy.deepcopy` would translate a lazy string)."""
    if isinstance(value, dict):
        return {key: _fresh_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_fresh_copy(item) for item in value)
    return value


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, whose serializer also keeps lazy (untranslated) strings.

    A browser sends the same cookie with each request until the session changes. Checking its signature
    and decoding it (base64, zlib, JSON) cost about a fifth of a bare Flask route on every request
    (bench/web.py); the result for a cookie is kept (`OPENED` cookies per process) and each request gets
    its own copy. Its age is checked again every time, against the time it was signed, as Flask does.
    """

    serializer = TaggedJSONSerializer()
    serializer.register(_TagLazyString, index=0)
    #: Decoded cookies kept per process (the oldest half dropped when full).
    OPENED = 2048

    def __init__(self) -> None:
        self._signing: dict = {}
        self._opened: dict[str, tuple] = {}

    def open_session(self, app: Flask, request):  # noqa: ANN001, ANN201
        serializer = self.get_signing_serializer(app)
        value = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not value:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        opened = self._opened.get(value)
        if opened is None or opened[2] is not serializer:
            try:
                data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            if len(self._opened) >= self.OPENED:
                for old in list(self._opened)[: self.OPENED // 2]:
                    self._opened.pop(old, None)
            opened = self._opened[value] = (int(signed_at.timestamp()), data, serializer)
        signed_at, data, _serializer = opened
        if not 0 <= time.time() - signed_at <= max_age:  # itsdangerous: SignatureExpired
            return self.session_class()
        return self.session_class(_fresh_copy(data))

    def get_signing_serializer(self, app: Flask):  # noqa: ANN201
        """Flask makes the cookie's serializer again on every request (and tries it once, to see
        whether it makes text): about a twentieth of a bare route. It depends on the keys only."""
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._signing:
            self._signing = {keys: super().get_signing_serializer(app)}
        return self._signing[keys]


def select_locale() -> Locale:
    """The request's language for Flask-Babel, as a Babel locale made once per language: Flask-Babel
    parses a language code again on every request."""
    return _parsed_locale(_chosen_language())


@functools.cache
def _parsed_locale(code: str) -> Locale:
    return Locale.parse(code)


def _chosen_language() -> str:
    """`?lang=` wins and is remembered; then the session, the account, then Thai."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    user = current_user._get_current_object()
    if user and user.is_authenticated and user.preferred_locale in languages:
        return user.preferred_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    locale = get_locale()
    return _code_of(locale) if locale is not None else "th"


@functools.cache
def _code_of(locale: Locale) -> str:
    """"th" for Thai: Babel builds the code again each time it is asked (pages ask some ten times)."""
    return str(locale)


def remember_for_account(user, lang: str) -> None:  # noqa: ANN001
    """Keep a signed-in person's language choice on their account (e-mails use it too)."""
    from idea4gov.auth.models import User

    if user.preferred_locale != lang:
        db.session.execute(sa.update(User).where(User.id == user.id).values(preferred_locale=lang))
        db.session.commit()
        db.session.expire(user, ["preferred_locale"])


def _language_at_login(sender: Flask, user, **extra) -> None:  # noqa: ANN001
    """At log-in: a language chosen before is kept on the account; otherwise the account's
    language becomes the session's, so this request's messages already use it."""
    languages = sender.config["LANGUAGES"]
    if session.get("lang") in languages:
        remember_for_account(user, session["lang"])
    elif user.preferred_locale in languages:
        session["lang"] = user.preferred_locale
        refresh()


#: Translations by Babel locale: Flask-Babel resolves its context, domain and locale again for
#: every string (about 10 µs each, a fifth of an area page's time when measured); the
#: template callables below read the request's locale once and look the catalogue up here.
_translations_by_locale: dict = {}


def _translations():
    """The current locale's catalogue (`force_locale` included), cheaply."""
    context = g.get("_flask_babel") if g else None
    locale = getattr(context, "babel_locale", None)
    if locale is None:
        return get_translations()
    try:
        return _translations_by_locale[locale]
    except KeyError:
        translations = _translations_by_locale[locale] = get_translations()
        return translations


@pass_context
def _template_gettext(context: Context, string: str, **variables: object) -> str:
    """`{{ _("…") }}` as Jinja's new-style gettext makes it: translated, trusted as markup where escaping
    is on, then formatted with the keyword arguments (a "%" only ever appears where it formats)."""
    text = _translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if "%" in text else text


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, num: int, **variables: object) -> str:
    variables.setdefault("num", num)
    text = _translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if "%" in text else text


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.session_interface = SessionInterface()
    user_logged_in.connect(_language_at_login, app)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # The same, without Jinja's wrapper around each (a second call through the template context, and
    # for `_` a third): some twenty strings a page.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)

    @app.before_request
    def remember_language() -> None:
        asked = request.args.get("lang")
        # Asking for the language already in use changes nothing (and sets no cookie, so an
        # anonymous `?lang=th` page stays cacheable: idea4gov.httpcache).
        if asked in app.config["LANGUAGES"]:
            if session.get("lang") != asked and (session or asked != app.config["BABEL_DEFAULT_LOCALE"]):
                session["lang"] = asked
            if current_user.is_authenticated:
                remember_for_account(current_user, asked)
        # Flask-WTF (WTF_I18N_ENABLED, the default) keeps the request's WTForms translations
        # in this slot; filling it makes built-in validator messages follow our locale.
        request.wtforms_translations = form_translations

    @app.template_filter("date")
    def date_filter(value, with_time: bool = False) -> str:  # noqa: ANN001
        return format_date(value, current_locale(), with_time)

    @app.context_processor
    def inject_locale() -> dict:
        return {"locale": current_locale(), "lang_url": lang_url}


def lang_url(code: str) -> str:
    """This page's URL in another language, keeping every other query parameter (the switcher)."""
    # One leading slash: a request for "//host/x" must not yield a link to another site.
    path = quote("/" + (request.script_root + request.path).lstrip("/"))
    if not request.query_string:  # most pages: nothing to keep
        return f"{path}?lang={quote(code)}"
    args = {name: values for name, values in request.args.lists() if name != "lang"}
    args["lang"] = [code]
    return path + "?" + urlencode(args, doseq=True)


def compile_catalogues(directory: str | Path) -> list[Path]:
    """Compile each `<lang>/LC_MESSAGES/*.po` whose .mo is missing or older (what `make translations` does).

    Fuzzy entries are left out, as `pybabel compile` does. Returns the .mo files written.
    """
    written = []
    for po_path in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        # Write then rename, so a concurrent reader never sees half a file.
        fd, tmp_name = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, mo_path)
        except BaseException:
            os.unlink(tmp_name)
            raise
        written.append(mo_path)
    return written
