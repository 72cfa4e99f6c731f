"""Creating real editor accounts (production's first Publisher, and every editor after).

Demo logins for local use are ``create_editor_accounts``; this is the one path for real people,
called by the ``create_editor`` command and the tests alike.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from kratom_info.editorial.models import ReviewerProfile
from kratom_info.editorial.roles import REVIEWER, ROLE_PERMISSIONS, sync_role_groups
from kratom_info.shell import manage_py


class AccountError(ValueError):
    """The account cannot be created as asked; the message says what to change."""


@transaction.atomic
def editor_account_create(
    *,
    username: str,
    roles: list[str],
    password: str,
    email: str = "",
    reviewer_name: str = "",
    reviewer_role: str = "",
):
    """A staff user in the given role groups, with a password that passes the site's validators.

    A reviewer is named on every page they review, so ``reviewer_name`` and ``reviewer_role``
    are required for one: the site never shows a made-up reviewer.
    """
    username = username.strip()
    if not username:
        raise AccountError("Give a username.")
    unknown = sorted(set(roles) - set(ROLE_PERMISSIONS))
    if unknown or not roles:
        raise AccountError(
            f"Unknown role {', '.join(unknown) or '(none given)'}: choose from "
            f"{', '.join(ROLE_PERMISSIONS)}."
        )
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise AccountError(
            f"A user named {username!r} already exists. To set a new password: "
            f"{manage_py('changepassword', username)}"
        )
    if REVIEWER in roles and not (reviewer_name.strip() and reviewer_role.strip()):
        raise AccountError(
            "A reviewer is named on the pages they review: give --name (e.g. 'Dr Amira Hassan') "
            "and --title (e.g. 'Addiction medicine physician')."
        )
    user = user_model(username=username, email=email.strip(), is_staff=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("Password refused: " + " ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    sync_role_groups()  # the groups come from a migration; make sure they hold today's rights
    user.groups.set(Group.objects.filter(name__in=roles))
    if REVIEWER in roles:
        ReviewerProfile.objects.create(
            user=user, display_name=reviewer_name.strip(), role=reviewer_role.strip()
        )
    return user
