"""Publishing: the publish gate, publishing, withdrawing a revision and unpublishing an
article.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from kratom_info.articles.models import Article, Revision, RevisionStatus
from kratom_info.articles.services import (
    revision_make_live,
)
from kratom_info.articles.signals import live_revision_changed
from kratom_info.citations.syntax import find_markers
from kratom_info.editorial.models import (
    AuditAction,
    Decision,
    Publication,
    ReviewDecision,
    ReviewSchedule,
)
from kratom_info.editorial.selectors import (
    ReviewPace,
    chain_authors,
    claims_for_review,
    review_paces,
)
from kratom_info.editorial.services.drafts import _unapproved_sources, _unresolved_keys
from kratom_info.editorial.services.guards import (
    PERM_PUBLISH,
    PERM_SUBMIT,
    EditorialError,
    EditorialPermissionDenied,
    PublishBlocked,
    _audit,
    _expect_status,
    _languages_phrase,
    _locked,
    _require,
    review_language_problem,
    review_languages_needed,
)
from kratom_info.editorial.services.review import _claim_problems
from kratom_info.editorial.services.schedule import next_review_due_problem
from kratom_info.pagecache.generation import public_content_changed
from kratom_info.profiles.models import ReviewerProfile

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
    if decision is None or decision.reviewer_id in chain_authors(revision):
        reasons.append(
            "No reviewer other than its authors (of this revision and of any unpublished "
            "revision it builds on) has approved it."
        )
    elif not ReviewerProfile.objects.filter(user_id=decision.reviewer_id).exists():
        reasons.append(
            f"The approving reviewer ({decision.reviewer.get_username()}) has no reviewer "
            "profile: readers must see their name and role."
        )
    elif review_language_problem(reviewer_id=decision.reviewer_id, article=revision.article):
        needed = _languages_phrase(review_languages_needed(revision.article))
        reasons.append(
            f"The approving reviewer ({decision.reviewer.get_username()}) does not list "
            f"{needed} in their reviewer profile; a reviewer who reads them must review it."
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
    due_problem = next_review_due_problem(next_review_due)
    if due_problem:
        reasons.append(due_problem)
    live = revision.article.live_revision
    if live is not None and live.number > revision.number:
        reasons.append(f"A newer version (v{live.number}) is already live.")
    return reasons


def fast_reviews(revision: Revision) -> list[ReviewPace]:
    """The reviewers whose verdicts on ``revision`` came faster than the threshold per claim
    (``EDITORIAL_FAST_REVIEW_SECONDS_PER_CLAIM``): publishing needs a reason."""
    return [pace for pace in review_paces(claims_for_review(revision)) if pace.is_fast]


def _fast_review_text(paces: Sequence[ReviewPace]) -> str:
    return "; ".join(
        f"{pace.reviewer.get_username()} checked {pace.claims_checked} claims at "
        f"{pace.seconds_per_claim:.0f} s per claim (threshold {pace.threshold} s)"
        for pace in paces
    )


@transaction.atomic
def revision_publish(
    *,
    revision: Revision,
    user,
    next_review_due: datetime.date | None,
    fast_review_reason: str = "",
) -> Revision:
    """Make an approved revision live, if the publish gate is open.

    Gate: the revision is approved by a reviewer who wrote none of its text (and has a reviewer
    profile), every citation resolves, every claim is supported by such a reviewer, and a
    next-review-due date between tomorrow and three years ahead is set. Older revisions still in
    review become outdated. Otherwise :class:`PublishBlocked` lists
    every reason. One transaction: readers see the old version or the new one, never a mix.

    A review faster than the threshold per claim (:func:`fast_reviews`) is published only
    with ``fast_review_reason``, typed by the publisher and kept in the audit trail.
    """
    _require(user, PERM_PUBLISH, "publish revisions")
    # Lock the article first (as revision_make_live does), then re-read the revision.
    Article.objects.select_for_update().filter(pk=revision.article_id).first()
    revision = _locked(revision)
    reasons = publish_blockers(revision, next_review_due=next_review_due)
    fast = fast_reviews(revision)
    fast_review_reason = fast_review_reason.strip()
    if fast and not fast_review_reason:
        reasons.append(
            f"The review was fast ({_fast_review_text(fast)}): say why publishing it is right "
            "anyway (e.g. “claims re-read with the reviewer by phone”); the reason is audited."
        )
    if reasons:
        raise PublishBlocked(f"{revision} cannot be published.", reasons)
    claims = claims_for_review(revision)
    current = [claim.current_check() for claim in claims]
    decision = ReviewDecision.objects.select_related("reviewer__reviewer_profile").get(
        revision=revision
    )
    profile = decision.reviewer.reviewer_profile
    outdated = list(
        revision.article.revisions.filter(
            status__in=[RevisionStatus.SUBMITTED, RevisionStatus.APPROVED],
            number__lt=revision.number,
        )
    )
    revision = revision_make_live(revision=revision)
    author_profile = ReviewerProfile.objects.filter(user_id=revision.author_id).first()
    Publication.objects.create(
        revision=revision,
        published_by=user,
        reviewer=decision.reviewer,
        reviewer_name=profile.display_name,
        reviewer_role=profile.role,
        reviewer_interests=profile.declared_interests,
        reviewer_languages=profile.languages,
        author_name=author_profile.display_name if author_profile else "",
        author_role=author_profile.role if author_profile else "",
        author_interests=author_profile.declared_interests if author_profile else "",
        reviewed_on=timezone.localdate(decision.decided_at),
        next_review_due=next_review_due,
        claims_checked=sum(
            1
            for check in current
            if check.checked_by_id == decision.reviewer_id and not check.carried_over_from_id
        ),
        claims_carried_over=sum(1 for check in current if check.carried_over_from_id),
        claims_total=len(claims),
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
    if fast:
        _audit(
            user=user,
            action=AuditAction.FAST_REVIEW_ACCEPTED,
            article=revision.article,
            revision=revision,
            detail=f"{_fast_review_text(fast)}. Reason: {fast_review_reason}",
        )
    for old in outdated:
        _audit(
            user=user,
            action=AuditAction.OUTDATED,
            article=revision.article,
            revision=old,
            detail=f"v{revision.number} went live first; its author can withdraw it.",
        )
    return revision


@transaction.atomic
def revision_withdraw(*, revision: Revision, user) -> Revision:
    """Take one's own revision out of review, typically an outdated one (a newer version went
    live first). Only its author may; its text stays on record."""
    _require(user, PERM_SUBMIT, "withdraw revisions from review")
    revision = _locked(revision)
    if revision.author_id is None or revision.author_id != user.pk:
        raise EditorialPermissionDenied(f"Only the author of {revision} can withdraw it.")
    _expect_status(
        revision,
        RevisionStatus.SUBMITTED,
        RevisionStatus.APPROVED,
        RevisionStatus.OUTDATED,
        action="withdraw",
    )
    revision.status = RevisionStatus.WITHDRAWN
    revision.save(update_fields=["status"])
    _audit(user=user, action=AuditAction.WITHDRAWN, article=revision.article, revision=revision)
    return revision


@transaction.atomic
def article_unpublish(*, article: Article, user, reason: str) -> Article:
    """Take an article offline: ``live_revision`` is cleared, so it leaves the home page and
    its live URL says it was withdrawn (410).

    The withdrawal date and reason are stored on the article, and the live revision becomes
    "unpublished" with its frozen content: every permanent version link
    (``/articles/<slug>/v<N>/``, ``/h/<code>/<N>``) printed on a handout keeps working and says
    when and why the article was withdrawn. Nothing is deleted. Publishing a new revision later
    clears the withdrawal and marks the unpublished one superseded.
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
    withdrawn.status = RevisionStatus.UNPUBLISHED
    withdrawn.save(update_fields=["status"])
    article.live_revision = None
    article.withdrawn_at = timezone.now()
    article.withdrawal_reason = reason.strip()
    article.save(update_fields=["live_revision", "withdrawn_at", "withdrawal_reason"])
    live_revision_changed.send(sender=Article, article_id=article.pk)
    public_content_changed(articles=[article])
    _audit(
        user=user,
        action=AuditAction.UNPUBLISHED,
        article=article,
        revision=withdrawn,
        detail=reason.strip(),
    )
    return article
