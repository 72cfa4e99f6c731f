"""Which article pages a change shows on: the answer the page cache's purges
(:data:`kratom_info.pagecache.purge.pages_affected`, connected in the app config) and the
static mirror need, and that only the articles app can give without reaching upwards."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from kratom_info.articles.models import Article, Revision
from kratom_info.pagecache.purge import ARTICLE_PAGES, page_paths


def related_articles(articles: Iterable) -> list:
    """``articles`` with the ones whose pages show them too: a translation names the English
    version it matches (and whether a newer one exists), an original links to its
    translations."""
    articles = list(articles)
    if not articles:
        return []
    ids = {article.pk for article in articles}
    originals = {article.original_id for article in articles} - {None}
    others = Article.objects.filter(
        Q(original_id__in=ids) | Q(pk__in=originals) | Q(original_id__in=originals)
    ).exclude(pk__in=ids)
    return [*articles, *others.order_by("language", "slug")]


def cited_source_keys(articles: Iterable) -> list[tuple[str, str]]:
    """(language, key) of each source a public version of ``articles`` cites."""
    ids = [article.pk for article in articles]
    if not ids:
        return []
    cited = (
        Revision.objects.public()
        .filter(article_id__in=ids, sources__isnull=False)
        .values_list("article__language", "sources__key")
        .distinct()
        .order_by("article__language", "sources__key")
    )
    return list(cited)


def article_pages_affected(*, articles: list, sources: list, **kwargs) -> list[str]:
    """The pages of ``articles`` and of the articles showing them, their sources' pages in
    their language ("Cited by" names the article's versions), and the live articles whose
    reference lists show ``sources``."""
    paths = []
    for article in related_articles(articles):
        paths += page_paths(ARTICLE_PAGES, [article.language], slug=article.slug)
    for language, key in cited_source_keys(articles):
        paths += page_paths(["citations:source_detail"], [language], key=key)
    if sources:
        citing = Article.objects.filter(live_revision__sources__in=sources).distinct()
        for language, slug in citing.values_list("language", "slug"):
            paths += page_paths(["articles:detail"], [language], slug=slug)
    return paths
