"""Articles and their immutable revisions.

``Article`` is identity (a slug that is a promise in printed URLs) plus a pointer to the live
revision. ``Revision`` holds the words: Markdown, its stored rendering and reference list, and
its place in the editorial life cycle. A draft is edited in place by its author; once it is
submitted its content never changes, and a later edit makes a new revision.

Two numbers: ``Revision.number`` counts every revision (the editors' number, drafts included);
``Revision.public_number`` counts published versions only and is what readers and every
permanent link see (v1, v2, v3, without gaps).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext, pgettext

from kratom_info.articles.rendering import reference_count
from kratom_info.citations.models import Source
from kratom_info.languages import url_in

# Articles are written in English; every other language is a translation of an English article.
SOURCE_LANGUAGE = "en"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published (live)"
    SUPERSEDED = "superseded", "Superseded by a newer version"
    REJECTED = "rejected", "Changes requested"
    UNPUBLISHED = "unpublished", "Published, then taken offline with its article"
    OUTDATED = "outdated", "Outdated: a newer version went live before it was published"
    WITHDRAWN = "withdrawn", "Withdrawn from review by its author"

    @classmethod
    def public_values(cls) -> list[str]:
        """Statuses a reader may see: every version that was ever published."""
        return [cls.PUBLISHED, cls.SUPERSEDED, cls.UNPUBLISHED]


class FrozenRevisionError(Exception):
    """Raised on any attempt to change or delete a revision's content after submission."""


class ArticleQuerySet(models.QuerySet):
    def published(self, language: str = SOURCE_LANGUAGE) -> ArticleQuerySet:
        """Articles in ``language`` that have a live revision, with it loaded, in display order.
        English by default: every English page, feed and list shows English articles only."""
        return (
            self.filter(language=language, live_revision__isnull=False)
            .select_related("live_revision")
            .order_by("order", "slug")
        )

    def readable(self) -> ArticleQuerySet:
        """Articles with versions readers can open: published ones and withdrawn ones (whose
        permanent version links keep working)."""
        return self.exclude(live_revision__isnull=True, withdrawn_at__isnull=True)

    def listed(self, language: str = SOURCE_LANGUAGE) -> ArticleQuerySet:
        """Published articles in ``language`` with only what a list of them shows (title,
        summary, link): the live version's title and summary, which publishing copies onto the
        article, so neither any article's body nor its revision is read."""
        return (
            self.filter(language=language, live_revision__isnull=False)
            .order_by("order", "slug")
            .only("slug", "language", "title", "summary")
        )


# Articles whose page shows the help box near the top (Article.shows_help_first).
HELP_FIRST_SLUGS = frozenset(
    {
        "risks-and-interactions",
        "mixing-with-other-drugs",
        "dependence-and-withdrawal",
        "mood-anxiety-and-depression",
    }
)
_TAG_RE = re.compile(r"<[^>]+>")
# A link from an article's text to another article page, in any language.
_ARTICLE_LINK_RE = re.compile(r'<a href="((?:/[a-z]{2})?/articles/([a-z0-9-]+)/)">(.+?)</a>')


def _loaded(instance: models.Model, relation: str):
    """The related object the query already loaded, or None (never a query)."""
    field = instance._meta.get_field(relation)
    return field.get_cached_value(instance, None) if field.is_cached(instance) else None


