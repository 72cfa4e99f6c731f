import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase

from kratom_info.articles.content_checks import ArticleText, check_content, check_text, smog_grade
from kratom_info.articles.content_rules import (
    SAFETY_RULES,
    animal_poison_line_beside_pets,
    call_and_naloxone_at_once,
    crisis_line_beside_self_harm,
    crisis_line_beside_self_harm_es,
    naloxone_in_emergency_steps,
    no_trust_in_7oh_labels,
    people_first_language,
    plain_words,
    run_rules,
)

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"


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


def _bundled_bodies(folder: Path) -> dict[str, str]:
    """name -> body of every bundled article and shared block in ``folder`` (front matter
    left out: the rules read bodies)."""
    bodies = {}
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        bodies[path.name] = text
    return bodies


class CallAndNaloxoneAtOnceTests(SimpleTestCase):
    """Issue 23: 'give naloxone, then call 911 anyway' made the call wait for the naloxone."""

    def test_naloxone_then_call_is_reported(self):
        """The wording the site used before (and its variants) is reported on its line."""
        body = (
            "Intro.\n\n"
            "**If someone is very hard to wake, give naloxone (Narcan) if you have it, then call "
            "911 anyway** [@k].\n\n"
            "- Give naloxone if you have it, then call for help.\n"
            "- After you give naloxone, call emergency services.\n"
        )
        problems = call_and_naloxone_at_once(body, 10)
        self.assertEqual([line for line, _ in problems], [13, 15, 16])
        self.assertIn("call 911 and give naloxone (Narcan) right away", problems[0][1])

    def test_both_at_once_passes(self):
        """Calling and giving naloxone together, in either sentence order, passes."""
        body = (
            "Call 911 and give naloxone (Narcan) right away if you have it [@k]. Do not wait "
            "to do one before the other.\n\n"
            "- Naloxone can wear off, so stay with them. Then call your doctor the next day.\n"
        )
        self.assertEqual(call_and_naloxone_at_once(body), [])

    def test_bundled_content_passes(self):
        """No bundled English article or block makes the call wait for naloxone."""
        for name, body in {
            **_bundled_bodies(REPO_CONTENT / "articles"),
            **_bundled_bodies(REPO_CONTENT / "blocks"),
        }.items():
            with self.subTest(name):
                self.assertEqual(call_and_naloxone_at_once(body), [])


class SevenOhLabelTests(SimpleTestCase):
    """Issue 23: 'avoid products that list 7-OH' relied on a label that often does not say so."""

    def test_advice_that_trusts_the_label_is_reported(self):
        """The site's earlier wording in two articles, and a plain variant, are reported."""
        body = (
            "- Avoid products that list 7-OH. They act like strong opioids [@k].\n"
            "- Read the label. If it lists 7-OH, treat the product as a strong opioid [@k].\n"
            "- Check the label for 7-OH before you buy.\n"
        )
        problems = no_trust_in_7oh_labels(body)
        self.assertEqual([line for line, _ in problems], [1, 2, 3])
        self.assertIn("treat any tablet, shot, gummy, spray or extract", problems[0][1])

    def test_treat_any_product_as_possibly_7oh_passes(self):
        body = (
            "Labels often do not say a product is 7-OH, so treat any tablet, shot, gummy or "
            "spray sold as kratom as possibly 7-OH [@k].\n"
            "Avoid mixing products [@k]. 7-OH is an opioid [@k].\n"
        )
        self.assertEqual(no_trust_in_7oh_labels(body), [])

    def test_key_points_are_checked_too(self):
        """Key points are printed on handouts, so the rule runs on them as well."""
        problems = check_text(
            ArticleText(
                title="T",
                summary="S.",
                main_message="",
                key_points=("Avoid products that list 7-OH.", "b", "c"),
                body="Kratom is a plant [@k].\n",
                known_keys=frozenset({"k"}),
            )
        )
        self.assertIn("Key point: relies on a 7-OH label", " ".join(map(str, problems)))

    def test_bundled_content_passes(self):
        for name, body in _bundled_bodies(REPO_CONTENT / "articles").items():
            with self.subTest(name):
                self.assertEqual(no_trust_in_7oh_labels(body), [])


class AnimalPoisonLineTests(SimpleTestCase):
    """Issue 23: Poison Help is for people; a pet needs a vet or an animal poison service."""

    def test_poison_help_for_pets_without_an_animal_line_is_reported(self):
        body = (
            "Keep gummies away from children and pets. If anyone swallows some, call Poison "
            "Help at 1-800-222-1222 [@k].\n\n"
            "If your dog eats powder, call Poison Control.\n"
        )
        problems = animal_poison_line_beside_pets(body)
        self.assertEqual([line for line, _ in problems], [1, 3])
        self.assertIn("ASPCA Animal Poison Control Center", problems[0][1])

    def test_vet_or_animal_poison_line_passes(self):
        body = (
            "Call Poison Help at 1-800-222-1222 [@k]. Poison Help is for people. For a pet, "
            "call your vet, or the ASPCA Animal Poison Control Center [@k].\n\n"
            "Keep pets away from powder.\n\n"
            "Poison Help is free [@k].\n"
        )
        self.assertEqual(animal_poison_line_beside_pets(body), [])

    def test_bundled_content_passes(self):
        for name, body in _bundled_bodies(REPO_CONTENT / "articles").items():
            with self.subTest(name):
                self.assertEqual(animal_poison_line_beside_pets(body), [])


class NewRulesAreWiredTests(SimpleTestCase):
    """The issue 23 rules run wherever the wording rules run: check_content, the submit gate
    (both use RULES) and the tools' cited texts (SAFETY_RULES)."""

    def test_article_rule_set_reports_each(self):
        body = (
            "## In an emergency\n\n"
            "Give naloxone if you have it, then call 911 [@k].\n\n"
            "{{ emergency-steps }}\n\n"
            "## Products\n\n"
            "Avoid products that list 7-OH [@k].\n\n"
            "## Storage\n\n"
            "If a pet eats a gummy, call Poison Help [@k].\n"
        )
        messages = [message for _, message in run_rules(body)]
        self.assertEqual(len(messages), 3, messages)
        self.assertTrue(messages[0].startswith("naloxone first, call later"))
        self.assertTrue(messages[1].startswith("relies on a 7-OH label"))
        self.assertTrue(messages[2].startswith("Poison Help beside pets"))

    def test_tools_safety_rules_include_the_order_and_label_rules(self):
        self.assertIn(call_and_naloxone_at_once, SAFETY_RULES)
        self.assertIn(no_trust_in_7oh_labels, SAFETY_RULES)
