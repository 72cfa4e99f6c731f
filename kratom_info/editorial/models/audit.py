"""The audit trail: one event for every editorial action."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kratom_info.articles.models import Article, Revision
from kratom_info.citations.models import Source
from kratom_info.editorial.models.append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    CREATED = "created", "Created draft"
    DRAFT_UPDATED = "draft_updated", "Updated own draft in place"
    IMPORTED = "imported", "Imported from content/ (import_content)"
    PUBLISHED_UNREVIEWED = "published_unreviewed", "Published without review (import_content)"
    SUBMITTED = "submitted", "Submitted for review"
    CLAIM_CHECKED = "claim_checked", "Recorded claim verdict"
    CLAIMS_CARRIED_OVER = "claims_carried_over", "Carried over claim verdicts"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Requested changes"
    PUBLISHED = "published", "Published"
    FAST_REVIEW_ACCEPTED = "fast_review_accepted", "Published a flagged fast review (reason given)"
    UNPUBLISHED = "unpublished", "Unpublished"
    OUTDATED = "outdated", "Marked outdated (a newer version went live)"
    WITHDRAWN = "withdrawn", "Withdrawn from review by its author"
    REVIEW_DATE_CHANGED = "review_date_changed", "Changed next review date"
    SOURCE_PROPOSED = "source_proposed", "Proposed a source change"
    SOURCE_APPROVED = "source_approved", "Approved a source change"
    SOURCE_REJECTED = "source_rejected", "Rejected a source change"
    SOURCE_IMPORTED = "source_imported", "Imported a source from content/"
    PERSON_INVITED = "person_invited", "Invited a person"
    INVITATION_RESENT = "invitation_resent", "Sent a new invitation link"
    INVITATION_ACCEPTED = "invitation_accepted", "Set their password (invitation link)"
    PERSON_DEACTIVATED = "person_deactivated", "Deactivated a person"
    PROFILE_CHANGED = "profile_changed", "Changed a public profile"


class AuditEvent(AppendOnlyModel):
    """One editorial action: who did what to which article (and revision) or source, and when."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events_about",
        help_text="The account an invitation or deactivation concerns.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False)
                | Q(source__isnull=False)
                | Q(person__isnull=False),
                name="auditevent_has_subject",
                violation_error_message="An audit event concerns an article, a source or a person.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"
