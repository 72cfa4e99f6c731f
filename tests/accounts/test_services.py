"""Enrolling an authenticator app and signing in with its codes or a recovery code."""

from django.test import TestCase
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kratom_info.accounts.services import (
    RECOVERY_CODE_COUNT,
    InvalidCode,
    recovery_codes_left,
    recovery_codes_replace,
    second_factor_verify,
    totp_device_confirm,
    totp_device_start,
)
from tests.factories import make_editor, make_second_factor, totp_code


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


class EnrolmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_editor("paul", "Publisher")

    def test_start_makes_one_pending_device(self):
        """Starting twice shows the same secret; the device signs nobody in yet."""
        first = totp_device_start(user=self.user)
        self.assertEqual(totp_device_start(user=self.user), first)
        self.assertFalse(first.confirmed)
        with self.assertRaises(InvalidCode):
            second_factor_verify(user=self.user, code=totp_code(first))

    def test_wrong_code_does_not_confirm(self):
        """A wrong code leaves the app unconfirmed and makes no recovery codes."""
        device = totp_device_start(user=self.user)
        with self.assertRaisesMessage(InvalidCode, "not right"):
            totp_device_confirm(user=self.user, code=wrong(totp_code(device, steps_ahead=0)))
        device.refresh_from_db()
        self.assertFalse(device.confirmed)
        self.assertEqual(device.throttling_failure_count, 1)  # recorded despite the error
        self.assertFalse(StaticDevice.objects.filter(user=self.user).exists())

    def test_right_code_confirms_and_makes_recovery_codes(self):
        """The app's current code confirms it and yields ten one-time recovery codes."""
        device, codes = make_second_factor(self.user)
        self.assertTrue(device.confirmed)
        self.assertEqual(len(set(codes)), RECOVERY_CODE_COUNT)
        self.assertEqual(recovery_codes_left(self.user), RECOVERY_CODE_COUNT)

    def test_a_new_phone_replaces_the_old_one(self):
        """Confirming a new app removes the old one and its recovery codes."""
        old, old_codes = make_second_factor(self.user)
        new, new_codes = make_second_factor(self.user)
        self.assertFalse(TOTPDevice.objects.filter(pk=old.pk).exists())
        self.assertEqual(list(TOTPDevice.objects.filter(user=self.user)), [new])
        self.assertEqual(second_factor_verify(user=self.user, code=new_codes[0]).user, self.user)
        with self.assertRaises(InvalidCode):
            second_factor_verify(user=self.user, code=old_codes[0])


class VerificationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_editor("paul", "Publisher")
        cls.other = make_editor("rita", "Reviewer")

    def setUp(self):
        self.device, self.codes = make_second_factor(self.user)

    def test_right_code_accepted_once(self):
        """The app's code verifies the user; the same code cannot be used again."""
        code = totp_code(self.device)
        self.assertEqual(second_factor_verify(user=self.user, code=code), self.device)
        with self.assertRaises(InvalidCode):
            second_factor_verify(user=self.user, code=code)

    def test_wrong_code_refused_and_throttled(self):
        """A wrong code is refused; right after it, even the right code must wait."""
        code = totp_code(self.device)
        with self.assertRaisesMessage(InvalidCode, "not right"):
            second_factor_verify(user=self.user, code=wrong(code))
        with self.assertRaisesMessage(InvalidCode, "Too many wrong codes in a row: wait 1 "):
            second_factor_verify(user=self.user, code=code)

    def test_recovery_code_works_once(self):
        """A recovery code signs in once, then never again; the others still work."""
        code = self.codes[3]
        device = second_factor_verify(user=self.user, code=f" {code.upper()} ")
        self.assertIsInstance(device, StaticDevice)
        self.assertEqual(recovery_codes_left(self.user), RECOVERY_CODE_COUNT - 1)
        with self.assertRaisesMessage(InvalidCode, "not right"):
            second_factor_verify(user=self.user, code=code)

    def test_codes_of_another_user_are_refused(self):
        """A code from someone else's app or recovery list does not verify this user."""
        other_device, other_codes = make_second_factor(self.other)
        for code in (totp_code(other_device), other_codes[0]):
            with self.assertRaises(InvalidCode):
                second_factor_verify(user=self.user, code=code)

    def test_new_recovery_codes_replace_the_old(self):
        """Making new recovery codes invalidates every earlier one."""
        new = recovery_codes_replace(user=self.user)
        second_factor_verify(user=self.user, code=new[0])
        with self.assertRaisesMessage(InvalidCode, "not right"):
            second_factor_verify(user=self.user, code=self.codes[0])

    def test_empty_or_garbage_code_refused(self):
        """An empty or malformed code is refused (after the first wrong one, with the wait)."""
        with self.assertRaisesMessage(InvalidCode, "not right"):
            second_factor_verify(user=self.user, code="   ")
        for code in ("12345", "1234567", "not-a-code"):
            with self.subTest(code=code), self.assertRaises(InvalidCode):
                second_factor_verify(user=self.user, code=code)
