from django.test import TestCase

from kratom_info.articles.diff import readable_text, reader_revision_diff
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
