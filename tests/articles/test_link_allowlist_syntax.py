"""No way of writing a link gets a shop past the link allowlist: the rule reads the links the
renderer makes, not only the ones its patterns know, and its patterns take linear time."""

import time

from django.test import SimpleTestCase

from kratom_info.articles.content_checks import ArticleText, link_targets, links_outside_allowlist
from kratom_info.articles.content_rules import plain_words
from kratom_info.articles.rendering import render_markdown

SHOP = "https://vendor.example.com"


def text(body: str) -> ArticleText:
    return ArticleText(
        title="Dose", summary="A short summary.", main_message="",
        key_points=("One.", "Two.", "Three."), body=body, known_keys=frozenset(),
    )  # fmt: skip


class LinkAllowlistSyntaxTests(SimpleTestCase):
    def test_every_link_syntax_the_renderer_knows_is_checked(self):
        """Brackets inside the link text, a single-quoted title: each renders as a link to the
        shop, and each is reported at its line."""
        for body in (f"Read [the [NIDA] page]({SHOP}).\n", f"Read [a]({SHOP} 'title').\n"):
            with self.subTest(body=body):
                self.assertIn(SHOP, render_markdown(body, {}).body_html)
                problems = [str(problem) for problem in links_outside_allowlist(text(body))]
                self.assertTrue(problems, body)
                self.assertTrue(all(SHOP in problem for problem in problems), problems)
                self.assertTrue(problems[0].startswith("Line "), problems)

    def test_an_address_urllib_cannot_split_is_a_problem_not_a_crash(self):
        """'http://x.gov[' (an unclosed IPv6 bracket, found by the fuzz test) is reported as
        a link outside the allowlist instead of raising."""
        problems = links_outside_allowlist(text("See http://x.gov[ now.\n"))
        self.assertTrue(problems)
        self.assertIn("http://x.gov[", str(problems[0]))

    def test_allowed_links_in_nested_brackets_pass(self):
        """An allowed link whose text holds brackets is not reported."""
        body = "Read [the [NIDA] page](https://nida.nih.gov/research).\n"
        self.assertEqual(links_outside_allowlist(text(body)), [])

    def test_link_patterns_take_linear_time(self):
        """95,000 characters of brackets without a closing one (20 s of pattern matching
        before, one long line) take well under a second."""
        for body in ("\\[" * 47_500, "[a " * 31_000):
            started = time.process_time()
            link_targets(body)
            plain_words(body)  # the wording rules strip links line by line
            self.assertLess(time.process_time() - started, 1, body[:10])
