"""Telling an account's owner that sign-in to their account was paused (django-axes)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail

log = logging.getLogger(__name__)


def lockout_notify(*, username: str, ip_address: str | None) -> bool:
    """E-mail the owner of ``username`` that wrong passwords paused sign-in as them from
    ``ip_address``: once per account and address per cool-off, however many refused attempts
    follow. Nothing for a username nobody has, or an owner without an e-mail address. Sent
    through the site's mailer, so where no mail server is configured the message is dropped
    (and logged) like every other. True when a message was handed to the mailer."""
    owner = (
        get_user_model()
        .objects.filter(username=username, is_active=True)
        .exclude(email="")
        .only("email", "username")
        .first()
    )
    if owner is None:
        return False
    cool_off = settings.AXES_COOLOFF_TIME
    if not cache.add(f"lockout-mail:{owner.pk}:{ip_address}", 1, cool_off.total_seconds()):
        return False  # told already
    minutes = int(cool_off.total_seconds() // 60)
    body = (
        f"Hello {owner.get_username()},\n\n"
        f"Sign-in to {settings.SITE_NAME} as {owner.get_username()} from the network address "
        f"{ip_address or 'unknown'} is paused after {settings.AXES_FAILURE_LIMIT} wrong "
        f"passwords. It opens again {minutes} minutes after the last wrong password; sign-in "
        "from other addresses is not affected.\n\n"
        "If that was you, wait, or ask an administrator to unlock your account at once "
        f"(manage.py axes_reset_username {owner.get_username()}).\n"
        "If it was not you, someone is guessing your password: change it to a long one you "
        "use nowhere else, and tell an administrator.\n"
    )
    try:
        send_mail(
            subject=f"{settings.SITE_NAME}: sign-in paused after wrong passwords",
            message=body,
            from_email=None,
            recipient_list=[owner.email],
        )
    except OSError:  # an unreachable mail server must not turn the lockout page into a 500
        log.exception("Could not send the lockout notice for user %s", owner.pk)
        return False
    return True


def on_user_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    """django-axes' ``user_locked_out`` signal: sent at each refused attempt of a lockout."""
    lockout_notify(username=username or "", ip_address=ip_address)
