"""What an article page offers a reader besides its text: help near the top on the pages a
reader in trouble lands on, breadcrumbs, the review line again at the end, related articles
and next steps; and the 404 page's search box."""

from django.test import TestCase

from kratom_info.articles.models import HELP_FIRST_SLUGS
from tests.factories import (
    make_article,
    make_editor,
    make_reviewed_live,
    make_revision,
    make_source,
)

RISKS_BODY = (
    "Mixing is risky [@k1]. See [dependence and withdrawal](/articles/dependence-and-withdrawal/)"
    " and [tolerance](/articles/tolerance/), and [tolerance again](/articles/tolerance/).\n"
)


class ArticleEndTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        cls.risks = make_article("risks-and-interactions", title="Risks")
        make_revision(cls.risks, RISKS_BODY, publish=True)
        make_revision(make_article("tolerance"), "Plain [@k1].\n", publish=True)

    def test_help_box_near_the_top_of_risk_dependence_and_mood_pages(self):
        """The risks page opens with the help lines (every number a link) before its key
        points; a page not about risk keeps them in the footer only."""
        self.assertEqual(
            HELP_FIRST_SLUGS,
            {
                "risks-and-interactions",
                "mixing-with-other-drugs",
                "dependence-and-withdrawal",
                "mood-anxiety-and-depression",
            },
        )
        html = self.client.get("/articles/risks-and-interactions/").content.decode()
        box = html.index('<section class="help-box" id="help-box"')
        self.assertLess(box, html.index('id="key-points-heading"'))
        self.assertIn('href="sms:988"', html[box : html.index("</section>", box)])
        self.assertIn('href="tel:+18004874889"', html[box : html.index("</section>", box)])
        self.assertNotContains(self.client.get("/articles/tolerance/"), 'class="help-box"')

    def test_breadcrumbs_lead_back_to_the_articles(self):
        """Live page: All articles > title; a version: All articles > title (linked) > Version N."""
        self.assertContains(
            self.client.get("/articles/tolerance/"),
            '<li><a href="/">All articles</a></li><li aria-current="page">Tolerance</li>',
        )
        self.assertContains(
            self.client.get("/articles/tolerance/v1/"),
            '<li><a href="/articles/tolerance/">Tolerance</a></li>'
            '<li aria-current="page">Version 1</li>',
        )

    def test_end_lists_related_articles_from_the_text_and_next_steps(self):
        """Related: each other article the text links to, once, in order, worded as the text
        words it; What to do next: the handout, the tools, support and the help lines."""
        response = self.client.get("/articles/risks-and-interactions/")
        self.assertContains(
            response,
            '<ul class="related"><li><a href="/articles/dependence-and-withdrawal/">Dependence '
            'and withdrawal</a></li><li><a href="/articles/tolerance/">Tolerance</a></li></ul>',
            html=False,
        )
        for href in ('href="/articles/risks-and-interactions/handout/"', 'href="/tools/check/"',
                     'href="/tools/tracking-sheet/"', 'href="#help-now"'):  # fmt: skip
            self.assertContains(response, href)
        self.assertNotContains(self.client.get("/articles/tolerance/"), 'class="related"')

    def test_the_review_line_is_repeated_at_the_end(self):
        """A reviewed page names its reviewer and next review date under the title and again at
        the end of the article, from one template."""
        reviewed = make_reviewed_live(
            make_article("reviewed"),
            author=make_editor("ana", "Author"),
            reviewer=make_editor("rita", "Reviewer", display_name="Dr Rita Reyes"),
            publisher=make_editor("pat", "Publisher"),
        )
        html = self.client.get(reviewed.article.get_absolute_url()).content.decode()
        self.assertEqual(html.count("Reviewed by Dr Rita Reyes"), 2)
        self.assertEqual(html.count('<p class="review-due">Next review due'), 2)
        self.assertGreater(
            html.rindex("Reviewed by Dr Rita Reyes"), html.index('class="article-end"')
        )


class NotFoundPageTests(TestCase):
    def test_not_found_page_offers_search(self):
        """A 404 has a search box that searches the articles in the page's language."""
        for url, action in (("/no-such-page/", "/search/"), ("/es/no-existe/", "/es/search/")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, f'action="{action}" role="search"', status_code=404)
                self.assertContains(response, 'type="search"', status_code=404)
