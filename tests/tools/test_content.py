from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

from kratom_info.articles.content_checks import check_content
from kratom_info.citations.importing import ContentError
from kratom_info.tools.content import load_check, load_sheet
from tests.articles.content_folders import content_folder
from tests.tools.helpers import CONTENT

ARTICLE = """\
---
slug: tolerance
title: Tolerance
summary: A summary.
key_points:
  - One point.
  - Two point.
  - Three point.
---
Tolerance means the same amount does less [@good2020].
"""

CHECK = """\
intro: These questions ask about the past year [@good2020].
privacy: Nothing you answer is kept.
disclaimer: This is not a diagnosis.
groups:
  dsm5: Signs
questions:
  - id: tolerance
    group: dsm5
    text: Do you need more to get the same effect?
    note: Tolerance is common [@good2020].
    articles: [tolerance]
  - id: daily
    group: dsm5
    text: Do you take it every day?
bands:
  - min: 0
    max: 0
    title: No signs
    text: You said no to all of them.
  - min: 1
    title: Some signs
    text: Talk to a clinician.
default_articles: [tolerance]
care_levels:
  - title: On your own
    text: Keep a sheet.
"""

SHEET = """\
article: tolerance
title: My week
intro: A sheet for a week.
how_to_use:
  - Write a line each time.
noticed_prompt: Did the amount go up?
clinician_questions:
  - Is this something to worry about?
"""


