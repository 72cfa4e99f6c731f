"""Property-based fuzzing (Hypothesis) of the renderer and the submission checks: any Markdown
up to the size cap, built from the pieces that make Markdown parsers slow or deep (brackets,
link targets, emphasis runs, quotes, lists, code, HTML, citations) repeated up to thousands of
times, renders or is refused with a message, within a time bound, and never raises anything
else; what renders carries no script. Bounded examples and a deadline keep it quick in CI."""

from __future__ import annotations

import datetime
import time

from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kratom_info.articles.content_checks import ArticleText, check_text
from kratom_info.articles.rendering import MAX_MARKDOWN_CHARS, render_markdown
from kratom_info.citations.models import Source, SourceKind

# Per example, in CPU seconds (other work on a shared machine does not count): the renderer
# or all content rules on up to 100,000 characters take at most about 1.5 s. The stalls this
# found took 4 to 30 s and more.
TIME_BOUND = 4.0
FUZZ = settings(
    max_examples=150,
    deadline=datetime.timedelta(seconds=TIME_BOUND * 2),  # our own bound is the strict one
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PIECES = [
    "[", "]", "(", ")", "](", "[a](", "[a]", "[a][b]", "![", "!", "*", "**", "***", "_", "__",
    "`", "``", "```\n", "~~~\n", "<", ">", "> ", "<div>", "</div>", "<b>", "<!--", "-->", "&",
    "&amp;", "#", "## ", "- ", "* ", "1. ", "    ", "\t", "\n", "\n\n", "|", "| a | b |\n",
    "|---|---|\n", "[@k1]", "[@k1; @k2, p. 4]", "[@nokey]", "[@", "\\", "\\[", "http://x.gov",
    "<http://x.gov>", "word ", "Kratom is a plant. ", "5 mg ", "é", "\u200b", "---\n", "===\n",
    "<script>alert(1)</script>", "<a href='javascript:x'>", "\"", "'", "{", "}", ":",
]  # fmt: skip
piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=8))
run = st.tuples(piece, st.integers(min_value=1, max_value=3_000)).map(
    lambda pair: pair[0] * pair[1]
)
markdown_texts = st.lists(st.one_of(piece, run), max_size=24).map("".join)
SOURCES = {
    key: Source(key=key, kind=SourceKind.JOURNAL_ARTICLE, authors="Doe J, Roe R", year=2020,
                title=f"A study called {key}", container="Journal", doi=f"10.1000/{key}")
    for key in ("k1", "k2")
}  # fmt: skip


class RendererFuzzTests(SimpleTestCase):
    @FUZZ
    @given(markdown_texts)
    def test_renders_or_refuses_with_a_message_in_bounded_time(self, text):
        """Rendered (and sanitized), or refused with a ValueError that says why."""
        started = time.process_time()
        try:
            rendered = render_markdown(text, SOURCES)
        except ValueError as exc:  # unknown keys, unreadable markers, refused Markdown
            self.assertTrue(str(exc).strip())
        else:
            html = rendered.body_html + rendered.toc_html + rendered.references_html
            self.assertNotIn("<script", html.lower())
            self.assertNotIn("javascript:", html.lower())
        self.assertLess(time.process_time() - started, TIME_BOUND, len(text))

    @FUZZ
    @given(markdown_texts)
    def test_submission_checks_answer_with_problems_in_bounded_time(self, text):
        """The content rules return problems (each a message), never raise."""
        started = time.process_time()
        problems = check_text(
            ArticleText(
                title="Dose",
                summary="A short summary.",
                main_message="",
                key_points=("One.", "Two.", "Three."),
                body=text,
                known_keys=frozenset(SOURCES),
                language="en",
            )
        )
        self.assertTrue(all(str(problem).strip() for problem in problems))
        if len(text) > MAX_MARKDOWN_CHARS:
            self.assertEqual(len(problems), 1)
        self.assertLess(time.process_time() - started, TIME_BOUND, len(text))
