"""The editorial workflow's writes: draft, submit, check claims, approve or send back, publish,
unpublish. The admin, management commands and tests all call these functions; none of the
rules below lives in a view.

Every function is atomic, checks the acting user's permission (raising a ``PermissionDenied``
subclass), re-reads the revision under a row lock, and writes an :class:`AuditEvent`.

Four-eyes: nobody checks claims on, approves or requests changes to a revision they authored,
and a revision is published only after a reviewer other than its author approved it. The rule
binds superusers too.

Second factor: when ``settings.EDITORIAL_REQUIRE_2FA`` is on (production), reviewing and
publishing also need a sign-in verified by a second factor. ``user`` must then be
``request.user`` of a verified session (django-otp's middleware marks it); any other user
object, e.g. one loaded in a management command, counts as not verified and is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kratom_info.accounts import signin
from kratom_info.articles.content_rules import BODY_RULES_ES, PLAIN_FIELD_RULES_ES, run_rules
from kratom_info.articles.models import Article, Revision, RevisionStatus
from kratom_info.articles.rendering import UnknownCitationKeys, check_citations
from kratom_info.articles.services import (
    TranslationMismatch,
    revision_create,
    revision_make_live,
)
from kratom_info.citations.claims import (
    extract_claims,
    find_uncited_numbers,
    uncited_numbers_in_plain_fields,
)
from kratom_info.citations.models import Source
from kratom_info.citations.syntax import CitationSyntaxError, find_markers
from kratom_info.editorial.models import (
    AuditAction,
    AuditEvent,
    Claim,
    ClaimCheck,
    Decision,
    Publication,
    ReviewDecision,
    ReviewerProfile,
    ReviewSchedule,
    Verdict,
)
from kratom_info.editorial.selectors import earlier_checks

PERM_CREATE = "articles.add_revision"
PERM_SUBMIT = "editorial.submit_revision"
PERM_REVIEW = "editorial.review_revision"
PERM_PUBLISH = "editorial.publish_revision"
PERM_SCHEDULE = "editorial.change_reviewschedule"
PERM_DECIDE_SOURCE = "editorial.decide_source_change"
# What readers are told changes through these: they need a sign-in verified by a second factor.
SECOND_FACTOR_PERMISSIONS = (PERM_REVIEW, PERM_PUBLISH, PERM_DECIDE_SOURCE)


# Errors ----------------------------------------------------------------------------------


class EditorialPermissionDenied(PermissionDenied):
    """The user may not perform this editorial action."""


class MissingPermission(EditorialPermissionDenied):
    """The user's roles do not include the permission the action needs."""


class FourEyesViolation(EditorialPermissionDenied):
    """The user authored the revision they tried to review, approve or send back."""


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
        super().__init__(
            f"Edit conflict: version {newer.number} of this article was created{by} after you "
            f"started editing version {based_on}. Your text was not saved as a new version; "
            f"compare it with version {newer.number} and merge the changes before saving again."
        )


# Helpers ---------------------------------------------------------------------------------


def _require(user, permission: str, action: str) -> None:
    if user is None or not user.is_active or not user.has_perm(permission):
        raise MissingPermission(f"You do not have permission to {action}.")
    if permission in SECOND_FACTOR_PERMISSIONS and (
        signin.second_factor_required(user) and not signin.is_verified(user)
    ):
        raise SecondFactorRequired(
            f"To {action}, sign in with your second factor. Reviewers and Publishers must: "
            "set up an authenticator app under “Two-factor sign-in” in the admin "
            "(/admin/second-factor/), then sign in again with its code."
        )


def _not_author(user, revision: Revision, action: str) -> None:
    if revision.author_id is not None and revision.author_id == user.pk:
        raise FourEyesViolation(
            f"You wrote {revision}, so you cannot {action} it: "
            "a reviewer other than the author must do that (four-eyes rule)."
        )


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


def _unresolved_keys(body: str) -> list[str]:
    known = set(Source.objects.values_list("key", flat=True))
    try:
        check_citations(body, known)
    except UnknownCitationKeys as exc:
        return [f"Citation key '{key}' on line {line} has no source." for key, line in exc.problems]
    except CitationSyntaxError as exc:
        return [f"Citation syntax error: {exc}"]
    return []


