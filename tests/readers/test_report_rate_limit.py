"""The rate limit on error reports counts readers, not the proxy in front, in the database."""

import datetime
from unittest import mock

from django.core.cache import caches
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from kratom_info.readers.models import ErrorReport, ReportRateCount
from kratom_info.readers.services import ReportRateLimited, report_rate_check
from tests.readers.helpers import make_small_site

PROXY = "10.0.0.2"


@override_settings(ERROR_REPORT_RATE_LIMIT=2, TRUSTED_PROXY_COUNT=1)
class ReportRateLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_small_site()

    def post(self, message, forwarded_for):
        client = Client(enforce_csrf_checks=True)
        url = "/articles/stopping/report/"
        headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded_for}
        token = client.get(url, **headers).cookies["csrftoken"].value
        return client.post(url, {"csrfmiddlewaretoken": token, "message": message}, **headers)

    def test_readers_behind_the_proxy_are_counted_apart(self):
        """Behind one trusted proxy, each reader has the whole limit: the address the proxy
        saw is counted, not the proxy's."""
        for reader in ("203.0.113.5", "198.51.100.7", "192.0.2.9"):
            for n in range(2):
                self.assertEqual(self.post(f"Report {n}", reader).status_code, 302)
        self.assertContains(self.post("Third", "203.0.113.5"), "Too many", status_code=429)
        self.assertEqual(ErrorReport.objects.count(), 6)

    def test_a_forged_forwarded_for_does_not_reset_the_count(self):
        """Entries left of the one the trusted proxy appended are the client's own words and
        change nothing."""
        for forged in ("1.1.1.1, 203.0.113.5", "2.2.2.2, 203.0.113.5"):
            self.assertEqual(self.post("Report", forged).status_code, 302)
        refused = self.post("3.3.3.3, 203.0.113.5", "203.0.113.5")
        self.assertEqual(refused.status_code, 429)

    def test_counts_live_in_the_database_not_the_page_cache(self):
        """Clearing (or flooding) the cache pages live in forgets no count; only a hash of the
        address is stored."""
        report_rate_check(client_address="203.0.113.5")
        report_rate_check(client_address="203.0.113.5")
        for cache in caches.all():
            cache.clear()
        with self.assertRaises(ReportRateLimited):
            report_rate_check(client_address="203.0.113.5")
        row = ReportRateCount.objects.get()
        self.assertEqual(row.count, 2)
        self.assertNotIn("203.0.113", row.address_hash)

    def test_a_new_window_starts_afresh_and_old_rows_go(self):
        """After the window, the reader may report again, and the old window's row is
        deleted."""
        report_rate_check(client_address="203.0.113.5")
        report_rate_check(client_address="203.0.113.5")
        later = timezone.now() + datetime.timedelta(hours=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            report_rate_check(client_address="203.0.113.5")
        self.assertEqual(list(ReportRateCount.objects.values_list("count", flat=True)), [1])
