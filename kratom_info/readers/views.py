"""Public pages of the readers app. Plain functions, so a caching decorator can wrap them; only
the error-report form sets a cookie (CSRF), and it lives on its own page."""

from django.contrib.sitemaps.views import index as django_sitemap_index
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from kratom_info.accounts.signin import client_ip
from kratom_info.articles.models import Article, Revision
from kratom_info.languages import page_language, source_language_only
from kratom_info.readers.forms import ErrorReportForm
from kratom_info.readers.search import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, search
from kratom_info.readers.services import ReportRateLimited, error_report_submit
from kratom_info.readers.sitemaps import SITEMAPS


def _page_number(value: str) -> int:
    """?page=N as a number; anything else is the first page (as Django's Paginator.get_page)."""
    return int(value) if value.isdigit() and 0 < len(value) <= 6 else 1


def search_page(request):
    """/search/?q=&page=: one page of the live articles matching the words, each linked at its
    best section."""
    query = request.GET.get("q", "").strip()
    page = _page_number(request.GET.get("page", ""))
    results = search(query, page_language(request), page) if query else None
    return render(
        request,
        "readers/search.html",
        {
            "query": query,
            "results": results,
            "max_length": MAX_QUERY_LENGTH,
            "max_words": MAX_QUERY_WORDS,
        },
    )


def editorial_policy(request):
    """How sources are chosen, claims checked and corrections made, and how the site is paid
    for: stated from what the software enforces."""
    return render(request, "readers/policy.html")


@source_language_only
def sitemap(request):
    """/sitemap.xml: every live article page, or, once they no longer fit in one file
    (ArticleSitemap.limit), an index of the files /sitemap-articles.xml?p=1, 2... that hold
    them, so that no answer grows with the site."""
    sitemaps = {name: sitemap() for name, sitemap in SITEMAPS.items()}  # counted once each
    if sitemaps["articles"].paginator.num_pages > 1:
        return django_sitemap_index(
            request, sitemaps=sitemaps, sitemap_url_name="readers:sitemap_section"
        )
    return django_sitemap(request, sitemaps=sitemaps)


@source_language_only
def sitemap_section(request, section: str):
    """/sitemap-<section>.xml?p=N: one file of a sitemap index."""
    return django_sitemap(request, sitemaps=SITEMAPS, section=section)


def _reported_revision(article: Article, version: str | None) -> Revision:
    """The published version the reader came from (?version=N), else the live one."""
    if version and version.isdigit():
        found = article.revisions.public().filter(public_number=int(version)).first()
        if found is not None:
            return found
    # A withdrawn article has no live version: the report is about its last published one.
    return article.live_revision or article.public_revisions().first()


@never_cache
@csrf_protect
def report_error(request, slug: str):
    """/articles/<slug>/report/: a short form, no JavaScript. Spam (the honeypot) is dropped
    silently; a reader over the rate limit is told to try later."""
    article = get_object_or_404(
        Article.objects.readable().filter(language=page_language(request)), slug=slug
    )
    revision = _reported_revision(
        article, request.POST.get("version") or request.GET.get("version")
    )
    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_spam():
            return redirect("readers:report_thanks", slug=article.slug)
        if form.is_valid():
            try:
                error_report_submit(
                    article=article,
                    revision=revision,
                    message=form.cleaned_data["message"],
                    location=form.cleaned_data["location"],
                    email=form.cleaned_data["email"],
                    client_address=client_ip(request) or "",
                )
            except ReportRateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
                status = 400
            else:
                return redirect("readers:report_thanks", slug=article.slug)
        else:
            status = 400
    return render(
        request,
        "readers/report.html",
        {"article": article, "revision": revision, "form": form},
        status=status,
    )


def report_thanks(request, slug: str):
    article = get_object_or_404(
        Article.objects.readable().filter(language=page_language(request)), slug=slug
    )
    return render(request, "readers/report_thanks.html", {"article": article})
