from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, TestCase, override_settings

from kratom_info.readers.models import MESSAGE_MAX_LENGTH, ErrorReport, ReportStatus
from kratom_info.readers.services import error_report_resolve
from tests.factories import make_editor, make_user
from tests.readers.helpers import make_small_site

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST_HASHER
@override_settings(ERROR_REPORT_RATE_LIMIT=3)
class ReportFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_small_site()

    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)

    def post(self, data, url="/articles/stopping/report/", address="203.0.113.5"):
        page = self.client.get(url, REMOTE_ADDR=address)
        token = page.cookies["csrftoken"].value
        return self.client.post(url, {"csrfmiddlewaretoken": token, **data}, REMOTE_ADDR=address)

    def test_report_is_stored_with_the_version_seen(self):
        """A report lands in the queue as new, with the version the reader was reading."""
        response = self.post({"message": "The dose table is wrong.", "location": "Stopping",
                              "email": "reader@example.org", "version": "1"})  # fmt: skip
        self.assertRedirects(response, "/articles/stopping/report/thanks/")
        report = ErrorReport.objects.get()
        self.assertEqual(report.revision, self.site["v1"])
        self.assertEqual(report.status, ReportStatus.NEW)
        self.assertEqual(report.location, "Stopping")
        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, "Thank you")

    def test_unknown_version_falls_back_to_live(self):
        """A draft's or unknown number is never recorded; the live version is."""
        self.post({"message": "Typo.", "version": str(self.site["draft"].number)})
        self.assertEqual(ErrorReport.objects.get().revision, self.site["v2"])

    def test_honeypot_drops_spam(self):
        """A filled honeypot gets the thank-you page and stores nothing."""
        response = self.post({"message": "Buy now", "website": "http://spam.example"})
        self.assertRedirects(response, "/articles/stopping/report/thanks/")
        self.assertFalse(ErrorReport.objects.exists())

    def test_empty_and_too_long_reports_are_refused(self):
        """The message is required and has a maximum length; errors name the field."""
        response = self.post({"message": "  "})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Please say what is wrong.", status_code=400)
        response = self.post({"message": "x" * (MESSAGE_MAX_LENGTH + 1)})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, f"at most {MESSAGE_MAX_LENGTH}", status_code=400)
        self.assertFalse(ErrorReport.objects.exists())

    def test_rate_limit_per_address(self):
        """Past the limit an address is told to wait; another address still gets through."""
        for n in range(3):
            self.assertEqual(self.post({"message": f"Report {n}"}).status_code, 302)
        refused = self.post({"message": "One too many"})
        self.assertContains(refused, "Too many reports", status_code=429)
        self.assertEqual(self.post({"message": "Other"}, address="198.51.100.7").status_code, 302)
        self.assertEqual(ErrorReport.objects.count(), 4)

    def test_csrf_is_required(self):
        """A post without the CSRF token is refused."""
        response = self.client.post("/articles/stopping/report/", {"message": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ErrorReport.objects.exists())

    def test_no_report_page_for_unpublished_articles(self):
        self.assertEqual(self.client.get("/articles/hidden/report/").status_code, 404)

    def test_article_pages_stay_cookie_free(self):
        """Public pages set no cookie; only the report form sets the CSRF cookie."""
        for url in ["/", "/articles/stopping/", "/articles/stopping/v1/", "/search/?q=sleep",
                    "/editorial-policy/", "/feed/", "/sitemap.xml", "/sources/"]:  # fmt: skip
            response = self.client.get(url)
            self.assertEqual(response.cookies, {}, url)
        self.assertIn("csrftoken", self.client.get("/articles/stopping/report/").cookies)

    def test_article_links_to_its_report_page(self):
        response = self.client.get("/articles/stopping/v1/")
        self.assertContains(response, 'href="/articles/stopping/report/?version=1"')


@FAST_HASHER
class ReportQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_small_site()
        cls.report = ErrorReport.objects.create(
            article=cls.site["stopping"], revision=cls.site["v1"], message="Wrong date."
        )
        cls.editor = make_editor("ed", "Publisher")
        cls.outsider = make_user("outsider", is_staff=True)

    def test_editor_sees_queue_with_version_seen(self):
        """Editors see the admin queue with status and the version the reader saw."""
        self.client.force_login(self.editor)
        response = self.client.get("/admin/readers/errorreport/")
        self.assertContains(response, "Wrong date.")
        self.assertContains(response, "Version 1")
        self.assertContains(response, "New")
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/admin/readers/errorreport/").status_code, 403)

    def test_fixed_needs_a_published_version_of_the_same_article(self):
        """'Fixed in version N' names a published version of the reported article."""
        with self.assertRaises(ValidationError):
            error_report_resolve(report=self.report, user=self.editor, status=ReportStatus.FIXED)
        with self.assertRaises(ValidationError):
            error_report_resolve(report=self.report, user=self.editor, status=ReportStatus.FIXED,
                                 fixed_in=self.site["draft"])  # fmt: skip
        report = error_report_resolve(
            report=self.report,
            user=self.editor,
            status=ReportStatus.FIXED,
            fixed_in=self.site["v2"],
        )
        self.assertEqual(report.status_display, "Fixed in version 2")

    def test_only_editors_resolve(self):
        with self.assertRaises(PermissionDenied):
            error_report_resolve(report=self.report, user=self.outsider,
                                 status=ReportStatus.DECLINED)  # fmt: skip

    def test_admin_form_marks_fixed(self):
        """The admin change form records the status through the service."""
        self.client.force_login(self.editor)
        url = f"/admin/readers/errorreport/{self.report.pk}/change/"
        response = self.client.post(url, {"status": "fixed", "fixed_in": "", "editor_note": ""})
        self.assertContains(response, "Name the published version that fixes it.")
        response = self.client.post(
            url, {"status": "fixed", "fixed_in": self.site["v2"].pk, "editor_note": "Done."}
        )
        self.assertEqual(response.status_code, 302)
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.fixed_in), ("fixed", self.site["v2"]))
        self.assertEqual(self.report.editor_note, "Done.")
        self.assertTrue(Group.objects.filter(name="Publisher").exists())
