"""Editorial records: who checked which claim, who approved, who published, and the audit trail.

Claims, claim checks, review decisions, publications, source changes and their decisions, and
audit events are append-only: rows are created by the services in
:mod:`kratom_info.editorial.services` and :mod:`kratom_info.editorial.source_changes` and
never edited or deleted afterwards (the models refuse it, the admin does not offer it). The
one editable record is an article's :class:`ReviewSchedule` (its next-review-due date).

Claim rows live here rather than in ``citations`` (which owns the extraction, see
:mod:`kratom_info.citations.claims`) because they exist only as part of a review.
"""

# Every model and its helpers, importable from here as before the split into modules (the
# migrations name kratom_info.editorial.models.default_review_languages, for one).
from kratom_info.editorial.models.append_only import (
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
)
from kratom_info.editorial.models.audit import AuditAction, AuditEvent
from kratom_info.editorial.models.people import (
    Person,
    ReviewerProfile,
    default_review_languages,
    language_name,
    ordered_languages,
    validate_review_languages,
)
from kratom_info.editorial.models.review import (
    Claim,
    ClaimCheck,
    Decision,
    Publication,
    ReviewDecision,
    ReviewSchedule,
    Verdict,
)
from kratom_info.editorial.models.source_changes import (
    FieldChange,
    SourceChange,
    SourceChangeDecision,
    SourceChangeQuerySet,
    SourceChangeStatus,
)

__all__ = [
    "AppendOnlyError",
    "AppendOnlyQuerySet",
    "AppendOnlyModel",
    "default_review_languages",
    "language_name",
    "validate_review_languages",
    "ordered_languages",
    "ReviewerProfile",
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
    "SourceChangeStatus",
    "SourceChangeQuerySet",
    "FieldChange",
    "SourceChange",
    "SourceChangeDecision",
]
