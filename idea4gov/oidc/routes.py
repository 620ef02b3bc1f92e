"""Sign in with a provider, the first sign-in, linking and unlinking providers under /account."""
from __future__ import annotations

import logging
import time

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from joserfc.errors import JoseError
from sqlalchemy.exc import IntegrityError

from idea4gov import ratelimit
from idea4gov.auth import sessions
from idea4gov.auth.routes import safe_next
from idea4gov.extensions import db, limiter
from idea4gov.i18n import current_locale
from idea4gov.ideas.forms import EmptyForm
from idea4gov.line import services as line_notices
from idea4gov.line.models import NoticeKind
from idea4gov.links import public_url
from idea4gov.oidc import bp, claims, drafts, registry, services
from idea4gov.oidc.forms import BadgeForm, StartForm, WelcomeForm
from idea4gov.oidc.providers import Provider
from idea4gov.service_errors import ServiceError

log = logging.getLogger(__name__)

#: The flow under way in this browser: provider, intent, where to go back, who started it.
FLOW = "oidc_flow"
#: A provider identity proven but not yet an account (the first sign-in form).
PENDING = "oidc_pending"
#: Seconds the first sign-in form waits for the resident after the provider answered.
PENDING_SECONDS = 30 * 60

oidc_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_OIDC"], scope="oidc",
                                  key_func=ratelimit.address_key)


def _provider_or_404(name: str) -> Provider:
    provider = registry.get(name)
    if provider is None:
        abort(404)
    return provider


def _refused(provider: Provider, reason: str, status: int = 400, back: str | None = None):
    """A clear page (Thai first) about a sign-in that did not happen, with a way back."""
    return render_template("oidc/refused.html", provider=provider, reason=reason,
                           back=back or url_for("auth.login")), status


def _back(flow: dict) -> str:
    """Where the resident returns after cancelling: the page they left, else log-in or their account."""
    if flow.get("next"):
        return flow["next"]
    if flow.get("intent") in ("link", "notices"):
        return url_for("account.index") + "#sign-in"
    return url_for("auth.login")


def _leave_for(provider: Provider, intent: str, next_path: str | None):
    """Send the browser to the provider (state, nonce and PKCE kept in this session by Authlib)."""
    session[FLOW] = {"provider": provider.name, "intent": intent, "next": next_path or "",
                     "user_id": current_user.id if current_user.is_authenticated else None}
    try:
        return registry.client(provider.name).authorize_redirect(public_url("oidc.callback", provider=provider.name))
    except (requests.RequestException, JoseError, ValueError, KeyError) as error:
        log.warning("sign-in provider %s unreachable or misconfigured: %s", provider.name, error)
        session.pop(FLOW, None)
        return _refused(provider, _("ระบบของ %(name)s ไม่ตอบในขณะนี้ กรุณาลองใหม่ภายหลัง หรือเข้าสู่ระบบด้วยวิธีอื่น",
                                    name=provider.label(current_locale())), 502, back=next_path)


@bp.get("/auth/oidc/<provider>/login")
@oidc_limit
def login(provider: str):
    """Sign in (or make an account) with a provider: off to its sign-in page."""
    chosen = _provider_or_404(provider)
    if current_user.is_authenticated:
        flash(_l("คุณเข้าสู่ระบบอยู่แล้ว เชื่อมต่อวิธีเข้าสู่ระบบอื่นได้ที่หน้าบัญชีของฉัน"), "info")
        return redirect(url_for("account.index") + "#sign-in")
    return _leave_for(chosen, "login", safe_next(request.args.get("next")))


@bp.post("/auth/oidc/<provider>/start")
@oidc_limit
def start(provider: str):
    """Leave for a provider from a form: link it to my account, link LINE for notices, or verify my
    identity while what I typed waits here (`drafts`)."""
    chosen = _provider_or_404(provider)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    intent = form.intent.data
    next_path = safe_next(form.next.data)
    if intent != "login" and not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=next_path))
    if intent == "notices" and chosen.name != line_notices.provider_name():
        abort(400)
    if next_path:
        drafts.keep(next_path, request.form)
        db.session.commit()
    return _leave_for(chosen, intent, next_path)