class ToolsContentTests(SimpleTestCase):
    def setUp(self):
        self.root = content_folder(self)
        (self.root / "tools").mkdir()
        (self.root / "articles" / "tolerance.md").write_text(ARTICLE)
        self.write(CHECK, SHEET)

    def write(self, check: str | None = None, sheet: str | None = None) -> None:
        if check is not None:
            (self.root / "tools" / "check.yaml").write_text(check)
        if sheet is not None:
            (self.root / "tools" / "tracking-sheet.yaml").write_text(sheet)

    def problems(self) -> list[str]:
        return [str(problem) for problem in check_content(self.root).problems]

    def assertProblem(self, fragment: str) -> None:  # noqa: N802
        problems = self.problems()
        self.assertTrue(any(fragment in p for p in problems), (fragment, problems))

    def test_valid_files_pass(self):
        """A well-formed, cited pair of tools files gives no problem."""
        self.assertEqual(self.problems(), [])

    def test_site_files_pass_and_read_easily(self):
        """The site's own tools files pass every check (grade included)."""
        self.assertEqual([str(p) for p in check_content(CONTENT).problems], [])
        check = load_check(CONTENT / "tools" / "check.yaml")
        groups = {question.group for question in check.questions}
        self.assertEqual(groups, {"dsm5", "other"})
        ids = {question.id for question in check.questions}
        # The brief's signs are all asked about.
        self.assertLessEqual({"tolerance", "daily", "numb", "withdrawal", "cope"}, ids)
        self.assertIn("not a diagnosis", check.disclaimer)
        load_sheet(CONTENT / "tools" / "tracking-sheet.yaml")

    def test_unknown_citation_key(self):
        """A note citing a key missing from sources.yaml is named with its label."""
        self.write(CHECK.replace("Tolerance is common [@good2020]", "Common [@nobody2001]"))
        self.assertProblem("note of question 'tolerance': unknown citation key 'nobody2001'")

    def test_uncited_number_in_a_band(self):
        """A band text stating a number must cite a source, as in articles."""
        self.write(CHECK.replace("Talk to a clinician.", "Most people (60%) get better."))
        self.assertProblem("band 'Some signs' states a number without a citation")

    def test_emergency_level_of_care_names_naloxone(self):
        """A level of care that sends readers to 911 also says to give naloxone."""
        self.write(CHECK.replace("Keep a sheet.", "Call 911 if someone will not wake [@good2020]."))
        self.assertProblem("level of care 'On your own': emergency steps without naloxone")
        self.write(
            CHECK.replace(
                "Keep a sheet.",
                "Call 911 and give naloxone (Narcan) right away if you have it [@good2020].",
            )
        )
        self.assertEqual(self.problems(), [])

    def test_level_of_care_calls_911_and_gives_naloxone_at_once(self):
        """A level of care may not make the call wait for naloxone (issue 23)."""
        self.write(
            CHECK.replace(
                "Keep a sheet.",
                "Give naloxone (Narcan) if you have it, then call 911 anyway [@good2020].",
            )
        )
        self.assertProblem("level of care 'On your own': naloxone first, call later")

    def test_level_of_care_does_not_trust_a_7oh_label(self):
        """Tool texts follow the 7-OH label rule too."""
        self.write(CHECK.replace("Keep a sheet.", "Avoid products that list 7-OH [@good2020]."))
        self.assertProblem("level of care 'On your own': relies on a 7-OH label")

    def test_self_harm_text_gives_the_crisis_line_there(self):
        """A text about thoughts of self-harm prints 988 in the same paragraph."""
        self.write(CHECK.replace("Keep a sheet.", "If you think of harming yourself, get help."))
        self.assertProblem(
            "level of care 'On your own': mentions self-harm without the crisis line"
        )
        self.write(
            CHECK.replace(
                "Keep a sheet.", "If you think of harming yourself, call or text 988 [@good2020]."
            )
        )
        self.assertEqual(self.problems(), [])

    def test_plain_texts_cannot_cite_or_state_numbers(self):
        """Questions are shown as written: no citations and no numbers in them."""
        self.write(
            CHECK.replace("Do you take it every day?", "Do you take it 3 times a day?").replace(
                "Do you need more to get the same effect?", "Do you need more [@good2020]?"
            )
        )
        self.assertProblem("question 'daily' states a number, which it cannot cite")
        self.assertProblem("question 'tolerance' cannot carry citations")

    def test_sheet_text_number(self):
        """The printed sheet's lines follow the same rule."""
        self.write(sheet=SHEET.replace("Write a line each time.", "Write 2 lines a day."))
        self.assertProblem("how_to_use states a number, which it cannot cite")

    def test_links_outside_allowlist(self):
        """A level of care may not link to a commercial site."""
        self.write(CHECK.replace("Keep a sheet.", "See [rehab](https://rehab.example.com)."))
        self.assertProblem("outside the allowed non-commercial domains")

    def test_unknown_article_slugs(self):
        """Questions, bands, defaults and the sheet may only name existing articles."""
        self.write(
            CHECK.replace("articles: [tolerance]", "articles: [no-such-article]"),
            SHEET.replace("article: tolerance", "article: missing-article"),
        )
        self.assertProblem("question 'tolerance': no article 'no-such-article'")
        self.assertProblem("article: no article 'missing-article'")

    def test_reading_grade(self):
        """Long words and sentences push the grade above 8 and are reported."""
        hard = (
            "Pharmacological characterisation of the multidimensional neuropsychiatric "
            "consequences necessitates comprehensive interdisciplinary consideration of "
            "physiological dependence, tolerance development and withdrawal phenomenology "
            "experienced by individuals consuming concentrated alkaloid preparations."
        )
        self.write(CHECK.replace("Talk to a clinician.", hard))
        self.assertProblem("reading grade")

    def test_bands_must_cover_every_count(self):
        """A gap between bands, or bands that stop short, is an error naming the line."""
        self.write(CHECK.replace("  - min: 1\n", "  - min: 2\n"))
        self.assertProblem("band starts at 2; expected 1 (no gaps)")
        self.write(CHECK.replace("  - min: 1\n", "  - min: 1\n    max: 1\n"))
        self.assertProblem("bands stop at 1 but there are 2 questions")

    def test_shape_errors_name_the_line(self):
        """A duplicate id or unknown group stops loading with the file and line."""
        duplicate = CHECK.replace("id: daily", "id: tolerance")
        (self.root / "tools" / "check.yaml").write_text(duplicate)
        with self.assertRaisesMessage(ContentError, "check.yaml:12: duplicate question id"):
            load_check(self.root / "tools" / "check.yaml")
        self.write(CHECK.replace("group: dsm5\n    text: Do you take", "group: x\n    text: Do"))
        self.assertProblem("group 'x' is not one of 'groups'")
        self.write(CHECK + "surprise: 1\n")
        self.assertProblem("unknown field(s) in the file: surprise")

    def test_missing_file_is_reported(self):
        """content/tools/ without the sheet's file is a problem, not a crash."""
        (self.root / "tools" / "tracking-sheet.yaml").unlink()
        self.assertProblem("tracking-sheet.yaml: cannot read file")

    def test_command_fails_on_tools_problems(self):
        """manage.py check_content fails on a problem in the tools files."""
        self.write(CHECK.replace("Talk to a clinician.", "Most people (60%) get better."))
        with self.assertRaisesMessage(CommandError, "states a number without a citation"):
            call_command("check_content", str(self.root), stdout=StringIO())
