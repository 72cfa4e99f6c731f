"""Sources: the bibliography that article claims cite with ``[@key]`` markers."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext_lazy

KEY_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_:-]*"
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
# The site's own words about a source, shown to readers in the page's language: each has a
# translation in '<field>_<language>' (e.g. public_note_es). The source's own details (authors,
# title, journal) stay as published.
READER_TEXT_FIELDS = ("evidence_type", "public_note")
TRANSLATED_LANGUAGES = ("es",)


class SourceKind(models.TextChoices):
    # Labels are shown to readers beside each source, in the page's language.
    JOURNAL_ARTICLE = "journal_article", pgettext_lazy("source kind", "Journal article")
    REVIEW = "review", pgettext_lazy("source kind", "Review or meta-analysis")
    CASE_REPORT = "case_report", pgettext_lazy("source kind", "Case report or case series")
    BRIEF_REPORT = "brief_report", pgettext_lazy("source kind", "Brief research report")
    COMMENTARY = "commentary", pgettext_lazy("source kind", "Commentary or editorial")
    GOVERNMENT = "government", pgettext_lazy("source kind", "Government or public-health page")
    OTHER = "other", pgettext_lazy("source kind", "Other")


class SourceQuerySet(models.QuerySet):
    def approved(self) -> SourceQuerySet:
        """Sources a second person approved (or the operator imported): the public ones."""
        return self.filter(approved=True)

    def with_citing_versions(self, language: str) -> SourceQuerySet:
        """Each source with ``citing_versions``: how many public versions in ``language``
        cite it, read from its SourceCitingCount (one row per source, however many versions
        the site holds)."""
        counted = SourceCitingCount.objects.filter(source=models.OuterRef("pk"), language=language)
        return self.annotate(
            citing_versions=Coalesce(models.Subquery(counted.values("versions")[:1]), 0)
        )


class Source(models.Model):
    """One citable work. Editing it never changes a revision that was already submitted:
    those keep the reference list rendered when they were frozen."""

    key = models.CharField(
        max_length=64,
        unique=True,
        help_text="Citation key used in articles as [@key], e.g. singh2014. Never reuse a key.",
    )
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    authors = models.CharField(max_length=1000)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=1000)
    container = models.CharField(
        max_length=500, blank=True, help_text="Journal, publisher or website."
    )
    volume_pages = models.CharField(max_length=300, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, help_text="e.g. 10.1016/j.x.2020.1")
    pmid = models.CharField("PMID", max_length=12, blank=True, help_text="PubMed ID, digits only.")
    url = models.URLField("URL", max_length=500, blank=True, help_text="Official page.")
    accessed = models.DateField(null=True, blank=True, help_text="When a web page was read.")
    evidence_type = models.CharField(max_length=300, blank=True)
    evidence_type_es = models.CharField(
        "evidence type (Spanish)",
        max_length=300,
        blank=True,
        help_text="The evidence type in Spanish, shown on the Spanish source pages.",
    )
    public_note = models.CharField(
        max_length=500,
        blank=True,
        help_text=(
            "Shown to readers after the reference, e.g. a conflict of interest or "
            "'Later authors not confirmed'. Plain words, one or two sentences."
        ),
    )
    public_note_es = models.CharField(
        "public note (Spanish)",
        max_length=500,
        blank=True,
        help_text=(
            "The public note in Spanish, shown after the reference in Spanish articles and on "
            "the Spanish source pages. Same meaning as the English note, nothing added."
        ),
    )
    notes = models.TextField(
        blank=True,
        help_text=(
            "Internal editors' note (verification trail, key findings). Never shown to readers."
        ),
    )
    approved = models.BooleanField(
        default=False,
        editable=False,
        help_text="Shown on the public source pages only once a proposal creating it was "
        "approved by a second person (or it was imported from content/sources.yaml).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(doi="") | ~Q(pmid="") | ~Q(url=""),
                name="source_has_identifier",
                violation_error_message="A source needs at least one of DOI, PMID or URL.",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return reverse("citations:source_detail", kwargs={"key": self.key})

    @classmethod
    def reviewable_fields(cls) -> list[str]:
        """The fields a change to a source proposes and a reviewer approves: every field an
        editor can set except the key (a promise made by every citation). The one list used by
        the proposal form, the review diff, approval and import auditing, so a new editable
        field is reviewed without further change."""
        return [
            field.name
            for field in cls._meta.concrete_fields
            if field.editable and not field.primary_key and field.name != "key"
        ]

    def reviewable_values(self) -> dict[str, object]:
        """This source's reviewable fields as JSON-ready values (dates as ISO strings)."""
        values = {}
        for name in self.reviewable_fields():
            value = getattr(self, name)
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return values

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not re.fullmatch(KEY_PATTERN, self.key or ""):
            errors["key"] = f"Key {self.key!r} may only contain letters, digits, '_', ':' and '-'."
        if self.doi and not DOI_RE.match(self.doi):
            errors["doi"] = (
                f"DOI {self.doi!r} should look like 10.1234/abc (without https://doi.org/)."
            )
        if self.pmid and not PMID_RE.match(self.pmid):
            errors["pmid"] = f"PMID {self.pmid!r} should be digits only, e.g. 24698080."
        if not (self.doi or self.pmid or self.url):
            errors["url"] = "A source needs at least one of DOI, PMID or URL."
        if errors:
            raise ValidationError(errors)

    def reader_text(self, name: str, language: str | None = None) -> tuple[str, str]:
        """(text, its language) of the reader-facing text ``name`` (one of
        :data:`READER_TEXT_FIELDS`) for a page in ``language`` (the active one by default):
        the translation when it exists, else the English text, so a page shows what there is
        and says which language it is in."""
        if name not in READER_TEXT_FIELDS:
            raise ValueError(f"{name!r} is not one of {', '.join(READER_TEXT_FIELDS)}.")
        language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language in TRANSLATED_LANGUAGES:
            translated = getattr(self, f"{name}_{language}")
            if translated:
                return translated, language
        return getattr(self, name), settings.LANGUAGE_CODE

    def _reader_text_html(self, name: str, css_class: str = "") -> SafeString:
        """The text as HTML for the active language, marked ``lang`` when it falls back to
        English on a page in another language (screen readers then pronounce it as English)."""
        text, language = self.reader_text(name)
        if not text:
            return SafeString("")
        page_language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if css_class or language != page_language:
            lang = format_html(' lang="{}"', language) if language != page_language else ""
            klass = format_html(' class="{}"', css_class) if css_class else ""
            return format_html("<span{}{}>{}</span>", klass, lang, text)
        return format_html("{}", text)

    @property
    def evidence_type_html(self) -> SafeString:
        """The evidence type in the active language (see :meth:`reader_text`), as HTML."""
        return self._reader_text_html("evidence_type")

    @property
    def public_note_html(self) -> SafeString:
        """The public note in the active language (see :meth:`reader_text`), as HTML."""
        return self._reader_text_html("public_note", css_class="source-note")

    @property
    def short_label(self) -> str:
        """'Singh D et al. (2014)': enough to recognise the source in a tooltip."""
        first, _, rest = self.authors.partition(",")
        return f"{first.strip()}{' et al.' if rest.strip() else ''} ({self.year or 'n.d.'})"

    @property
    def reference_label(self) -> str:
        """'Garcia-Romeu et al., 2020': the first author's surname, for accessible names."""
        first, _, rest = self.authors.partition(",")
        words = first.split()
        # "Garcia-Romeu A" -> "Garcia-Romeu": drop trailing initials; keep names like "WHO".
        if len(words) > 1 and re.fullmatch(r"[A-Z]{1,3}\.?", words[-1]):
            words = words[:-1]
        name = " ".join(words) or self.authors
        return f"{name}{' et al.' if rest.strip() else ''}, {self.year or 'n.d.'}"

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def links(self) -> list[tuple[str, str]]:
        """(label, href) pairs for every identifier the source has."""
        links = []
        if self.doi:
            links.append((f"doi:{self.doi}", self.doi_url))
        if self.pmid:
            links.append((f"PubMed {self.pmid}", self.pubmed_url))
        if self.url:
            links.append((gettext("Web page"), self.url))
        return links

    def citation_html(self) -> str:
        """The full reference as HTML: authors, year, title, container, volume, the public
        note (in the active language) and links. The internal ``notes`` never appear here."""
        parts = [format_html("{}", self.authors)]
        if self.year:
            parts.append(format_html(" ({})", self.year))
        parts.append(format_html(". {}", self.title.rstrip(".")))
        if self.container:
            parts.append(format_html(". <i>{}</i>", self.container))
        if self.volume_pages:
            parts.append(format_html(" {}", self.volume_pages))
        parts.append(".")
        if note := self.public_note_html:
            parts.append(format_html(" {}", note))
        if self.links():
            parts.append(" ")
            parts.append(
                format_html_join(
                    " ",
                    '<a href="{}">{}</a>',
                    ((href, label) for label, href in self.links()),
                )
            )
        return "".join(str(p) for p in parts)


class SourceCitingCount(models.Model):
    """How many public versions in ``language`` cite ``source``. A version is counted once,
    when it is first published (revision_make_live): every version ever published stays public
    (superseded or taken offline, it is still a permanent record), and its references never
    change. The sources list reads these rows instead of counting every citing version."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citing_counts")
    language = models.CharField(max_length=8)
    versions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "language"], name="citations_citing_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} ({self.language}): {self.versions}"


def citing_versions_add(*, source_ids: list[int], language: str) -> None:
    """Count one more public version in ``language`` citing each of ``source_ids`` (in the
    caller's transaction: the count changes with the publish or not at all)."""
    if not source_ids:
        return
    counts = SourceCitingCount.objects.filter(language=language, source_id__in=source_ids)
    SourceCitingCount.objects.bulk_create(
        [SourceCitingCount(source_id=pk, language=language) for pk in source_ids],
        ignore_conflicts=True,
    )
    counts.update(versions=F("versions") + 1)