def _cancelled(provider: Provider, flow: dict):
    """The resident cancelled or refused at the provider: back where they were, with a clear word."""
    client = registry.client(provider.name)
    state = request.args.get("state") or ""
    if not state or client.framework.get_state_data(session, state) is None:
        return _refused(provider, _("ไม่พบคำขอเข้าสู่ระบบนี้ (อาจหมดอายุหรือใช้ไปแล้ว) กรุณาเริ่มใหม่"))
    client.framework.clear_state_data(session, state)
    session.pop(FLOW, None)
    error = request.args.get("error", "")
    name = provider.label(current_locale())
    if error in ("access_denied", "consent_required", "login_required", "interaction_required"):
        flash(_("คุณยกเลิก หรือไม่อนุญาตให้ %(name)s ส่งข้อมูลให้เรา จึงยังไม่ได้เข้าสู่ระบบด้วย %(name)s "
                "ข้อมูลที่คุณพิมพ์ไว้ยังอยู่ เลือกวิธีอื่นหรือลองใหม่ได้", name=name), "info")
    else:
        log.warning("sign-in provider %s answered %s: %s", provider.name, error[:100],
                    request.args.get("error_description", "")[:200])
        flash(_("%(name)s ไม่อนุญาตให้เข้าสู่ระบบในขณะนี้ ข้อมูลที่คุณพิมพ์ไว้ยังอยู่ กรุณาลองใหม่ภายหลัง",
                name=name), "error")
    return redirect(_back(flow))


@bp.get("/auth/oidc/<provider>/callback")
@oidc_limit
def callback(provider: str):
    """The provider sends the resident back here: check everything, then sign in, welcome or link."""
    chosen = _provider_or_404(provider)
    flow = session.get(FLOW) or {}
    if flow.get("provider") != chosen.name:
        return _refused(chosen, _("ไม่พบคำขอเข้าสู่ระบบที่รออยู่ในเบราว์เซอร์นี้ (อาจหมดอายุหรือใช้ไปแล้ว) กรุณาเริ่มใหม่"))
    if request.args.get("error"):
        return _cancelled(chosen, flow)
    if not request.args.get("code") or not request.args.get("state"):
        return _refused(chosen, _("คำตอบจากผู้ให้บริการยืนยันตัวตนไม่ครบถ้วน กรุณาเริ่มใหม่"))
    try:
        token = registry.client(chosen.name).authorize_access_token()
        profile = claims.profile(chosen, token["userinfo"])
    except MismatchingStateError:
        return _refused(chosen, _("คำขอเข้าสู่ระบบนี้ไม่ตรงกับที่เบราว์เซอร์นี้ส่งไป (อาจใช้ไปแล้ว) กรุณาเริ่มใหม่"))
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError, TypeError) as error:
        log.warning("sign-in with %s refused: %s: %s", chosen.name, type(error).__name__, error)
        session.pop(FLOW, None)
        return _refused(chosen, _("ตรวจสอบการเข้าสู่ระบบด้วย %(name)s ไม่ผ่าน จึงไม่ได้เข้าสู่ระบบ กรุณาลองใหม่",
                                  name=chosen.label(current_locale())), back=_back(flow))
    session.pop(FLOW, None)
    if flow.get("intent") in ("link", "notices"):
        return _linked(chosen, flow, profile)
    return _signed_in(chosen, flow, profile)


