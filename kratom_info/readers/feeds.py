"""Atom feeds of what changed: every published version and every withdrawal, site-wide and
per article."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Withdrawal:
    """A feed entry for an article taken offline: when, and the notice its pages show."""

    article: Article

    @property
    def at(self) -> datetime.datetime:
        return self.article.withdrawn_at


def withdrawals(article: Article | None = None, language: str = SOURCE_LANGUAGE):
    """Articles withdrawn now (``article``, else every one in ``language``), newest first, as
    feed entries. Publishing again clears a withdrawal, and so its entry."""
    withdrawn = Article.objects.filter(live_revision__isnull=True, withdrawn_at__isnull=False)
    if article is not None:
        withdrawn = withdrawn.filter(pk=article.pk)
    else:
        withdrawn = withdrawn.filter(language=language)
    return [Withdrawal(article) for article in withdrawn.order_by("-withdrawn_at")[:FEED_LENGTH]]


def _newest_first(versions, withdrawn: list[Withdrawal]) -> list:
    entries = [*versions, *withdrawn]
    entries.sort(key=lambda entry: _entry_date(entry), reverse=True)
    return entries[:FEED_LENGTH]


def _entry_date(entry) -> datetime.datetime:
    return entry.at if isinstance(entry, Withdrawal) else entry.published_at


class ChangesFeed(Feed):
    """Site-wide: each published version, its change note and a link to what changed; each
    withdrawal, with the notice the article's pages show."""

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
        return _newest_first(published_versions(language=language), withdrawals(language=language))

    def item_title(self, revision):
        if isinstance(revision, Withdrawal):
            # In the article's language, like the notice (a Spanish feed lists Spanish ones).
            return _("%(title)s: withdrawn") % {"title": revision.article.title}
        return _("%(title)s: version %(number)s") % {
            "title": revision.title,
            "number": revision.public_number,
        }

    def item_description(self, revision):
        if isinstance(revision, Withdrawal):
            return revision.article.withdrawal_notice
        return revision.change_note

    def item_link(self, revision):
        """The diff against the previous version; the version itself for a first version; for
        a withdrawal, the article's address (which says when and why it was withdrawn)."""
        if isinstance(revision, Withdrawal):
            return absolute(revision.article.get_absolute_url())
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
        if isinstance(revision, Withdrawal):
            # One id per withdrawal: a later withdrawal of the same article is a new entry.
            stamp = revision.at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            return absolute(f"{revision.article.get_absolute_url()}#withdrawn-{stamp}")
        return absolute(revision.get_absolute_url())

    def item_guid_is_permalink(self, revision):
        return not isinstance(revision, Withdrawal)

    def item_pubdate(self, revision):
        return _entry_date(revision)

    def item_updateddate(self, revision):
        return _entry_date(revision)


class ArticleFeed(ChangesFeed):
    """One article's published versions, and its withdrawal while it is withdrawn."""

    def get_object(self, request, slug):
        return get_object_or_404(
            Article.objects.readable().filter(language=page_language(request)), slug=slug
        )

    def title(self, article):
        # The article's title is the live version's, kept when it is withdrawn.
        return _("%(site)s: changes to “%(title)s”") % {
            "site": settings.SITE_NAME,
            "title": article.title,
        }

    def subtitle(self, article):
        return _("Every published version of “%(title)s”.") % {"title": article.title}

    def link(self, article):
        return absolute(article.get_absolute_url())

    def feed_url(self, article):
        return absolute(reverse("readers:article_feed", kwargs={"slug": article.slug}))

    def items(self, article):
        return _newest_first(published_versions(article), withdrawals(article))
