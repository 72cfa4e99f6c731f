import shutil
import textwrap
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from kratom_info.articles.importing import import_content
from kratom_info.articles.models import Article, Revision, RevisionStatus
from kratom_info.citations.importing import ContentError
from kratom_info.citations.models import Source

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"

SOURCES = """\
- key: alpha2020
  kind: journal_article
  authors: Alpha A, Beta B
  year: 2020
  title: A first study
  container: Journal One
  doi: 10.1000/alpha
- key: gamma2021
  kind: government
  authors: A public agency
  year: 2021
  title: A public page
  url: https://www.example.gov/page
"""

ARTICLE = """\
---
slug: {slug}
title: {title}
summary: A summary.
main_message: A main message.
order: {order}
key_points:
  - First point.
  - Second point.
  - Third point.
change_note: First version.
---
Intro sentence [@alpha2020].

## Section

Another claim [@gamma2021; @alpha2020].
"""


class ContentFolder:
    def __init__(self, root: Path):
        self.root = root
        (root / "articles").mkdir(parents=True)
        (root / "sources.yaml").write_text(SOURCES)

    def write(self, name: str, text: str) -> Path:
        path = self.root / "articles" / name
        path.write_text(textwrap.dedent(text))
        return path

    def article(self, slug: str, title: str = "Title", order: int = 1, **replace) -> Path:
        text = ARTICLE.format(slug=slug, title=title, order=order)
        for old, new in replace.items():
            text = text.replace(old, new)
        return self.write(f"{slug}.md", text)


