"""Reads for the tools' pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from kratom_info.articles.models import SOURCE_LANGUAGE, Article, Revision
from kratom_info.handouts.links import absolute_url, without_scheme
from kratom_info.handouts.selectors import ShortLink


def tools_article_revision(slug: str, language: str = SOURCE_LANGUAGE) -> Revision | None:
    """The live revision of the reviewed article that explains the tools, in ``language``, or
    None while it is not published in that language. One query, with the article and its short
    code loaded."""
    article = (
        Article.objects.published(language)
        .select_related("short_code", "live_revision")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        return None
    revision = article.live_revision
    revision.article = article  # already loaded
    return revision


@dataclass(frozen=True)
class SheetLink:
    """The address printed on the sheet, under its QR code."""

    url: str
    revision: Revision | None  # the article version it is pinned to, if any

    @property
    def display(self) -> str:
        return without_scheme(self.url)


def sheet_link(revision: Revision | None) -> SheetLink:
    """Pinned like a handout: the short link of the explaining article's version that is live
    when the sheet is printed (/h/<code>/<N>), so a sheet kept for years opens the text it was
    printed with. Before that article is published (or if it has no code), the sheet's own
    page in the active language, whose address never changes meaning."""
    short_code = getattr(revision.article, "short_code", None) if revision else None
    if short_code is None:
        return SheetLink(absolute_url(reverse("tools:tracking_sheet")), None)
    return SheetLink(ShortLink(short_code, revision.public_number).pinned_url, revision)


def published_articles(slugs: tuple[str, ...], language: str = SOURCE_LANGUAGE) -> list[Article]:
    """The published articles in ``language`` among ``slugs``, in that order (one query)."""
    found = {
        article.slug: article
        for article in Article.objects.published(language)
        .select_related("live_revision")
        .filter(slug__in=slugs)
    }
    return [found[slug] for slug in slugs if slug in found]
