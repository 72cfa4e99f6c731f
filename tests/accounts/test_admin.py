"""The admin's second sign-in step: enrolment, codes, and no editorial screen before them."""

import re

from django.contrib.auth import SESSION_KEY
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.editorial.base import FAST_HASHER
from tests.factories import make_editor, make_second_factor, totp_code

PASSWORD = "a-long-test-password"  # noqa: S105
ENROL = reverse("admin:second_factor")
VERIFY = reverse("admin:second_factor_verify")


@FAST_HASHER
@override_settings(EDITORIAL_REQUIRE_2FA=True)
class SecondFactorAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = make_editor("alice", "Author", password=PASSWORD)
        cls.publisher = make_editor("paul", "Publisher", password=PASSWORD)

    def sign_in(self, user):
        response = self.client.post(
            reverse("admin:login"),
            {"username": user.get_username(), "password": PASSWORD, "next": "/admin/"},
        )
        self.assertEqual(self.client.session[SESSION_KEY], str(user.pk))
        return response

    def test_unenrolled_publisher_lands_on_enrolment(self):
        """After the password, a Publisher without a second factor is sent to set one up,
        from every admin page, and sees the QR code and the secret."""
        self.sign_in(self.publisher)
        for url in ("/admin/", reverse("admin:articles_revision_changelist")):
            response = self.client.get(url)
            self.assertRedirects(response, f"{ENROL}?next={url}", fetch_redirect_response=False)
        page = self.client.get(f"{ENROL}?next=/admin/")
        self.assertContains(page, "Reviewers and Publishers sign in with a second factor")
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.publisher)
        self.assertFalse(device.confirmed)
        secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
        self.assertIn(secret.replace(" ", ""), device.config_url)

    def test_enrolment_wrong_then_right_code(self):
        """A wrong code is refused on the page; the right one confirms the app, shows the
        recovery codes once, and opens the admin."""
        self.sign_in(self.publisher)
        self.client.get(ENROL)
        device = TOTPDevice.objects.get(user=self.publisher)
        code = totp_code(device, steps_ahead=0)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        response = self.client.post(ENROL, {"action": "confirm", "code": wrong, "next": "/admin/"})
        self.assertContains(response, "That code is not right")
        self.assertRedirects(self.client.get("/admin/"), f"{ENROL}?next=/admin/")
        device.throttle_reset()  # the wait after a wrong code is tested in test_services
        response = self.client.post(ENROL, {"action": "confirm", "code": code, "next": "/admin/"})
        self.assertContains(response, "Your authenticator app is set up")
        self.assertEqual(len(re.findall(r"<li><code>", response.content.decode())), 10)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        # The codes are shown once: the page now shows the set-up, not the codes.
        self.assertNotContains(self.client.get(ENROL), "<li><code>")

    def test_enrolled_user_must_enter_a_code(self):
        """With an app set up, the password alone opens nothing: a wrong code is refused,
        the right one opens the page asked for."""
        device, _ = make_second_factor(self.publisher)
        self.sign_in(self.publisher)
        self.assertRedirects(
            self.client.get("/admin/"), f"{VERIFY}?next=/admin/", fetch_redirect_response=False
        )
        self.assertRedirects(self.client.get(ENROL), f"{VERIFY}?next={ENROL}")
        code = totp_code(device)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        response = self.client.post(VERIFY, {"code": wrong, "next": "/admin/"})
        self.assertContains(response, "That code is not right")
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)
        device.throttle_reset()
        response = self.client.post(VERIFY, {"code": code, "next": "/admin/"})
        self.assertRedirects(response, "/admin/")
        self.assertContains(self.client.get("/admin/"), "Two-factor sign-in")

    def test_recovery_code_signs_in_once(self):
        """A recovery code passes the second step once; in the next session it is refused."""
        _, codes = make_second_factor(self.publisher)
        self.sign_in(self.publisher)
        response = self.client.post(VERIFY, {"code": codes[0], "next": "/admin/"}, follow=True)
        self.assertContains(response, "You signed in with a recovery code; 9 left")
        self.client.post(reverse("admin:logout"))
        self.sign_in(self.publisher)
        response = self.client.post(VERIFY, {"code": codes[0], "next": "/admin/"})
        self.assertContains(response, "That code is not right")
        self.assertRedirects(self.client.get("/admin/"), f"{VERIFY}?next=/admin/")

    def test_next_must_stay_on_this_site(self):
        """After the code, a `next` pointing elsewhere goes to the admin home instead."""
        device, _ = make_second_factor(self.publisher)
        self.sign_in(self.publisher)
        response = self.client.post(
            VERIFY, {"code": totp_code(device), "next": "https://evil.example/"}
        )
        self.assertRedirects(response, "/admin/")

    def test_log_out_before_the_second_step(self):
        """Someone stuck at the second step can still log out."""
        make_second_factor(self.publisher)
        self.sign_in(self.publisher)
        self.client.post(reverse("admin:logout"))
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_authors_need_no_second_factor(self):
        """Authors cannot review or publish, so their password is enough."""
        self.sign_in(self.author)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    @override_settings(EDITORIAL_REQUIRE_2FA=False)
    def test_optional_in_development(self):
        """With the setting off, a Publisher without a second factor opens the admin and
        may still set one up from the link in the header."""
        self.sign_in(self.publisher)
        response = self.client.get("/admin/")
        self.assertContains(response, f'href="{ENROL}"')
        self.assertContains(self.client.get(ENROL), "<svg")
        self.assertNotContains(self.client.get(ENROL), "Reviewers and Publishers sign in")

    def test_new_recovery_codes_need_a_verified_session(self):
        """Making new recovery codes is refused before the second step, allowed after."""
        device, codes = make_second_factor(self.publisher)
        self.sign_in(self.publisher)
        url = reverse("admin:second_factor_recovery_codes")
        self.client.post(url)
        self.client.post(VERIFY, {"code": codes[0], "next": "/admin/"})  # codes still valid
        response = self.client.post(url)
        self.assertContains(response, "Your recovery codes")
        self.assertEqual(len(re.findall(r"<li><code>", response.content.decode())), 10)
        self.client.post(reverse("admin:logout"))
        self.sign_in(self.publisher)
        self.assertContains(
            self.client.post(VERIFY, {"code": codes[1], "next": "/admin/"}), "not right"
        )

    def test_second_factor_pages_need_the_password_first(self):
        """Anonymous visitors to the second-factor pages are sent to the login page."""
        for url in (ENROL, VERIFY):
            response = self.client.get(url)
            self.assertRedirects(
                response, f"{reverse('admin:login')}?next={url}", fetch_redirect_response=False
            )
