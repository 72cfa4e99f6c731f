"""Who must sign in with a second factor, and whether they have: an editorial rule (the
review and publish permissions, ``settings.EDITORIAL_REQUIRE_2FA``), read by the services that
refuse an unverified reviewer and by the sign-in screens in :mod:`kratom_info.accounts`.

Reviewers and Publishers (anyone holding the review or publish permission, superusers
included) must be verified by a django-otp device when ``settings.EDITORIAL_REQUIRE_2FA`` is
on. A user who has enrolled a device is asked for a code at every sign-in, required or not.
"""

from __future__ import annotations

from django.conf import settings
from django_otp import user_has_device

# The editorial permissions that change what readers are told (kratom_info.editorial.roles).
SECOND_FACTOR_PERMISSIONS = ("editorial.review_revision", "editorial.publish_revision")

VERIFY, ENROL = "verify", "enrol"


def second_factor_required(user) -> bool:
    """True when ``user`` may review or publish and the setting requires a second factor."""
    if not settings.EDITORIAL_REQUIRE_2FA or not user.is_authenticated or not user.is_active:
        return False
    return any(user.has_perm(permission) for permission in SECOND_FACTOR_PERMISSIONS)


def is_verified(user) -> bool:
    """True when this sign-in was confirmed with a second factor.

    Only ``request.user`` carries that (django-otp's middleware sets ``is_verified`` from the
    session); a user loaded any other way, e.g. in a management command, is not verified.
    """
    check = getattr(user, "is_verified", None)
    return bool(callable(check) and check())


def pending_step(user) -> str | None:
    """What a signed-in user must do before using the admin: ``VERIFY`` (enter a code),
    ``ENROL`` (set up a second factor) or ``None``."""
    if not user.is_authenticated or is_verified(user):
        return None
    if user_has_device(user):
        return VERIFY
    if second_factor_required(user):
        return ENROL
    return None