def _unapproved_sources(body: str) -> list[str]:
    """A reason for each cited source nobody has approved yet (a proposed new source)."""
    try:
        keys = {item.key for marker in find_markers(body) for item in marker.items}
    except CitationSyntaxError:
        return []  # reported by _unresolved_keys
    pending = Source.objects.filter(key__in=keys, approved=False).values_list("key", flat=True)
    return [
        f"Source '{key}' is a proposed new source that nobody has approved yet: a reviewer "
        "or publisher must approve it (admin → Source changes) first."
        for key in sorted(pending)
    ]


def _translation_problems(revision: Revision) -> list[str]:
    """A translation's own gate: the English version it translates, and the Spanish wording
    rules (people-first words, plain words, naloxona with every emergency step)."""
    if revision.article.is_original:
        return []
    reasons = []
    if revision.translates_id is None:
        reasons.append("Say which English version this translation translates.")
    elif not revision.translates.is_public:
        reasons.append(f"It translates {revision.translates}, which is not published.")
    reasons += [
        f"Line {line}: {message}" for line, message in run_rules(revision.body, 0, BODY_RULES_ES)
    ]
    for label, text in [("Summary", revision.summary), ("Main message", revision.main_message)] + [
        ("Key point", point) for point in revision.key_points
    ]:
        reasons += [
            f"{label}: {message}" for _, message in run_rules(text, 0, PLAIN_FIELD_RULES_ES)
        ]
    return reasons


def default_next_review_due(published: datetime.date | None = None) -> datetime.date:
    """Twelve months after publication (28 February for a 29 February publication)."""
    day = published or timezone.localdate()
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# Drafts ----------------------------------------------------------------------------------


