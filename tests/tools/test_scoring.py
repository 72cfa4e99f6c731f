from django.test import SimpleTestCase

from kratom_info.tools.scoring import (
    IncompleteAnswers,
    field_name,
    read_answers,
    score,
)
from tests.tools.helpers import answers_form, site_check


class ScoringTests(SimpleTestCase):
    """The pure scoring of the check, on the site's own questions and bands."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.content = site_check()
        cls.ids = [question.id for question in cls.content.questions]

    def answers(self, yes=()):
        return {question_id: question_id in yes for question_id in self.ids}

    def test_no_yes_answers(self):
        """Nothing answered yes: count 0, the first band, and the default articles."""
        result = score(self.content, self.answers())
        self.assertEqual(result.count, 0)
        self.assertEqual(result.total, len(self.ids))
        self.assertEqual(result.band.title, "No signs for now")
        self.assertEqual(result.yes, ())
        self.assertEqual(result.article_slugs, self.content.default_articles)

    def test_one_sign(self):
        """One yes (tolerance): a few signs, and the tolerance article first."""
        result = score(self.content, self.answers({"tolerance"}))
        self.assertEqual(result.count, 1)
        self.assertEqual(result.band.title, "A few signs")
        self.assertEqual([q.id for q in result.yes], ["tolerance"])
        self.assertEqual(result.article_slugs, ("tolerance",))

    def test_band_edges(self):
        """Each count falls into the band whose range covers it, at both edges."""
        expected = {0: "No signs for now", 1: "A few signs", 2: "A few signs",
                    3: "Several signs", 5: "Several signs", 6: "Many signs"}  # fmt: skip
        for count, title in expected.items():
            with self.subTest(count=count):
                result = score(self.content, self.answers(self.ids[:count]))
                self.assertEqual((result.count, result.band.title), (count, title))

    def test_all_yes(self):
        """Every question yes: the last band, and every article named by a question, once each,
        in question order, followed by the band's own."""
        result = score(self.content, self.answers(self.ids))
        self.assertEqual(result.count, len(self.ids))
        self.assertEqual(result.band.title, "Many signs")
        self.assertEqual(len(result.article_slugs), len(set(result.article_slugs)))
        first_question_articles = self.content.questions[0].articles
        self.assertEqual(
            result.article_slugs[: len(first_question_articles)], first_question_articles
        )
        for slug in self.content.bands[-1].articles:
            self.assertIn(slug, result.article_slugs)

    def test_mood_answers_point_to_mood_article(self):
        """Coping with feelings and feeling numb lead to the mood article; several signs add
        the support article from the band."""
        result = score(self.content, self.answers({"cope", "numb", "daily"}))
        self.assertEqual(result.band.title, "Several signs")
        self.assertIn("mood-anxiety-and-depression", result.article_slugs)
        self.assertIn("alternatives-and-support", result.article_slugs)
        self.assertLess(
            result.article_slugs.index("tolerance"),
            result.article_slugs.index("mood-anxiety-and-depression"),
            "articles follow the order of the questions (daily comes before numb and cope)",
        )

    def test_unknown_question_is_refused(self):
        """An answer to a question that does not exist is an error, not silently counted."""
        with self.assertRaisesMessage(ValueError, "unknown questions: made-up"):
            score(self.content, {**self.answers(), "made-up": True})

    def test_read_answers_from_form_data(self):
        """yes/no per field; other fields are ignored."""
        data = {**answers_form({"craving", "daily"}), "csrfmiddlewaretoken": "x", "extra": "yes"}
        answers = read_answers(self.content, data)
        self.assertEqual({k for k, v in answers.items() if v}, {"craving", "daily"})
        self.assertEqual(len(answers), len(self.ids))

    def test_read_answers_names_every_missing_question(self):
        """Unanswered or invalid values are reported, and the valid answers kept for the form."""
        data = answers_form({"craving"}, skip={"time", "numb"})
        data[field_name(self.content.questions[0])] = "maybe"
        with self.assertRaises(IncompleteAnswers) as caught:
            read_answers(self.content, data)
        missing = [q.id for q in caught.exception.missing]
        self.assertEqual(missing, [self.ids[0], "time", "numb"])
        self.assertTrue(caught.exception.answers["craving"])
        self.assertNotIn("maybe", str(caught.exception))
