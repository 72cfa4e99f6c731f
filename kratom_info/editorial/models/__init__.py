"""Editorial records: who checked which claim, who approved, who published, and the audit trail.

Claims, claim checks, review decisions, publications and audit events are append-only: rows
are created by the services in :mod:`kratom_info.editorial.services` (and, for audit events
of sources, :mod:`kratom_info.source_review.services`) and never edited or deleted afterwards
(the models refuse it, the admin does not offer it). The one editable record is an article's
:class:`ReviewSchedule` (its next-review-due date). Proposed source changes and their
decisions are :mod:`kratom_info.source_review.models`, reviewer profiles
:mod:`kratom_info.profiles.models`.

Claim rows live here rather than in ``citations`` (which owns the extraction, see
:mod:`kratom_info.citations.claims`) because they exist only as part of a review.
"""

# Every model and its helpers, importable from here as before the split into modules.
from kratom_info.editorial.models.append_only import (
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
)
from kratom_info.editorial.models.audit import AuditAction, AuditEvent
from kratom_info.editorial.models.people import Person
from kratom_info.editorial.models.review import (
    Claim,
    ClaimCheck,
    Decision,
    Publication,
    ReviewDecision,
    ReviewSchedule,
    Verdict,
)

# editorial 0010 names these two (the reviewer profile's languages, now kratom_info.profiles).
from kratom_info.profiles.models import default_review_languages, validate_review_languages

__all__ = [
    "AppendOnlyError",
    "AppendOnlyQuerySet",
    "AppendOnlyModel",
    "default_review_languages",
    "validate_review_languages",
    "Person",
    "Claim",
    "Verdict",
    "ClaimCheck",
    "Decision",
    "ReviewDecision",
    "Publication",
    "ReviewSchedule",
    "AuditAction",
    "AuditEvent",
]
