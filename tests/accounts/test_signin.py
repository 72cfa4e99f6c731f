"""Who must use a second factor, and what a signed-in user must do next."""

from django.test import TestCase, override_settings

from kratom_info.editorial.second_factor import ENROL, VERIFY, pending_step, second_factor_required
from tests.factories import make_editor, make_second_factor, make_user, verified


class SecondFactorRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = make_editor("alice", "Author")
        cls.reviewer = make_editor("rita", "Reviewer")
        cls.publisher = make_editor("paul", "Publisher")
        cls.admin = make_user("boss", is_staff=True, is_superuser=True)

    @override_settings(EDITORIAL_REQUIRE_2FA=True)
    def test_required_for_those_who_review_or_publish(self):
        """In production, Reviewers, Publishers and superusers need it; Authors do not."""
        self.assertTrue(second_factor_required(self.reviewer))
        self.assertTrue(second_factor_required(self.publisher))
        self.assertTrue(second_factor_required(self.admin))
        self.assertFalse(second_factor_required(self.author))

    @override_settings(EDITORIAL_REQUIRE_2FA=False)
    def test_optional_in_development(self):
        """With the setting off, nobody is required to enrol."""
        self.assertFalse(second_factor_required(self.publisher))
        self.assertIsNone(pending_step(self.publisher))

    @override_settings(EDITORIAL_REQUIRE_2FA=True)
    def test_next_step(self):
        """Not enrolled: enrol. Enrolled: enter a code. Verified: nothing more."""
        self.assertEqual(pending_step(self.publisher), ENROL)
        self.assertIsNone(pending_step(self.author))
        device, _ = make_second_factor(self.publisher)
        self.assertEqual(pending_step(self.publisher), VERIFY)
        self.assertIsNone(pending_step(verified(self.publisher, device)))

    @override_settings(EDITORIAL_REQUIRE_2FA=False)
    def test_enrolled_users_always_give_a_code(self):
        """Once enrolled, a code is asked for even where it is optional."""
        make_second_factor(self.author)
        self.assertEqual(pending_step(self.author), VERIFY)
