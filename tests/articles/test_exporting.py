import filecmp
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from kratom_info.articles.exporting import export_content
from kratom_info.articles.importing import import_content
from kratom_info.articles.models import Article, Revision
from kratom_info.citations.models import Source
from tests.factories import make_article, make_editor, make_reviewed_live, make_source

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"


def _copy_content(destination: Path) -> Path:
    shutil.copytree(REPO_CONTENT, destination)
    return destination


class ExportRoundTripTests(TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_import_then_export_of_bundled_content_is_byte_identical(self):
        """Exporting what was just imported from content/ rewrites no byte of any file."""
        import_content(REPO_CONTENT, publish=True)
        exported = _copy_content(self.tmp / "content")
        # Start from an empty folder too, so the comparison does not rely on skipped writes.
        fresh = self.tmp / "fresh"
        report = export_content(fresh)
        self.assertEqual(report.unchanged, [])
        names = sorted(p.name for p in (REPO_CONTENT / "articles").glob("*.md"))
        self.assertEqual(sorted(p.name for p in (fresh / "articles").glob("*.md")), names)
        for name in names:
            with self.subTest(article=name):
                self.assertTrue(
                    filecmp.cmp(REPO_CONTENT / "articles" / name, fresh / "articles" / name, False)
                )
        self.assertTrue(filecmp.cmp(REPO_CONTENT / "sources.yaml", fresh / "sources.yaml", False))
        spanish = sorted(p.name for p in (REPO_CONTENT / "es" / "articles").glob("*.md"))
        self.assertTrue(spanish)
        self.assertEqual(sorted(p.name for p in (fresh / "es" / "articles").glob("*.md")), spanish)
        for name in spanish:
            with self.subTest(translation=name):
                self.assertTrue(
                    filecmp.cmp(
                        REPO_CONTENT / "es" / "articles" / name,
                        fresh / "es" / "articles" / name,
                        False,
                    )
                )
        again = export_content(exported)
        self.assertEqual(again.written, [])

    def test_spanish_source_texts_are_imported_and_exported(self):
        """The Spanish evidence type and note travel with the bibliography, each next to its
        English text, and a fresh import gives Spanish reference lists the Spanish note."""
        import_content(REPO_CONTENT, publish=True)
        source = Source.objects.get(key="henningfield2018")
        self.assertTrue(source.public_note_es.startswith("Posible conflicto de intereses"))
        self.assertEqual(source.evidence_type_es, "revisión narrativa y análisis regulatorio de "
                         "8 factores sobre el potencial de abuso")  # fmt: skip
        missing = Source.objects.exclude(evidence_type="").filter(evidence_type_es="")
        self.assertEqual(list(missing), [])
        self.assertEqual(list(Source.objects.exclude(public_note="").filter(public_note_es="")), [])
        export_content(self.tmp)
        text = (self.tmp / "sources.yaml").read_text(encoding="utf-8")
        self.assertIn(
            "  public_note: 'Possible conflict of interest: the authors worked for "
            "PinneyAssociates, and a kratom website says\n",
            text,
        )
        self.assertIn("  public_note_es: 'Posible conflicto de intereses:", text)
        spanish = Article.objects.get(slug="about", language="es").live_revision
        english = Article.objects.get(slug="about", language="en").live_revision
        for revision, note in ((spanish, source.public_note_es), (english, source.public_note)):
            with self.subTest(language=revision.article.language):
                self.assertIn("henningfield2018", revision.body)
                self.assertIn(f'<span class="source-note">{note}</span>', revision.references_html)

    def test_export_after_reviewed_edit_then_import_creates_nothing(self):
        """A version published through review, exported and imported again, is 'unchanged'."""
        import_content(REPO_CONTENT, publish=True)
        article = Article.objects.get(slug="tolerance", language="en")
        make_source("k1")
        author, reviewer, publisher = (
            make_editor("author", "Author"),
            make_editor("reviewer", "Reviewer"),
            make_editor("publisher", "Publisher"),
        )
        body = article.live_revision.body + "\nA sentence added through review [@k1].\n"
        live = make_reviewed_live(
            article, body, author=author, reviewer=reviewer, publisher=publisher
        )
        content = _copy_content(self.tmp / "content")
        report = export_content(content)
        written = [Path(name).name for name in report.written]
        self.assertIn("tolerance.md", written)
        self.assertIn("sources.yaml", written)  # k1 joined the bibliography
        exported_text = (content / "articles" / "tolerance.md").read_text()
        self.assertIn("A sentence added through review", exported_text)
        revisions_before = Revision.objects.count()
        again = import_content(content, publish=True)
        self.assertEqual(again.created, [])
        self.assertEqual(again.sources.created + again.sources.updated, [])
        self.assertEqual(Revision.objects.count(), revisions_before)
        article.refresh_from_db()
        self.assertEqual(article.live_revision_id, live.pk)

    def test_export_writes_new_article_as_slug_file_and_leaves_unknown_files(self):
        """An article with no file gets <slug>.md; a file the database does not know stays."""
        content = self.tmp / "content"
        (content / "articles").mkdir(parents=True)
        stray = content / "articles" / "notes.md"
        stray.write_text("not an article")
        make_source("k1")
        author, reviewer, publisher = (
            make_editor("a", "Author"),
            make_editor("r", "Reviewer"),
            make_editor("p", "Publisher"),
        )
        make_reviewed_live(
            make_article("new-article", title="A new article"),
            "New text [@k1].\n",
            author=author,
            reviewer=reviewer,
            publisher=publisher,
        )
        export_content(content)
        slug = Article.objects.get().slug
        self.assertTrue((content / "articles" / f"{slug}.md").is_file())
        self.assertEqual(stray.read_text(), "not an article")

    def test_command_reports_written_and_unchanged(self):
        """export_content prints how many files it wrote and left alone."""
        import io

        import_content(REPO_CONTENT, publish=True)
        content = _copy_content(self.tmp / "content")
        out = io.StringIO()
        call_command("export_content", str(content), stdout=out)
        self.assertIn("0 file(s) written", out.getvalue())
