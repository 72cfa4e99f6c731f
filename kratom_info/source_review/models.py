"""Proposed changes to sources and the decisions on them (four-eyes for the bibliography).

Both are append-only, like the editorial records they sit beside. They were models of the
editorial app until the source review got an app of its own; their tables keep the names they
had (``db_table``), so existing databases kept their rows (see migrations/0001_initial.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import capfirst

from kratom_info.citations.models import Source
from kratom_info.editorial.models.append_only import AppendOnlyModel, AppendOnlyQuerySet


class SourceChangeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, awaiting review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class SourceChangeQuerySet(AppendOnlyQuerySet):
    def pending(self) -> SourceChangeQuerySet:
        return self.filter(decision__isnull=True)


@dataclass(frozen=True)
class FieldChange:
    """One reviewable field of a source change: its value before and as proposed."""

    name: str
    label: str
    before: object
    after: object

    @property
    def changed(self) -> bool:
        return self.before != self.after


class SourceChange(AppendOnlyModel):
    """A proposed new source, or new values for an existing one. The public source pages keep
    showing the source's current values until someone other than the proposer approves it
    (:class:`SourceChangeDecision`); approval then writes these values to the source."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="changes")
    creates_source = models.BooleanField(
        default=False, help_text="This proposal adds the source (it is not public until approved)."
    )
    values = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="The proposed value of every reviewable field."
    )
    based_on = models.JSONField(
        encoder=DjangoJSONEncoder,
        help_text="The source's values when this was proposed. Approval is refused if they "
        "have changed since (another change was approved or imported first).",
    )
    note = models.TextField(blank=True, help_text="Why: shown to the reviewer.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="source_changes"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)

    objects = SourceChangeQuerySet.as_manager()

    class Meta:
        db_table = "editorial_sourcechange"
        ordering = ["-proposed_at", "-pk"]
        permissions = [
            ("propose_source_change", "Can propose new sources and changes to sources"),
            ("decide_source_change", "Can approve or reject proposed source changes"),
        ]

    def __str__(self) -> str:
        kind = "new source" if self.creates_source else "change"
        return f"Source {kind} #{self.pk} ({self.source})"

    @property
    def status(self) -> str:
        decision = getattr(self, "decision", None)
        return SourceChangeStatus.PROPOSED if decision is None else decision.decision

    def get_status_display(self) -> str:
        return SourceChangeStatus(self.status).label

    def get_admin_url(self) -> str:
        """The review screen (diff, approve, reject), for lists that other apps show."""
        return reverse("admin:source_review_sourcechange_change", args=[self.pk])

    def field_changes(self) -> list[FieldChange]:
        """Every reviewable field, before (nothing for a new source) and as proposed."""
        rows = []
        for name in Source.reviewable_fields():
            field = Source._meta.get_field(name)
            before = None if self.creates_source else self.based_on.get(name)
            after = self.values.get(name, self.based_on.get(name))
            if field.choices:
                labels = dict(field.flatchoices)
                before, after = labels.get(before, before), labels.get(after, after)
            rows.append(FieldChange(name, capfirst(field.verbose_name), before, after))
        return rows

    def is_stale(self, source: Source) -> bool:
        """Whether ``source`` no longer has the values this change was proposed against."""
        current = source.reviewable_values()
        return any(current.get(name, value) != value for name, value in self.based_on.items())


class SourceChangeDecision(AppendOnlyModel):
    """The final word on a source change, by someone other than its proposer."""

    change = models.OneToOneField(SourceChange, on_delete=models.PROTECT, related_name="decision")
    decision = models.CharField(
        max_length=20,
        choices=[
            (SourceChangeStatus.APPROVED, SourceChangeStatus.APPROVED.label),
            (SourceChangeStatus.REJECTED, SourceChangeStatus.REJECTED.label),
        ],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True, help_text="Required when rejecting; shown to the proposer.")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "editorial_sourcechangedecision"
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(note=""),
                name="sourcechange_rejection_has_note",
            )
        ]

    def __str__(self) -> str:
        return f"{self.change}: {self.get_decision_display()}"
