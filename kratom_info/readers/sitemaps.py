from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from kratom_info.articles.models import Article


class ArticleSitemap(Sitemap):
    """The live page of every published article; version pages are permanent records, not
    pages to index. ``lastmod`` is the live version's publication date."""

    def items(self):
        return Article.objects.published()

    def lastmod(self, article):
        return article.live_revision.published_at

    # Absolute addresses use DJANGO_SITE_URL, like QR codes and feeds, not the request's host.
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


SITEMAPS = {"articles": ArticleSitemap}
