"""What readers can see changed since the last export, and which exported pages show it.

Each export records a fingerprint of every article (its row, its public versions, its review
date, its short code) and of every approved source. The next export compares them with the
database's: the articles and sources whose fingerprints differ are what was published,
withdrawn, re-dated or corrected since, whichever way it happened (the editorial screens, an
import, a management command).

Which pages show a change is the page cache's knowledge, not a second copy of it:

- a page about one article carries that article's tag (``Surrogate-Key``, set by
  ``pagecache.purge.tag_response``): every page tagged with a changed article, or with an
  article whose pages show it (``articles.affected_pages.related_articles``: its translations
  or original), is rendered again;
- ``purge.affected_paths`` lists the other addresses a change shows on, the ones the shared
  caches are purged of: the lists, the sitemap, the feeds, the pages of the sources cited;
- a page marked permanent (``immutable``: a QR code, a pinned short link) never changes for its
  address, and is kept.

Everything else, the site-wide pages that belong to no article (the home page, the tools, the
short links' redirects...), is rendered again on every export: a few dozen pages, and what a
change could reach that no tag names.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from kratom_info.articles.affected_pages import related_articles
from kratom_info.articles.models import Article, Revision
from kratom_info.citations.models import Source
from kratom_info.editorial.models import ReviewSchedule
from kratom_info.handouts.models import ShortCode
from kratom_info.languages import url_in
from kratom_info.pagecache.purge import affected_paths, article_tag

ARTICLE_TAG_PREFIX = article_tag("", "").split("-", 1)[0] + "-"


def _digest(rows: list) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def _grouped(rows: Iterable[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[str(row[key])].append(row)
    return grouped


def content_fingerprints() -> dict[str, dict[str, str]]:
    """{"articles": {article pk: digest}, "sources": {source pk: digest}}: a digest of all an
    article's public pages are made from, and of each approved source's record."""
    revisions = _grouped(Revision.objects.public().order_by("pk").values(), "article_id")
    schedules = _grouped(ReviewSchedule.objects.order_by("pk").values(), "article_id")
    codes = _grouped(ShortCode.objects.order_by("pk").values(), "article_id")
    articles = {}
    for row in Article.objects.order_by("pk").values():
        pk = str(row["id"])
        articles[pk] = _digest(
            [row, revisions.get(pk, []), schedules.get(pk, []), codes.get(pk, [])]
        )
    sources = {
        str(row["id"]): _digest([row]) for row in Source.objects.approved().order_by("pk").values()
    }
    return {"articles": articles, "sources": sources}


def _differing(before: dict[str, str], after: dict[str, str]) -> set[int]:
    return {int(pk) for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}


@dataclass
class Changes:
    """What differs between two fingerprints, and the pages it shows on."""

    articles: list = field(default_factory=list)  # changed Article objects
    sources: list = field(default_factory=list)  # changed Source objects (approved or not)
    tags: set[str] = field(default_factory=set)  # the page cache tags of pages showing them
    paths: set[str] = field(default_factory=set)  # other addresses showing them
    source_pages: frozenset[str] = frozenset()  # every source's page, in every language

    def shows_on(self, path: str, tags: Iterable[str], *, permanent: bool) -> bool:
        """Whether the page at ``path`` (with these page cache tags) may show a change."""
        tags = set(tags)
        if path in self.paths or tags & self.tags:
            return True
        if permanent or any(tag.startswith(ARTICLE_TAG_PREFIX) for tag in tags):
            return False  # about an unchanged article, or the same for its address forever
        return path not in self.source_pages  # named in ``paths`` when they change


def changes_between(before: dict, after: dict) -> Changes:
    article_ids = _differing(before.get("articles", {}), after.get("articles", {}))
    source_ids = _differing(before.get("sources", {}), after.get("sources", {}))
    changes = Changes(
        articles=list(Article.objects.filter(pk__in=article_ids).order_by("pk")),
        sources=list(Source.objects.filter(pk__in=source_ids).order_by("pk")),
    )
    changes.tags = {
        article_tag(article.language, article.slug)
        for article in related_articles(changes.articles)
    }
    changes.paths = set(affected_paths(articles=changes.articles, sources=changes.sources))
    changes.source_pages = frozenset(
        url_in(language, "citations:source_detail", key=key)
        for language, _name in settings.LANGUAGES
        for key in Source.objects.values_list("key", flat=True)
    )
    return changes
