import functools

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from kratom_info.articles.diff import reader_revision_diff
from kratom_info.articles.models import SOURCE_LANGUAGE, Article, Revision
from kratom_info.languages import alternates, page_language, url_in
from kratom_info.pagecache.compiled import CompiledQuery, placeholder
from kratom_info.pagecache.decorators import page_last_modified, public_page


def counterpart_published(article_ref: str = "pk", original_ref: str = "original_id") -> Exists:
    """Whether the article in the other language is published (the original of a translation,
    or a translation of an original), computed in the page's own query."""
    return Exists(
        Article.objects.filter(
            Q(pk=OuterRef(original_ref)) | Q(original_id=OuterRef(article_ref)),
            live_revision__isnull=False,
        )
    )


def counterpart_version(revision_ref: str = "pk") -> Subquery:
    """For an English version: the newest published translation of exactly that version."""
    return Subquery(
        Revision.objects.public()
        .filter(translates_id=OuterRef(revision_ref))
        .order_by("-public_number")
        .values("public_number")[:1]
    )


def article_alternates(article: Article, viewname: str, **kwargs) -> list:
    """The same article page in both languages, if the other language's article is live
    (``article.counterpart_published`` annotated by :func:`counterpart_published`)."""
    if not getattr(article, "counterpart_published", False):
        return []
    other = article.original.language if article.original_id else "es"
    return alternates(
        {
            article.language: url_in(article.language, viewname, slug=article.slug, **kwargs),
            other: url_in(other, viewname, slug=article.slug, **kwargs),
        }
    )


def version_alternates(revision: Revision, viewname: str = "articles:version") -> list:
    """A version page's counterpart: the English version a translation translates, or the
    newest translation of this English version."""
    article = revision.article
    if revision.translates_id is not None:
        other, number = article.original.language, revision.translates.public_number
    elif getattr(revision, "translated_as", None):
        other, number = "es", revision.translated_as
    else:
        return []
    return alternates(
        {
            article.language: url_in(
                article.language, viewname, slug=article.slug, number=revision.public_number
            ),
            other: url_in(other, viewname, slug=article.slug, number=number),
        }
    )


# Articles a page of the home list shows: the first page is the home page, ?page=2 the next.
HOME_PAGE_SIZE = 50


@functools.cache
def _listed_articles(language: str) -> CompiledQuery:
    """The home page's first page of the list (one more row, to know whether a next page
    exists), compiled once per process and language; each request runs it, so no result is
    ever kept here."""
    return CompiledQuery(Article.objects.listed(language)[: HOME_PAGE_SIZE + 1])


def _home_page_number(value: str) -> int:
    return int(value) if value.isdigit() and 0 < len(value) <= 6 else 1


@public_page(query=("page",))
def home(request):
    """The published articles in display order, HOME_PAGE_SIZE a page, so the page costs the
    same however many there are."""
    language = page_language(request)
    page = _home_page_number(request.GET.get("page", ""))
    if page == 1:
        articles = _listed_articles(language).fetch()
    else:
        start = (page - 1) * HOME_PAGE_SIZE
        articles = list(Article.objects.listed(language)[start : start + HOME_PAGE_SIZE + 1])
        if not articles:
            raise Http404("There is no such page of articles.")
    more = len(articles) > HOME_PAGE_SIZE
    return render(
        request,
        "articles/home.html",
        {
            "articles": articles[:HOME_PAGE_SIZE],
            "first_number": (page - 1) * HOME_PAGE_SIZE + 1,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if more else None,
        },
    )


def _public_revision(request, slug: str, number: int) -> Revision:
    """A published version with what its page shows, in one query."""
    language = page_language(request)
    revisions = Revision.objects.public().select_related(
        "article", "article__live_revision", "article__review_schedule", "author", "publication"
    )
    if language == SOURCE_LANGUAGE:
        # The newest translation of exactly this version, for the language switch.
        revisions = revisions.annotate(translated_as=counterpart_version())
    else:
        # A translation names the English version it translates.
        revisions = revisions.select_related("translates", "article__original__live_revision")
    return get_object_or_404(
        revisions, article__slug=slug, article__language=language, public_number=number
    )