class ImportTests(TestCase):
    def setUp(self):
        import tempfile

        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.content = ContentFolder(self.tmp / "content")

    def test_import_creates_sources_articles_and_draft_revisions(self):
        """A first import creates every source and one draft revision per article."""
        self.content.article("one")
        self.content.article("two", order=2)
        report = import_content(self.content.root)
        self.assertEqual(sorted(report.sources.created), ["alpha2020", "gamma2021"])
        self.assertEqual(Article.objects.count(), 2)
        revision = Revision.objects.get(article__slug="one")
        self.assertEqual((revision.number, revision.status), (1, RevisionStatus.DRAFT))
        self.assertEqual(revision.key_points, ["First point.", "Second point.", "Third point."])
        self.assertEqual({s.key for s in revision.sources.all()}, {"alpha2020", "gamma2021"})

    def test_reimport_without_change_creates_nothing(self):
        """Running the import again with no change creates no revision."""
        self.content.article("one")
        import_content(self.content.root, publish=True)
        report = import_content(self.content.root, publish=True)
        self.assertEqual(report.created, [])
        self.assertEqual(report.unchanged, ["one v1"])
        self.assertEqual(Revision.objects.count(), 1)

    def test_changed_file_creates_new_revision(self):
        """A changed file creates the next revision and, with --publish, makes it live."""
        self.content.article("one")
        import_content(self.content.root, publish=True)
        self.content.article("one", **{"Intro sentence": "Changed intro sentence"})
        report = import_content(self.content.root, publish=True)
        self.assertEqual(report.created, ["one v2"])
        article = Article.objects.get(slug="one")
        self.assertEqual(article.live_revision.number, 2)
        self.assertEqual(
            Revision.objects.get(article=article, number=1).status, RevisionStatus.SUPERSEDED
        )

    def test_publish_marks_revisions_published_without_author(self):
        """--publish makes imported revisions live; they carry no author or reviewer."""
        self.content.article("one")
        import_content(self.content.root, publish=True)
        live = Article.objects.get(slug="one").live_revision
        self.assertEqual(live.status, RevisionStatus.PUBLISHED)
        self.assertIsNone(live.author)

    def assertImportFails(self, message: str, path_end: str, line: int | None):  # noqa: N802
        with self.assertRaises(ContentError) as caught:
            import_content(self.content.root, publish=True)
        error = caught.exception
        self.assertIn(message, str(error))
        self.assertTrue(error.path.endswith(path_end), error.path)
        self.assertEqual(error.line, line)
        self.assertEqual(Article.objects.count(), 0, "nothing may be half-imported")
        self.assertEqual(Revision.objects.count(), 0)
        self.assertEqual(Source.objects.count(), 0)

    def test_unknown_citation_key_names_file_and_line(self):
        """An unknown key stops the import, naming the file, the line and the key."""
        self.content.article("good")
        self.content.article("bad", **{"@gamma2021": "@nosuch2000"})
        self.assertImportFails("unknown citation key 'nosuch2000'", "bad.md", 17)

    def test_malformed_front_matter(self):
        """Broken YAML front matter names the file and line."""
        self.content.write("broken.md", "---\nslug: broken\ntitle: [unclosed\n---\nBody.\n")
        self.assertImportFails("invalid front matter", "broken.md", 4)

    def test_missing_front_matter(self):
        """A file without front matter is refused."""
        self.content.write("plain.md", "Just text.\n")
        self.assertImportFails("must start with '---'", "plain.md", 1)

    def test_missing_title(self):
        """A required field that is missing is named."""
        self.content.article("one", **{"title: Title\n": ""})
        self.assertImportFails("needs a text 'title'", "one.md", 2)

    def test_duplicate_slug(self):
        """Two files with the same slug stop the import and name both."""
        self.content.article("same")
        self.content.write("other.md", ARTICLE.format(slug="same", title="T", order=3))
        with self.assertRaises(ContentError) as caught:
            import_content(self.content.root)
        self.assertIn("duplicate slug 'same'", str(caught.exception))
        self.assertIn("other.md", str(caught.exception))
        self.assertEqual(Article.objects.count(), 0)

    def test_unreadable_file(self):
        """A file that is not UTF-8 text is named as unreadable."""
        (self.content.root / "articles" / "binary.md").write_bytes(b"\xff\xfe\x00bad")
        self.assertImportFails("cannot read file", "binary.md", None)

    def test_invalid_source_names_line(self):
        """A source without DOI, PMID or URL stops the import at its line."""
        (self.content.root / "sources.yaml").write_text(
            SOURCES + "- key: nolink\n  kind: other\n  authors: X\n  title: No link\n"
        )
        self.content.article("one")
        self.assertImportFails("at least one of DOI, PMID or URL", "sources.yaml", 14)

    def test_bad_doi_is_refused(self):
        """A DOI that does not look like one is refused with the field named."""
        (self.content.root / "sources.yaml").write_text(
            SOURCES.replace("10.1000/alpha", "doi.org/alpha")
        )
        self.content.article("one")
        self.assertImportFails("doi", "sources.yaml", 1)

    def test_error_in_later_article_rolls_back_everything(self):
        """The import is one transaction: a late error leaves no earlier article behind."""
        self.content.article("aaa-first")
        self.content.article("zzz-last", **{"@alpha2020]": "@missing]"})
        with self.assertRaises(ContentError):
            import_content(self.content.root, publish=True)
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Source.objects.exists())

    def test_failed_reimport_keeps_existing_data(self):
        """A failing re-import changes nothing that was imported before."""
        self.content.article("one")
        import_content(self.content.root, publish=True)
        self.content.article("one", **{"Intro sentence": "New intro"})
        self.content.write("broken.md", "---\nslug: x\n")
        with self.assertRaises(ContentError):
            import_content(self.content.root, publish=True)
        self.assertEqual(Revision.objects.count(), 1)
        self.assertEqual(Article.objects.get(slug="one").live_revision.number, 1)

    def test_source_edit_updates_record(self):
        """Re-importing an edited source updates its record."""
        self.content.article("one")
        import_content(self.content.root)
        (self.content.root / "sources.yaml").write_text(
            SOURCES.replace("A first study", "A renamed study")
        )
        report = import_content(self.content.root)
        self.assertEqual(report.sources.updated, ["alpha2020"])
        self.assertEqual(Source.objects.get(key="alpha2020").title, "A renamed study")

    def test_public_note_and_internal_notes_are_kept_apart(self):
        """public_note is imported into the reference list; notes stay internal."""
        (self.content.root / "sources.yaml").write_text(
            SOURCES.replace(
                "  doi: 10.1000/alpha\n",
                "  doi: 10.1000/alpha\n  public_note: Funded by an advocacy group.\n"
                "  notes: Checked on PubMed; full author list not recorded.\n",
            )
        )
        self.content.article("one")
        import_content(self.content.root, publish=True)
        source = Source.objects.get(key="alpha2020")
        self.assertEqual(source.public_note, "Funded by an advocacy group.")
        self.assertEqual(source.notes, "Checked on PubMed; full author list not recorded.")
        references = Article.objects.get(slug="one").live_revision.references_html
        self.assertIn("Funded by an advocacy group.", references)
        self.assertNotIn("not recorded", references)


