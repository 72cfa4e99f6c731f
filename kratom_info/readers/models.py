"""Error reports from readers: what they think is wrong, on which version, and what the editors
decided. Reports are created only through :func:`kratom_info.readers.services.error_report_submit`
and resolved only through :func:`~kratom_info.readers.services.error_report_resolve`; the
per-address counts that limit them are kept here too.

The search index (SearchDocument, SearchSection, SearchWord) is written only by
:mod:`kratom_info.readers.search_index`, when an article's live version changes."""

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


class TextSearchVectorField(models.Field):
    """A PostgreSQL ``tsvector`` column, written and read only by the search index's SQL
    (kratom_info.readers.search_index, kratom_info.readers.search). Not django.contrib.postgres's
    SearchVectorField: importing that loads the PostgreSQL driver (about 10 MB of each worker's
    memory), which a site on SQLite never uses; there the column stays empty."""

    description = "PostgreSQL text search vector"

    def db_type(self, connection) -> str:
        return "tsvector"


class SearchDocument(models.Model):
    """The live version of one published article as search reads it, written when the article
    is published and removed when it is taken offline (kratom_info.readers.search_index), so a
    search reads this index instead of every article.

    ``title``, ``lead`` (the top of the page: summary, main message, key points and any text
    before the first heading) and ``body`` (every section under a heading) are the text readers
    see, without markup or citation numbers. On PostgreSQL ``vector`` holds them as a tsvector in
    the article's language (GIN-indexed), and ``rank_vector`` the title (weight A) and the top
    of the page (B) alone: ranking reads that small column, kept in the table's row, instead of
    every matching article's whole vector out of line (TOAST); on SQLite an FTS5 table
    (``readers_search_fts``) holds their Snowball stems under the same row id.
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    title = models.TextField()
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True)
    vector = TextSearchVectorField(null=True, editable=False)
    rank_vector = TextSearchVectorField(null=True, editable=False)

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class SearchSection(models.Model):
    """One part of an indexed article (its top, or the text under an h2/h3 with an id) with
    each word's Snowball stem, stored once so that choosing the section to link to and marking
    the words in its excerpt never stems an article per request."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    anchor = models.CharField(max_length=200, blank=True)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    # Space-separated stems, one for each word of the heading and of the text, in order.
    heading_stems = models.TextField(blank=True)
    text_stems = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="search_section_order")
        ]

    def __str__(self) -> str:
        return self.heading or "(top)"


class SearchWord(models.Model):
    """The vocabulary of the live articles in one language: every word of three letters or more
    they use, its form without accents and its stem, and how many live articles use it. "Did
    you mean" picks from these, reading only words of a length that could be close."""

    language = models.CharField(max_length=8)
    word = models.CharField(max_length=100)
    folded = models.CharField(max_length=100)
    length = models.PositiveSmallIntegerField()
    stem = models.CharField(max_length=100)
    articles = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="search_word_unique")
        ]
        indexes = [
            models.Index(fields=["language", "stem"], name="search_word_stem"),
            models.Index(fields=["language", "length"], name="search_word_length"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.word}"


class ReportRateCount(models.Model):
    """How many error reports one reader's address sent in one window (a fixed hour): counted in
    the database, so every worker and server shares it and no page traffic evicts it. Only a
    keyed hash of the address is stored, and rows of past windows are deleted."""

    address_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "window_start"], name="report_rate_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="report_rate_window_start")]

    def __str__(self) -> str:
        return f"{self.address_hash[:8]}… {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
