from django.test import TestCase

from kratom_info.articles.diff import UnchangedRun, readable_text, reader_revision_diff, word_diff
from tests.factories import make_article, make_revision, make_source


class ReadableTextTests(TestCase):
    def test_markdown_becomes_reader_text_with_numbered_citations(self):
        """Headings, links, emphasis and table rules go; markers become their numbers."""
        text = readable_text(
            "## Effects\n\nSee **this** [page](https://x.gov) [@a; @b, p. 4].\n\n"
            "| A | B |\n|---|---|\n| 1 | 2 [@a] |\n\n- a point\n",
            {"a": 1, "b": 2},
        )
        self.assertEqual(
            text, "Effects\n\nSee this page [1; 2, p. 4].\n\nA · B\n1 · 2 [1]\n\n• a point\n"
        )


class ReaderDiffTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("a2020", authors="Alpha A, Beta B", year=2020)
        make_source("b2021", authors="Gamma G", year=2021)
        article = make_article("dose")
        cls.v1 = make_revision(article, "Old claim [@a2020].\n", publish=True)
        cls.v2 = make_revision(article, "New claim [@b2021]. Old claim [@a2020].\n", publish=True)

    def test_citations_numbered_as_in_newer_version_and_listed(self):
        """Numbers follow the newer version, so only the added citation shows as a change."""
        diff = reader_revision_diff(self.v1, self.v2)
        self.assertNotIn("@", diff.html)
        self.assertIn("[added: </span>New claim [1]. ", diff.html)
        self.assertIn("Old claim [2].", diff.html)
        self.assertEqual([(n, s.key) for n, s in diff.sources], [(1, "b2021"), (2, "a2020")])

    def test_public_diff_page_shows_numbers_and_source_legend(self):
        """/diff/ shows readable text, no raw markers, and names each numbered source."""
        response = self.client.get("/articles/dose/diff/1/2/")
        self.assertNotContains(response, "[@")
        self.assertContains(response, "Alpha et al., 2020")
        self.assertContains(response, '<li value="1">')


class DiffParagraphTests(TestCase):
    def test_changed_paragraphs_are_numbered_and_unchanged_runs_gathered(self):
        """Blank lines split the text; only paragraphs holding a change get a number, and
        the unchanged ones between them form runs a page can fold."""
        old = "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive."
        new = "One.\n\nTwo, changed.\n\nThree.\n\nFour.\n\nFive, changed too."
        diff = word_diff(old, new)
        self.assertEqual([p.change for p in diff.paragraphs], [0, 1, 0, 0, 2])
        self.assertEqual(diff.change_count, 2)
        blocks = diff.blocks()
        self.assertEqual(
            [
                [p.html for p in b.paragraphs] if isinstance(b, UnchangedRun) else b.change
                for b in blocks
            ],
            [["One."], 1, ["Three.", "Four."], 2],
        )
        self.assertIn("[added: </span>Two, changed.", blocks[1].html)

    def test_a_change_across_a_blank_line_stays_one_paragraph(self):
        """An inserted paragraph break sits inside one change, never splitting its tags."""
        diff = word_diff("A.\n\nB.", "A.\n\nNew.\n\nB.")
        self.assertEqual(diff.change_count, 1)
        for paragraph in diff.paragraphs:
            self.assertEqual(paragraph.html.count("<ins>"), paragraph.html.count("</ins>"))

    def test_public_diff_page_links_each_change_and_folds_the_rest(self):
        """The page lists a jump link per change, and unchanged paragraphs sit in a
        <details> that opens without JavaScript."""
        article = make_article("folds")
        make_revision(article, "Same start.\n\nOld middle.\n\nSame end.\n", publish=True)
        make_revision(article, "Same start.\n\nNew middle.\n\nSame end.\n", publish=True)
        response = self.client.get("/articles/folds/diff/1/2/")
        self.assertContains(response, '<a href="#change-1">Change 1</a>')
        self.assertContains(response, 'id="change-1"')
        self.assertNotContains(response, 'href="#change-2"')
        self.assertContains(response, '<details class="diff-unchanged">', count=2)