@transaction.atomic
def revision_create_draft_from(
    *,
    article: Article,
    user,
    based_on: int,
    title: str,
    summary: str,
    body: str,
    change_note: str,
    main_message: str = "",
    key_points: list[str] | None = None,
    translates: int | None = None,
) -> Revision:
    """Save an edit as the article's next draft revision.

    ``based_on`` is the number of the revision the editor opened (0 for a new article). If a
    newer revision exists, raise :class:`EditConflict` naming it and write nothing: no edit
    silently overwrites another.

    For a translation, ``translates`` is the number of the published English version the text
    now matches; left out, it stays what the revision edited claimed (an edit that is not a
    re-translation must not claim to match a newer English text).
    """
    _require(user, PERM_CREATE, "edit articles")
    if not change_note.strip():
        raise InvalidDraft("Write a change note: what changed and why.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    latest = article.revisions.select_related("author").order_by("-number").first()
    if (latest.number if latest else 0) != based_on:
        raise EditConflict(newer=latest, based_on=based_on)
    original_revision = None
    if not article.is_original:
        if translates is None and latest is not None:
            original_revision = latest.translates
        elif translates is not None:
            original_revision = (
                article.original.revisions.public().filter(number=translates).first()
            )
            if original_revision is None:
                raise InvalidDraft(
                    f"The English article has no published version {translates} to translate."
                )
    try:
        revision = revision_create(
            article=article,
            title=title.strip(),
            summary=summary.strip(),
            body=body.replace("\r\n", "\n"),
            change_note=change_note.strip(),
            main_message=main_message.strip(),
            key_points=[point.strip() for point in key_points or [] if point.strip()],
            author=user,
            translates=original_revision,
        )
    except (UnknownCitationKeys, CitationSyntaxError, TranslationMismatch) as exc:
        raise InvalidDraft(f"The text cannot be saved: {exc}") from exc
    _audit(
        user=user,
        action=AuditAction.CREATED,
        article=article,
        revision=revision,
        detail=f"Based on v{based_on}. {revision.change_note}"
        if based_on
        else revision.change_note,
    )
    return revision


@transaction.atomic
def revision_submit(*, revision: Revision, user) -> Revision:
    """Freeze a draft and send it for review: extract its claims (sentences, list items and
    table rows with citations). Blocked, with every reason, when a statement gives a number
    without a citation, a key has no source, or a newer revision exists."""
    _require(user, PERM_SUBMIT, "submit revisions for review")
    revision = _locked(revision)
    _expect_status(revision, RevisionStatus.DRAFT, action="submit")
    reasons = []
    newest = revision.article.revisions.order_by("-number").values_list("number", flat=True)[0]
    if newest > revision.number:
        reasons.append(f"A newer revision (v{newest}) exists; submit that one instead.")
    reasons += _unresolved_keys(revision.body)
    reasons += _unapproved_sources(revision.body)
    reasons += [
        f"Line {line} states a number without a citation: “{text}”"
        for line, text in find_uncited_numbers(revision.body)
    ]
    reasons += _translation_problems(revision)
    reasons += [
        f"{label} states a number, but it cannot carry a citation: “{text}”. "
        "Put the number in the cited text instead."
        for label, text in uncited_numbers_in_plain_fields(
            [("Summary", revision.summary), ("Main message", revision.main_message)]
            + [("Key point", point) for point in revision.key_points]
        )
    ]
    if reasons:
        raise SubmissionBlocked(f"{revision} cannot be submitted.", reasons)
    claims = extract_claims(revision.body)
    Claim.objects.bulk_create(
        Claim(
            revision=revision,
            position=position,
            line=claim.line,
            text=claim.text,
            keys=list(claim.keys),
            text_hash=claim.hash,
        )
        for position, claim in enumerate(claims, start=1)
    )
    revision.status = RevisionStatus.SUBMITTED
    revision.submitted_at = timezone.now()
    revision.save(update_fields=["status", "submitted_at"])
    _audit(
        user=user,
        action=AuditAction.SUBMITTED,
        article=revision.article,
        revision=revision,
        detail=f"{len(claims)} claim(s) to check.",
    )
    return revision


# Review ----------------------------------------------------------------------------------


@transaction.atomic
def claim_check_record(*, claim: Claim, user, verdict: str, note: str = "") -> ClaimCheck:
    """Record a reviewer's verdict on one claim: supported, or not supported with a note.
    A later verdict on the same claim replaces the earlier one; both stay on record."""
    _require(user, PERM_REVIEW, "check claims")
    revision = _locked(claim.revision)
    _not_author(user, revision, "check the claims of")
    _expect_status(revision, RevisionStatus.SUBMITTED, action="check claims on")
    if verdict not in Verdict.values:
        raise EditorialError(f"Unknown verdict {verdict!r}.")
    note = note.strip()
    if verdict == Verdict.NOT_SUPPORTED and not note:
        raise EditorialError("Say why the claim is not supported: a note is required.")
    check = ClaimCheck.objects.create(claim=claim, verdict=verdict, note=note, checked_by=user)
    _audit(
        user=user,
        action=AuditAction.CLAIM_CHECKED,
        article=revision.article,
        revision=revision,
        detail=f"Claim {claim.position}: {check.get_verdict_display()}"
        + (f". {note}" if note else ""),
    )
    return check


@transaction.atomic
def claim_checks_carry_over(*, revision: Revision, user) -> list[ClaimCheck]:
    """One action: every not-yet-checked claim whose text hash and keys match a claim checked
    "supported" on the previous published version gets that verdict again, recorded as the
    acting reviewer's. Verdicts the revision's own author gave earlier are not carried over."""
    _require(user, PERM_REVIEW, "check claims")
    revision = _locked(revision)
    _not_author(user, revision, "check the claims of")
    _expect_status(revision, RevisionStatus.SUBMITTED, action="check claims on")
    earlier = earlier_checks(revision)
    claims = revision.claims.prefetch_related("checks")
    created = []
    for claim in claims:
        previous = earlier.get(claim.pk)
        if (
            previous is None
            or previous.verdict != Verdict.SUPPORTED
            or previous.checked_by_id == revision.author_id
            or claim.current_check() is not None
        ):
            continue
        created.append(
            ClaimCheck.objects.create(
                claim=claim,
                verdict=Verdict.SUPPORTED,
                checked_by=user,
                carried_over_from=previous,
            )
        )
    if created:
        _audit(
            user=user,
            action=AuditAction.CLAIMS_CARRIED_OVER,
            article=revision.article,
            revision=revision,
            detail="Claims "
            + ", ".join(str(check.claim.position) for check in created)
            + ": supported (unchanged since the published version).",
        )
    return created


def _claim_problems(revision: Revision) -> list[str]:
    problems = []
    for claim in revision.claims.prefetch_related("checks"):
        check = claim.current_check()
        label = f"Claim {claim.position} (line {claim.line}) “{claim.text[:80]}”"
        if check is None:
            problems.append(f"{label} has not been checked.")
        elif check.verdict != Verdict.SUPPORTED:
            problems.append(f"{label} is marked not supported: {check.note}")
        elif revision.author_id is not None and check.checked_by_id == revision.author_id:
            problems.append(f"{label} was checked by the author; another reviewer must check it.")
    return problems


@transaction.atomic
def revision_approve(*, revision: Revision, user, comment: str = "") -> ReviewDecision:
    """Approve a submitted revision once every claim is checked and supported."""
    _require(user, PERM_REVIEW, "approve revisions")
    revision = _locked(revision)
    _not_author(user, revision, "approve")
    _expect_status(revision, RevisionStatus.SUBMITTED, action="approve")
    problems = _claim_problems(revision)
    if problems:
        raise ApprovalBlocked(f"{revision} cannot be approved yet.", problems)
    decision = ReviewDecision.objects.create(
        revision=revision, reviewer=user, decision=Decision.APPROVED, comment=comment.strip()
    )
    revision.status = RevisionStatus.APPROVED
    revision.save(update_fields=["status"])
    _audit(
        user=user,
        action=AuditAction.APPROVED,
        article=revision.article,
        revision=revision,
        detail=decision.comment,
    )
    return decision


@transaction.atomic
def revision_request_changes(*, revision: Revision, user, comment: str) -> ReviewDecision:
    """Send a submitted revision back to its author with a comment they see. The author
    continues in a new draft (see :func:`revision_create_draft_from`)."""
    _require(user, PERM_REVIEW, "request changes")
    revision = _locked(revision)
    _not_author(user, revision, "request changes to")
    _expect_status(revision, RevisionStatus.SUBMITTED, action="request changes to")
    if not comment.strip():
        raise EditorialError("Tell the author what to change: a comment is required.")
    decision = ReviewDecision.objects.create(
        revision=revision,
        reviewer=user,
        decision=Decision.CHANGES_REQUESTED,
        comment=comment.strip(),
    )
    revision.status = RevisionStatus.REJECTED
    revision.save(update_fields=["status"])
    _audit(
        user=user,
        action=AuditAction.CHANGES_REQUESTED,
        article=revision.article,
        revision=revision,
        detail=decision.comment,
    )
    return decision


# Publishing ------------------------------------------------------------------------------


def publish_blockers(revision: Revision, *, next_review_due: datetime.date | None) -> list[str]:
    """Every reason ``revision`` cannot be published now; empty when the gate is open."""
    reasons = []
    if revision.status != RevisionStatus.APPROVED:
        reasons.append(
            f"{revision} is {revision.get_status_display().lower()}; only approved revisions "
            "are published."
        )
    decision = (
        ReviewDecision.objects.select_related("reviewer__reviewer_profile")
        .filter(revision=revision, decision=Decision.APPROVED)
        .first()
    )
    if decision is None or decision.reviewer_id == revision.author_id:
        reasons.append("No reviewer other than the author has approved it.")
    elif not ReviewerProfile.objects.filter(user_id=decision.reviewer_id).exists():
        reasons.append(
            f"The approving reviewer ({decision.reviewer.get_username()}) has no reviewer "
            "profile: readers must see their name and role."
        )
    reasons += _unresolved_keys(revision.body)
    reasons += _unapproved_sources(revision.body)
    missing_sources = {i.key for m in find_markers(revision.body) for i in m.items} - set(
        revision.sources.values_list("key", flat=True)
    )
    if missing_sources:
        reasons.append(
            f"The stored reference list lacks {', '.join(sorted(missing_sources))}; "
            "start a new draft."
        )
    reasons += _claim_problems(revision)
    if next_review_due is None:
        reasons.append("Set a next-review-due date.")
    elif next_review_due <= timezone.localdate():
        reasons.append("The next-review-due date must be in the future.")
    live = revision.article.live_revision
    if live is not None and live.number > revision.number:
        reasons.append(f"A newer version (v{live.number}) is already live.")
    return reasons


@transaction.atomic
def revision_publish(
    *, revision: Revision, user, next_review_due: datetime.date | None
) -> Revision:
    """Make an approved revision live, if the publish gate is open.

    Gate: the revision is approved by a reviewer other than its author (who has a reviewer
    profile), every citation resolves, every claim is supported by a reviewer who is not the
    author, and a future next-review-due date is set. Otherwise :class:`PublishBlocked` lists
    every reason. One transaction: readers see the old version or the new one, never a mix.
    """
    _require(user, PERM_PUBLISH, "publish revisions")
    # Lock the article first (as revision_make_live does), then re-read the revision.
    Article.objects.select_for_update().filter(pk=revision.article_id).first()
    revision = _locked(revision)
    reasons = publish_blockers(revision, next_review_due=next_review_due)
    if reasons:
        raise PublishBlocked(f"{revision} cannot be published.", reasons)
    decision = ReviewDecision.objects.select_related("reviewer__reviewer_profile").get(
        revision=revision
    )
    profile = decision.reviewer.reviewer_profile
    # A version withdrawn by article_unpublish still says "published"; it is now superseded.
    Revision.objects.filter(
        article_id=revision.article_id, status=RevisionStatus.PUBLISHED
    ).exclude(pk=revision.article.live_revision_id).update(status=RevisionStatus.SUPERSEDED)
    revision = revision_make_live(revision=revision)
    Publication.objects.create(
        revision=revision,
        published_by=user,
        reviewer=decision.reviewer,
        reviewer_name=profile.display_name,
        reviewer_role=profile.role,
        reviewed_on=timezone.localdate(decision.decided_at),
        next_review_due=next_review_due,
    )
    ReviewSchedule.objects.update_or_create(
        article=revision.article, defaults={"next_review_due": next_review_due}
    )
    _audit(
        user=user,
        action=AuditAction.PUBLISHED,
        article=revision.article,
        revision=revision,
        detail=f"Reviewed by {profile.display_name}; next review due {next_review_due:%Y-%m-%d}.",
    )
    return revision


@transaction.atomic
def article_unpublish(*, article: Article, user, reason: str) -> Article:
    """Take an article offline: ``live_revision`` is cleared, so its live URL returns 404 and it
    leaves the home page.

    The withdrawn revision keeps its status "published" and its frozen content: a permanent
    version link (``/articles/<slug>/v<N>/``) printed on a handout keeps working and states
    that the article is no longer published. Nothing is deleted. Publishing a new revision
    later marks the withdrawn one superseded.
    """
    _require(user, PERM_PUBLISH, "unpublish articles")
    if not reason.strip():
        raise EditorialError("Give a reason for taking the article offline.")
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("live_revision")
        .get(pk=article.pk)
    )
    withdrawn = article.live_revision
    if withdrawn is None:
        raise EditorialError(f"{article} is not published.")
    article.live_revision = None
    article.save(update_fields=["live_revision"])
    _audit(
        user=user,
        action=AuditAction.UNPUBLISHED,
        article=article,
        revision=withdrawn,
        detail=reason.strip(),
    )
    return article


@transaction.atomic
def review_schedule_set(
    *, article: Article, user, next_review_due: datetime.date
) -> ReviewSchedule:
    """Move an article's next-review-due date."""
    _require(user, PERM_SCHEDULE, "change review dates")
    if next_review_due is None:
        raise EditorialError("Set a date.")
    schedule = ReviewSchedule.objects.select_for_update().filter(article=article).first()
    before = schedule.next_review_due if schedule else None
    schedule, _ = ReviewSchedule.objects.update_or_create(
        article=article, defaults={"next_review_due": next_review_due}
    )
    _audit(
        user=user,
        action=AuditAction.REVIEW_DATE_CHANGED,
        article=article,
        revision=article.live_revision,
        detail=f"From {before or 'unset'} to {next_review_due:%Y-%m-%d}.",
    )
    return schedule
