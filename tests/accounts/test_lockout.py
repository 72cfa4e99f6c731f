"""django-axes: failed passwords lock an account, and an address, for a while."""

import datetime
import io

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from kratom_info.accounts.signin import client_ip
from tests.editorial.base import FAST_HASHER
from tests.factories import make_editor, make_user

PASSWORD = "a-long-test-password"  # noqa: S105
LOGIN = "/admin/login/"


@FAST_HASHER
class LockoutTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.rita = make_editor("rita", "Reviewer", password=PASSWORD)
        cls.paul = make_editor("paul", "Publisher", password=PASSWORD)

    def sign_in(self, username, password=PASSWORD, address="192.0.2.1"):
        return self.client.post(
            LOGIN,
            {"username": username, "password": password, "next": "/admin/"},
            REMOTE_ADDR=address,
        )

    def fail(self, times, *, usernames=("rita",), addresses=("192.0.2.1",)):
        for attempt in range(times):
            response = self.sign_in(
                usernames[attempt % len(usernames)],
                password="wrong",  # noqa: S106
                address=addresses[attempt % len(addresses)],
            )
        return response

    def assertLockedOut(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Sign-in paused", status_code=429)
        self.assertContains(response, "Try again after", status_code=429)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def assertSignedIn(self, response, user):
        self.assertEqual(response.status_code, 302, getattr(response, "content", b"")[:500])
        self.assertEqual(self.client.session[SESSION_KEY], str(user.pk))


class AccountLockoutTests(LockoutTestCase):
    def test_wrong_passwords_below_the_limit_do_not_lock(self):
        """Fewer failures than the limit: the right password still signs in."""
        self.fail(settings.AXES_FAILURE_LIMIT - 1)
        self.assertSignedIn(self.sign_in("rita"), self.rita)

    def test_wrong_passwords_from_one_address_lock_that_address_for_that_account(self):
        """The limit of failures for one username from one address pauses that username there;
        the account's owner, at their own address, still signs in."""
        self.assertLockedOut(self.fail(settings.AXES_FAILURE_LIMIT))
        self.assertLockedOut(self.sign_in("rita", address="192.0.2.1"))
        self.assertSignedIn(self.sign_in("rita", address="203.0.113.99"), self.rita)

    def test_nobody_can_lock_a_named_editor_out_from_many_addresses(self):
        """The reported attack: wrong passwords for one username from many addresses, each
        below the limit, never lock the account; its owner signs in from anywhere, also from
        one of those addresses."""
        addresses = [f"198.51.100.{n}" for n in range(1, 6)]
        self.fail(settings.AXES_FAILURE_LIMIT * 4, addresses=addresses)  # four at each address
        self.assertSignedIn(self.sign_in("rita", address="203.0.113.5"), self.rita)
        self.client.logout()
        self.assertSignedIn(self.sign_in("rita", address="198.51.100.1"), self.rita)

    def test_lockout_ends_after_the_cool_off(self):
        """Once the cool-off has passed since the last failure, the right password works."""
        self.fail(settings.AXES_FAILURE_LIMIT)
        AccessAttempt.objects.update(
            attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(1)
        )
        self.assertSignedIn(self.sign_in("rita"), self.rita)


class AddressLockoutTests(LockoutTestCase):
    def test_address_locked_after_failures_on_many_accounts(self):
        """The limit of failures from one address, each on a different username, locks the
        address: a real account's right password from there is refused, elsewhere it works."""
        usernames = [f"guess{n}" for n in range(settings.AXES_FAILURE_LIMIT)]
        response = self.fail(settings.AXES_FAILURE_LIMIT, usernames=usernames)
        self.assertLockedOut(response)
        self.assertLockedOut(self.sign_in("paul", address="192.0.2.1"))
        self.assertSignedIn(self.sign_in("paul", address="192.0.2.2"), self.paul)

    def test_address_locked_after_failures_on_one_account(self):
        """The address is paused for every username too, not only for the one guessed."""
        self.assertLockedOut(self.fail(settings.AXES_FAILURE_LIMIT))
        self.assertLockedOut(self.sign_in("paul", address="192.0.2.1"))

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_address_behind_a_proxy_is_the_one_the_proxy_saw(self):
        """Behind one trusted proxy, the client is the last X-Forwarded-For entry; entries
        the client wrote itself further left are ignored."""
        request = RequestFactory().get(
            "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7"
        )
        self.assertEqual(client_ip(request), "192.0.2.7")

    def test_without_trusted_proxies_x_forwarded_for_is_ignored(self):
        """With no trusted proxy, a forged X-Forwarded-For cannot pick another address."""
        request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.8", HTTP_X_FORWARDED_FOR="6.6.6.6")
        self.assertEqual(client_ip(request), "192.0.2.8")


class UnlockTests(LockoutTestCase):
    def test_axes_reset_username_unlocks_the_account(self):
        """`manage.py axes_reset_username NAME` lifts the account's lockout at once, at the
        address where it was locked too."""
        self.fail(settings.AXES_FAILURE_LIMIT, addresses=["203.0.113.1"])
        self.assertLockedOut(self.sign_in("rita", address="203.0.113.1"))
        call_command("axes_reset_username", "rita", stdout=io.StringIO())
        self.assertSignedIn(self.sign_in("rita", address="203.0.113.1"), self.rita)

    def test_axes_reset_ip_unlocks_the_address(self):
        """`manage.py axes_reset_ip ADDRESS` lifts the address's lockout at once."""
        self.fail(settings.AXES_FAILURE_LIMIT, usernames=[f"g{n}" for n in range(9)])
        self.assertLockedOut(self.sign_in("paul"))
        call_command("axes_reset_ip", "192.0.2.1", stdout=io.StringIO())
        self.assertSignedIn(self.sign_in("paul"), self.paul)

    def test_admin_unlock_action(self):
        """A superuser unlocks an account from the admin's list of attempts."""
        self.fail(settings.AXES_FAILURE_LIMIT)
        admin_user = make_user("boss", is_staff=True, is_superuser=True)
        self.client.force_login(admin_user)
        attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
        response = self.client.post(
            reverse("admin:axes_accessattempt_changelist"),
            {"action": "unlock", "_selected_action": attempts},
            follow=True,
        )
        self.assertContains(response, "Unlocked rita")
        self.client.logout()
        self.assertSignedIn(self.sign_in("rita"), self.rita)


class SignInRecordTests(LockoutTestCase):
    def test_every_attempt_is_recorded(self):
        """Each failure goes to the failure log (also those refused by the lockout), each
        success to the access log; resetting a lockout keeps the failure log."""
        self.fail(settings.AXES_FAILURE_LIMIT + 2)
        self.assertEqual(AccessFailureLog.objects.filter(username="rita").count(), 7)
        self.assertTrue(AccessFailureLog.objects.filter(username="rita", locked_out=True).exists())
        call_command("axes_reset_username", "rita", stdout=io.StringIO())
        self.assertEqual(AccessFailureLog.objects.filter(username="rita").count(), 7)
        self.sign_in("paul", address="192.0.2.50")
        self.assertTrue(AccessLog.objects.filter(username="paul", ip_address="192.0.2.50").exists())

    def test_records_are_read_only_in_the_admin(self):
        """The sign-in logs are viewable in the admin but cannot be changed or deleted."""
        self.fail(1)
        record = AccessFailureLog.objects.get()
        self.client.force_login(make_user("boss", is_staff=True, is_superuser=True))
        changelist = reverse("admin:axes_accessfailurelog_changelist")
        self.assertContains(self.client.get(changelist), "rita")
        delete = reverse("admin:axes_accessfailurelog_delete", args=[record.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(AccessFailureLog.objects.filter(pk=record.pk).exists())
        change = self.client.get(reverse("admin:axes_accessfailurelog_change", args=[record.pk]))
        self.assertNotContains(change, 'name="_save"')


LOCMEM_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@override_settings(MAILERS=LOCMEM_MAIL)
class LockoutMailTests(LockoutTestCase):
    def test_owner_is_told_once_per_lockout(self):
        """The account's owner gets one e-mail naming the account, the address and when to try
        again, however many refused attempts follow; never the password tried."""
        self.rita.email = "rita@example.org"
        self.rita.save()
        self.fail(settings.AXES_FAILURE_LIMIT + 3)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["rita@example.org"])
        self.assertIn("rita", message.body)
        self.assertIn("192.0.2.1", message.body)
        self.assertIn(f"{settings.AXES_FAILURE_LIMIT} wrong passwords", message.body)
        self.assertIn("axes_reset_username", message.body)
        self.assertNotIn("wrong\n", message.body)

    def test_no_mail_for_unknown_usernames_or_owners_without_address(self):
        """Guessed usernames and accounts without an e-mail address send nothing."""
        self.fail(settings.AXES_FAILURE_LIMIT, usernames=[f"guess{n}" for n in range(9)])
        self.fail(1, addresses=["192.0.2.9"])
        self.fail(settings.AXES_FAILURE_LIMIT, addresses=["192.0.2.10"])
        self.assertEqual(mail.outbox, [])
