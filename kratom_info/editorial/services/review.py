"""Review: claim checks (with their locators, carried over when unchanged), approving and
sending a revision back.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from kratom_info.articles.models import Revision, RevisionStatus
from kratom_info.citations.locators import MAX_LENGTH as LOCATOR_MAX_LENGTH
from kratom_info.citations.locators import normalise_locator
from kratom_info.editorial.models import (
    AuditAction,
    Claim,
    ClaimCheck,
    Decision,
    ReviewDecision,
    Verdict,
)
from kratom_info.editorial.selectors import (
    chain_authors,
    earlier_checks,
)
from kratom_info.editorial.services.guards import (
    PERM_REVIEW,
    ApprovalBlocked,
    EditorialError,
    _audit,
    _expect_status,
    _languages_phrase,
    _locked,
    _not_author,
    _reads_languages,
    _require,
    review_language_problem,
    review_languages_needed,
)
from kratom_info.profiles.models import ReviewerProfile

# Review ----------------------------------------------------------------------------------


def claim_locator_problems(claim: Claim, locators: Mapping[str, str]) -> list[str]:
    """Why ``locators`` (key -> where in the source) cannot back a "supported" verdict on
    ``claim``: every source it cites needs one, short enough to read."""
    problems = []
    for key in claim.keys:
        place = normalise_locator(locators.get(key, ""))
        if not place:
            problems.append(
                f"Say where in [@{key}] claim {claim.position} is supported (a page, table, "
                "figure, section or “abstract”): confirm the author's locator or write your own."
            )
        elif len(place) > LOCATOR_MAX_LENGTH:
            problems.append(
                f"The locator for [@{key}] is {len(place)} characters long; keep it under "
                f"{LOCATOR_MAX_LENGTH} (e.g. “Results, para 2; table 3”)."
            )
    unknown = sorted(set(locators) - set(claim.keys))
    if unknown:
        problems.append(
            f"Claim {claim.position} does not cite {', '.join(unknown)}; locators are given only "
            "for the sources it cites."
        )
    return problems


@transaction.atomic
def claim_check_record(
    *,
    claim: Claim,
    user,
    verdict: str,
    note: str = "",
    locators: Mapping[str, str] | None = None,
) -> ClaimCheck:
    """Record a reviewer's verdict on one claim: supported, naming where in each cited source
    (``locators``: key -> the author's locator, confirmed, or the reviewer's own); partly
    supported or not supported, with a note. A later verdict on the same claim replaces the
    earlier one; both stay on record."""
    _require(user, PERM_REVIEW, "check claims")
    revision = _locked(claim.revision)
    _not_author(user, revision, "check the claims of")
    _reads_languages(user, revision)
    _expect_status(revision, RevisionStatus.SUBMITTED, action="check claims on")
    if verdict not in Verdict.values:
        raise EditorialError(f"Unknown verdict {verdict!r}.")
    note = note.strip()
    places: dict[str, str] = {}
    if verdict == Verdict.SUPPORTED:
        problems = claim_locator_problems(claim, locators or {})
        if problems:
            raise EditorialError(problems[0], problems)
        places = {key: normalise_locator(locators[key]) for key in claim.keys}
    elif not note:
        raise EditorialError(
            f"Say why the claim is {Verdict(verdict).label.lower()}: a note is required."
        )
    check = ClaimCheck.objects.create(
        claim=claim, verdict=verdict, note=note, checked_by=user, locators=places
    )
    where = "; ".join(f"{key}: {place}" for key, place in places.items())
    _audit(
        user=user,
        action=AuditAction.CLAIM_CHECKED,
        article=revision.article,
        revision=revision,
        detail=f"Claim {claim.position}: {check.get_verdict_display()}"
        + (f" ({where})" if where else "")
        + (f". {note}" if note else ""),
    )
    return check


@transaction.atomic
def claim_checks_carry_over(*, revision: Revision, user) -> list[ClaimCheck]:
    """One action: every not-yet-checked claim whose text hash and keys match a claim checked
    "supported" on the previous published version gets that verdict again, with its locators,
    recorded as the acting reviewer's. Verdicts given by anyone who wrote text in the revision
    (or in an unpublished revision it builds on) are not carried over, nor verdicts that do
    not name where each source supports the claim (recorded before locators existed)."""
    _require(user, PERM_REVIEW, "check claims")
    revision = _locked(revision)
    _not_author(user, revision, "check the claims of")
    _reads_languages(user, revision)
    _expect_status(revision, RevisionStatus.SUBMITTED, action="check claims on")
    earlier = earlier_checks(revision)
    authors = chain_authors(revision)
    claims = revision.claims.prefetch_related("checks")
    created = []
    for claim in claims:
        previous = earlier.get(claim.pk)
        if not carryable(previous, authors) or claim.current_check() is not None:
            continue
        created.append(
            ClaimCheck.objects.create(
                claim=claim,
                verdict=Verdict.SUPPORTED,
                checked_by=user,
                carried_over_from=previous,
                locators={key: previous.locator_for(key) for key in claim.keys},
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


def carryable(previous: ClaimCheck | None, authors: Mapping[int, object]) -> bool:
    """Whether an earlier version's check may be carried over: supported, naming where in
    each source, and given by someone who wrote none of the text under review."""
    return (
        previous is not None
        and previous.verdict == Verdict.SUPPORTED
        and previous.names_every_place
        and previous.checked_by_id not in authors
    )


def _claim_problems(revision: Revision) -> list[str]:
    authors = chain_authors(revision)
    unread: dict[int, str | None] = {}  # checker id -> their language problem, once each
    problems = []
    for claim in revision.claims.prefetch_related("checks"):
        check = claim.current_check()
        label = f"Claim {claim.position} (line {claim.line}) “{claim.text[:80]}”"
        if check is None:
            problems.append(f"{label} has not been checked.")
        elif check.verdict != Verdict.SUPPORTED:
            problems.append(
                f"{label} is marked {check.get_verdict_display().lower()}: {check.note}"
            )
        elif check.checked_by_id in authors:
            problems.append(
                f"{label} was checked by someone who wrote text in this revision or in an "
                "unpublished revision it builds on; another reviewer must check it."
            )
        elif not check.names_every_place:
            problems.append(
                f"{label} was marked supported without saying where in each source; check it "
                "again, naming the place (page, table, section or abstract)."
            )
        elif not revision.article.is_original:
            if check.checked_by_id not in unread:
                unread[check.checked_by_id] = review_language_problem(
                    reviewer_id=check.checked_by_id, article=revision.article
                )
            if unread[check.checked_by_id]:
                needed = _languages_phrase(review_languages_needed(revision.article))
                problems.append(
                    f"{label} was checked by someone whose reviewer profile does not list "
                    f"{needed}; a reviewer who reads them must check it."
                )
    return problems


@transaction.atomic
def revision_approve(*, revision: Revision, user, comment: str = "") -> ReviewDecision:
    """Approve a submitted revision once every claim is checked and supported. The approving
    reviewer needs a reviewer profile: readers are told who reviewed the page."""
    _require(user, PERM_REVIEW, "approve revisions")
    revision = _locked(revision)
    _not_author(user, revision, "approve")
    _reads_languages(user, revision)
    _expect_status(revision, RevisionStatus.SUBMITTED, action="approve")
    if not ReviewerProfile.objects.filter(user_id=user.pk).exists():
        raise ApprovalBlocked(
            f"You cannot approve {revision} yet: you have no reviewer profile, and readers are "
            "told who reviewed each page. Ask an administrator to add yours (Admin → Editorial "
            "workflow → Reviewer profiles → Add: your name and role as readers should see "
            "them), then approve again."
        )
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
    _reads_languages(user, revision)
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