class Article(models.Model):
    """An article's identity. Its slug is printed on clinic handouts and never changes.

    A translation is an article of its own in another language, with the English article's
    slug (``/es/articles/<slug>/``) and ``original`` pointing at it: its revisions, version
    numbers, live pointer, reviews and short code are its own, and each of its revisions
    records which English revision it translates (``Revision.translates``).
    """

    slug = models.SlugField(max_length=100, help_text="Part of the public URL. Never change it.")
    language = models.CharField(
        max_length=8,
        choices=Language.choices,
        default=Language.ENGLISH,
        db_default=Language.ENGLISH,  # rows written by code that predates translations
        help_text="English articles are the originals; others translate one of them.",
    )
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        help_text="For a translation: the English article it translates.",
    )
    title = models.CharField(max_length=200, help_text="Title of the live version.")
    summary = models.CharField(max_length=500, blank=True, help_text="Summary of the live version.")
    order = models.PositiveIntegerField(default=100, help_text="Position on the home page.")
    live_revision = models.OneToOneField(
        "Revision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version readers see. Changed only by publishing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    first_published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When its first version was published (pages' datePublished); set once.",
    )
    withdrawn_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the article was taken offline; publishing again clears it.",
    )
    withdrawal_reason = models.TextField(
        blank=True,
        db_default="",
        editable=False,
        help_text="Why it was taken offline; shown on every version page of the article.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="article_slug_language"),
            models.CheckConstraint(
                condition=Q(language=SOURCE_LANGUAGE, original__isnull=True)
                | (~Q(language=SOURCE_LANGUAGE) & Q(original__isnull=False)),
                name="translation_has_original",
            ),
        ]

    def __str__(self) -> str:
        return self.title if self.is_original else f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        return url_in(self.language, "articles:detail", slug=self.slug)

    @property
    def is_original(self) -> bool:
        return self.language == SOURCE_LANGUAGE

    @property
    def is_published(self) -> bool:
        return self.live_revision_id is not None

    @property
    def shows_help_first(self) -> bool:
        """Whether its page opens with the help lines as large buttons, not only in the footer:
        the pages a reader in trouble lands on (risks, mixing, dependence and withdrawal, mood),
        in every language (a translation shares its original's slug)."""
        return self.slug in HELP_FIRST_SLUGS

    @property
    def is_withdrawn(self) -> bool:
        """Taken offline by a publisher: no live version, old versions show why."""
        return self.live_revision_id is None and self.withdrawn_at is not None

    @property
    def withdrawal_notice(self) -> str:
        """'This article was withdrawn on DATE because REASON.', for every page of its
        versions: in the article's own language, whatever page shows it, since the reason is
        the editor's text in that language (a translation is withdrawn on its own, with a
        reason written in its language)."""
        if not self.is_withdrawn:
            return ""
        with translation.override(self.language):
            when = dateformat.format(
                timezone.localtime(self.withdrawn_at), pgettext("date format", "j F Y")
            )
            reason = self.withdrawal_reason.strip().rstrip(".")
            notice = gettext("This article was withdrawn on %(date)s because %(reason)s.")
            return notice % {"date": when, "reason": reason}

    def latest_revision(self) -> Revision | None:
        return self.revisions.order_by("-number").first()

    def public_revisions(self) -> RevisionQuerySet:
        return self.revisions.public().order_by("-number")


FROZEN_FIELDS = (
    "article_id",
    "number",
    "title",
    "summary",
    "main_message",
    "key_points",
    "body",
    "change_note",
    "translates_id",
    "body_html",
    "toc_html",
    "references_html",
    "content_hash",
    "author_id",
)


class RevisionQuerySet(models.QuerySet):
    def public(self) -> RevisionQuerySet:
        """Revisions readers may see: live, superseded and unpublished (withdrawn) ones."""
        return self.filter(status__in=RevisionStatus.public_values())

    def update(self, **kwargs):
        changing = {name.removesuffix("_id") for name in kwargs} & {
            name.removesuffix("_id") for name in FROZEN_FIELDS
        }
        if changing and self.exclude(status=RevisionStatus.DRAFT).exists():
            raise FrozenRevisionError(
                f"Cannot change {', '.join(sorted(changing))} of a submitted revision."
            )
        if "public_number" in kwargs and self.filter(public_number__isnull=False).exists():
            raise FrozenRevisionError("A public version number never changes.")
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=RevisionStatus.DRAFT).exists():
            raise FrozenRevisionError("Submitted and published revisions are never deleted.")
        return super().delete()


def content_hash(
    *, title: str, summary: str, main_message: str, key_points: list[str], body: str
) -> str:
    """A stable fingerprint of everything a reader sees, to tell whether content changed."""
    payload = json.dumps(
        [title.strip(), summary.strip(), main_message.strip(), [p.strip() for p in key_points],
         body.strip().replace("\r\n", "\n")],
        ensure_ascii=False,
    )  # fmt: skip
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class TranslationLag:
    """A translation that matches an older English version than the live one."""

    translated: Revision  # the English version the translation matches
    current: Revision  # the English live version

    @property
    def original_url(self) -> str:
        return self.current.article.get_absolute_url()

    @property
    def diff_url(self) -> str:
        """What changed in English since the translated version."""
        with translation.override(SOURCE_LANGUAGE):
            return reverse(
                "articles:diff",
                kwargs={
                    "slug": self.current.article.slug,
                    "old": self.translated.public_number,
                    "new": self.current.public_number,
                },
            )


