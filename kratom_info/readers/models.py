"""Error reports from readers: what they think is wrong, on which version, and what the editors
decided. Reports are created only through :func:`kratom_info.readers.services.error_report_submit`
and resolved only through :func:`~kratom_info.readers.services.error_report_resolve`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from kratom_info.articles.models import Article, Revision

MESSAGE_MAX_LENGTH = 2000
LOCATION_MAX_LENGTH = 300


class ReportStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted: a correction is on its way"
    DECLINED = "declined", "Declined"
    FIXED = "fixed", "Fixed"


class ErrorReport(models.Model):
    """A reader's report that something on a page is wrong, out of date or unclear."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="error_reports")
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="error_reports",
        help_text="The published version the reader was reading.",
    )
    message = models.TextField("what is wrong", max_length=MESSAGE_MAX_LENGTH)
    location = models.CharField(
        "where", max_length=LOCATION_MAX_LENGTH, blank=True, help_text="Section or sentence."
    )
    email = models.EmailField(blank=True, help_text="Only if the reader wants a reply.")
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW, db_index=True
    )
    fixed_in = models.ForeignKey(
        Revision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fixed_reports",
        help_text="The published version that corrects it (required when fixed).",
    )
    editor_note = models.TextField(
        blank=True, help_text="For editors: what was checked and decided. Not shown to readers."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="fixed", fixed_in__isnull=False)
                | (~Q(status="fixed") & Q(fixed_in__isnull=True)),
                name="errorreport_fixed_has_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} v{self.revision.public_number}: {self.message[:60]}"

    @property
    def status_display(self) -> str:
        if self.status == ReportStatus.FIXED and self.fixed_in_id:
            return f"Fixed in version {self.fixed_in.public_number}"
        return self.get_status_display()
