"""Creating real editor accounts (production's first Publisher, and every editor after), and
Publishers inviting Authors and Reviewers from the admin.

Demo logins for local use are ``create_editor_accounts``; these are the paths for real people,
called by the ``create_editor`` command, the admin's "Invite a person" screen and the tests.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from kratom_info.editorial.models import AuditAction, AuditEvent
from kratom_info.editorial.roles import (
    AUTHOR,
    PUBLISHER,
    REVIEWER,
    ROLE_PERMISSIONS,
    sync_role_groups,
)
from kratom_info.editorial.services.guards import (
    PERM_INVITE,
    EditorialError,
    EditorialPermissionDenied,
    _require,
)
from kratom_info.profiles.models import (
    ReviewerProfile,
    default_review_languages,
    ordered_languages,
    validate_review_languages,
)
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
    reviewer_languages: Sequence[str] | None = None,
):
    """A staff user in the given role groups, with a password that passes the site's validators.

    A reviewer is named on every page they review, so ``reviewer_name`` and ``reviewer_role``
    are required for one: the site never shows a made-up reviewer. ``reviewer_languages``
    lists the language codes they review in (default: English only).
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
    languages = (
        default_review_languages() if reviewer_languages is None else list(reviewer_languages)
    )
    if REVIEWER in roles:
        try:
            validate_review_languages(languages)
        except ValidationError as exc:
            raise AccountError("Languages refused: " + " ".join(exc.messages)) from exc
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
            user=user,
            display_name=reviewer_name.strip(),
            role=reviewer_role.strip(),
            languages=languages,
        )
    return user


# Invitations: Publishers add Authors and Reviewers from the admin ----------------------------
#
# The invited person's account starts without a usable password; they choose one through a
# one-time link. Django's password-reset tokens make the link: it stops working once the
# password is set (the token hashes the password), when a new link is sent (which stores a new
# unusable password), when the account is deactivated, and after settings.PASSWORD_RESET_TIMEOUT.

# The roles a Publisher may give. Publisher itself is given only by a superuser, so a Publisher
# cannot multiply publishers (or make anyone staff with other powers: invitations carry a role
# group and nothing else, never superuser status or permissions of their own).
INVITABLE_ROLES = (AUTHOR, REVIEWER)

