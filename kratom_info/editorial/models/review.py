"""A review's records: claims, claim checks, review decisions, publications and an article's
review schedule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kratom_info.articles.models import Article, Revision
from kratom_info.editorial.models.append_only import AppendOnlyModel


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
