"""Every response says which browser features the site never uses and that other sites may
not load it as their resource: pages (cached or not), errors, the admin and static files."""

from django.test import TestCase

from tests.factories import make_article, make_revision, make_source

DENIED = ("camera", "microphone", "geolocation", "payment", "interest-cohort", "usb")


class SecurityHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        make_revision(make_article("dose"), "Words [@k1].\n", publish=True)

    def assert_headers(self, response, path):
        policy = {
            name.strip(): allow
            for name, _, allow in (
                part.partition("=") for part in response["Permissions-Policy"].split(",")
            )
        }
        for feature in DENIED:
            self.assertEqual(policy.get(feature), "()", f"{feature} on {path}")
        self.assertEqual(response["Cross-Origin-Resource-Policy"], "same-origin", path)

    def test_every_kind_of_response_carries_them(self):
        """A public page twice (the second from the page cache), Spanish, a 404, the admin's
        sign-in and a static file."""
        for path in ("/articles/dose/", "/articles/dose/", "/es/", "/articles/nope/",
                     "/admin/login/", "/static/css/site.css"):  # fmt: skip
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertIn(response.status_code, (200, 404), path)
                self.assert_headers(response, path)
