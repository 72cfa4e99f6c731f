from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

from kratom_info.articles.content_checks import (
    check_content,
    is_allowed_link,
    prose,
)

from .content_folders import ONE_SOURCE, REPO_CONTENT, content_folder

ALL_ARTICLES = {
    "what-kratom-is",
    "dose-ranges-and-effects",
    "tolerance",
    "dependence-and-withdrawal",
    "mood-anxiety-and-depression",
    "sleep-and-thinking",
    "risks-and-interactions",
    "mixing-with-other-drugs",
    "alternatives-and-support",
    "tracking-your-use",
    "about",
    "kratom-at-a-glance",
}


FRONT = """\
---
slug: {slug}
title: Title
summary: A summary.
key_points:
  - One point.
  - Two point.
  - Three point.
---
"""


class ContentCheckTests(SimpleTestCase):
    def setUp(self):
        self.root = content_folder(self)

    def write(self, body: str, slug: str = "a", front: str = FRONT) -> None:
        (self.root / "articles" / f"{slug}.md").write_text(front.format(slug=slug) + body)

    def problems(self) -> list[str]:
        return [str(p) for p in check_content(self.root).problems]

    def test_clean_article_passes(self):
        """A short, cited, plain article has no problems."""
        self.write("The cat sat on the mat [@good2020].\n\nIt was a sunny day.\n")
        self.assertEqual(self.problems(), [])

    def test_unknown_key(self):
        """An unknown key is reported with file and line."""
        self.write("A claim [@missing].\n")
        self.assertEqual(
            self.problems(), [f"{self.root}/articles/a.md:10: unknown citation key 'missing'"]
        )

    def test_uncited_number_in_paragraph_list_item_and_table_row(self):
        """A paragraph, list item or table row with a number but no citation is reported."""
        self.write(
            "Most people take 3 grams.\n\n- About 5 doses a day.\n- Cited 7 [@good2020].\n\n"
            "| dose | effect |\n|---|---|\n| 10 g | sleepy |\n| 2 g | alert [@good2020] |\n"
        )
        problems = self.problems()
        self.assertEqual(len(problems), 3, problems)
        self.assertIn("a.md:10: states a number without a citation: 'Most people", problems[0])
        self.assertIn("a.md:12: states a number without a citation: 'About 5", problems[1])
        self.assertIn("a.md:17: states a number without a citation: '10 g", problems[2])

    def test_each_sentence_with_a_number_needs_its_own_citation(self):
        """A cited sentence does not cover an uncited number in the next sentence."""
        self.write("Kratom is a tree [@good2020]. Most people take 3 grams.\n")
        problems = self.problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("'Most people take 3 grams.'", problems[0])

    def test_source_without_identifier(self):
        """A source with none of DOI, PMID or URL is reported at its line."""
        (self.root / "sources.yaml").write_text(
            ONE_SOURCE + "- key: bare\n  kind: other\n  authors: B\n  title: Bare\n"
        )
        self.write("Fine [@good2020].\n")
        problems = self.problems()
        self.assertEqual(len(problems), 1)
        self.assertIn("sources.yaml:7", problems[0])
        self.assertIn("at least one of DOI, PMID or URL", problems[0])

    def test_source_text_without_its_spanish_version(self):
        """An English public note or evidence type without its Spanish version is reported
        with the key, the line and the missing field; the source stays citable."""
        (self.root / "sources.yaml").write_text(
            ONE_SOURCE + "- key: noted2021\n  kind: journal_article\n  authors: N\n  title: Noted\n"
            "  doi: 10.1000/noted\n  evidence_type: narrative review\n"
            "  evidence_type_es: revisión narrativa\n  public_note: Only one author listed.\n"
        )
        self.write("Fine [@good2020] and [@noted2021].\n")
        self.assertEqual(
            self.problems(),
            [f"{self.root / 'sources.yaml'}:7: source 'noted2021' has 'public_note' but no "
             "'public_note_es'"],
        )  # fmt: skip

    def test_reading_grade_above_eight(self):
        """Long sentences with long words push the grade over 8 and are reported."""
        self.write(
            "Pharmacological characterisation demonstrates considerable interindividual "
            "variability regarding physiological dependence, withdrawal symptomatology, "
            "and neuropsychological functioning among habitual consumers [@good2020].\n"
        )
        problems = self.problems()
        self.assertEqual(len(problems), 1)
        self.assertIn("reading grade", problems[0])

    def test_commercial_link(self):
        """A link outside the allowlist (for example a shop) is reported."""
        self.write(
            "Buy it [here](https://kratom-shop.example.com/buy) [@good2020].\n\n"
            "See [NIDA](https://nida.nih.gov/research-topics/kratom) and [home](/) [@good2020].\n"
        )
        problems = self.problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("kratom-shop.example.com", problems[0])

    def test_missing_summary_and_key_points(self):
        """A missing summary or too few key points is reported."""
        front = "---\nslug: {slug}\ntitle: T\nsummary: ' '\nkey_points:\n  - Only one.\n---\n"
        self.write("Text [@good2020].\n", front=front)
        problems = " ".join(self.problems())
        self.assertIn("summary", problems)

    def test_too_few_key_points(self):
        """Fewer than three key points is reported."""
        front = "---\nslug: {slug}\ntitle: T\nsummary: S.\nkey_points:\n  - Only one.\n---\n"
        self.write("Text [@good2020].\n", front=front)
        self.assertIn("needs 3 to 5 key points, has 1", " ".join(self.problems()))

    def test_number_in_key_point_or_main_message(self):
        """Numbers in the summary, main message or key points cannot be cited and are reported."""
        front = (
            "---\nslug: {slug}\ntitle: T\nsummary: S.\nmain_message: Take 2 g at most.\n"
            "key_points:\n  - One.\n  - Two.\n  - Wait 30 minutes.\n---\n"
        )
        self.write("Text [@good2020].\n", front=front)
        problems = self.problems()
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("main message states a number", problems[0])
        self.assertIn("key point states a number", problems[1])

    def test_command_fails_with_messages_and_prints_table(self):
        """check_content exits with an error listing problems, after the stats table."""
        self.write("Most people take 3 grams.\n")
        out = StringIO()
        with self.assertRaisesMessage(CommandError, "states a number without a citation"):
            call_command("check_content", str(self.root), stdout=out)
        self.assertIn("words", out.getvalue())

    def test_two_articles_in_the_same_position(self):
        """Two English articles with the same 'order' are reported; leaving it out is fine."""
        ordered = FRONT.replace("title: Title\n", "title: Title\norder: 8\n")
        self.write("The cat sat on the mat [@good2020].\n", "a", ordered)
        self.write("The dog sat on the mat [@good2020].\n", "b", ordered)
        self.write("The hen sat on the mat [@good2020].\n", "c")
        self.write("The cow sat on the mat [@good2020].\n", "d")
        problems = self.problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("b.md:2: order 8 is also the order of 'a'", problems[0])

    def test_prose_excludes_tables_headings_and_markers(self):
        """The reading grade is computed on prose only."""
        text = prose("## Heading\n\nA line [@good2020].\n\n| a | b |\n|---|---|\n| c | d |\n")
        self.assertEqual(text, "A line.")

    def test_prose_joins_wrapped_lines_and_ends_list_items(self):
        """Wrapped lines join; a list item without end punctuation counts as a sentence."""
        self.assertEqual(
            prose("First line\nsecond line.\n\n- item\n  more\n"),
            "First line second line.\nitem more.",
        )

    def test_link_allowlist(self):
        """Government and scholarly domains pass; commercial ones do not."""
        self.assertTrue(is_allowed_link("https://www.cdc.gov/x"))
        self.assertTrue(is_allowed_link("https://doi.org/10.1/x"))
        self.assertTrue(is_allowed_link("/articles/tolerance/"))
        self.assertFalse(is_allowed_link("https://evilgov.com/"))
        self.assertFalse(is_allowed_link("javascript:alert(1)"))


class BundledContentTests(SimpleTestCase):
    def test_bundled_content_passes_every_check(self):
        """The repository's content/ passes check_content, and all its articles exist."""
        out = StringIO()
        call_command("check_content", str(REPO_CONTENT), stdout=out)
        self.assertIn("Content checks passed.", out.getvalue())
        report = check_content(REPO_CONTENT)
        self.assertEqual({row.slug for row in report.stats}, ALL_ARTICLES)
        for row in report.stats:
            self.assertLessEqual(row.reading_grade, 8.0, row.slug)
            self.assertGreaterEqual(row.distinct_sources, 3, row.slug)
