"""The one content rule set: what blocks submission is what fails check_content."""

import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from kratom_info.articles.content_checks import RULES, ArticleText, check_content, check_text
from kratom_info.editorial.services import SubmissionBlocked, revision_submit
from tests.editorial.base import EditorialTestCase, draft
from tests.factories import KEY_POINTS


def text(body: str, **fields) -> ArticleText:
    return ArticleText(
        title=fields.get("title", "Title"),
        summary=fields.get("summary", "A summary."),
        main_message=fields.get("main_message", ""),
        key_points=tuple(fields.get("key_points", KEY_POINTS)),
        body=body,
        known_keys=frozenset({"k1", "k2"}),
    )


# Each of these passed submission before the rule set was shared (issue 8, defect 5).
HOLES = {
    "heading": "## About 15 g a day\n\nKratom is a plant [@k1].\n",
    "table header": "| Dose 10 g | Effect |\n|---|---|\n| low | calm [@k1] |\n",
    "fenced code": "Kratom is a plant [@k1].\n\n```\ntake 30 g\n```\n",
    "comment citation": "About 1 in 5 people stop <!-- [@k1] -->.\n",
    "escaped citation": "About 1 in 5 people stop \\[@k1].\n",
    "inline code citation": "About 1 in 5 people stop `[@k1]`.\n",
    "raw HTML block": "<div>\nAbout 1 in 5 people stop [@k1].\n</div>\n",
    "shop link": "Buy it [here](https://kratom-shop.example.com/) [@k1].\n",
}


class RuleSetTests(SimpleTestCase):
    def messages(self, body, **fields) -> list[str]:
        return [str(problem) for problem in check_text(text(body, **fields))]

    def test_clean_text_passes(self):
        """A cited, plain text with its fields breaks no rule."""
        self.assertEqual(self.messages("Kratom is a plant [@k1]. It grows in Asia.\n"), [])

    def test_every_hole_is_caught(self):
        """Numbers in headings, table headers and code; citations hidden from readers; raw
        HTML; links outside the allowlist."""
        for name, body in HOLES.items():
            with self.subTest(name):
                self.assertTrue(self.messages(body), name)

    def test_number_in_title_is_caught(self):
        """The title cannot carry a citation, so it states no number."""
        self.assertEqual(
            self.messages("Kratom is a plant [@k1].\n", title="Take 5 g"),
            [
                "Title states a number, which it cannot cite: 'Take 5 g'. "
                "Put the number in the cited text instead"
            ],
        )

    def test_messages_name_the_line_and_the_kind(self):
        """Each problem says where it is and what is wrong."""
        self.assertEqual(
            self.messages(HOLES["heading"]),
            ["Line 1: heading states a number without a citation: 'About 15 g a day'"],
        )
        self.assertIn(
            "Line 1: citation marker hidden in an HTML comment",
            self.messages(HOLES["comment citation"]),
        )
        self.assertIn(
            "Line 1: escaped citation marker (\\[@...]) is shown to readers as plain text, not "
            "as a citation",
            self.messages(HOLES["escaped citation"]),
        )
        self.assertIn(
            "Line 2: citation marker [@k1] is shown to readers as plain text, not as a citation",
            self.messages(HOLES["raw HTML block"]),
        )

    def test_rules_are_plain_functions_in_one_list(self):
        """The rule set is a list of functions from text to problems, easy to extend."""
        self.assertEqual(check_text(text(HOLES["shop link"]), rules=[]), [])
        self.assertTrue(all(callable(rule) for rule in RULES))


class SameRulesForSubmitAndCheckContentTests(EditorialTestCase):
    """Submission and check_content report the same problems for the same text."""

    def check_content_messages(self, body: str) -> list[str]:
        root = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, root)
        (root / "articles").mkdir()
        (root / "sources.yaml").write_text(
            "".join(
                f"- key: {key}\n  kind: journal_article\n  authors: A\n  year: 2020\n"
                f"  title: T\n  doi: 10.1000/{key}\n"
                for key in ("k1", "k2")
            )
        )
        points = "".join(f"  - {point}\n" for point in KEY_POINTS)
        (root / "articles" / "a.md").write_text(
            f"---\nslug: a\ntitle: Title\nsummary: Summary.\nkey_points:\n{points}---\n{body}"
        )
        return [problem.message for problem in check_content(root).problems]

    def test_each_hole_blocks_submission_with_the_check_content_messages(self):
        """Every hole is refused at submission with exactly check_content's problems."""
        for name, body in HOLES.items():
            with self.subTest(name):
                revision = draft(self.article, self.author, body=body, summary="Summary.")
                with self.assertRaises(SubmissionBlocked) as caught:
                    revision_submit(revision=revision, user=self.author)
                expected = self.check_content_messages(body)
                self.assertTrue(expected)
                self.assertEqual(
                    [reason.split(": ", 1)[1] for reason in caught.exception.reasons], expected
                )
