"""Atom feeds of what changed: every published version, site-wide and per article."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from kratom_info.articles.models import SOURCE_LANGUAGE, Article, Revision
from kratom_info.languages import page_language
from kratom_info.readers.structured_data import absolute

FEED_LENGTH = 50


def published_versions(article: Article | None = None, language: str = SOURCE_LANGUAGE):
    """Published versions newest first (of ``article``, else of every article in
    ``language``), each with the number of the version before it."""
    previous = (
        Revision.objects.public()
        .filter(article_id=OuterRef("article_id"), number__lt=OuterRef("number"))
        .order_by("-number")
        .values("public_number")[:1]
    )
    versions = Revision.objects.public().select_related("article")
    if article is not None:
        versions = versions.filter(article=article)
    else:
        versions = versions.filter(article__language=language)
    return versions.annotate(previous_number=Subquery(previous)).order_by("-published_at", "-pk")[
        :FEED_LENGTH
    ]


class ChangesFeed(Feed):
    """Site-wide: each published version, its change note and a link to what changed."""

    feed_type = Atom1Feed

    def get_object(self, request):
        # /feed/ in English, /es/feed/ in Spanish (the feed's language is the page's).
        return page_language(request)

    def title(self):
        return _("%(site)s: what changed") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("Every published version of every article, with its change note.")

    def link(self):
        return absolute(reverse("home"))

    # RFC 4287 wants an atom:author on the feed or on every entry: the site speaks for all of
    # them (an entry's writer is named on its page, when named at all).
    def author_name(self):
        return settings.SITE_NAME

    def author_link(self):
        return absolute(reverse("home"))

    def feed_url(self):
        return absolute(reverse("readers:changes_feed"))

    def items(self, language):
        return published_versions(language=language)

    def item_title(self, revision):
        return _("%(title)s: version %(number)s") % {
            "title": revision.title,
            "number": revision.public_number,
        }

    def item_description(self, revision):
        return revision.change_note

    def item_link(self, revision):
        """The diff against the previous version; the version itself for a first version."""
        if revision.previous_number:
            return absolute(
                reverse(
                    "articles:diff",
                    kwargs={
                        "slug": revision.article.slug,
                        "old": revision.previous_number,
                        "new": revision.public_number,
                    },
                )
            )
        return absolute(revision.get_absolute_url())

    def item_guid(self, revision):
        return absolute(revision.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, revision):
        return revision.published_at

    def item_updateddate(self, revision):
        return revision.published_at


class ArticleFeed(ChangesFeed):
    """One article's published versions."""

    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(page_language(request)), slug=slug)

    def title(self, article):
        return _("%(site)s: changes to “%(title)s”") % {
            "site": settings.SITE_NAME,
            "title": article.live_revision.title,
        }

    def subtitle(self, article):
        return _("Every published version of “%(title)s”.") % {"title": article.live_revision.title}

    def link(self, article):
        return absolute(article.get_absolute_url())

    def feed_url(self, article):
        return absolute(reverse("readers:article_feed", kwargs={"slug": article.slug}))

    def items(self, article):
        return published_versions(article)
