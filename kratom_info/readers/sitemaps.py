from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Page, Paginator
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from kratom_info.articles.models import SOURCE_LANGUAGE, Article, Revision, RevisionStatus
from kratom_info.languages import url_in

TRANSLATION_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != SOURCE_LANGUAGE]
# A slug never holds this, so it marks where each article's slug goes in its address.
_SLUG = "slug-placeholder"


@functools.cache
def _article_path(language: str) -> str:
    """The live article address in ``language``, with _SLUG for the slug: reversed once per
    process and language instead of once per page and language (most of what a large sitemap
    cost)."""
    return url_in(language, "articles:detail", slug=_SLUG)


class _ArticlePages(Paginator):
    """Pages of articles (a slice of the query each, never the whole list), each page's
    objects the (article, language) pairs Django's i18n sitemap expects."""

    def __init__(self, sitemap: ArticleSitemap, articles, per_page: int):
        super().__init__(articles, per_page)
        self.sitemap = sitemap

    def _get_page(self, object_list, number, paginator):
        pairs = [
            (article, code)
            for article in object_list
            for code in self.sitemap.get_languages_for_item(article)
        ]
        return Page(pairs, number, paginator)


class ArticleSitemap(Sitemap):
    """The live page of every published article, in each language it is live in; version
    pages are permanent records, not pages to index. Each page's ``lastmod`` is its own live
    version's publication date (a Spanish page's, the Spanish version's), and each page lists
    the article's live pages in every language as ``hreflang`` alternates."""

    i18n = True
    alternates = True
    # Articles per sitemap file (each with its page in every language it is live in); past it
    # /sitemap.xml is an index of files of this many (readers.views.sitemap), so that no answer
    # costs more than this many.
    limit = 100

    @functools.cached_property
    def paginator(self):
        # Once per sitemap object: Django's index view and ours both ask for its page count,
        # a count of every published article.
        return _ArticlePages(self, self.items(), self.limit)

    def get_latest_lastmod(self):
        """For the sitemap index: the newest live version in any language, in one query."""
        live = Revision.objects.filter(status=RevisionStatus.PUBLISHED)
        return live.aggregate(latest=Max("published_at"))["latest"]

    def items(self):
        # One query: each English article with the date of its live translation per language.
        translation_dates = {
            f"published_{code}": Subquery(
                Article.objects.filter(
                    original=OuterRef("pk"), language=code, live_revision__isnull=False
                ).values("live_revision__published_at")[:1]
            )
            for code in TRANSLATION_LANGUAGES
        }
        # Only what an entry shows: sorting a file's slice with every article's text would
        # cost more than all the rest.
        articles = Article.objects.published().only(
            "slug", "language", "live_revision__published_at"
        )
        return articles.annotate(**translation_dates)

    def published_at(self, article, language: str):
        """When the page of ``article`` in ``language`` got its live version (None: no page)."""
        if language == SOURCE_LANGUAGE:
            return article.live_revision.published_at
        return getattr(article, f"published_{language}")

    def get_languages_for_item(self, article):
        return [
            code for code, _ in settings.LANGUAGES if self.published_at(article, code) is not None
        ]

    def location(self, article):
        # Called with the item's language active: /articles/<slug>/ or /es/articles/<slug>/.
        return reverse("articles:detail", kwargs={"slug": article.slug})

    def _location(self, item, force_lang_code=None):
        # Django's own (a language switch and a reverse per address), from a per-language
        # pattern: item is (article, language).
        article, language = item
        return _article_path(force_lang_code or language).replace(_SLUG, article.slug)

    def lastmod(self, article):
        # Django asks this once per article, without the language; get_urls puts each page's
        # own date in its place.
        return article.live_revision.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            article, language = url["item"]
            url["lastmod"] = self.published_at(article, language)
        if urls:
            # The sitemap's Last-Modified header: the newest page in any language.
            self.latest_lastmod = max(url["lastmod"] for url in urls)
        return urls

    # Absolute addresses use DJANGO_SITE_URL, like QR codes and feeds, not the request's host.
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


SITEMAPS = {"articles": ArticleSitemap}