def _signed_in(provider: Provider, flow: dict, profile: claims.Profile):
    identity = services.identity_of(profile.provider, profile.subject)
    if identity is None or not identity.user.is_active:
        session[PENDING] = {"provider": profile.provider, "subject": profile.subject, "name": profile.name,
                            "email": profile.email, "assurance": profile.assurance, "verified": profile.verified,
                            "next": flow.get("next", ""), "at": int(time.time())}
        return redirect(url_for("oidc.welcome", provider=provider.name))
    user = services.signed_in(identity, profile)
    db.session.commit()
    key = drafts.carried()
    sessions.start(user)
    drafts.carry(key)
    flash(_l("เข้าสู่ระบบด้วย %(name)s แล้ว", name=provider.label(current_locale())), "success")
    return redirect(flow.get("next") or url_for("areas.index"))


def _linked(provider: Provider, flow: dict, profile: claims.Profile):
    if not current_user.is_authenticated or current_user.id != flow.get("user_id"):
        return _refused(provider, _("บัญชีที่เข้าสู่ระบบเปลี่ยนไประหว่างทาง จึงไม่ได้เชื่อมต่อ กรุณาเริ่มใหม่จากหน้าบัญชีของฉัน"))
    name = provider.label(current_locale())
    try:
        services.link(current_user, profile, provider.scopes)
        if flow.get("intent") == "notices" and not line_notices.kinds_of(current_user):
            line_notices.set_kinds(current_user, set(NoticeKind))  # they asked for notices: all kinds, changeable
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(_link_error(error.message, name), "error")
        return redirect(url_for("account.index") + "#sign-in")
    if flow.get("intent") == "notices":
        flash(_("เชื่อมต่อ LINE แล้ว คุณจะได้รับการแจ้งเตือนทาง LINE ตามที่เลือกไว้ด้านล่าง"), "success")
        return redirect(url_for("account.index") + "#line-notices")
    flash(_("เชื่อมต่อ %(name)s กับบัญชีของคุณแล้ว", name=name), "success")
    return redirect(flow.get("next") or url_for("account.index") + "#sign-in")


def _link_error(code: str, name: str) -> str:
    return {
        "identity_taken": _("บัญชี %(name)s นี้เชื่อมกับบัญชี idea4gov อื่นอยู่แล้ว ถ้าเป็นบัญชีของคุณ "
                            "ให้เข้าสู่ระบบบัญชีนั้นแล้วยกเลิกการเชื่อมต่อก่อน", name=name),
        "provider_already_linked": _("บัญชีของคุณเชื่อมกับ %(name)s อีกบัญชีหนึ่งอยู่แล้ว ยกเลิกการเชื่อมต่อเดิมก่อน",
                                     name=name),
        "last_way_in": _("ยกเลิกไม่ได้ เพราะเป็นวิธีเดียวที่คุณใช้เข้าสู่ระบบบัญชีนี้ได้ "
                         "เชื่อมต่อวิธีอื่นหรือตั้งรหัสผ่านก่อน"),
        "identity_not_found": _("ไม่พบการเชื่อมต่อนี้ในบัญชีของคุณ"),
    }.get(code, _("ทำรายการไม่สำเร็จ กรุณาลองใหม่"))


def _pending(provider: Provider) -> dict | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("provider") != provider.name:
        return None
    if int(pending.get("at", 0)) < time.time() - PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return pending


