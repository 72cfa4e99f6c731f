"""The tools' pages: the tracking sheet (screen, print, blank CSV) and the warning-signs check.

The check keeps nothing: answers arrive in a POST body, are scored into the response and
dropped. No model, session, message, cookie or log line carries them; the pages are never
cached, send no referrer, and have one size whatever the answers (tools/padding.py).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from kratom_info.handouts import qr
from kratom_info.languages import page_language
from kratom_info.tools import rendering, tracking
from kratom_info.tools.content import site_check, site_sheet
from kratom_info.tools.padding import pad_response
from kratom_info.tools.scoring import IncompleteAnswers, field_name, read_answers, score
from kratom_info.tools.selectors import published_articles, sheet_link, tools_article_revision

ONE_DAY = 24 * 60 * 60


def tools_index(request):
    language = page_language(request)
    context = {"sheet": site_sheet(language), "check": site_check(language)}
    return render(request, "tools/index.html", context)


def tracking_sheet(request):
    """The sheet on screen: what it is for, print and download links, and the reviewed article
    that explains what to look for in a filled sheet."""
    language = page_language(request)
    sheet = site_sheet(language)
    return render(
        request,
        "tools/tracking_sheet.html",
        {
            "sheet": sheet,
            "columns": tracking.COLUMNS,
            "revision": tools_article_revision(sheet.article, language),
        },
    )


def tracking_sheet_print(request):
    """The one-page sheet to print (US Letter or A4), with a QR code pinned like a handout (to
    the explaining article in the page's language)."""
    language = page_language(request)
    sheet = site_sheet(language)
    link = sheet_link(tools_article_revision(sheet.article, language))
    return render(
        request,
        "tools/tracking_sheet_print.html",
        {
            "sheet": sheet,
            "columns": tracking.COLUMNS,
            "days": range(1, tracking.DAYS + 1),
            "lines": range(tracking.LINES_PER_DAY),
            "link": link,
            # segno escapes the only text it embeds (the title); the rest is path data.
            "qr_svg": mark_safe(qr.qr_svg_inline(link.url)),  # noqa: S308
        },
    )


def tracking_sheet_csv(request):
    """The sheet's columns as a blank spreadsheet, headed in the page's language."""
    response = HttpResponse(tracking.blank_csv(), content_type="text/csv; charset=utf-8")
    # The file's name in the page's language (English: kratom-tracking-sheet.csv).
    filename = _("kratom-tracking-sheet.csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=ONE_DAY)
    return response


def _private(request, response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)  # includes no-store: not kept by browsers or proxies
    # SecurityMiddleware only sets this when the view has not.
    response["Referrer-Policy"] = "no-referrer"
    # One size for every answer, so no log of sizes can tell how someone answered.
    return pad_response(request, response)


def _form_context(content, *, answers=None, missing=()):
    intro = rendering.render_intro(content)
    groups = [
        (
            title,
            [
                {
                    "question": question,
                    "name": field_name(question),
                    "answer": (answers or {}).get(question.id),
                    "missing": question in missing,
                }
                for question in content.questions_in(group)
            ],
        )
        for group, title in content.groups.items()
    ]
    return {"check": content, "intro": intro, "groups": groups, "missing": list(missing)}


# The POST is side-effect free (it writes nothing and reads no session), so CSRF protection
# would guard nothing; without it this page sets no cookie at all.
@sensitive_variables()  # topmost, as Django requires; hides this view's locals in error reports
@csrf_exempt
@sensitive_post_parameters()  # error reports show every submitted value as ********
@require_http_methods(["GET", "HEAD", "POST"])
def check(request):
    """GET: the questions. POST: the result, built from the body and then dropped."""
    content = site_check(page_language(request))
    if request.method != "POST":
        # Answers never travel in a query string (which servers log): a GET shows a blank form.
        return _private(request, render(request, "tools/check.html", _form_context(content)))
    try:
        answers = read_answers(content, request.POST)
    except IncompleteAnswers as exc:
        context = _form_context(content, answers=exc.answers, missing=exc.missing)
        return _private(request, render(request, "tools/check.html", context, status=400))
    result = score(content, answers)
    context = {
        "check": content,
        "result": result,
        "rendered": rendering.render_result(content, result),
        "articles": published_articles(result.article_slugs, page_language(request)),
    }
    return _private(request, render(request, "tools/check_result.html", context))
