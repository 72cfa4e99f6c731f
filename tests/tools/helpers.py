"""Shared set-up for the tools tests."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from kratom_info.articles.models import Article
from kratom_info.tools.content import CHECK_FILE, SHEET_FILE, load_check, load_sheet
from kratom_info.tools.scoring import NO, YES, field_name
from tests.factories import make_article, make_revision, make_source

CONTENT = Path(settings.BASE_DIR) / "content"
TOOLS_ARTICLE = "tracking-your-use"


def site_check():
    return load_check(CONTENT / CHECK_FILE)


def site_sheet():
    return load_sheet(CONTENT / SHEET_FILE)


def make_cited_sources() -> None:
    """The sources the tools' texts cite, so the renderer can number them."""
    from kratom_info.citations.syntax import find_markers
    from kratom_info.tools.content_checks import check_texts_of

    keys = {
        item.key
        for _, _, text, _ in check_texts_of(site_check())
        for marker in find_markers(text)
        for item in marker.items
    }
    for key in sorted(keys):
        make_source(key)


def make_tools_article(**fields) -> Article:
    """The published article the sheet's QR code is pinned to (with its short code)."""
    article = make_article(TOOLS_ARTICLE, title="Tracking your use")
    make_revision(article, "What to look for: rising amounts.\n", publish=True, **fields)
    return Article.objects.select_related("short_code", "live_revision").get(pk=article.pk)


def answers_form(yes_ids=(), *, skip=()) -> dict[str, str]:
    """POST data answering every question: yes for ``yes_ids``, no otherwise, none for ``skip``."""
    return {
        field_name(question): YES if question.id in yes_ids else NO
        for question in site_check().questions
        if question.id not in skip
    }