@bp.route("/auth/oidc/<provider>/welcome", methods=["GET", "POST"])
@ratelimit.per_address("RATELIMIT_REGISTER", exemptible=True)
def welcome(provider: str):
    """First sign-in with a provider: a display name and the PDPA consent, then the account."""
    chosen = _provider_or_404(provider)
    pending = _pending(chosen)
    if pending is None:
        flash(_l("กรุณาเข้าสู่ระบบด้วย %(name)s อีกครั้ง", name=chosen.label(current_locale())), "info")
        return redirect(url_for("auth.login"))
    if current_user.is_authenticated:
        session.pop(PENDING, None)
        return redirect(url_for("account.index") + "#sign-in")
    email = pending.get("email") or ""
    email_free = services.email_is_free(email)
    form = WelcomeForm(data={"display_name": pending.get("name") or ""} if request.method == "GET" else None)
    if not email_free:
        del form.use_email
    if form.validate_on_submit():
        profile = claims.Profile(provider=chosen.name, subject=pending["subject"], name=pending.get("name", ""),
                                 email=email, assurance=pending.get("assurance", ""),
                                 verified=bool(pending.get("verified")))
        try:
            user = services.create_account(profile, form.display_name.data,
                                           bool(email_free and form.use_email.data), chosen.scopes)
            db.session.commit()
        except (ServiceError, IntegrityError):
            db.session.rollback()
            session.pop(PENDING, None)
            flash(_l("บัญชีนี้ถูกสร้างไปแล้ว กรุณาเข้าสู่ระบบอีกครั้ง"), "info")
            return redirect(url_for("auth.login"))
        session.pop(PENDING, None)
        key = drafts.carried()
        sessions.start(user)
        drafts.carry(key)
        flash(_l("สร้างบัญชีเรียบร้อย ยินดีต้อนรับ %(name)s", name=user.display_name), "success")
        return redirect(safe_next(pending.get("next")) or url_for("areas.index"))
    return render_template("oidc/welcome.html", form=form, provider=chosen, email=email, email_free=email_free,
                           verified=bool(pending.get("verified"))), 400 if form.errors else 200


@bp.post("/account/sign-in/<int:identity_id>/unlink")
@login_required
def unlink(identity_id: int):
    """Remove a provider from my account (never my last way in)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        identity = services.unlink(current_user, identity_id)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(_link_error(error.message, ""), "error")
        return redirect(url_for("account.index") + "#sign-in"), 303
    chosen = registry.get(identity.provider)
    flash(_("ยกเลิกการเชื่อมต่อ %(name)s แล้ว", name=chosen.label(current_locale()) if chosen else identity.provider),
          "success")
    return redirect(url_for("account.index") + "#sign-in")


@bp.post("/account/verified-badge")
@login_required
def badge():
    """Agree, or stop agreeing, to show my verified badge on public pages."""
    form = BadgeForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_badge(current_user, bool(form.show.data))
    db.session.commit()
    flash(_l("บันทึกการตั้งค่าแล้ว"), "success")
    return redirect(url_for("account.index") + "#sign-in")


@bp.app_template_global()
def sign_in_providers() -> list[Provider]:
    """The configured providers (the log-in page's buttons; none when nothing is configured)."""
    return registry.all_providers()


@bp.app_template_global()
def sign_in_methods(user):  # noqa: ANN001, ANN201
    """For the account page: linked providers, those that can still be linked, and the forms."""
    linked = services.identities(user)
    names = {identity.provider for identity in linked}
    return {
        "linked": [(identity, registry.get(identity.provider)) for identity in linked],
        "available": [p for p in registry.all_providers() if p.name not in names],
        "can_unlink": services.ways_in(user) > 1,
        "badge_form": BadgeForm(formdata=None, show=user.show_verified_badge),
        "verified_by": next((registry.get(i.provider) for i in linked if i.verified), None),
    }


@bp.app_template_global()
def verification_needed(area, action: str):  # noqa: ANN001, ANN201
    """When `action` ("vote" or "post") in this area needs a verified identity the signed-in resident
    lacks: the providers that can verify it (maybe none configured); otherwise None."""
    from idea4gov.areas.settings import settings_of

    settings = settings_of(area)
    required = settings.verified_to_vote if action == "vote" else settings.verified_to_post
    if not required or not current_user.is_authenticated or current_user.is_verified:
        return None
    return registry.verifying_providers()


@bp.app_template_global()
def area_requires_verified(area, action: str) -> bool:  # noqa: ANN001
    from idea4gov.areas.settings import settings_of

    settings = settings_of(area)
    return bool(settings.verified_to_vote if action == "vote" else settings.verified_to_post)
