"""Reads for short links, handouts and the clinics page: one query each on the happy path."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from kratom_info.articles.models import SOURCE_LANGUAGE, Article, Revision
from kratom_info.handouts.codes import is_valid_code, normalise_code
from kratom_info.handouts.links import absolute_url, without_scheme
from kratom_info.handouts.models import ShortCode
from kratom_info.languages import url_in


def short_code_find(typed: str) -> ShortCode | None:
    """The published article's short code that ``typed`` names (any case), or None."""
    code = normalise_code(typed)
    if not is_valid_code(code):
        return None
    return ShortCode.objects.published().filter(code=code).first()


def withdrawn_article_find(typed: str) -> Article | None:
    """The withdrawn article that ``typed`` names, or None: its short link leads to the notice
    saying when and why it was withdrawn rather than to "not found"."""
    code = normalise_code(typed)
    if not is_valid_code(code):
        return None
    return Article.objects.filter(
        short_code__code=code, live_revision__isnull=True, withdrawn_at__isnull=False
    ).first()


def pinned_revision_find(typed: str, number: int) -> Revision | None:
    """Published version ``number`` of the article that ``typed`` names, or None. Drafts and
    versions still in review are never found."""
    code = normalise_code(typed)
    if not is_valid_code(code):
        return None
    return (
        Revision.objects.public()
        .select_related("article", "article__short_code")
        .filter(article__short_code__code=code, public_number=number)
        .first()
    )


@dataclass(frozen=True)
class ShortLink:
    """The printed short links of one published version."""

    short_code: ShortCode
    number: int

    @property
    def live_url(self) -> str:
        return absolute_url(self.short_code.get_absolute_url())

    @property
    def pinned_url(self) -> str:
        return absolute_url(self.short_code.pinned_path(self.number))

    @property
    def pinned_display(self) -> str:
        return without_scheme(self.pinned_url)

    @property
    def live_display(self) -> str:
        return without_scheme(self.live_url)


def clinic_articles(language: str = SOURCE_LANGUAGE) -> list[tuple[Article, ShortLink]]:
    """Every published article in ``language`` with the short links of its live version, in
    display order."""
    articles = Article.objects.published(language).select_related("short_code")
    return [
        (article, ShortLink(article.short_code, article.live_revision.public_number))
        for article in articles
        if hasattr(article, "short_code")
    ]


@dataclass(frozen=True)
class ClinicHandout:
    """One language's handout of an article on the clinics page."""

    article: Article
    link: ShortLink

    @property
    def language(self) -> str:
        return self.article.language

    @property
    def language_name(self) -> str:
        """The language's name in that language ("English", "Español")."""
        return str(dict(settings.LANGUAGES)[self.language])

    @property
    def revision(self) -> Revision:
        return self.article.live_revision

    @property
    def handout_url(self) -> str:
        return url_in(self.language, "handouts:handout", slug=self.article.slug)

    def qr_url(self, fmt: str, *, pinned: bool = True) -> str:
        code = self.link.short_code.code
        if pinned:
            return url_in(
                self.language, "handouts:pinned_qr", code=code, number=self.link.number, fmt=fmt
            )
        return url_in(self.language, "handouts:live_qr", code=code, fmt=fmt)

    @property
    def pinned_qr_svg(self) -> str:
        return self.qr_url("svg")

    @property
    def pinned_qr_png(self) -> str:
        return self.qr_url("png")

    @property
    def live_qr_svg(self) -> str:
        return self.qr_url("svg", pinned=False)

    @property
    def live_qr_png(self) -> str:
        return self.qr_url("png", pinned=False)


def clinic_handouts(language: str = SOURCE_LANGUAGE) -> list[list[ClinicHandout]]:
    """Every published article's handouts, the English original and its translations side by
    side (``language`` first), in display order: one query for every language."""
    articles = (
        Article.objects.filter(live_revision__isnull=False, short_code__isnull=False)
        .select_related("live_revision", "short_code")
        .order_by("order", "slug", "language")
    )
    groups: dict[int, list[ClinicHandout]] = {}
    for article in articles:
        handout = ClinicHandout(
            article, ShortLink(article.short_code, article.live_revision.public_number)
        )
        groups.setdefault(article.original_id or article.pk, []).append(handout)
    return [
        sorted(group, key=lambda handout: (handout.language != language, handout.language))
        for group in groups.values()
    ]


def print_all_handouts(language: str = SOURCE_LANGUAGE):
    """Every published article in ``language`` with what its handout prints, in display order,
    in one query: the clinics' print-all page."""
    return (
        Article.objects.published(language)
        .filter(short_code__isnull=False)
        .select_related("short_code", "live_revision__publication", "live_revision__translates")
    )