class Revision(models.Model):
    """One version of an article. Editable only while a draft; frozen from submission on,
    so that what a reviewer checked is what readers and permanent links show forever."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(
        help_text="1, 2, 3... within the article: every saved revision, drafts included. The "
        "editors' number."
    )
    public_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The version number readers see (v1, v2, v3... counting published versions "
        "only), in every permanent link. Given when the revision is published; never changes.",
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, help_text="One plain sentence.")
    main_message = models.TextField(
        blank=True, help_text="The main message, shown first, without scrolling."
    )
    key_points = models.JSONField(
        default=list, blank=True, help_text="Three to five short points for printed handouts."
    )
    body = models.TextField(help_text="Markdown. Cite every claim with [@key].")
    change_note = models.CharField(max_length=500, help_text="What changed and why.")
    translates = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        help_text="For a translation: the English version this text translates.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored_revisions",
        help_text="Empty for revisions imported from content/.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    body_html = models.TextField(editable=False)
    toc_html = models.TextField(blank=True, editable=False)
    references_html = models.TextField(blank=True, editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    sources = models.ManyToManyField(Source, related_name="revisions", blank=True, editable=False)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.UniqueConstraint(
                fields=["article", "public_number"], name="revision_public_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "superseded", "unpublished"])
                | Q(published_at__isnull=False),
                name="published_revision_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "superseded", "unpublished"])
                | Q(public_number__isnull=False),
                name="published_revision_has_public_number",
            ),
        ]
        # The newest live version (the sitemap index's date) without reading every version.
        indexes = [
            models.Index(fields=["status", "published_at"], name="revision_status_published")
        ]

    def __str__(self) -> str:
        if self.article.is_original:
            return f"{self.article.slug} v{self.number}"
        return f"{self.article.slug} ({self.article.language}) v{self.number}"

    def get_absolute_url(self) -> str:
        """The permanent link of a published version (its public number), in the article's
        language; the article's page for a revision readers cannot open."""
        if self.public_number is None:
            return self.article.get_absolute_url()
        return url_in(
            self.article.language, "articles:version", slug=self.article.slug,
            number=self.public_number,
        )  # fmt: skip

    @property
    def language(self) -> str:
        return self.article.language

    @property
    def is_frozen(self) -> bool:
        return self.status != RevisionStatus.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in RevisionStatus.public_values()

    @property
    def is_live(self) -> bool:
        return self.status == RevisionStatus.PUBLISHED

    @property
    def author_name(self) -> str:
        """The author's full name as recorded on their account; empty for imported revisions
        and accounts without a name (pages then say the author is not named)."""
        return self.author.get_full_name() if self.author_id else ""

    @property
    def review_record(self):
        """The version's ``editorial.Publication`` (who reviewed it), or None when it was
        published without the review gate. Templates read this rather than ``publication``,
        whose absence raises an exception that the template engine answers slowly."""
        try:
            return self.publication
        except models.ObjectDoesNotExist:
            return None

    @property
    def source_count(self) -> int:
        """How many sources the frozen reference list holds (no query)."""
        return reference_count(self.references_html)

    @property
    def page_changed_at(self):
        """When what this version's pages show last changed, from what the page query loaded
        (no query): its publication, the live version (a newer-version banner), the
        article's withdrawal and next-review date, and for a translation the English live
        version it is compared with."""
        article = self.article
        moments = [self.published_at, article.withdrawn_at]
        if live := _loaded(article, "live_revision"):
            moments.append(live.published_at)
        if schedule := _loaded(article, "review_schedule"):
            moments.append(schedule.updated_at)
        if (original := _loaded(article, "original")) and (
            original_live := _loaded(original, "live_revision")
        ):
            moments.append(original_live.published_at)
        return max((moment for moment in moments if moment is not None), default=None)

    @property
    def linked_articles(self) -> list[tuple[str, str]]:
        """(address, words) of each other article the text links to, in the order first
        linked: the page's "Related" list, read from the frozen HTML (no query)."""
        seen: dict[str, str] = {}
        for url, slug, words in _ARTICLE_LINK_RE.findall(self.body_html):
            text = " ".join(html.unescape(_TAG_RE.sub("", words)).split())
            if slug != self.article.slug and url not in seen and text:
                seen[url] = text[:1].upper() + text[1:]
        return list(seen.items())

    def translation_lag(self) -> TranslationLag | None:
        """For a translation: the newer English live version it does not match yet, or None
        when it translates the English live version (or the original is not live)."""
        if self.translates_id is None:
            return None
        original = self.article.original
        live = original.live_revision if original is not None else None
        if live is None or live.number <= self.translates.number:
            return None
        return TranslationLag(translated=self.translates, current=live)

    def newer_public_revisions(self) -> RevisionQuerySet:
        """Versions published after this one, oldest first: what a reader who followed a
        permanent link (for example from a printed handout) has not seen. One query."""
        return (
            Revision.objects.public()
            .filter(article_id=self.article_id, number__gt=self.number)
            .order_by("number")
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = (
                Revision.objects.filter(pk=self.pk)
                .values(*FROZEN_FIELDS, "status", "public_number")
                .first()
            )
            if stored and stored["public_number"] not in (None, self.public_number):
                raise FrozenRevisionError(
                    f"Revision {self} is public version {stored['public_number']}; "
                    "a public version number never changes (it is printed on handouts)."
                )
            if stored and stored["status"] != RevisionStatus.DRAFT:
                changed = [f for f in FROZEN_FIELDS if getattr(self, f) != stored[f]]
                if changed:
                    raise FrozenRevisionError(
                        f"Revision {self} is {stored['status']}; its content is frozen "
                        f"(tried to change {', '.join(changed)}). Create a new revision instead."
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise FrozenRevisionError("Submitted and published revisions are never deleted.")
        return super().delete(*args, **kwargs)
