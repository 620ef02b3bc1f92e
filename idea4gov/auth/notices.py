"""E-mails about an account (Thai first, English below): the registration link, "you already have an
account", failed log-ins, a changed password. They go to the address itself, never to whoever asked,
and every link in them is built from PUBLIC_BASE_URL, never from the request's host.

They are queued on the session and sent after the commit (`idea4gov.mail.sender`); they are not
about followed ideas, so they carry no unsubscribe link and are sent whatever that setting says.
"""
from __future__ import annotations

from idea4gov.extensions import db
from idea4gov.links import base_url
from idea4gov.mail.sender import Mail, queue


def _send(to: str, subject_th: str, subject_en: str, body_th: str, body_en: str) -> None:
    queue(db.session, Mail(to=to, subject=f"{subject_th} / {subject_en}",
                           body=f"{body_th}\n\n----- English -----\n\n{body_en}\n"))


def confirm_registration(email: str, token: str, hours: int) -> None:
    link = f"{base_url()}/auth/register/confirm/{token}"
    _send(
        email, "ยืนยันการสมัครสมาชิก idea4gov", "Confirm your idea4gov registration",
        f"มีการสมัครสมาชิก idea4gov ด้วยอีเมลนี้ เปิดลิงก์นี้ภายใน {hours} ชั่วโมงเพื่อเปิดใช้บัญชี:\n{link}\n\n"
        "ถ้าคุณไม่ได้สมัคร ไม่ต้องทำอะไร บัญชีจะไม่ถูกสร้าง",
        f"Someone registered at idea4gov with this address. Open this link within {hours} hours to "
        f"activate the account:\n{link}\n\nIf it was not you, do nothing: no account is made.",
    )


def already_registered(email: str) -> None:
    login, account = f"{base_url()}/auth/login", f"{base_url()}/account/"
    _send(
        email, "มีการสมัครสมาชิกด้วยอีเมลของคุณ", "Someone tried to register with your address",
        f"มีการสมัครสมาชิก idea4gov ด้วยอีเมลนี้ แต่อีเมลนี้มีบัญชีอยู่แล้ว จึงไม่ได้สร้างบัญชีใหม่\n\n"
        f"ถ้าเป็นคุณ เข้าสู่ระบบได้ที่ {login}\nถ้าไม่ใช่คุณ ไม่ต้องทำอะไร บัญชีของคุณยังปลอดภัย "
        f"หรือเปลี่ยนรหัสผ่านได้ที่ {account}",
        f"Someone registered at idea4gov with this address, which already has an account, so no new "
        f"account was made.\n\nIf it was you, sign in at {login}\nIf it was not, do nothing: your account "
        f"is safe. You can change your password at {account}",
    )


def failed_logins(email: str, address: str) -> None:
    account = f"{base_url()}/account/"
    _send(
        email, "มีการพยายามเข้าสู่บัญชีของคุณด้วยรหัสผ่านผิดหลายครั้ง", "Many failed sign-ins to your account",
        f"มีการพยายามเข้าสู่บัญชี idea4gov ของคุณด้วยรหัสผ่านผิดหลายครั้ง ล่าสุดจากที่อยู่ IP {address}\n\n"
        "เราชะลอผู้ที่พยายามเดารหัสผ่านแล้ว บัญชีของคุณไม่ถูกล็อก คุณยังเข้าสู่ระบบได้ตามปกติ "
        "โดยเฉพาะจากอุปกรณ์ที่เคยใช้\n\n"
        f"ถ้าไม่ใช่คุณ ควรตั้งรหัสผ่านที่ยาวและเดายาก และออกจากระบบทุกอุปกรณ์ได้ที่ {account}",
        f"Someone tried to sign in to your idea4gov account with a wrong password many times, most "
        f"recently from IP address {address}.\n\nWe slowed them down. Your account is not locked: you can "
        "still sign in, especially from a device you used before.\n\n"
        f"If it was not you, choose a long password that is hard to guess, and sign out everywhere, at {account}",
    )


def password_changed(email: str) -> None:
    account = f"{base_url()}/account/"
    _send(
        email, "รหัสผ่าน idea4gov ของคุณเปลี่ยนแล้ว", "Your idea4gov password was changed",
        "รหัสผ่านบัญชี idea4gov ของคุณเพิ่งถูกเปลี่ยน และทุกอุปกรณ์อื่นออกจากระบบแล้ว\n\n"
        f"ถ้าไม่ใช่คุณ กรุณาติดต่อผู้ดูแลระบบทันที และดูบัญชีของคุณที่ {account}",
        "The password of your idea4gov account was just changed, and every other device was signed out.\n\n"
        f"If it was not you, contact the site's administrators at once, and check your account at {account}",
    )
