from django.test import SimpleTestCase, override_settings

from kratom_info.handouts.checks import check_site_url
from kratom_info.handouts.links import absolute_url, without_scheme


class SiteUrlCheckTests(SimpleTestCase):
    def ids(self, **settings) -> list[str]:
        with override_settings(**settings):
            return [error.id for error in check_site_url()]

    def test_https_host_passes_in_production(self):
        """With DEBUG off, an https address with no path passes."""
        self.assertEqual(self.ids(DEBUG=False, SITE_URL="https://kratom.example.org"), [])
        self.assertEqual(self.ids(DEBUG=False, SITE_URL="https://kratom.example.org:8443"), [])

    def test_missing_or_insecure_address_fails_in_production(self):
        """With DEBUG off, an empty, relative or plain-http address is an error."""
        for value in ("", "kratom.example.org", "http://kratom.example.org", "https://"):
            self.assertEqual(self.ids(DEBUG=False, SITE_URL=value), ["handouts.E001"], value)

    def test_address_with_a_path_fails_in_production(self):
        """With DEBUG off, a path, query or fragment after the host is an error."""
        for value in ("https://example.org/kratom", "https://example.org?x=1"):
            self.assertEqual(self.ids(DEBUG=False, SITE_URL=value), ["handouts.E002"], value)

    def test_development_is_not_checked(self):
        """With DEBUG on, the local default (http://127.0.0.1:8000) is fine."""
        self.assertEqual(self.ids(DEBUG=True, SITE_URL="http://127.0.0.1:8000"), [])

    def test_check_is_registered(self):
        """The check runs with Django's system checks (manage.py check, runserver, migrate)."""
        from django.core.checks.registry import registry

        self.assertIn(check_site_url, registry.get_checks())


class AbsoluteUrlTests(SimpleTestCase):
    @override_settings(SITE_URL="https://kratom.example.org")
    def test_absolute_urls_use_the_site_address(self):
        """Absolute URLs are built on SITE_URL, and printed without the scheme."""
        self.assertEqual(absolute_url("/h/ab3x/2"), "https://kratom.example.org/h/ab3x/2")
        self.assertEqual(without_scheme(absolute_url("/h/ab3x")), "kratom.example.org/h/ab3x")
        with self.assertRaises(ValueError):
            absolute_url("h/ab3x")
