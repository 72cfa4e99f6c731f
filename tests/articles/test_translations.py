"""Spanish translations: their own reviewed versions, tied to the English version they
translate, with a visible notice when English has moved on."""

from django.test import TestCase, override_settings

from kratom_info.editorial.services import (
    FourEyesViolation,
    SubmissionBlocked,
    revision_approve,
    revision_submit,
)
from tests.factories import (
    make_editor,
    make_reviewed_live,
    make_revision,
    make_source,
    make_submitted,
    make_translation,
)

SPANISH_BODY = "El kratom es una planta [@k1].\n"
STALE = "Esta traducción corresponde a la versión 1 del original en inglés, que se actualizó el"


@override_settings(ALLOWED_HOSTS=["testserver"])
class StaleTranslationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        cls.author = make_editor("author", "Author")
        cls.translator = make_editor("translator", "Author")
        cls.reviewer = make_editor("reviewer", "Reviewer", languages=["en", "es"])
        cls.publisher = make_editor("publisher", "Publisher")
        cls.english_v1 = make_reviewed_live(
            author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher
        )
        cls.english = cls.english_v1.article
        cls.spanish = make_translation(cls.english, title="Qué es")
        cls.spanish_v1 = make_reviewed_live(
            cls.spanish,
            SPANISH_BODY,
            author=cls.translator,
            reviewer=cls.reviewer,
            publisher=cls.publisher,
            translates=1,
        )

    def _publish_english_v2(self):
        return make_reviewed_live(
            self.english,
            "Kratom is a plant from Southeast Asia [@k1].\n",
            author=self.author,
            reviewer=self.reviewer,
            publisher=self.publisher,
        )

    def test_translation_has_its_own_numbering_and_live_pointer(self):
        """The Spanish version is v1 of the Spanish article; English stays live in English."""
        self.english.refresh_from_db()
        self.spanish.refresh_from_db()
        self.assertEqual(self.spanish.live_revision, self.spanish_v1)
        self.assertEqual(self.english.live_revision, self.english_v1)
        self.assertEqual(self.spanish_v1.translates, self.english_v1)

    def test_current_translation_says_which_english_version_it_translates(self):
        """A translation of the live English version shows no stale notice."""
        response = self.client.get(f"/es/articles/{self.english.slug}/")
        self.assertContains(response, "Traducción de la versión 1 del original en inglés.")
        self.assertNotContains(response, STALE)
        self.assertContains(response, '<html lang="es">')

    def test_stale_notice_after_new_english_version_then_gone_after_reviewed_update(self):
        """English v2 makes the Spanish page say it matches v1, link English and the diff;
        a reviewed translation of v2 removes the notice."""
        v2 = self._publish_english_v2()
        response = self.client.get(f"/es/articles/{self.english.slug}/")
        self.assertContains(response, STALE)
        self.assertContains(response, f'href="/articles/{self.english.slug}/diff/1/2/"')
        self.assertContains(response, f'href="/articles/{self.english.slug}/" hreflang="en"')
        self.assertEqual(self.spanish_v1.translation_lag().current, v2)
        # The permanent link of the Spanish version says so too.
        self.assertContains(self.client.get(f"/es/articles/{self.english.slug}/v1/"), STALE)

        make_reviewed_live(
            self.spanish,
            "El kratom es una planta del Sudeste Asiático [@k1].\n",
            author=self.translator,
            reviewer=self.reviewer,
            publisher=self.publisher,
            translates=2,
        )
        response = self.client.get(f"/es/articles/{self.english.slug}/")
        self.assertNotContains(response, STALE)
        self.assertContains(response, "Traducción de la versión 2 del original en inglés.")

    def test_dashboard_lists_stale_translations(self):
        """The editors' dashboard lists a translation once English moves on, and not before."""
        from kratom_info.editorial.selectors import stale_translations

        self.assertEqual(stale_translations(), [])
        self._publish_english_v2()
        self.assertEqual(stale_translations(), [self.spanish])
        self.assertEqual(stale_translations()[0].lag.translated, self.english_v1)

    def test_edit_without_retranslating_keeps_the_old_claim(self):
        """An edit that does not name a newer English version still translates v1."""
        self._publish_english_v2()
        revision = make_submitted(
            self.spanish, SPANISH_BODY + "Otra frase.\n", author=self.translator
        )
        self.assertEqual(revision.translates, self.english_v1)


class TranslationReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        cls.english = make_revision(body="Kratom is a plant [@k1].\n", publish=True).article
        cls.spanish = make_translation(cls.english)
        cls.translator = make_editor("translator", "Author", "Reviewer", languages=["en", "es"])

    def test_translator_cannot_approve_own_translation(self):
        """Four-eyes holds for translations: their author may not approve them."""
        revision = make_submitted(self.spanish, SPANISH_BODY, author=self.translator, translates=1)
        with self.assertRaises(FourEyesViolation):
            revision_approve(revision=revision, user=self.translator)

    def test_submit_gate_runs_spanish_wording_rules(self):
        """A translation calling people "usuarios" is sent back with the Spanish rule."""
        from kratom_info.editorial.services import revision_create_draft_from

        draft = revision_create_draft_from(
            article=self.spanish,
            user=self.translator,
            based_on=0,
            title="Qué es",
            summary="Un resumen.",
            body="Los usuarios de kratom dicen que es una planta [@k1].\n",
            change_note="Traducción.",
            translates=1,
        )
        with self.assertRaises(SubmissionBlocked) as caught:
            revision_submit(revision=draft, user=self.translator)
        self.assertTrue(any("usuarios" in reason.lower() for reason in caught.exception.reasons))

    def test_new_translation_must_name_the_english_version(self):
        """A first translation without ``translates`` cannot be saved."""
        from kratom_info.editorial.services import InvalidDraft, revision_create_draft_from

        with self.assertRaises(InvalidDraft):
            revision_create_draft_from(
                article=self.spanish,
                user=self.translator,
                based_on=0,
                title="Qué es",
                summary="Un resumen.",
                body=SPANISH_BODY,
                change_note="Traducción.",
            )


@override_settings(ALLOWED_HOSTS=["testserver"])
class PublicNumbersPerLanguageTests(TestCase):
    """Public version numbers are counted per article row, so per language, and a translation's
    "version N of the English original" is the English public number, not the editors' one."""

    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        english_v1 = make_revision(body="Kratom is a plant [@k1].\n", publish=True)
        cls.english = english_v1.article
        make_revision(cls.english, "An abandoned English draft [@k1].\n")  # internal 2
        cls.english_v2 = make_revision(
            cls.english, "Kratom is a plant from Southeast Asia [@k1].\n", publish=True
        )
        cls.spanish = make_translation(cls.english)
        make_revision(cls.spanish, SPANISH_BODY, translates=english_v1, publish=True)
        make_revision(cls.spanish, "Un borrador abandonado [@k1].\n", translates=english_v1)
        cls.spanish_v2 = make_revision(
            cls.spanish,
            "El kratom es otra planta [@k1].\n",
            translates=cls.english_v2,
            publish=True,
        )
        cls.translator = make_editor("translator", "Author")

    def test_each_language_counts_its_own_published_versions(self):
        self.assertEqual((self.english_v2.number, self.english_v2.public_number), (3, 2))
        self.assertEqual((self.spanish_v2.number, self.spanish_v2.public_number), (3, 2))
        slug = self.english.slug
        spanish = self.client.get(f"/es/articles/{slug}/v2/")
        self.assertContains(spanish, "El kratom es otra planta")
        self.assertContains(spanish, "Traducción de la versión 2 del original en inglés.")
        self.assertContains(self.client.get(f"/articles/{slug}/v2/"), "from Southeast Asia")
        self.assertEqual(self.client.get(f"/es/articles/{slug}/v3/").status_code, 404)
        self.assertEqual(self.client.get(f"/es/articles/{slug}/v2/handout/").status_code, 200)
        self.assertEqual(self.client.get(f"/es/articles/{slug}/diff/1/2/").status_code, 200)

    def test_editor_names_the_english_public_version(self):
        """``translates=2`` in the editor means English version 2 as readers know it."""
        from kratom_info.editorial.services import revision_create_draft_from

        draft = revision_create_draft_from(
            article=self.spanish,
            user=self.translator,
            based_on=3,
            title="Qué es",
            summary="Un resumen.",
            body=SPANISH_BODY,
            change_note="Traducción.",
            translates=2,
        )
        self.assertEqual(draft.translates, self.english_v2)

    def test_withdrawn_translation_answers_410_and_keeps_its_versions(self):
        """Withdrawing the Spanish article takes only it offline: its live URL says so (410),
        its permanent versions still answer, and English is untouched."""
        from kratom_info.editorial.services import article_unpublish

        publisher = make_editor("publisher", "Publisher")
        article_unpublish(article=self.spanish, user=publisher, reason="Needs a new translation")
        slug = self.english.slug
        self.assertEqual(self.client.get(f"/es/articles/{slug}/").status_code, 410)
        self.assertContains(self.client.get(f"/es/articles/{slug}/v2/"), "Needs a new translation")
        self.assertEqual(self.client.get(f"/articles/{slug}/").status_code, 200)
        self.assertEqual(self.client.get(f"/es/articles/{slug}/history/").status_code, 200)
