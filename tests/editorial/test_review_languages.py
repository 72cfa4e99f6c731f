"""A translation's reviewer reads both languages: the reviewer profile lists the languages
someone reviews in, and the services refuse every review action (and the publish gate an
approval) by someone whose profile lacks the translation's language or English."""

import io

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kratom_info.accounts.people import InvitationRefused
from kratom_info.editorial.models import Publication
from kratom_info.editorial.services import (
    LanguageNotRead,
    claim_checks_carry_over,
    default_next_review_due,
    publish_blockers,
    revision_approve,
    revision_publish,
    revision_request_changes,
)
from kratom_info.profiles.models import ReviewerProfile
from tests.editorial.base import FAST_HASHER, EditorialTestCase
from tests.factories import (
    check_supported,
    make_approved,
    make_article,
    make_editor,
    make_invitation,
    make_reviewed_live,
    make_submitted,
    make_translation,
)
from tests.migrating import MigrationTestCase

SPANISH_BODY = "El kratom es una planta [@k1].\n"
REFUSAL = (
    "To review this Spanish translation you must read both English and Spanish; your reviewer "
    "profile lists English only."
)


class TranslationReviewLanguageTests(EditorialTestCase):
    """``rita`` (the base class's reviewer) reads English only; ``bea`` reads both."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bilingual = make_editor(
            "bea", "Reviewer", display_name="Dr Bea Ortiz", languages=["en", "es"]
        )
        make_reviewed_live(
            cls.article, author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher
        )
        cls.spanish = make_translation(cls.article)

    def submitted_translation(self):
        return make_submitted(self.spanish, SPANISH_BODY, author=self.author, translates=1)

    def test_english_only_reviewer_is_refused_on_every_review_action(self):
        """Checking a claim, carrying verdicts over, approving and sending back: each refused,
        naming the missing language, and nothing is written."""
        revision = self.submitted_translation()
        claim = revision.claims.get()
        actions = {
            "check claim": lambda: check_supported(claim, reviewer=self.reviewer),
            "carry over": lambda: claim_checks_carry_over(revision=revision, user=self.reviewer),
            "approve": lambda: revision_approve(revision=revision, user=self.reviewer),
            "request changes": lambda: revision_request_changes(
                revision=revision, user=self.reviewer, comment="Cambiar."
            ),
        }
        for name, action in actions.items():
            with self.subTest(name), self.assertRaises(LanguageNotRead) as caught:
                action()
            self.assertIn(REFUSAL, str(caught.exception))
            self.assertIn("Reviewer profiles", str(caught.exception))
        revision.refresh_from_db()
        self.assertEqual(revision.status, "submitted")
        self.assertFalse(claim.checks.exists())
        self.assertEqual(self.actions(revision), ["created", "submitted"])

    def test_bilingual_reviewer_reviews_and_the_publication_keeps_their_languages(self):
        revision = make_approved(self.submitted_translation(), reviewer=self.bilingual)
        self.assertEqual(revision.status, "approved")
        revision_publish(
            revision=revision, user=self.publisher, next_review_due=default_next_review_due()
        )
        publication = Publication.objects.get(revision=revision)
        self.assertEqual(publication.reviewer_name, "Dr Bea Ortiz")
        self.assertEqual(publication.reviewer_languages, ["en", "es"])

    def test_bilingual_reviewer_sends_back_and_carries_over(self):
        revision = self.submitted_translation()
        self.assertEqual(claim_checks_carry_over(revision=revision, user=self.bilingual), [])
        revision_request_changes(revision=revision, user=self.bilingual, comment="Cambiar.")
        revision.refresh_from_db()
        self.assertEqual(revision.status, "rejected")

    def test_spanish_only_reviewer_is_refused_too(self):
        """A translation is checked against the English it translates: Spanish alone is not
        enough."""
        spanish_only = make_editor("sol", "Reviewer", languages=["es"])
        revision = self.submitted_translation()
        with self.assertRaisesMessage(LanguageNotRead, "your reviewer profile lists Spanish only"):
            check_supported(revision.claims.get(), reviewer=spanish_only)

    def test_reviewer_without_profile_is_refused_on_a_translation(self):
        anonymous = make_editor("nora", "Reviewer", display_name=None)
        revision = self.submitted_translation()
        with self.assertRaisesMessage(
            LanguageNotRead, "you have no reviewer profile listing the languages you read"
        ):
            check_supported(revision.claims.get(), reviewer=anonymous)

    def test_publish_gate_refuses_an_approval_by_a_reviewer_who_no_longer_lists_spanish(self):
        """Approvals and checks from before the rule (the migration lists English only for
        every existing profile), or by someone whose profile lost Spanish since: the gate
        refuses, naming the reviewer and the languages."""
        revision = make_approved(self.submitted_translation(), reviewer=self.bilingual)
        profile = self.bilingual.reviewer_profile
        profile.languages = ["en"]  # as an administrator would in the profile admin
        profile.save()
        reasons = publish_blockers(revision, next_review_due=default_next_review_due())
        self.assertIn(
            "The approving reviewer (bea) does not list both English and Spanish in their "
            "reviewer profile; a reviewer who reads them must review it.",
            reasons,
        )
        self.assertTrue(
            any("was checked by someone whose reviewer profile does not list" in r for r in reasons)
        )

    def test_english_articles_need_english_only(self):
        """English-only reviewers review English articles as before; a profile without English
        is refused there."""
        revision = make_submitted(self.article, author=self.author)
        make_approved(revision, reviewer=self.reviewer)
        self.assertEqual(publish_blockers(revision, next_review_due=default_next_review_due()), [])
        spanish_only = make_editor("sol", "Reviewer", languages=["es"])
        other = make_submitted(make_article("tea"), author=self.author)
        with self.assertRaisesMessage(
            LanguageNotRead, "To review this English article you must read English"
        ):
            revision_approve(revision=other, user=spanish_only)

    def test_review_screen_shows_the_blocker_before_the_first_click(self):
        """Without JavaScript: the page says why and offers no verdict or decision buttons."""
        revision = self.submitted_translation()
        url = reverse("admin:articles_revision_change", args=[revision.pk])
        self.client.force_login(self.reviewer)
        page = self.client.get(url)
        self.assertContains(page, 'id="language-blocker"')
        self.assertContains(page, REFUSAL)
        self.assertNotContains(page, 'id="approve"')
        self.assertNotContains(page, 'id="request-changes"')
        self.assertNotContains(page, 'value="supported"')
        self.client.force_login(self.bilingual)
        page = self.client.get(url)
        self.assertNotContains(page, 'id="language-blocker"')
        self.assertContains(page, 'id="approve"')


class ReviewerProfileLanguagesTests(EditorialTestCase):
    def test_validation_names_what_is_wrong(self):
        profile = self.reviewer.reviewer_profile
        for languages, message in [
            ([], "List at least one language the reviewer reads, from: en, es."),
            (["en", "fr"], "Unknown language code 'fr': choose from en, es."),
            ("en", "List at least one language"),
            (["en", "en"], "Each language is listed once."),
        ]:
            profile.languages = languages
            with self.subTest(languages), self.assertRaisesMessage(ValidationError, message):
                profile.full_clean()
            with self.subTest(languages), self.assertRaisesMessage(ValidationError, message):
                profile.save()

    def test_stored_in_the_order_of_settings_languages(self):
        profile = self.reviewer.reviewer_profile
        profile.languages = ["es", "en"]
        profile.save()
        profile.refresh_from_db()
        self.assertEqual(profile.languages, ["en", "es"])
        self.assertEqual(profile.language_names, "English and Spanish")

    def test_invite_form_stores_the_languages(self):
        self.client.force_login(self.publisher)
        page = self.client.get(reverse("admin:editorial_person_add"))
        self.assertContains(page, 'name="languages" value="en"')
        self.assertContains(page, "Languages reviewed in")
        form = {
            "first_name": "Ana",
            "email": "ana@example.org",
            "username": "ana",
            "role": "Reviewer",
            "display_name": "Ana Ruiz",
            "credentials": "Registered nurse",
            "languages": ["en", "es"],
        }
        response = self.client.post(reverse("admin:editorial_person_add"), form)
        self.assertContains(response, "Created the account <strong>ana</strong>")
        profile = ReviewerProfile.objects.get(user__username="ana")
        self.assertEqual(profile.languages, ["en", "es"])
        page = self.client.get(reverse("admin:editorial_person_change", args=[profile.user_id]))
        self.assertContains(page, "reviews in English and Spanish")

    def test_invite_form_refuses_a_reviewer_without_a_language(self):
        self.client.force_login(self.publisher)
        form = {
            "first_name": "Ana",
            "email": "ana@example.org",
            "username": "ana",
            "role": "Reviewer",
            "display_name": "Ana Ruiz",
            "credentials": "Registered nurse",
        }
        response = self.client.post(reverse("admin:editorial_person_add"), form)
        self.assertContains(response, "Nothing was created")
        self.assertContains(response, "List at least one language the reviewer reads")
        self.assertFalse(ReviewerProfile.objects.filter(user__username="ana").exists())

    def test_invite_service_defaults_to_english_and_refuses_unknown_codes(self):
        invited = make_invitation(by=self.publisher, role="Reviewer").person
        self.assertEqual(invited.reviewer_profile.languages, ["en"])
        with self.assertRaises(InvitationRefused) as caught:
            make_invitation(by=self.publisher, role="Reviewer", languages=["en", "pt"])
        self.assertIn(
            ("languages", "Unknown language code 'pt': choose from en, es."),
            caught.exception.problems,
        )

    def test_profile_admin_superuser_sets_languages_reviewer_cannot(self):
        """Nobody vouches for their own languages: the reviewer's own profile page shows them
        read-only; an administrator ticks them."""
        profile = self.reviewer.reviewer_profile
        url = reverse("admin:profiles_reviewerprofile_change", args=[profile.pk])
        self.client.force_login(self.reviewer)
        page = self.client.get(url)
        self.assertNotContains(page, 'name="languages"')
        self.assertContains(page, "English only")
        self.client.post(
            url, {"display_name": "Dr Rita Reyes", "role": "Pharmacist", "languages": ["es"]}
        )
        profile.refresh_from_db()
        self.assertEqual(profile.languages, ["en"])
        admin = make_editor("root", is_superuser=True)
        self.client.force_login(admin)
        response = self.client.post(
            url,
            {
                "user": self.reviewer.pk,
                "display_name": "Dr Rita Reyes",
                "role": "Pharmacist",
                "declared_interests": "",
                "languages": ["en", "es"],
            },
        )
        self.assertEqual(response.status_code, 302)
        profile.refresh_from_db()
        self.assertEqual(profile.languages, ["en", "es"])

    @FAST_HASHER
    def test_create_editor_takes_languages(self):
        out = io.StringIO()
        call_command(
            "create_editor", "ana", "--role", "reviewer", "--name", "Ana Ruiz",
            "--title", "Registered nurse", "--languages", "es,en", "--no-input", stdout=out,
        )  # fmt: skip
        self.assertEqual(ReviewerProfile.objects.get(user__username="ana").languages, ["en", "es"])
        with self.assertRaisesMessage(CommandError, "Unknown language code 'fr'"):
            call_command(
                "create_editor", "leo", "--role", "reviewer", "--name", "Leo", "--title", "RN",
                "--languages", "fr", "--no-input", stdout=out,
            )  # fmt: skip


class ReviewerLanguagesMigrationTests(MigrationTestCase):
    BEFORE = [("editorial", "0009_people_invitations")]
    AFTER = [("editorial", "0010_reviewer_languages")]

    def test_existing_profiles_review_in_english_only(self):
        apps = self.migrate(self.BEFORE)
        user = apps.get_model("auth", "User").objects.create(username="old")
        apps.get_model("editorial", "ReviewerProfile").objects.create(
            user=user, display_name="Dr Old", role="Pharmacist"
        )
        apps = self.migrate(self.AFTER)
        profile = apps.get_model("editorial", "ReviewerProfile").objects.get(user__username="old")
        self.assertEqual(profile.languages, ["en"])