@override_settings(DEBUG=True)  # --publish is for development; the test runner turns DEBUG off
class ImportCommandTests(TestCase):
    def test_command_reports_error_and_exits_nonzero(self):
        """The command turns a content error into a CommandError naming file and line."""
        import tempfile

        root = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, root)
        folder = ContentFolder(root / "c")
        folder.article("one", **{"@alpha2020]": "@nope]"})
        with self.assertRaisesMessage(
            CommandError, "one.md:13: unknown citation key 'nope' (and 1 more)"
        ):
            call_command("import_content", str(folder.root), "--publish")

    def test_bundled_content_imports(self):
        """The repository's own content/ imports and publishes cleanly."""
        from io import StringIO

        out = StringIO()
        call_command("import_content", str(REPO_CONTENT), "--publish", stdout=out)
        self.assertIn("WITHOUT review", out.getvalue())
        self.assertTrue(Article.objects.published().filter(slug="what-kratom-is").exists())
        self.assertTrue(Article.objects.published().filter(slug="dose-ranges-and-effects").exists())


class ImportAfterEditorialWorkTests(TestCase):
    """Re-running the import (as scripts/serve does) never undoes an editor's reviewed work."""

    def setUp(self):
        import tempfile

        from tests.factories import make_editor

        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.content = ContentFolder(self.tmp / "content")
        self.content.article("one")
        import_content(self.content.root, publish=True)
        self.article = Article.objects.get(slug="one")
        self.author = make_editor("author1", "Author")
        self.reviewer = make_editor("reviewer1", "Reviewer", display_name="R. Viewer")
        self.publisher = make_editor("publisher1", "Publisher")

    def publish_edit(self) -> Revision:
        from tests.factories import make_reviewed_live

        return make_reviewed_live(
            self.article,
            "An edited claim [@alpha2020].\n",
            author=self.author,
            reviewer=self.reviewer,
            publisher=self.publisher,
        )

    def test_unchanged_file_leaves_reviewed_version_live(self):
        """The unchanged file matches version 1: no new revision, the reviewed v2 stays live."""
        edited = self.publish_edit()
        report = import_content(self.content.root, publish=True)
        self.assertEqual(report.created, [])
        self.assertEqual(Article.objects.get(pk=self.article.pk).live_revision, edited)

    def test_changed_file_is_held_for_review(self):
        """A changed file becomes a draft, but never replaces a reviewed live version."""
        edited = self.publish_edit()
        self.content.article("one", **{"Intro sentence": "Another intro"})
        report = import_content(self.content.root, publish=True)
        self.assertEqual(report.created, ["one v3"])
        self.assertEqual(report.held, ["one v3"])
        self.assertEqual(report.published, [])
        self.assertEqual(Article.objects.get(pk=self.article.pk).live_revision, edited)
        self.assertEqual(Revision.objects.get(article=self.article, number=3).status, "draft")


class ImportInProductionTests(TestCase):
    """With DEBUG off the import never publishes unreviewed text unless told so loudly."""

    def test_publish_is_refused_and_says_what_to_do(self):
        """--publish stops before touching the database and names the review path instead."""
        with self.assertRaises(CommandError) as raised:
            call_command("import_content", str(REPO_CONTENT), "--publish")
        message = str(raised.exception)
        self.assertIn("for local development (DJANGO_DEBUG=1)", message)
        self.assertIn("python manage.py import_content)", message)
        self.assertIn("--publish-unreviewed-i-understand", message)
        self.assertFalse(Article.objects.exists())

    def test_drafts_import_and_wait_for_review(self):
        """Without --publish everything is imported as drafts and nothing is public."""
        from io import StringIO

        out = StringIO()
        call_command("import_content", str(REPO_CONTENT), stdout=out)
        self.assertTrue(Article.objects.exists())
        self.assertFalse(Article.objects.published().exists())
        self.assertIn("The new revision(s) are drafts", out.getvalue())

    def test_loud_flag_publishes_pages_labelled_unreviewed(self):
        """--publish-unreviewed-i-understand publishes; each page says it was not reviewed."""
        from io import StringIO

        out = StringIO()
        call_command(
            "import_content", str(REPO_CONTENT), "--publish-unreviewed-i-understand", stdout=out
        )
        self.assertIn("WITHOUT review", out.getvalue())
        response = self.client.get("/articles/what-kratom-is/")
        self.assertContains(response, "has not been reviewed by a named reviewer")
