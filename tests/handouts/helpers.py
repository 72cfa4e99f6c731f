"""Shared set-up for the handouts tests."""

from __future__ import annotations

import os
import unittest

from kratom_info.articles.models import Article
from tests.factories import make_article, make_revision


def require_zbar(test: unittest.TestCase):
    """pyzbar's decode function; skip without libzbar locally, fail in CI (CI=true)."""
    try:
        from pyzbar.pyzbar import decode
    except ImportError as exc:  # pyzbar missing, or libzbar0 not installed
        reason = f"QR decoding needs pyzbar and libzbar0 (apt-get install libzbar0): {exc}"
        if os.environ.get("CI", "").lower() == "true":
            test.fail(f"{reason} (CI=true: may not be skipped)")
        test.skipTest(reason)
    return decode


def make_published_article(slug: str, versions: int = 1, **fields) -> Article:
    """An article with ``versions`` published revisions, change notes 'Change 1', 'Change 2'..."""
    article = make_article(slug, **fields)
    for number in range(1, versions + 1):
        make_revision(
            article,
            f"Body of version {number}.\n",
            title=fields.get("title", article.title),
            change_note=f"Change {number}.",
            key_points=[f"Key point A of {slug}.", f"Key point B of {slug}."],
            main_message=f"Main message of {slug} version {number}.",
            publish=True,
        )
    article.refresh_from_db()
    return article
