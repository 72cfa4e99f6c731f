"""What the mirror shows where the app would need to run: the error-report form, and the
warning-signs check's result.

- The check's result depends only on how many questions were answered yes (and, on the live
  site, which ones, to repeat their notes), so the mirror holds one result page per count,
  rendered with the live result template, and a page where the reader picks their count. The
  shipped server configs send the check form's POST there (``303``); the answers in its body
  are never read or logged.
- The report form takes a POST and sets a CSRF cookie; the mirror says that reports need the
  live site and gives the contact address.

These pages exist only in the export (the manifest lists them), so they are the only pages the
test that compares the export with the live site leaves out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from kratom_info.tools import rendering
from kratom_info.tools.content import site_check
from kratom_info.tools.scoring import CheckResult
from kratom_info.tools.selectors import published_articles

# Not the app's pages, so not for search engines; the check's send no referrer, like the app's.
HEADERS = (
    ("Cache-Control", "public, max-age=3600"),
    ("X-Robots-Tag", "noindex"),
    ("Referrer-Policy", "no-referrer"),
)
CHECK_PATH = "tools/check/"
CHECK_COUNT_PATH = "tools/check/count/"
CHECK_RESULT_PATH = "tools/check/result/{count}/"


@dataclass(frozen=True)
class Standin:
    path: str
    body: bytes


def _request(path: str, language: str):
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = language
    return request


def _render(template: str, context: dict, path: str, language: str) -> Standin:
    with translation.override(language):
        html = render_to_string(template, context, request=_request(path, language))
    return Standin(path, html.encode())


def _prefix(language: str) -> str:
    return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"


def pages_for(unmirrored: Iterable[tuple[str, str]]) -> Iterator[Standin]:
    """The check's count and result pages in every language, and a note at every report
    address the crawled pages link to."""
    for language, _name in settings.LANGUAGES:
        yield from check_pages(language)
    for target in sorted({target for _page, target in unmirrored}):
        if target.rstrip("/").endswith("/report"):
            language = translation.get_language_from_path(target) or settings.LANGUAGE_CODE
            yield _render(
                "mirror/report_needs_live_site.html",
                {"live_url": f"{settings.SITE_URL}{target}"},
                target,
                language,
            )


def check_pages(language: str) -> Iterator[Standin]:
    content = site_check(language)
    total = len(content.questions)
    prefix = _prefix(language)
    with translation.override(language):
        check_url = reverse("tools:check")
    counts = [
        (count, f"{prefix}{CHECK_RESULT_PATH.format(count=count)}") for count in range(total + 1)
    ]
    yield _render(
        "mirror/check_count.html",
        {"check": content, "counts": counts, "total": total, "check_url": check_url},
        f"{prefix}{CHECK_COUNT_PATH}",
        language,
    )
    for count, path in counts:
        band = next(band for band in content.bands if band.covers(count))
        result = CheckResult(
            count=count,
            total=total,
            yes=(),  # unknown to a static page: the band's text, not each sign's note
            band=band,
            article_slugs=tuple(band.articles) or content.default_articles,
        )
        with translation.override(language):
            rendered = rendering.render_result(content, result)
        context = {
            "check": content,
            "result": result,
            "rendered": rendered,
            "articles": published_articles(result.article_slugs, language),
        }
        yield _render("tools/check_result.html", context, path, language)
