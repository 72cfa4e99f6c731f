from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Q, StringAgg, Value
from django.urls import reverse

from kratom_info.articles.models import SOURCE_LANGUAGE, Article


class ArticleSitemap(Sitemap):
    """The live page of every published article; version pages are permanent records, not
    pages to index. ``lastmod`` is the live version's publication date (the English one for
    both languages: Django asks for it once per article). Each page lists its translations
    as ``hreflang`` alternates."""

    i18n = True
    alternates = True

    def items(self):
        return Article.objects.published().annotate(
            translated_into=StringAgg(
                "translations__language",
                delimiter=Value(","),
                filter=Q(translations__live_revision__isnull=False),
                default=Value(""),
            )
        )

    def get_languages_for_item(self, article):
        return [SOURCE_LANGUAGE, *filter(None, article.translated_into.split(","))]

    def location(self, article):
        # Called with the item's language active: /articles/<slug>/ or /es/articles/<slug>/.
        return reverse("articles:detail", kwargs={"slug": article.slug})

    def lastmod(self, article):
        return article.live_revision.published_at

    # Absolute addresses use DJANGO_SITE_URL, like QR codes and feeds, not the request's host.
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


SITEMAPS = {"articles": ArticleSitemap}
