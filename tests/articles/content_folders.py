"""Throwaway content/ folders for the tests of check_content, import_content and blocks: the
layout those read (articles/, es/articles/, sources.yaml) with one known source, removed when
the test ends. The bundled folder is REPO_CONTENT."""

import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"

# One source every test body can cite as [@good2020].
ONE_SOURCE = """\
- key: good2020
  kind: journal_article
  authors: Good G
  year: 2020
  title: A good study
  doi: 10.1000/good
"""


def content_folder(test: SimpleTestCase) -> Path:
    """An empty content folder citing ONE_SOURCE, deleted when ``test`` ends."""
    root = Path(tempfile.mkdtemp())
    test.addCleanup(shutil.rmtree, root, ignore_errors=True)
    (root / "articles").mkdir()
    (root / "es" / "articles").mkdir(parents=True)
    (root / "sources.yaml").write_text(ONE_SOURCE)
    return root
