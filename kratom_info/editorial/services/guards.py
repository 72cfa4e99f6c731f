"""What every editorial write checks first: the permission names, the errors, who may act
(permission, second factor, four-eyes, the languages a reviewer reads), the row lock, the
expected status, and the audit event it writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied

from kratom_info.articles.models import Article, Revision
from kratom_info.editorial import second_factor
from kratom_info.editorial.models import AuditEvent
from kratom_info.editorial.selectors import (
    chain_authors,
)
from kratom_info.profiles.models import ReviewerProfile, language_name

PERM_CREATE = "articles.add_revision"
PERM_SUBMIT = "editorial.submit_revision"
PERM_REVIEW = "editorial.review_revision"
PERM_PUBLISH = "editorial.publish_revision"
PERM_SCHEDULE = "editorial.change_reviewschedule"
# The source review (kratom_info.source_review) owns this permission; its second factor is here.
PERM_DECIDE_SOURCE = "source_review.decide_source_change"
PERM_INVITE = "editorial.invite_people"
# What readers are told changes through these (an invited Reviewer is named on the pages they
# review): they need a sign-in verified by a second factor.
SECOND_FACTOR_PERMISSIONS = (PERM_REVIEW, PERM_PUBLISH, PERM_DECIDE_SOURCE, PERM_INVITE)
MAX_REVIEW_AHEAD_YEARS = 3


# Errors ----------------------------------------------------------------------------------


class EditorialPermissionDenied(PermissionDenied):
    """The user may not perform this editorial action."""


class MissingPermission(EditorialPermissionDenied):
    """The user's roles do not include the permission the action needs."""


class FourEyesViolation(EditorialPermissionDenied):
    """The user wrote text in the revision they tried to review, approve or send back (in it,
    or in an unpublished revision it builds on)."""


class LanguageNotRead(EditorialPermissionDenied):
    """The reviewer's profile does not list every language the revision needs read: its own
    and, for a translation, the original's."""


class SecondFactorRequired(EditorialPermissionDenied):
    """A Reviewer or Publisher has not signed in with a second factor, which is required."""


class EditorialError(Exception):
    """An action that is not possible in the revision's current state; ``reasons`` lists every
    problem, not just the first."""

    def __init__(self, message: str, reasons: Sequence[str] = ()):
        self.reasons = list(reasons) or [message]
        super().__init__(message)


class SubmissionBlocked(EditorialError):
    """The draft cannot be submitted (uncited numbers, unknown keys, wrong state)."""


class ApprovalBlocked(EditorialError):
    """The revision cannot be approved yet (claims unchecked or not supported)."""


class PublishBlocked(EditorialError):
    """The publish gate refused; ``reasons`` lists every failing condition."""


class InvalidDraft(EditorialError):
    """The edited text cannot be stored (e.g. a citation key that does not exist)."""


class EditConflict(EditorialError):
    """Someone created a newer revision after the editor opened the article."""

    def __init__(self, *, newer: Revision, based_on: int):
        self.newer, self.based_on = newer, based_on
        by = f" by {newer.author.get_username()}" if newer.author else ""
        what = (
            f"version {newer.number} of this article was saved again{by} after you started "
            "editing it"
            if newer.number == based_on
            else f"version {newer.number} of this article was created{by} after you started "
            f"editing version {based_on}"
        )
        super().__init__(
            f"Edit conflict: {what}. Your text was not saved; "
            f"compare it with version {newer.number} and merge the changes before saving again."
        )


# Helpers ---------------------------------------------------------------------------------


def _require(user, permission: str, action: str) -> None:
    if user is None or not user.is_active or not user.has_perm(permission):
        raise MissingPermission(f"You do not have permission to {action}.")
    if permission in SECOND_FACTOR_PERMISSIONS and (
        second_factor.second_factor_required(user) and not second_factor.is_verified(user)
    ):
        raise SecondFactorRequired(
            f"To {action}, sign in with your second factor. Reviewers and Publishers must: "
            "set up an authenticator app under “Two-factor sign-in” in the admin "
            "(/admin/second-factor/), then sign in again with its code."
        )


def _not_author(user, revision: Revision, action: str) -> None:
    """Refuse anyone who wrote text in ``revision`` or in an unpublished revision it builds on."""
    written = chain_authors(revision).get(user.pk)
    if not written:
        return
    if revision.number in written:
        raise FourEyesViolation(
            f"You wrote {revision}, so you cannot {action} it: "
            "a reviewer other than the author must do that (four-eyes rule)."
        )
    versions = ", ".join(f"v{number}" for number in written)
    raise FourEyesViolation(
        f"You wrote {versions}, which {revision} builds on (unpublished text since the live "
        f"version), so you cannot {action} it: a reviewer who wrote none of that text must do "
        "that (four-eyes rule)."
    )


def review_languages_needed(article: Article) -> list[str]:
    """The languages a reviewer of ``article`` must read: the original's (English) first, then
    the translation's own."""
    if article.is_original:
        return [article.language]
    return [article.original.language, article.language]


def _languages_phrase(codes: Sequence[str]) -> str:
    names = [language_name(code) for code in codes]
    return names[0] if len(names) == 1 else "both " + " and ".join(names)


def review_language_problem(*, reviewer_id: int, article: Article) -> str | None:
    """Why the person ``reviewer_id`` may not review ``article`` for want of a language, or
    None. A reviewer without a profile is taken to read English (approval asks for a profile
    anyway), never a translation's language."""
    needed = review_languages_needed(article)
    profile = ReviewerProfile.objects.filter(user_id=reviewer_id).first()
    listed = profile.languages if profile else []
    if profile is None and article.is_original:
        return None
    missing = [code for code in needed if code not in listed]
    if not missing:
        return None
    what = (
        f"this {language_name(article.language)} translation"
        if not article.is_original
        else f"this {language_name(article.language)} article"
    )
    has = (
        f"your reviewer profile lists {profile.language_names}"
        if profile
        else "you have no reviewer profile listing the languages you read"
    )
    return (
        f"To review {what} you must read {_languages_phrase(needed)}; {has}. A Publisher can "
        "set the languages when inviting a reviewer, and an administrator can update them "
        "under Admin → Editorial workflow → Reviewer profiles."
    )


def _reads_languages(user, revision: Revision) -> None:
    """Refuse a reviewer whose profile lacks a language the revision needs read."""
    problem = review_language_problem(reviewer_id=user.pk, article=revision.article)
    if problem:
        raise LanguageNotRead(problem)


def _locked(revision: Revision) -> Revision:
    """The revision re-read under a row lock, so two people cannot move it at once."""
    return (
        Revision.objects.select_for_update(of=("self",))
        .select_related("article", "author")
        .get(pk=revision.pk)
    )


def _expect_status(revision: Revision, *statuses: str, action: str) -> None:
    if revision.status not in statuses:
        raise EditorialError(
            f"Cannot {action} {revision}: it is {revision.get_status_display().lower()}."
        )


def _audit(
    *, user, action: str, article: Article, revision: Revision | None = None, detail: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(
        article=article, revision=revision, user=user, action=action, detail=detail
    )
