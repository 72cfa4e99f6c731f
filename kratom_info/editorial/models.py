"""Editorial records: who checked which claim, who approved, who published, and the audit trail.

Claims, claim checks, review decisions, publications, source changes and their decisions, and
audit events are append-only: rows are created by the services in
:mod:`kratom_info.editorial.services` and :mod:`kratom_info.editorial.source_changes` and
never edited or deleted afterwards (the models refuse it, the admin does not offer it). The
one editable record is an article's :class:`ReviewSchedule` (its next-review-due date).

Claim rows live here rather than in ``citations`` (which owns the extraction, see
:mod:`kratom_info.citations.claims`) because they exist only as part of a review.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from kratom_info.articles.models import Article, Revision
from kratom_info.citations.models import Source


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an append-only editorial record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise AppendOnlyError(f"{self._meta.verbose_name} records are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} records are never deleted.")


def default_review_languages() -> list[str]:
    """English: what every profile read before reviewers listed their languages."""
    return [settings.LANGUAGE_CODE]


def language_name(code: str) -> str:
    """The English name of a language code (the admin is in English): 'es' -> 'Spanish'."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def _no_languages_message() -> str:
    known = ", ".join(code for code, _ in settings.LANGUAGES)
    return f"List at least one language the reviewer reads, from: {known}."


def validate_review_languages(value) -> None:
    """A non-empty list of distinct language codes from ``settings.LANGUAGES``."""
    known = [code for code, _ in settings.LANGUAGES]
    if not isinstance(value, list) or not value:
        raise ValidationError(_no_languages_message(), code="no_languages")
    unknown = [str(code) for code in value if code not in known]
    if unknown:
        raise ValidationError(
            f"Unknown language code {', '.join(map(repr, unknown))}: choose from "
            + ", ".join(known)
            + ".",
            code="unknown_language",
        )
    if len(set(value)) != len(value):
        raise ValidationError("Each language is listed once.", code="duplicate_language")


def ordered_languages(codes) -> list[str]:
    """``codes`` without duplicates, in the order of ``settings.LANGUAGES``."""
    wanted = set(codes)
    return [code for code, _ in settings.LANGUAGES if code in wanted]


class ReviewerProfile(models.Model):
    """How an editor is named on public pages: 'Reviewed by NAME (ROLE) on DATE', and for an
    author who has one, 'Written by NAME (ROLE)'; with their declared interests, and the
    languages they review in (a translation's reviewer must read it and its original)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    display_name = models.CharField(
        max_length=200, help_text="Shown to readers, e.g. 'Dr Amira Hassan'."
    )
    role = models.CharField(
        max_length=200,
        help_text="Shown to readers in brackets, e.g. 'Addiction medicine physician'.",
    )
    declared_interests = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Conflicts of interest readers should know of (funding, consulting, ties to "
        "industry or advocacy groups), in their words. Empty: pages say 'none declared'.",
    )
    languages = models.JSONField(
        "languages reviewed in",
        default=default_review_languages,
        validators=[validate_review_languages],
        error_messages={"blank": _no_languages_message()},
        help_text="Language codes of the languages this person reads well enough to check "
        'claims against sources, e.g. ["en", "es"]. Reviewing a translation needs both '
        "its language and the original's (English).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.role})"

    def save(self, *args, **kwargs):
        validate_review_languages(self.languages)  # never store a list the rule cannot read
        self.languages = ordered_languages(self.languages)
        super().save(*args, **kwargs)

    @property
    def language_names(self) -> str:
        """'English and Spanish', 'English only'."""
        names = [language_name(code) for code in self.languages]
        if len(names) == 1:
            return f"{names[0]} only"
        return ", ".join(names[:-1]) + f" and {names[-1]}"


class Person(User):
    """An editor's account as Publishers manage it: invited with a role, deactivated when they
    leave. The rules (who may invite whom) are in :mod:`kratom_info.accounts.people`."""

    class Meta:
        proxy = True
        verbose_name = "person"
        verbose_name_plural = "people"
        ordering = ["username"]
        default_permissions = ()
        permissions = [
            (
                "invite_people",
                "Can invite Authors and Reviewers, send new invitation links and deactivate them",
            )
        ]


class Claim(AppendOnlyModel):
    """A sentence, list item or table row of a submitted revision that cites sources."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="claims")
    position = models.PositiveIntegerField(help_text="1, 2, 3... in reading order.")
    line = models.PositiveIntegerField(help_text="Line of the body where the claim starts.")
    text = models.TextField()
    keys = models.JSONField(default=list, help_text="Cited source keys, in order.")
    text_hash = models.CharField(
        max_length=64, help_text="Hash of the text without markers, whitespace and case folded."
    )
    locators = models.JSONField(
        default=dict,
        blank=True,
        help_text="Source key -> where in it the author says the claim is supported "
        "(“table 2”, from [@key, table 2]); missing or empty where the author gave none.",
    )

    class Meta:
        ordering = ["revision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "position"], name="claim_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.revision} claim {self.position}"

    @property
    def fingerprint(self) -> tuple[str, tuple[str, ...]]:
        """What 'unchanged from the live version' compares: text hash and the set of keys."""
        return self.text_hash, tuple(sorted(self.keys))

    def author_locator(self, key: str) -> str:
        return (self.locators or {}).get(key, "")

    def current_check(self) -> ClaimCheck | None:
        """The latest verdict (uses prefetched ``checks`` when present)."""
        checks = list(self.checks.all())
        return max(checks, key=lambda c: (c.checked_at, c.pk)) if checks else None


