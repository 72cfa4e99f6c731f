import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase

from kratom_info.articles.content_checks import check_content, smog_grade
from kratom_info.articles.content_rules import (
    crisis_line_beside_self_harm,
    crisis_line_beside_self_harm_es,
    naloxone_in_emergency_steps,
    people_first_language,
    plain_words,
    run_rules,
)


class PeopleFirstLanguageTests(SimpleTestCase):
    def test_users_as_a_noun_is_flagged_with_its_line(self):
        """'users', 'user' and 'non-users' are reported on the line they appear on."""
        body = "Intro.\n\nMost users said so.\nA regular user and non-users agreed.\n"
        problems = people_first_language(body)
        self.assertEqual([line for line, _ in problems], [3, 4, 4])
        self.assertIn("'users'", problems[0][1])
        self.assertIn("people who use kratom", problems[0][1])
        self.assertIn("'non-users'", problems[2][1])

    def test_line_offset_is_added(self):
        """The caller's offset turns body lines into file lines."""
        self.assertEqual(people_first_language("Users agree.\n", 10)[0][0], 11)

    def test_people_first_wording_and_unrelated_words_pass(self):
        """People-first wording, words that merely contain 'user' and hyphenated compounds
        about things pass; citation keys and link targets are not read."""
        body = (
            "People who use kratom, and people who did not, agreed [@user2020].\n"
            "A user-friendly form; the username field; see [this](/users/list/).\n"
            "Misusers and abusers are other words.\n"
        )
        self.assertEqual(people_first_language(body), [])

    def test_words_in_code_are_ignored(self):
        """Code spans and fenced code are not prose."""
        self.assertEqual(people_first_language("Run `users` now.\n\n```\nusers\n```\n"), [])


class PlainWordsTests(SimpleTestCase):
    def test_each_jargon_word_is_named_with_a_plain_alternative(self):
        """kappa, delta, biased, odds, median, -fold and 'compared with no treatment' are
        each reported with the word and a suggestion."""
        body = (
            "It blocks kappa and delta receptors.\n"
            "The signal is biased.\n"
            "Mixing raised the odds of a hospital stay.\n"
            "Symptoms began a median of three weeks later.\n"
            "Content varied 16-fold.\n"
            "The effect was larger compared with no treatment.\n"
        )
        problems = plain_words(body)
        found = {message.split("(")[1].split(")")[0]: line for line, message in problems}
        self.assertEqual(
            found,
            {
                "kappa": 1,
                "delta": 1,
                "biased": 2,
                "odds": 3,
                "median": 4,
                "-fold": 5,
                "compared with no treatment": 6,
            },
        )
        self.assertTrue(all(":" in message for _, message in problems))
        fold_message = next(message for _, message in problems if "(-fold)" in message)
        self.assertIn("'16 times more'", fold_message)

    def test_plain_text_passes(self):
        """Plain words, and jargon only inside citation markers or link targets, pass."""
        body = "About 16 times more, and more likely [@odds2020]. See [here](/median/).\n"
        self.assertEqual(plain_words(body), [])


class NaloxoneRuleTests(SimpleTestCase):
    def test_emergency_section_without_naloxone_is_reported(self):
        """A section that says to call emergency services must mention naloxone."""
        body = "## Warning signs\n\nIf someone will not wake, call emergency services.\n"
        problems = naloxone_in_emergency_steps(body, 5)
        self.assertEqual(len(problems), 1)
        self.assertEqual(problems[0][0], 8)
        self.assertIn("naloxone", problems[0][1])

    def test_each_section_is_judged_on_its_own(self):
        """Naloxone in one section does not cover emergency steps in another."""
        body = (
            "## One\n\nGive naloxone, then call 911.\n\n"
            "## Two\n\nFor a seizure, call emergency services.\n"
        )
        self.assertEqual([line for line, _ in naloxone_in_emergency_steps(body)], [7])

    def test_section_with_naloxone_or_no_emergency_passes(self):
        """Naloxone (or Narcan) in the same section passes; no emergency steps, no rule."""
        with_naloxone = "## Help\n\nGive Narcan if you have it. Then call 911 anyway.\n"
        no_emergency = "## Sleep\n\nKeep the same bed time.\n"
        self.assertEqual(naloxone_in_emergency_steps(with_naloxone), [])
        self.assertEqual(naloxone_in_emergency_steps(no_emergency), [])

    def test_run_rules_collects_every_rule_in_line_order(self):
        """run_rules returns the problems of all rules, sorted by line."""
        body = "Users said 911.\n\nThe odds rose.\n"
        lines = [line for line, _ in run_rules(body)]
        self.assertEqual(lines, sorted(lines))
        self.assertEqual(len(lines), 3)


