"""Short links, QR codes, printable handouts and the clinics page.

Short links redirect to the permanent article URLs rather than rendering, so that the address a
reader ends up on is the one to bookmark and share.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from kratom_info.articles.models import Article, Revision
from kratom_info.handouts import qr
from kratom_info.handouts.selectors import (
    ShortLink,
    clinic_articles,
    clinic_handouts,
    pinned_revision_find,
    print_all_handouts,
    short_code_find,
    withdrawn_article_find,
)
from kratom_info.handouts.services import short_code_assign
from kratom_info.languages import page_language
from kratom_info.pagecache.decorators import page_last_modified, public_page

QR_CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _short_link_not_found(request, typed: str, number: int | None = None):
    """A 404 that helps someone who typed a code from paper: every article, with its link."""
    context = {
        "typed": typed,
        "number": number,
        "articles": clinic_articles(page_language(request)),
    }
    if number is not None:
        # The code may be right and only the version wrong: say so, and offer that article.
        known = short_code_find(typed)
        if known is not None:
            context["article"] = known.article
            context["versions"] = list(known.article.public_revisions())
    return render(request, "handouts/shortcode_not_found.html", context, status=404)


@public_page
def short_link_live(request, code: str):
    """/h/<code>: the live version. A temporary redirect, since the live version changes."""
    short_code = short_code_find(code)
    if short_code is None:
        withdrawn = withdrawn_article_find(code)
        if withdrawn is not None:
            return redirect(withdrawn.get_absolute_url())  # 410, saying when and why
        return _short_link_not_found(request, code)
    return redirect(short_code.article.get_absolute_url())


@public_page(permanent=True)
def short_link_pinned(request, code: str, number: int):
    """/h/<code>/<N>: published version N's permanent page, which never changes."""
    revision = pinned_revision_find(code, number)
    if revision is None:
        return _short_link_not_found(request, code, number)
    return redirect(revision.get_absolute_url(), permanent=True)


def _qr_response(text: str, fmt: str, filename: str) -> HttpResponse:
    image = qr.qr_svg(text) if fmt == "svg" else qr.qr_png(text)
    response = HttpResponse(image, content_type=QR_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    return response


@public_page(permanent=True)
def qr_live(request, code: str, fmt: str):
    """QR code of /h/<code>, the always-current link (for posters rather than handouts). The
    encoded text (a short link on SITE_URL) never changes for a given URL."""
    short_code = short_code_find(code)
    if short_code is None:
        return _short_link_not_found(request, code)
    link = ShortLink(short_code, short_code.article.live_revision.public_number)
    return _qr_response(link.live_url, fmt, f"kratom-info-{short_code.article.slug}-qr")


@public_page(permanent=True)
def qr_pinned(request, code: str, number: int, fmt: str):
    """QR code of /h/<code>/<N>, the link printed on a handout of version N."""
    revision = pinned_revision_find(code, number)
    if revision is None:
        return _short_link_not_found(request, code, number)
    link = ShortLink(revision.article.short_code, revision.public_number)
    return _qr_response(link.pinned_url, fmt, f"kratom-info-{revision.article.slug}-v{number}-qr")


def _handout_sheet(revision: Revision) -> dict:
    """What one printed handout shows: the version, its pinned short link and QR code."""
    article = revision.article
    # Publishing gives every article its code; this only covers an article published by some
    # path that skipped it, and is a no-op write-wise otherwise.
    short_code = getattr(article, "short_code", None) or short_code_assign(article=article)
    link = ShortLink(short_code, revision.public_number)
    return {
        "article": article,
        "revision": revision,
        "link": link,
        # segno escapes the only text it embeds (the title); the rest is path data.
        "qr_svg": mark_safe(qr.qr_svg_inline(link.pinned_url)),  # noqa: S308
    }


def _render_handout(request, revision: Revision):
    response = render(request, "handouts/handout.html", _handout_sheet(revision))
    return page_last_modified(response, revision.page_changed_at)


@public_page
def handout_live(request, slug: str):
    """The handout of the live version. Its QR code and short link are pinned to that version,
    so the paper keeps leading to what the clinician printed."""
    # The publication record (editorial) names the reviewer on the paper; same query.
    article = get_object_or_404(
        Article.objects.published(page_language(request)).select_related(
            "short_code", "live_revision__publication", "live_revision__translates"
        ),
        slug=slug,
    )
    revision = article.live_revision
    revision.article = article  # already loaded: spare the template a query
    return _render_handout(request, revision)


@public_page
def handout_version(request, slug: str, number: int):
    """The handout of published version N."""
    revision = get_object_or_404(
        Revision.objects.public().select_related(
            "article", "article__short_code", "article__live_revision", "publication", "translates"
        ),
        article__slug=slug,
        article__language=page_language(request),
        public_number=number,
    )
    return _render_handout(request, revision)


@public_page
def clinics(request):
    """How clinics use the handouts, and every article's handout, short links and QR codes."""
    return render(
        request, "handouts/clinics.html", {"rows": clinic_handouts(page_language(request))}
    )


@public_page
def clinics_print(request):
    """Every live handout in the page's language, one per sheet, to print in one go."""
    sheets = []
    for article in print_all_handouts(page_language(request)):
        revision = article.live_revision
        revision.article = article  # already loaded: spare the template a query
        sheets.append(_handout_sheet(revision))
    return render(request, "handouts/clinics_print.html", {"sheets": sheets})
