"""Markdown the renderer refuses before Python-Markdown sees it: more than the size cap, or
nesting no article needs (which made Python-Markdown take quadratic time or overflow the
stack). Each is refused quickly with a message naming the problem, everywhere text arrives:
the renderer, the preview, the edit screen and the submission checks."""

import time

from django.test import SimpleTestCase

from kratom_info.articles.content_checks import ArticleText, check_text
from kratom_info.articles.rendering import (
    MAX_MARKDOWN_CHARS,
    UnrenderableMarkdown,
    markdown_problem,
    render_markdown,
)
from kratom_info.editorial.models import AuditEvent
from tests.editorial.base import EditorialTestCase
from tests.editorial.test_admin import edit_url

QUADRATIC_20K = "[" * 13_334 + "x" + "](" * 3_333  # 20 KB: 3 s to preview, 32 s to save before
QUADRATIC_40K = "[" * 26_668 + "x" + "](" * 6_666
OPEN_LINKS = "[a](" * 5_000  # the same stall through unclosed link targets
DEEP_EMPHASIS = "*" * 20_000 + "a" + "*" * 20_000  # RecursionError before
NESTED_STRONG = "**a " * 5_000 + "b" + " c**" * 5_000  # RecursionError before, without long runs
REFUSE_WITHIN = 1.0  # seconds: a linear scan of at most the cap


def article_text(body: str) -> ArticleText:
    return ArticleText(
        title="Dose",
        summary="A short summary.",
        main_message="",
        key_points=("One.", "Two.", "Three."),
        body=body,
        known_keys=frozenset({"k1"}),
        language="en",
    )


class MarkdownLimitTests(SimpleTestCase):
    def assert_refused(self, text: str, *words: str):
        started = time.perf_counter()
        with self.assertRaises(UnrenderableMarkdown) as refused:
            render_markdown(text, {})
        self.assertLess(time.perf_counter() - started, REFUSE_WITHIN)
        for word in words:
            self.assertIn(word, str(refused.exception))
        return str(refused.exception)

    def test_nested_brackets_are_refused_quickly(self):
        """The reported stall, at 20 and 40 KB: refused naming the brackets and the line."""
        for text in (QUADRATIC_20K, QUADRATIC_40K):
            self.assert_refused(text, "brackets", "line 1", "nested")

    def test_unclosed_link_targets_are_refused_quickly(self):
        """'[a](' repeated: parentheses left open, refused naming them."""
        self.assert_refused(OPEN_LINKS, "parentheses", "line 1")

    def test_deep_emphasis_is_refused_not_a_recursion_error(self):
        """A run of 20,000 asterisks is refused naming the run, not a RecursionError."""
        self.assert_refused(DEEP_EMPHASIS, "20,000", "asterisks", "line 1")
        self.assert_refused("_" * 20_000 + "a" + "_" * 20_000, "_")

    def test_nested_strong_emphasis_is_refused(self):
        """Emphasis opened 5,000 times inside itself is refused as nested too deeply."""
        self.assert_refused(NESTED_STRONG, "emphasis", "nested")

    def test_text_over_the_size_cap_is_refused_naming_the_cap(self):
        """Over 100,000 characters: refused with both sizes; at the cap it renders."""
        sentence = "Kratom is a plant from Southeast Asia.\n\n"
        at_cap = (sentence * (MAX_MARKDOWN_CHARS // len(sentence) + 1))[:MAX_MARKDOWN_CHARS]
        self.assertIn("<p>Kratom is a plant", render_markdown(at_cap, {}).body_html)
        message = self.assert_refused(at_cap + "x", "100,000", "100,001")
        self.assertIn("split", message)

    def test_ordinary_nesting_and_rules_render(self):
        """What articles do use still renders: links in brackets, bold in italics, rules, and
        blanks of underscores on a handout."""
        text = (
            "See [the [NIDA] page](https://nida.nih.gov) (and (rarely) more).\n\n"
            "***Bold italic*** and *it **bold** it*.\n\n* * *\n\n*****\n\nName: ________\n"
        )
        self.assertIsNone(markdown_problem(text))
        render_markdown(text, {})

    def test_escaped_brackets_are_not_nesting(self):
        """Escaped brackets are literal text, not nesting."""
        self.assertIsNone(markdown_problem("\\[" * 400))

    def test_paragraph_with_thousands_of_marks_is_refused_quickly(self):
        """47,500 escaped brackets in one paragraph (4 s of Python-Markdown before) are
        refused naming the paragraph; the same marks spread over paragraphs render."""
        self.assert_refused("\\[" * 47_500, "line 1", "1,000 Markdown marks", "paragraph")
        render_markdown("\n\n".join(["\\[" * 100] * 200), {})

    def test_submission_checks_report_it_alone_and_quickly(self):
        """The submission checks name the problem as their only one, within the same bound."""
        for body in (QUADRATIC_40K, DEEP_EMPHASIS, NESTED_STRONG):
            started = time.perf_counter()
            problems = [str(problem) for problem in check_text(article_text(body))]
            self.assertLess(time.perf_counter() - started, REFUSE_WITHIN)
            self.assertEqual(len(problems), 1, problems)
            self.assertIn(markdown_problem(body).lower(), problems[0].lower())


class EditorLimitTests(EditorialTestCase):
    def form_data(self, body):
        return {
            "based_on": 0,
            "title": "Dose",
            "summary": "Summary.",
            "main_message": "",
            "key_points": "One.\nTwo.\nThree.",
            "body": body,
            "change_note": "Clarified.",
        }

    def test_edit_screen_names_the_problem_and_saves_nothing(self):
        """Saving such a body shows a form error naming it; no revision, no audit event."""
        self.client.force_login(self.author)
        for body, words in ((QUADRATIC_40K, "brackets"), (DEEP_EMPHASIS, "asterisks"),
                            (NESTED_STRONG, "emphasis"), ("a" * 1_000_000, "100,000")):  # fmt: skip
            with self.subTest(words=words):
                started = time.perf_counter()
                response = self.client.post(edit_url(self.article), self.form_data(body))
                self.assertLess(time.perf_counter() - started, 5)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, words)
                self.assertContains(response, "errorlist")
        self.assertFalse(self.article.revisions.exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_preview_names_the_problem(self):
        """The preview shows the same message instead of stalling or failing."""
        self.client.force_login(self.author)
        for body, words in ((QUADRATIC_40K, "brackets"), (DEEP_EMPHASIS, "asterisks"),
                            ("a" * 200_001, "100,000")):  # fmt: skip
            with self.subTest(words=words):
                started = time.perf_counter()
                response = self.client.post("/editorial/markdownx/markdownify/", {"content": body})
                self.assertLess(time.perf_counter() - started, 5)
                self.assertContains(response, words)
                self.assertContains(response, 'role="alert"')