class CheckContentWiringTests(SimpleTestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.root)
        (self.root / "articles").mkdir()
        (self.root / "sources.yaml").write_text(
            "- key: good2020\n  kind: journal_article\n  authors: Good G\n  title: T\n"
            "  doi: 10.1000/good\n"
        )

    def write(self, body: str, main_message: str = "A plain message.") -> None:
        front = (
            f"---\nslug: a\ntitle: T\nsummary: S.\nmain_message: {main_message}\n"
            "key_points:\n  - One.\n  - Two.\n  - Three.\n---\n"
        )
        (self.root / "articles" / "a.md").write_text(front + body)

    def test_rules_report_file_lines(self):
        """check_content reports the new rules with the file's line numbers."""
        self.write("Intro [@good2020].\n\nMost users agreed [@good2020].\n")
        problems = [str(p) for p in check_content(self.root).problems]
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("a.md:13:", problems[0])
        self.assertIn("people-first", problems[0])

    def test_plain_fields_get_wording_rules(self):
        """Summary, main message and key points are checked for 'users' and jargon."""
        self.write("We go to the shop [@good2020].\n", main_message="Most users raise the odds.")
        problems = [str(p) for p in check_content(self.root).problems]
        self.assertEqual(len(problems), 2, problems)
        self.assertTrue(all("main message:" in p for p in problems))

    def test_smog_grade_is_reported_beside_flesch_kincaid(self):
        """The command's table has a SMOG column, and the stats carry the SMOG grade."""
        self.write("We walk to the shop. We buy some bread [@good2020].\n")
        out = StringIO()
        call_command("check_content", str(self.root), stdout=out)
        self.assertIn("smog", out.getvalue())
        stats = check_content(self.root).stats[0]
        self.assertEqual(stats.smog_grade, smog_grade("We walk to the shop. We buy some bread.\n"))
        self.assertGreater(stats.smog_grade, 0)


class CrisisLineBesideSelfHarmTests(SimpleTestCase):
    def test_self_harm_without_988_in_the_same_paragraph_is_reported(self):
        """The crisis line must be printed where self-harm is mentioned, not only in the
        footer: a paragraph or list item about it without 988 is reported on its line."""
        body = (
            "Intro.\n\n"
            "If you have thoughts of harming yourself,\nget help now.\n\n"
            "- Thoughts of suicide are an emergency.\n"
            "- Call or text 988 [@lifeline].\n"
        )
        problems = crisis_line_beside_self_harm(body, 10)
        self.assertEqual([line for line, _ in problems], [13, 16])
        self.assertIn("call or text 988", problems[0][1])

    def test_988_in_the_same_paragraph_or_item_passes(self):
        """988 anywhere in the same paragraph or list item satisfies the rule."""
        body = (
            "If you have thoughts of ending your life, get help.\nCall or text 988 [@l].\n\n"
            "- If you think of hurting yourself, call 988 now [@l].\n"
            "A paragraph about harm reduction is not about self-harm.\n"
        )
        self.assertEqual(crisis_line_beside_self_harm(body), [])

    def test_spanish_needs_988_and_press_2(self):
        """In Spanish the same paragraph says to call 988 and press 2 for Spanish."""
        self.assertEqual(
            [
                line
                for line, _ in crisis_line_beside_self_harm_es(
                    "Si piensa en hacerse daño, llame al 988.\n"
                )
            ],
            [1],
        )
        self.assertEqual(
            crisis_line_beside_self_harm_es(
                "Si piensa en hacerse daño, llame al 988 y marque 2 para español [@l].\n"
            ),
            [],
        )
