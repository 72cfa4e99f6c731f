from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from kratom_info.articles.diff import reader_revision_diff
from kratom_info.articles.models import Article, Revision
from kratom_info.pagecache.decorators import public_page


@public_page
def home(request):
    return render(request, "articles/home.html", {"articles": Article.objects.listed()})


def _first_published(article_ref: str) -> Subquery:
    """When the article's first published version came out (pages' "datePublished")."""
    return Subquery(
        Revision.objects.public()
        .filter(article_id=OuterRef(article_ref))
        .order_by("number")
        .values("published_at")[:1]
    )


def _public_revision(slug: str, number: int) -> Revision:
    return get_object_or_404(
        Revision.objects.public()
        .select_related(
            "article",
            "article__live_revision",
            "article__review_schedule",
            "author",
            "publication",
        )
        .annotate(first_published_at=_first_published("article_id")),
        article__slug=slug,
        public_number=number,
    )


@public_page
def article_detail(request, slug: str):
    article = get_object_or_404(
        Article.objects.readable()
        .select_related("live_revision__author", "live_revision__publication", "review_schedule")
        .annotate(first_published_at=_first_published("pk")),
        slug=slug,
    )
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
    revision.first_published_at = article.first_published_at
    return render(
        request,
        "articles/revision_detail.html",
        {"article": article, "revision": revision, "is_permalink": False},
    )


@public_page
def article_version(request, slug: str, number: int):
    revision = _public_revision(slug, number)
    return render(
        request,
        "articles/revision_detail.html",
        {"article": revision.article, "revision": revision, "is_permalink": True},
    )


@public_page
def article_history(request, slug: str):
    article = get_object_or_404(Article.objects.readable(), slug=slug)
    revisions = list(article.public_revisions())  # newest first
    entries = list(zip(revisions, [*revisions[1:], None], strict=True))
    return render(
        request, "articles/article_history.html", {"article": article, "entries": entries}
    )


@public_page
def article_diff(request, slug: str, old: int, new: int):
    if old == new:
        raise Http404("Choose two different versions.")
    old_revision = _public_revision(slug, old)
    new_revision = _public_revision(slug, new)
    return render(
        request,
        "articles/revision_diff.html",
        {
            "article": old_revision.article,
            "old": old_revision,
            "new": new_revision,
            "diff": reader_revision_diff(old_revision, new_revision),
        },
    )
