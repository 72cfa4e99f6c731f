"""Shared blocks: the one emergency-steps text every emergency section carries."""

import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, TestCase

from kratom_info.articles.blocks import (
    EMERGENCY_STEPS,
    collapse_blocks,
    expand_blocks,
    load_blocks,
    site_blocks,
)
from kratom_info.articles.content_checks import ArticleText, check_content, check_text
from kratom_info.articles.exporting import export_content
from kratom_info.articles.importing import import_content
from kratom_info.articles.models import Article
from kratom_info.citations.importing import ContentError

from .content_folders import REPO_CONTENT, content_folder

STEPS = "Call 911 and give naloxone right away [@good2020].\n\n- Stay with them.\n"
STEPS_ES = "Llame al 911 y dele naloxona de inmediato [@good2020].\n\n- Quédese con la persona.\n"
FRONT = """\
---
slug: a
title: Title
summary: A summary.
key_points:
  - One point.
  - Two point.
  - Three point.
---
"""
SPANISH_FRONT = FRONT.replace("slug: a\n", "slug: a\nlanguage: es\ntranslates: 1\n")
BODY = (
    "The cat sat [@good2020].\n\n## In an emergency\n\n"
    "If it is bad, call emergency services.\n\n{{ emergency-steps }}\n"
)
BODY_ES = (
    "El gato se sentó [@good2020].\n\n## En una emergencia\n\n"
    "Si hay una convulsión, llame a los servicios de emergencia.\n\n{{ emergency-steps }}\n"
)


def make_root(test: SimpleTestCase) -> Path:
    """A content folder with the shared block and one article using it, in both languages."""
    root = content_folder(test)
    (root / "blocks").mkdir()
    (root / "es" / "blocks").mkdir()
    (root / "blocks" / "emergency-steps.md").write_text(STEPS)
    (root / "es" / "blocks" / "emergency-steps.md").write_text(STEPS_ES)
    (root / "articles" / "a.md").write_text(FRONT + BODY)
    (root / "es" / "articles" / "a.md").write_text(SPANISH_FRONT + BODY_ES)
    return root


class ExpandCollapseTests(SimpleTestCase):
    def setUp(self):
        self.root = make_root(self)
        self.blocks = load_blocks(self.root)

    def test_block_line_is_replaced_by_the_block_text(self):
        """'{{ emergency-steps }}' on a line of its own becomes the block's Markdown."""
        expanded = expand_blocks(BODY, self.blocks)
        self.assertNotIn("{{", expanded)
        self.assertIn("If it is bad, call emergency services.\n\n" + STEPS.strip() + "\n", expanded)

    def test_collapse_undoes_expand_and_leaves_changed_text(self):
        """Export writes the block line back; a copy changed by one word stays as written."""
        expanded = expand_blocks(BODY, self.blocks)
        self.assertEqual(collapse_blocks(expanded, self.blocks), BODY)
        drifted = expanded.replace("Stay with them.", "Stay close.")
        self.assertEqual(collapse_blocks(drifted, self.blocks), drifted)

    def test_unknown_block_is_an_error_naming_its_line(self):
        """A block that does not exist is refused at the file's line."""
        with self.assertRaisesMessage(ContentError, "x.md:5: unknown block 'steps'"):
            expand_blocks("A.\n\nB.\n\n{{ steps }}\n", self.blocks, path=Path("x.md"))

    def test_blocks_cannot_hold_headings_or_other_blocks_or_be_empty(self):
        """A block sits inside an article's section, so it holds neither a heading nor a
        block line; an empty block is refused."""
        for text, message in (
            ("## Steps\n\nCall 911.\n", "a block cannot hold a heading"),
            ("Call 911.\n\n{{ other }}\n", "a block cannot use another block"),
            ("\n\n", "the block is empty"),
        ):
            with self.subTest(message=message):
                (self.root / "blocks" / "emergency-steps.md").write_text(text)
                with self.assertRaisesMessage(ContentError, message):
                    load_blocks(self.root)


