"""Front matter and bibliography values are checked against the database fields' max_length.

SQLite does not enforce max_length and PostgreSQL does, so without these checks a file that
imports on SQLite fails in production (it happened: a 600-character Spanish change_note)."""

from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase, TestCase

from kratom_info.articles.content_checks import check_content
from kratom_info.articles.importing import import_content, parse_article_file
from kratom_info.articles.models import Article, Revision
from kratom_info.citations.importing import ContentError
from kratom_info.citations.models import Source

from .content_folders import ONE_SOURCE, REPO_CONTENT, content_folder

ENGLISH = """\
---
slug: a
title: {title}
summary: A summary.
key_points:
  - One point.
  - Two point.
  - Three point.
change_note: {note}
---
The cat sat on the mat [@good2020].
"""

SPANISH = """\
---
slug: a
language: es
translates: 1
title: Título
summary: Un resumen.
key_points:
  - Un punto.
  - Dos puntos.
  - Tres puntos.
change_note: {note}
---
El gato se sentó en la alfombra [@good2020].
"""


def limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class ContentFolder:
    """A content folder with article ``a`` in English and Spanish, written on demand."""

    def __init__(self, test):
        self.root = content_folder(test)

    def english(self, title: str = "Title", note: str = "First version.") -> Path:
        path = self.root / "articles" / "a.md"
        path.write_text(ENGLISH.format(title=title, note=note))
        return path

    def spanish(self, note: str) -> Path:
        path = self.root / "es" / "articles" / "a.md"
        path.write_text(SPANISH.format(note=note))
        return path


class CheckContentLimitTests(SimpleTestCase):
    def setUp(self):
        self.content = ContentFolder(self)

    def length_problems(self) -> list[str]:
        return [
            str(p) for p in check_content(self.content.root).problems if "characters long" in str(p)
        ]

    def test_within_the_limits_passes(self):
        """Values at the limit are fine."""
        self.content.english(title="T" * limit(Revision, "title"))
        self.content.spanish(note="n" * limit(Revision, "change_note"))
        self.assertEqual(self.length_problems(), [])

    def test_too_long_spanish_change_note_names_file_line_field_length_and_limit(self):
        """The bug that reached PostgreSQL: a 600-character Spanish change_note."""
        self.content.english()
        path = self.content.spanish(note="n" * 600)
        self.assertEqual(
            self.length_problems(),
            [
                f"{path}:11: 'change_note' is 600 characters long, but the database field "
                f"Revision.change_note holds at most {limit(Revision, 'change_note')}: shorten it"
            ],
        )

    def test_too_long_title_is_reported_against_the_tighter_field(self):
        """A title is stored on the Article and on the Revision; the error names a field."""
        path = self.content.english(title="T" * (limit(Revision, "title") + 1))
        problems = self.length_problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertTrue(problems[0].startswith(f"{path}:3: 'title' is 201 characters long"))
        self.assertIn(f"holds at most {limit(Revision, 'title')}", problems[0])

    def test_the_limit_comes_from_the_model_field(self):
        """Narrowing the model field narrows the check: the numbers are not copied into it."""
        self.content.english(note="twenty characters!!!")
        field = Revision._meta.get_field("change_note")
        with mock.patch.object(field, "max_length", 10):
            problems = self.length_problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("'change_note' is 20 characters long", problems[0])
        self.assertIn("holds at most 10", problems[0])

    def test_too_long_source_key_and_container(self):
        """Bibliography fields are checked too, the key included (full_clean skips it)."""
        long_key = "k" * (limit(Source, "key") + 1)
        (self.content.root / "sources.yaml").write_text(
            ONE_SOURCE
            + f"- key: {long_key}\n  kind: other\n  authors: B\n  title: Bare\n"
            + "  url: https://www.example.gov/\n"
            + "- key: wide\n  kind: other\n  authors: B\n  title: Wide\n"
            + f"  container: {'c' * (limit(Source, 'container') + 1)}\n"
            + "  url: https://www.example.gov/\n"
        )
        self.content.english()
        problems = self.length_problems()
        self.assertEqual(len(problems), 2, problems)
        self.assertIn(f"sources.yaml:7: source '{long_key}': 'key' is 65", problems[0])
        self.assertIn(f"Source.key holds at most {limit(Source, 'key')}", problems[0])
        self.assertIn("sources.yaml:12: source 'wide': 'container' is 501", problems[1])


class BundledContentLimitTests(SimpleTestCase):
    def test_bundled_content_fits_the_database(self):
        """Every bundled article and translation fits the fields that store it."""
        paths = sorted((REPO_CONTENT / "articles").glob("*.md"))
        paths += sorted((REPO_CONTENT / "es" / "articles").glob("*.md"))
        self.assertGreater(len(paths), 10)
        for path in paths:
            self.assertEqual(parse_article_file(path).length_errors(), [], path)


class ImportLimitTests(TestCase):
    def setUp(self):
        self.content = ContentFolder(self)

    def test_import_refuses_a_too_long_value_and_writes_nothing(self):
        """The import stops with the same message before writing, on SQLite as on
        PostgreSQL, and leaves the database as it was."""
        self.content.english(note="n" * (limit(Revision, "change_note") + 1))
        with self.assertRaisesMessage(ContentError, "'change_note' is 501 characters long"):
            import_content(self.content.root)
        self.assertEqual(Article.objects.count(), 0)
        self.assertEqual(Source.objects.count(), 0)