log = logging.getLogger(__name__)
# Backends that send nothing: the invitation page says so and shows the link to hand over.
NOT_SENDING = (
    "kratom_info.accounts.mail.NoEmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


class FormProblems(AccountError):
    """Refused as asked; ``problems`` pairs each form field (``None`` for the whole form) with
    what is wrong with it, so a form can show each next to its field."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        self.problems = problems
        super().__init__(" ".join(message for _, message in problems))


class InvitationRefused(FormProblems):
    """The invitation cannot be made as asked."""


class ProfileRefused(FormProblems):
    """The public profile cannot be changed as asked."""


class NotYoursToManage(EditorialPermissionDenied):
    """The account is a Publisher's, a superuser's or one's own: only a superuser changes it."""


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens with a salt of their own (a reset token is not an
    invitation, nor the other way round) and the account's active flag in the hash."""

    key_salt = "kratom_info.accounts.people.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def signature_matches(self, user, token: str) -> bool:
        """Whether ``token`` was made for the account as it is now, however old: tells an
        expired link from one that was used or replaced."""
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


@dataclass(frozen=True)
class Invitation:
    """A sent invitation: the link (shown once to whoever invited) and whether it was e-mailed."""

    person: AbstractBaseUser
    role: str
    link: str
    emailed: bool
    email_problem: str = ""


def invitable_roles(user) -> tuple[str, ...]:
    """The roles ``user`` may give: Authors and Reviewers, and for a superuser any role."""
    return tuple(ROLE_PERMISSIONS) if user.is_superuser else INVITABLE_ROLES


def person_role(person) -> str:
    """The person's roles as one label, e.g. 'Reviewer' or 'Author, Reviewer'."""
    return ", ".join(sorted(group.name for group in person.groups.all())) or "no role"


def invitation_pending(person) -> bool:
    """Invited (active, no password chosen yet) rather than signed up."""
    return person.is_active and not person.has_usable_password()


def email_configured() -> bool:
    """False when the site sends no e-mail (production without DJANGO_EMAIL_HOST)."""
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    return backend not in NOT_SENDING


def require_manageable(user, person, action: str) -> None:
    """A Publisher manages Authors and Reviewers, not Publishers, superusers or themselves."""
    if person.pk == user.pk:
        raise NotYoursToManage(f"You cannot {action} your own account.")
    if user.is_superuser:
        return
    roles = set(person.groups.values_list("name", flat=True))
    if person.is_superuser or not roles <= set(INVITABLE_ROLES):
        raise NotYoursToManage(
            f"You cannot {action} {person.get_username()}: they are "
            f"{'a superuser' if person.is_superuser else 'a ' + PUBLISHER}, and only a "
            "superuser changes such accounts."
        )


def _derived_username(email: str) -> str:
    local = email.partition("@")[0].lower()
    return re.sub(r"[^\w.+-]", "", local)[:150]


def _check_invitation(
    *,
    user,
    username: str,
    email: str,
    first_name: str,
    role: str,
    profile: dict[str, str],
    languages: list[str],
) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    allowed = invitable_roles(user)
    if role not in ROLE_PERMISSIONS:
        problems.append(("role", f"Unknown role {role!r}: choose {' or '.join(allowed)}."))
    elif role not in allowed:
        problems.append(
            (
                "role",
                f"Only a superuser can make someone a {role}; you can invite "
                f"{' or '.join(allowed)}.",
            )
        )
    if not first_name:
        problems.append(("first_name", "Give the person's first name (used to greet them)."))
    if not email:
        problems.append(("email", "Give an e-mail address: the invitation link goes there."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(("email", f"{email!r} is not an e-mail address."))
    user_model = get_user_model()
    if email and (taken := user_model.objects.filter(email__iexact=email).first()):
        problems.append(
            (
                "email",
                f"{email} already belongs to the account {taken.get_username()!r}: "
                "one account per person.",
            )
        )
    if not username:
        problems.append(("username", "Give a username (letters, digits and . + - _ only)."))
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            problems.append(
                (
                    "username",
                    f"The username {username!r} may hold only letters, digits and "
                    ". + - _ (no spaces).",
                )
            )
        if len(username) > 150:
            problems.append(("username", "The username is longer than 150 characters."))
        if taken := user_model.objects.filter(username__iexact=username).first():
            problems.append(
                (
                    "username",
                    f"The username {username!r} is taken (by "
                    f"{taken.get_full_name() or taken.get_username()}): choose another.",
                )
            )
    problems.extend(_check_profile(role, profile, languages))
    return problems


def _check_profile(
    role: str, profile: dict[str, str], languages: list[str]
) -> list[tuple[str | None, str]]:
    """What readers would see of a person: a reviewer needs a name and credentials; an
    author has both or neither; a profile needs the languages its person reviews in."""
    problems: list[tuple[str | None, str]] = []
    name, credentials, interests = (
        profile["display_name"],
        profile["credentials"],
        profile["declared_interests"],
    )
    if role == REVIEWER:
        if not name:
            problems.append(
                (
                    "display_name",
                    "A reviewer is named on every page they review: give their "
                    "name as readers will see it (e.g. 'Dr Amira Hassan').",
                )
            )
        if not credentials:
            problems.append(
                (
                    "credentials",
                    "A reviewer's credentials are shown to readers next to their "
                    "name: give them as the person states them (e.g. 'Addiction "
                    "medicine physician').",
                )
            )
    elif bool(name) != bool(credentials) or (interests and not name):
        problems.append(
            (
                None,
                "An author's public profile needs both the name shown to readers and the "
                "credentials, or none of the profile fields (pages then use the account's "
                "name).",
            )
        )
    problems.extend(_too_long(profile))
    if name:
        try:
            validate_review_languages(languages)
        except ValidationError as exc:
            problems.append(("languages", " ".join(exc.messages)))
    return problems


# Profile form fields -> the ReviewerProfile fields that hold them (and set their lengths).
PROFILE_MODEL_FIELDS = {
    "display_name": "display_name",
    "credentials": "role",
    "declared_interests": "declared_interests",
}


def _too_long(profile: dict[str, str]) -> list[tuple[str, str]]:
    """Each profile text longer than its ReviewerProfile column allows."""
    problems = []
    for field, value in profile.items():
        limit = ReviewerProfile._meta.get_field(PROFILE_MODEL_FIELDS[field]).max_length
        if len(value) > limit:
            problems.append((field, f"At most {limit} characters (this is {len(value)})."))
    return problems


def person_invite(
    *,
    user,
    email: str,
    first_name: str,
    last_name: str = "",
    username: str = "",
    role: str,
    display_name: str = "",
    credentials: str = "",
    declared_interests: str = "",
    languages: Sequence[str] | None = None,
) -> Invitation:
    """Create a staff account in one role, with no usable password, and send its one-time link.

    ``user`` needs the invite permission (Publishers) and, where required, a verified second
    factor; only a superuser gives the Publisher role. A reviewer must have the profile readers
    see (name and credentials as entered here; the site never fills them in). The account, its
    role, its profile and the audit event are written together or not at all; the e-mail goes
    after that, and :class:`Invitation` says whether it went. ``languages`` are the codes of
    the languages the profile says they review in (default: English only).
    """
    _require(user, PERM_INVITE, "invite people")
    email, first_name, last_name = email.strip(), first_name.strip(), last_name.strip()
    username = username.strip() or _derived_username(email)
    languages = default_review_languages() if languages is None else list(languages)
    profile = {
        "display_name": display_name.strip(),
        "credentials": credentials.strip(),
        "declared_interests": declared_interests.strip(),
    }
    problems = _check_invitation(
        user=user,
        username=username,
        email=email,
        first_name=first_name,
        role=role,
        profile=profile,
        languages=languages,
    )
    if problems:
        raise InvitationRefused(problems)
    with transaction.atomic():
        sync_role_groups()  # the groups come from a migration; make sure they hold today's rights
        person = get_user_model()(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
        )
        person.set_unusable_password()
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as exc:  # the same name, taken a moment ago
            raise InvitationRefused(
                [("username", f"The username {username!r} is taken: choose another.")]
            ) from exc
        person.groups.set(Group.objects.filter(name=role))
        shown = ""
        if profile["display_name"]:
            ReviewerProfile.objects.create(
                user=person,
                display_name=profile["display_name"],
                role=profile["credentials"],
                declared_interests=profile["declared_interests"],
                languages=languages,
            )
            shown = (
                f"; shown to readers as {profile['display_name']} ({profile['credentials']}),"
                f" reviews in {', '.join(ordered_languages(languages))}"
            )
        AuditEvent.objects.create(
            person=person,
            user=user,
            action=AuditAction.PERSON_INVITED,
            detail=f"Invited {username} <{email}> as {role}{shown}.",
        )
    log.info("%s invited %s as %s", user.get_username(), username, role)
    return _send_invitation(person, role=role, invited_by=user)


def invitation_resend(*, user, person) -> Invitation:
    """A new link for someone who has not chosen a password yet; earlier links stop working."""
    _require(user, PERM_INVITE, "send invitation links")
    with transaction.atomic():
        person = get_user_model().objects.select_for_update().get(pk=person.pk)
        require_manageable(user, person, "send an invitation link to")
        if not invitation_pending(person):
            state = "is deactivated" if not person.is_active else "has already set a password"
            raise EditorialError(
                f"{person.get_username()} {state}, so no invitation link was sent. Someone who "
                f"forgot their password asks an administrator: "
                f"{manage_py('changepassword', person.get_username())}"
            )
        person.set_unusable_password()  # a new random marker: every earlier token fails
        person.save(update_fields=["password"])
        AuditEvent.objects.create(
            person=person,
            user=user,
            action=AuditAction.INVITATION_RESENT,
            detail=f"Sent {person.get_username()} a new invitation link; earlier links no "
            "longer work.",
        )
    return _send_invitation(person, role=person_role(person), invited_by=user)


def require_deactivatable(user, person) -> None:
    """Whether ``user`` may deactivate ``person`` now: NotYoursToManage for a Publisher, a
    superuser or oneself, EditorialError when the account is already deactivated."""
    require_manageable(user, person, "deactivate")
    if not person.is_active:
        raise EditorialError(f"The account {person.get_username()} is already deactivated.")


def person_deactivate(*, user, person):
    """Stop an Author's or Reviewer's sign-in (their records stay; a superuser can undo it)."""
    _require(user, PERM_INVITE, "deactivate people")
    with transaction.atomic():
        person = get_user_model().objects.select_for_update().get(pk=person.pk)
        require_deactivatable(user, person)
        person.is_active = False
        person.save(update_fields=["is_active"])
        AuditEvent.objects.create(
            person=person,
            user=user,
            action=AuditAction.PERSON_DEACTIVATED,
            detail=f"Deactivated {person.get_username()} ({person_role(person)}).",
        )
    return person


def _profile_summary(profile: ReviewerProfile | None) -> str:
    if profile is None:
        return "no public profile"
    interests = profile.declared_interests or "none declared"
    return f"{profile}; declared interests: {interests}; reviews in {', '.join(profile.languages)}"


def require_profile_changeable(user, person) -> None:
    """Whether ``user`` may change what readers see of ``person`` (NotYoursToManage if not)."""
    require_manageable(user, person, "change the public profile of")


def public_profile_set(
    *,
    user,
    person,
    display_name: str,
    credentials: str,
    declared_interests: str = "",
    languages: Sequence[str],
) -> ReviewerProfile:
    """A Publisher corrects what readers see of an Author or Reviewer: the name and the
    credentials they checked, the declared interests, the languages the person reviews in.

    People keep their own declared interests up to date, but nobody vouches for their own
    name, credentials or languages (Reviewer profiles). Versions already published keep what
    they were published with (each Publication froze it). Refused with every problem named,
    changing nothing; the change and what it replaced go to the audit trail."""
    _require(user, PERM_INVITE, "change people's public profiles")
    profile_fields = {
        "display_name": display_name.strip(),
        "credentials": credentials.strip(),
        "declared_interests": declared_interests.strip(),
    }
    languages = ordered_languages(languages)
    with transaction.atomic():
        person = get_user_model().objects.select_for_update().get(pk=person.pk)
        require_profile_changeable(user, person)
        roles = set(person.groups.values_list("name", flat=True))
        problems = _check_profile(
            REVIEWER if REVIEWER in roles else AUTHOR, profile_fields, languages
        )
        if not profile_fields["display_name"] and not problems:
            problems.append(("display_name", "Give the name shown to readers."))
        if problems:
            raise ProfileRefused(problems)
        profile = ReviewerProfile.objects.filter(user=person).first()
        before = _profile_summary(profile)
        if profile is None:
            profile = ReviewerProfile(user=person)
        for field, column in PROFILE_MODEL_FIELDS.items():
            setattr(profile, column, profile_fields[field])
        profile.languages = languages
        after = _profile_summary(profile)
        if after == before:
            return profile
        profile.save()
        AuditEvent.objects.create(
            person=person,
            user=user,
            action=AuditAction.PROFILE_CHANGED,
            detail=f"Public profile of {person.get_username()} was: {before}. Now: {after}.",
        )
    return profile


def declared_interests_set(*, user, profile: ReviewerProfile, declared_interests: str):
    """A person updates their own declared interests, so that a new tie shows at once; nothing
    else of their profile (nobody vouches for their own name, credentials or languages: see
    :func:`public_profile_set`). Audited with what it replaced; versions already published
    keep the interests they were published with."""
    if profile.user_id != user.pk:
        raise NotYoursToManage(
            "You can change only your own declared interests; a Publisher changes other "
            "people's public profiles (People)."
        )
    interests = declared_interests.strip()
    if problems := _too_long({"declared_interests": interests}):
        raise ProfileRefused(problems)
    with transaction.atomic():
        profile = ReviewerProfile.objects.select_for_update().get(pk=profile.pk)
        before = profile.declared_interests or "none declared"
        if interests == profile.declared_interests:
            return profile
        profile.declared_interests = interests
        profile.save(update_fields=["declared_interests", "updated_at"])
        AuditEvent.objects.create(
            person=user,
            user=user,
            action=AuditAction.PROFILE_CHANGED,
            detail=f"{user.get_username()} changed their declared interests. Were: {before}. "
            f"Now: {interests or 'none declared'}.",
        )
    return profile


def profile_change_record(*, user, profile: ReviewerProfile, fields: Sequence[str]) -> None:
    """Audit a change an administrator made to a profile in the admin (Reviewer profiles)."""
    if fields:
        AuditEvent.objects.create(
            person=profile.user,
            user=user,
            action=AuditAction.PROFILE_CHANGED,
            detail=f"Changed {', '.join(fields)} in the public profile of "
            f"{profile.user.get_username()}. Now: {_profile_summary(profile)}.",
        )


DEAD_INVITATION = (
    "This link no longer works. An invitation link works once, and only the newest one sent "
    "does: if you have already chosen your password, sign in with it; otherwise copy the whole "
    "link from your newest invitation, or ask the person who invited you for a new one."
)


def invitation_problem(person, token: str | None) -> str | None:
    """Why an invitation link does not work, in words for the person holding it; ``None``
    when it works.

    Only a genuine link that has expired is told apart (its signature still matches the
    account, which nobody can forge). A used, replaced, deactivated, made-up or cut-short
    link gets one and the same answer: a different one for each would tell anyone who tries
    account numbers whether an account exists, is active or has chosen a password."""
    if person is None or not token:
        return DEAD_INVITATION
    if invitation_tokens.check_token(person, token):
        return None
    if invitation_tokens.signature_matches(person, token):
        return (
            f"This link has expired (links work for {invitation_lifetime()}). Ask the person who "
            "invited you to send a new one."
        )
    return DEAD_INVITATION


def invitation_accept(*, person, token: str, password: str):
    """Set the invited person's password through their link: once only (the row is locked and
    the token checked again, so the same link cannot set two passwords)."""
    with transaction.atomic():
        person = get_user_model().objects.select_for_update().get(pk=person.pk)
        problem = invitation_problem(person, token)
        if problem:
            raise EditorialError(problem)
        try:
            validate_password(password, person)
        except ValidationError as exc:
            raise EditorialError("Password refused: " + " ".join(exc.messages)) from exc
        person.set_password(password)
        person.save(update_fields=["password"])
        AuditEvent.objects.create(
            person=person,
            user=person,
            action=AuditAction.INVITATION_ACCEPTED,
            detail=f"{person.get_username()} chose a password through their invitation link.",
        )
    return person


def invitation_lifetime() -> str:
    """How long a link works, in words (settings.PASSWORD_RESET_TIMEOUT)."""
    days, seconds = divmod(settings.PASSWORD_RESET_TIMEOUT, 24 * 60 * 60)
    if days and not seconds:
        return f"{days} day{'s' if days != 1 else ''}"
    hours = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 3600))
    return f"{hours} hour{'s' if hours != 1 else ''}"


def invitation_link(person) -> str:
    """A fresh one-time link on the site's public address (settings.SITE_URL)."""
    path = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": invitation_tokens.make_token(person),
        },
    )
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _send_invitation(person, *, role: str, invited_by) -> Invitation:
    link = invitation_link(person)
    if not email_configured():
        return Invitation(person, role, link, emailed=False, email_problem="")
    context = {
        "person": person,
        "role": role,
        "link": link,
        "lifetime": invitation_lifetime(),
        "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "site_name": settings.SITE_NAME,
        "admin_url": f"{settings.SITE_URL.rstrip('/')}{reverse('admin:index')}",
    }
    try:
        send_mail(
            subject=f"{settings.SITE_NAME}: you are invited as {role}",
            message=render_to_string("accounts/invitation_email.txt", context),
            from_email=None,
            recipient_list=[person.email],
        )
    except OSError as exc:  # smtplib's errors are OSErrors too
        log.warning("Invitation e-mail to %s failed: %s", person.email, exc)
        return Invitation(person, role, link, emailed=False, email_problem=str(exc))
    return Invitation(person, role, link, emailed=True)
