"""The editorial workflow's writes: draft, submit, check claims, approve or send back, publish,
unpublish. The admin, management commands and tests all call these functions; none of the
rules below lives in a view.

Every function is atomic, checks the acting user's permission (raising a ``PermissionDenied``
subclass), re-reads the revision under a row lock, and writes an :class:`AuditEvent`.

Four-eyes: nobody checks claims on, approves or requests changes to a revision whose text they
wrote, and a revision is published only after someone else approved it. "Wrote" covers every
unpublished revision it builds on since the last published version (see
:func:`~kratom_info.editorial.selectors.chain_authors`), so nobody can launder their own text
through a one-character edit by a colleague. The rule binds superusers too.

Languages: whoever checks claims on, approves or sends back a revision must read its language
and, for a translation, the original's (English), as their reviewer profile lists them
(:func:`review_language_problem`); the publish gate asks the same of the approving reviewer and
of every claim's checker, so checks and approvals from before the rule cannot slip through.

Second factor: when ``settings.EDITORIAL_REQUIRE_2FA`` is on (production), reviewing and
publishing also need a sign-in verified by a second factor. ``user`` must then be
``request.user`` of a verified session (django-otp's middleware marks it); any other user
object, e.g. one loaded in a management command, counts as not verified and is refused.
"""

# The public names, importable from here as before the split into modules.
from kratom_info.editorial.services.drafts import (
    SUBMISSION_PROBLEMS_TIMEOUT,
    revision_create_draft_from,
    revision_submit,
    submission_problems,
)
from kratom_info.editorial.services.guards import (
    MAX_REVIEW_AHEAD_YEARS,
    PERM_CREATE,
    PERM_DECIDE_SOURCE,
    PERM_INVITE,
    PERM_PUBLISH,
    PERM_REVIEW,
    PERM_SCHEDULE,
    PERM_SUBMIT,
    SECOND_FACTOR_PERMISSIONS,
    ApprovalBlocked,
    EditConflict,
    EditorialError,
    EditorialPermissionDenied,
    FourEyesViolation,
    InvalidDraft,
    LanguageNotRead,
    MissingPermission,
    PublishBlocked,
    SecondFactorRequired,
    SubmissionBlocked,
    review_language_problem,
    review_languages_needed,
)
from kratom_info.editorial.services.publishing import (
    article_unpublish,
    fast_reviews,
    publish_blockers,
    revision_publish,
    revision_withdraw,
)
from kratom_info.editorial.services.review import (
    carryable,
    claim_check_record,
    claim_checks_carry_over,
    claim_locator_problems,
    revision_approve,
    revision_request_changes,
)
from kratom_info.editorial.services.schedule import (
    default_next_review_due,
    next_review_due_problem,
    next_review_due_range,
    review_schedule_set,
)

__all__ = [
    "PERM_CREATE",
    "PERM_SUBMIT",
    "PERM_REVIEW",
    "PERM_PUBLISH",
    "PERM_SCHEDULE",
    "PERM_DECIDE_SOURCE",
    "PERM_INVITE",
    "SECOND_FACTOR_PERMISSIONS",
    "MAX_REVIEW_AHEAD_YEARS",
    "EditorialPermissionDenied",
    "MissingPermission",
    "FourEyesViolation",
    "LanguageNotRead",
    "SecondFactorRequired",
    "EditorialError",
    "SubmissionBlocked",
    "ApprovalBlocked",
    "PublishBlocked",
    "InvalidDraft",
    "EditConflict",
    "review_languages_needed",
    "review_language_problem",
    "default_next_review_due",
    "next_review_due_range",
    "next_review_due_problem",
    "review_schedule_set",
    "revision_create_draft_from",
    "SUBMISSION_PROBLEMS_TIMEOUT",
    "submission_problems",
    "revision_submit",
    "claim_locator_problems",
    "claim_check_record",
    "claim_checks_carry_over",
    "carryable",
    "revision_approve",
    "revision_request_changes",
    "publish_blockers",
    "fast_reviews",
    "revision_publish",
    "revision_withdraw",
    "article_unpublish",
]
