"""Second-factor enrolment and verification (django-otp's TOTP and static devices).

One authenticator app (a ``TOTPDevice``) and one set of recovery codes (a ``StaticDevice``)
per user. Views, commands and tests call these functions; none of them trusts a code it has
not checked against the user's own device.
"""

from __future__ import annotations

import math
import re

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_TOTP_CODE = re.compile(r"\d{6}")


class InvalidCode(Exception):
    """The code was wrong, already used, or tried too soon after a wrong one."""


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _check(device: Device, code: str) -> bool:
    """``device.verify_token`` with django-otp's throttling: after a wrong code, the next try
    waits 1, 2, 4, 8 … seconds."""
    allowed, extra = device.verify_is_allowed()
    if not allowed:
        if extra and "locked_until" in extra:
            wait = max(1, math.ceil((extra["locked_until"] - timezone.now()).total_seconds()))
            raise InvalidCode(
                f"Too many wrong codes in a row: wait {wait} second(s), then try a fresh code. "
                "Each wrong code doubles the wait."
            )
        raise InvalidCode("This device cannot be used to sign in right now.")
    return device.verify_token(code)


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The user's unconfirmed authenticator-app device, created with a new random secret if
    there is none. It signs nobody in until :func:`totp_device_confirm` confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator app with a code it shows, replacing any earlier app
    and recovery codes. Returns the device and the new recovery codes (shown once)."""
    code = _normalise(code)
    # A wrong code is recorded (throttling), so the error is raised after the transaction.
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise InvalidCode("Start the set-up again: there is no authenticator app waiting.")
        accepted = bool(_TOTP_CODE.fullmatch(code)) and _check(device, code)
        if accepted:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = recovery_codes_replace(user=user)
    if not accepted:
        raise InvalidCode(
            "That code is not right. Enter the 6-digit code your app shows now for this "
            "account (check that the phone's clock is set automatically)."
        )
    return device, codes


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """A new set of one-time recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(*, user, code: str) -> Device:
    """The device that accepts ``code``: the authenticator app for 6 digits, else the recovery
    codes (each works once). Raises :class:`InvalidCode` otherwise. Only one device is tried,
    so a wrong app code does not slow down recovery codes or the other way round."""
    code = _normalise(code)
    model = TOTPDevice if _TOTP_CODE.fullmatch(code) else StaticDevice
    # A wrong code is recorded (throttling), so the error is raised after the transaction.
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        accepted = device is not None and bool(code) and _check(device, code)
    if not accepted:
        raise InvalidCode(
            "That code is not right. Enter the 6-digit code your authenticator app shows now, "
            "or one of your recovery codes."
        )
    return device