class EmergencyBlockRuleTests(SimpleTestCase):
    def setUp(self):
        self.root = make_root(self)

    def problems(self) -> list[str]:
        return [str(p) for p in check_content(self.root).problems]

    def test_files_with_the_block_in_each_emergency_section_pass(self):
        """English and Spanish files that carry the shared block pass."""
        self.assertEqual(self.problems(), [])

    def test_emergency_section_without_the_block_is_reported(self):
        """A section that sends readers to 911 without the shared block is reported at its
        first emergency line, even when it names naloxone itself."""
        (self.root / "articles" / "a.md").write_text(
            FRONT + "Text [@good2020].\n\n## Help\n\nCall 911 and give naloxone [@good2020].\n"
        )
        problems = self.problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("a.md:14: emergency section without the shared emergency steps", problems[0])
        self.assertIn("'{{ emergency-steps }}'", problems[0])

    def test_missing_spanish_block_or_different_citations_or_numbers(self):
        """Each English block has a Spanish version with the same markers and numbers."""
        spanish = self.root / "es" / "blocks" / "emergency-steps.md"
        spanish.write_text(STEPS_ES.replace("911", "112"))
        self.assertTrue(any("numbers differ from the English block" in p for p in self.problems()))
        spanish.write_text(STEPS_ES.replace(" [@good2020]", ""))
        self.assertTrue(
            any("citations differ from the English block" in p for p in self.problems())
        )
        spanish.unlink()
        self.assertTrue(
            any("block 'emergency-steps' has no Spanish version" in p for p in self.problems())
        )

    def test_block_is_checked_like_an_article_body(self):
        """A block's own text passes the article rules: an uncited number is reported in it."""
        (self.root / "blocks" / "emergency-steps.md").write_text(STEPS + "\nWait 5 minutes.\n")
        self.assertTrue(
            any(
                "emergency-steps.md:5: states a number without a citation" in p
                for p in self.problems()
            )
        )

    def test_revision_must_carry_the_exact_text_not_the_block_line(self):
        """In a revision (written in the admin) the block's exact text satisfies the rule; a
        changed copy does not, and a block line is refused because it would be shown as typed."""
        blocks = load_blocks(self.root)

        def problems(body: str) -> list[str]:
            text = ArticleText(
                title="T",
                summary="S.",
                main_message="",
                key_points=("a", "b", "c"),
                body=body,
                known_keys=frozenset({"good2020"}),
                blocks=blocks,
                expands_blocks=False,
            )
            return [str(p) for p in check_text(text)]

        self.assertEqual(problems(expand_blocks(BODY, blocks)), [])
        drifted = expand_blocks(BODY, blocks).replace("Stay with them.", "Stay close.")
        self.assertTrue(any("without the shared emergency steps" in p for p in problems(drifted)))
        self.assertTrue(any("works only in content/ files" in p for p in problems(BODY)))


class ImportExportBlockTests(TestCase):
    def setUp(self):
        self.root = make_root(self)

    def test_import_writes_the_block_out_and_export_writes_the_line_back(self):
        """A revision holds every word readers see; the exported file is the file again,
        and the export carries the block files it uses."""
        import_content(self.root, publish=True)
        revision = Article.objects.get(slug="a", language="en").live_revision
        self.assertIn("Stay with them.", revision.body)
        self.assertNotIn("{{", revision.body)
        spanish = Article.objects.get(slug="a", language="es").live_revision
        self.assertIn("Quédese con la persona.", spanish.body)
        out = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, out)
        (out / "blocks").mkdir()
        (out / "blocks" / "emergency-steps.md").write_text(STEPS)
        (out / "es" / "blocks").mkdir(parents=True)
        (out / "es" / "blocks" / "emergency-steps.md").write_text(STEPS_ES)
        export_content(out)
        self.assertEqual(
            (out / "articles" / "a.md").read_text(),
            FRONT.replace(
                "  - Three point.\n", "  - Three point.\nchange_note: Imported from content/.\n"
            ).replace("summary: A summary.\n", "summary: A summary.\norder: 100\n")
            + BODY,
        )
        self.assertIn("{{ emergency-steps }}", (out / "es" / "articles" / "a.md").read_text())

    def test_unknown_block_stops_the_import(self):
        """A file naming a block that does not exist imports nothing."""
        (self.root / "articles" / "a.md").write_text(FRONT + "Text [@good2020].\n\n{{ nope }}\n")
        with self.assertRaisesMessage(ContentError, "unknown block 'nope'"):
            import_content(self.root)
        self.assertFalse(Article.objects.exists())


class SiteEmergencyBlockTests(SimpleTestCase):
    def test_site_block_gives_the_complete_steps_in_both_languages(self):
        """The bundled block says to call 911 and give naloxone at once, and covers rescue
        breaths, naloxone wearing off, sudden withdrawal, seizures and Good Samaritan laws;
        the Spanish block cites the same sources in the same order."""
        english = site_blocks("en")[EMERGENCY_STEPS].text
        for phrase in (
            "call 911 and give naloxone (Narcan) right away",
            "rescue breaths",
            "wear off before the opioid",
            "withdrawal",
            "A seizure",
            "Do not hold the person down",
            "Good Samaritan laws",
            "differs from state to state",
        ):
            with self.subTest(phrase=phrase):
                self.assertIn(phrase, english)
        spanish = site_blocks("es")[EMERGENCY_STEPS].text
        self.assertIn("llame al 911 y dele naloxona (Narcan) de inmediato", spanish)
        self.assertIn("Buen Samaritano", spanish)
        self.assertEqual(check_content(REPO_CONTENT).problems, [])

    def test_every_site_article_emergency_section_uses_the_block_line(self):
        """Each article that sends readers to 911 asks for the shared block (no copies)."""
        for path in sorted((REPO_CONTENT / "articles").glob("*.md")) + sorted(
            (REPO_CONTENT / "es" / "articles").glob("*.md")
        ):
            text = path.read_text()
            if "911" in text.split("---", 2)[2]:
                with self.subTest(path=path.name):
                    self.assertIn("{{ emergency-steps }}", text)
                    self.assertNotIn("then call 911 anyway", text)
                    self.assertNotIn("luego llame al 911 de todos modos", text)