@functools.cache
def _readable_article_query(language: str) -> CompiledQuery:
    """The article with ``slug`` in ``language``, its live version and what that page shows, in
    one query compiled once per process and language: a request spends no time assembling or
    compiling it."""
    return CompiledQuery(_readable_articles(language).filter(slug=placeholder("slug"))[:2], "slug")


def _readable_articles(language: str) -> QuerySet[Article]:
    """Articles of a live page in ``language``, with their live version and what that page
    shows, in one query."""
    articles = (
        Article.objects.readable()
        .filter(language=language)
        .select_related("live_revision__author", "live_revision__publication", "review_schedule")
    )
    if language != SOURCE_LANGUAGE:
        # A translation names the English version it translates and says when the English
        # article has moved on; its counterpart is the English article.
        return articles.select_related("live_revision__translates", "original__live_revision")
    # Whether its translation is live, for the language switch.
    return articles.annotate(
        counterpart_published=Exists(
            Article.objects.filter(original_id=OuterRef("pk"), live_revision__isnull=False)
        )
    )


def _readable_article(request, slug: str) -> Article:
    try:
        article = _readable_article_query(page_language(request)).get(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    if article.original_id is not None:
        article.counterpart_published = article.original.live_revision_id is not None
    return article


@public_page
def article_detail(request, slug: str):
    article = _readable_article(request, slug)
    if article.is_withdrawn:
        # Gone, not missing: say when and why, and keep every published version reachable.
        return render(
            request,
            "articles/article_withdrawn.html",
            {"article": article, "revisions": article.public_revisions()},
            status=410,
        )
    revision = article.live_revision
    revision.article = article  # already loaded: spare the template a query
    response = render(
        request,
        "articles/revision_detail.html",
        {
            "article": article,
            "revision": revision,
            "is_permalink": False,
            "alternates": article_alternates(article, "articles:detail"),
        },
    )
    return page_last_modified(response, revision.page_changed_at)


@public_page
def article_version(request, slug: str, number: int):
    revision = _public_revision(request, slug, number)
    response = render(
        request,
        "articles/revision_detail.html",
        {
            "article": revision.article,
            "revision": revision,
            "is_permalink": True,
            "alternates": version_alternates(revision),
        },
    )
    return page_last_modified(response, revision.page_changed_at)


@public_page
def article_history(request, slug: str):
    article = get_object_or_404(
        Article.objects.readable()
        .filter(language=page_language(request))
        .annotate(counterpart_published=counterpart_published()),
        slug=slug,
    )
    revisions = list(article.public_revisions().select_related("translates"))  # newest first
    entries = list(zip(revisions, [*revisions[1:], None], strict=True))
    response = render(
        request,
        "articles/article_history.html",
        {
            "article": article,
            "entries": entries,
            "alternates": article_alternates(article, "articles:history"),
        },
    )
    moments = [revision.published_at for revision in revisions] + [article.withdrawn_at]
    return page_last_modified(response, max(filter(None, moments), default=None))


@public_page
def article_diff(request, slug: str, old: int, new: int):
    if old == new:
        raise Http404("Choose two different versions.")
    revisions = {
        revision.public_number: revision
        for revision in Revision.objects.public()
        .select_related("article")
        .filter(
            article__slug=slug,
            article__language=page_language(request),
            public_number__in=[old, new],
        )
    }
    if len(revisions) != 2:
        raise Http404("No such version.")
    old_revision, new_revision = revisions[old], revisions[new]
    new_revision.article = old_revision.article  # one article: one object
    response = render(
        request,
        "articles/revision_diff.html",
        {
            "article": old_revision.article,
            "old": old_revision,
            "new": new_revision,
            "diff": reader_revision_diff(old_revision, new_revision),
        },
    )
    moments = [
        old_revision.published_at,
        new_revision.published_at,
        old_revision.article.withdrawn_at,
    ]
    return page_last_modified(response, max(filter(None, moments)))