class Verdict(models.TextChoices):
    SUPPORTED = "supported", "Supported"
    PARTLY_SUPPORTED = "partly_supported", "Partly supported"
    NOT_SUPPORTED = "not_supported", "Not supported"


class ClaimCheck(AppendOnlyModel):
    """A reviewer's verdict on one claim. The latest check of a claim counts; older ones stay.

    "Supported" names where, for each source the claim cites (``locators``): the author's
    locator, confirmed, or the reviewer's own. Verdicts recorded before locators existed have
    none; they are never carried over."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="checks")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    note = models.TextField(
        blank=True, help_text="Required when the claim is partly supported or not supported."
    )
    locators = models.JSONField(
        default=dict,
        blank=True,
        help_text="Source key -> where in it the reviewer found the support (e.g. “Results, "
        "para 2; table 3”). Required for every cited source when the claim is supported.",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_checks"
    )
    checked_at = models.DateTimeField(auto_now_add=True)
    carried_over_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The check on the live version this verdict was carried over from.",
    )

    class Meta:
        ordering = ["claim", "checked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="supported") | ~Q(note=""),
                name="claimcheck_not_supported_has_note",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim}: {self.get_verdict_display()}"

    def locator_for(self, key: str) -> str:
        return (self.locators or {}).get(key, "")

    @property
    def names_every_place(self) -> bool:
        """Supported with a locator for every source the claim cites."""
        return self.verdict == Verdict.SUPPORTED and all(
            self.locator_for(key).strip() for key in self.claim.keys
        )

    def locators_confirmed(self) -> list[str]:
        """The keys whose locator is the author's, confirmed as written."""
        from kratom_info.citations.locators import normalise_locator

        return [
            key
            for key in self.claim.keys
            if self.locator_for(key)
            and normalise_locator(self.locator_for(key))
            == normalise_locator(self.claim.author_locator(key))
        ]


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class ReviewDecision(AppendOnlyModel):
    """A reviewer's final word on a submitted revision: approve, or request changes."""

    revision = models.OneToOneField(
        Revision, on_delete=models.PROTECT, related_name="review_decision"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True, help_text="Shown to the author.")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        permissions = [
            ("submit_revision", "Can submit a draft revision for review"),
            ("review_revision", "Can check claims and approve or request changes"),
            ("publish_revision", "Can publish approved revisions and unpublish articles"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(comment=""),
                name="changes_requested_has_comment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.revision}: {self.get_decision_display()}"


class Publication(AppendOnlyModel):
    """The record of publishing a revision through the review gate. Public pages read the
    reviewer's name and role from here, copied from their profile when the revision was
    published, so a frozen version keeps naming who reviewed it."""

    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, related_name="publication")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_name = models.CharField(max_length=200)
    reviewer_role = models.CharField(max_length=200)
    reviewer_interests = models.TextField(blank=True, help_text="As declared when published.")
    reviewer_languages = models.JSONField(
        default=list,
        blank=True,
        help_text="The languages the reviewer's profile listed when published (empty for "
        "versions published before profiles listed them).",
    )
    # The author as readers see them, copied from their profile when published (empty when
    # the author has no profile: pages then use the account's name).
    author_name = models.CharField(max_length=200, blank=True)
    author_role = models.CharField(max_length=200, blank=True)
    author_interests = models.TextField(blank=True)
    reviewed_on = models.DateField()
    next_review_due = models.DateField(help_text="The review date set when it was published.")
    # How the review was done, for readers: "N claims checked against their sources by NAME".
    # Null for versions published before these were counted.
    claims_checked = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Claims the approving reviewer checked, naming where each source supports "
        "them (carried-over verdicts not included).",
    )
    claims_carried_over = models.PositiveIntegerField(
        null=True, blank=True, help_text="Unchanged claims that kept an earlier version's check."
    )
    claims_total = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.revision} published"


class ReviewSchedule(models.Model):
    """When an article is next due for review. Set on publication (default: 12 months later);
    a publisher may move it."""

    article = models.OneToOneField(
        Article, on_delete=models.PROTECT, primary_key=True, related_name="review_schedule"
    )
    next_review_due = models.DateField(help_text="Review the article again by this date.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["next_review_due"]

    def __str__(self) -> str:
        return f"{self.article}: review due {self.next_review_due:%Y-%m-%d}"


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


# Source changes ----------------------------------------------------------------------------


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
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(note=""),
                name="sourcechange_rejection_has_note",
            )
        ]

    def __str__(self) -> str:
        return f"{self.change}: {self.get_decision_display()}"
