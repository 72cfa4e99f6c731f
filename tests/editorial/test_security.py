from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from tests.editorial.base import EditorialTestCase, draft
from tests.factories import make_editor, make_second_factor, make_submitted, make_user

MARKDOWNIFY = "/editorial/markdownx/markdownify/"
UPLOAD = "/editorial/markdownx/upload/"
PASSWORD = "a-long-test-password"  # noqa: S105
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


class EditorPreviewEndpointTests(EditorialTestCase):
    def test_urls_match_markdownx_settings(self):
        """The widget posts to our protected views, not markdownx's open ones."""
        self.assertEqual(reverse("editorial:markdownify"), MARKDOWNIFY)
        self.assertEqual(reverse("editorial:upload"), UPLOAD)

    def test_anonymous_refused(self):
        """Anonymous users get 403 from the preview."""
        self.assertEqual(self.client.post(MARKDOWNIFY, {"content": "x"}).status_code, 403)

    def test_users_without_edit_permission_refused(self):
        """Staff without the edit permission, and non-staff with it, get 403."""
        self.client.force_login(self.reviewer)
        self.assertEqual(self.client.post(MARKDOWNIFY, {"content": "x"}).status_code, 403)
        not_staff = make_editor("nostaff", "Author", is_staff=False)
        self.client.force_login(not_staff)
        self.assertEqual(self.client.post(MARKDOWNIFY, {"content": "x"}).status_code, 403)

    def test_author_gets_the_public_renderer_with_references(self):
        """The preview is the public renderer: citations numbered and the reference list."""
        self.client.force_login(self.author)
        response = self.client.post(MARKDOWNIFY, {"content": "A claim [@k1].\n"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="#ref-1"')
        self.assertContains(response, 'id="references-heading"')
        self.assertIn("no-cache", response["Cache-Control"])

    def test_preview_sanitizes_and_reports_unknown_keys(self):
        """Scripts never survive the preview; unknown keys show an error, not a crash."""
        self.client.force_login(self.author)
        response = self.client.post(MARKDOWNIFY, {"content": "<script>alert(1)</script> [@x9]"})
        self.assertNotContains(response, "<script>")
        self.assertContains(response, "unknown citation key")

    def test_get_not_allowed(self):
        """The preview answers POST only."""
        self.client.force_login(self.author)
        self.assertEqual(self.client.get(MARKDOWNIFY).status_code, 405)


class ImageUploadTests(EditorialTestCase):
    def post_image(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        image = SimpleUploadedFile("x.png", PNG, content_type="image/png")
        return self.client.post(UPLOAD, {"image": image})

    def test_upload_refuses_anonymous_and_unprivileged(self):
        """Anonymous and unprivileged users are refused."""
        self.assertEqual(self.post_image().status_code, 403)
        self.client.force_login(self.reviewer)
        self.assertEqual(self.post_image().status_code, 403)

    def test_upload_is_turned_off_for_editors_too(self):
        """Image upload is off: articles show no images."""
        self.client.force_login(self.author)
        response = self.post_image()
        self.assertEqual(response.status_code, 403)
        self.assertIn("turned off", response.json()["image"][0])

    def test_markdownx_default_urls_are_not_mounted(self):
        """markdownx's own unprotected URLs are not reachable."""
        self.client.force_login(self.author)
        self.assertEqual(
            self.client.post("/markdownx/markdownify/", {"content": "x"}).status_code, 404
        )
        self.assertEqual(self.client.post("/markdownx/upload/").status_code, 404)


class EditorialAdminAccessTests(EditorialTestCase):
    def urls(self):
        revision = make_submitted(self.article, author=self.author)
        urls = [
            ("get", reverse("admin:articles_article_edit", args=[self.article.pk])),
            ("get", reverse("admin:articles_revision_change", args=[revision.pk])),
            ("get", reverse("admin:editorial_auditevent_changelist")),
        ]
        for name in ("submit", "check", "carry_over", "approve", "request_changes", "publish"):
            urls.append(("post", reverse(f"admin:articles_revision_{name}", args=[revision.pk])))
        urls.append(("post", reverse("admin:articles_article_unpublish", args=[self.article.pk])))
        return urls

    def test_anonymous_sent_to_login(self):
        """Every editorial admin URL sends anonymous users to the login page."""
        for method, url in self.urls():
            response = getattr(self.client, method)(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("admin:login"), response["Location"])

    def test_logged_in_non_staff_refused(self):
        """A logged-in user who is not staff cannot reach the editorial screens."""
        self.client.force_login(make_user("reader"))
        for method, url in self.urls():
            response = getattr(self.client, method)(url)
            self.assertEqual(response.status_code, 302, url)

    def test_staff_without_permissions_cannot_view_revisions(self):
        """Staff without any editorial role cannot open the review screen or the editor."""
        self.client.force_login(make_editor("nobody"))
        for method, url in self.urls()[:3]:
            self.assertEqual(getattr(self.client, method)(url).status_code, 403, url)

    def test_draft_helper_used(self):
        """Drafts made through the service are visible to their author in the admin."""
        revision = draft(self.article, self.author)
        self.client.force_login(self.author)
        url = reverse("admin:articles_revision_change", args=[revision.pk])
        self.assertEqual(self.client.get(url).status_code, 200)


@override_settings(EDITORIAL_REQUIRE_2FA=True)
class PreviewSecondFactorTests(EditorialTestCase):
    """The preview asks for the same second sign-in step as every other editorial screen."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.author_reviewer = make_editor("ara", "Author", "Reviewer", password=PASSWORD)

    def sign_in(self, user):
        response = self.client.post(
            reverse("admin:login"),
            {"username": user.get_username(), "password": PASSWORD, "next": "/admin/"},
        )
        self.assertEqual(self.client.session[SESSION_KEY], str(user.pk), response)

    def test_password_alone_does_not_reach_the_preview(self):
        """An account that reviews, signed in with its password only, gets 403, not a preview."""
        self.sign_in(self.author_reviewer)
        response = self.client.post(MARKDOWNIFY, {"content": "A claim [@k1].\n"})
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"ref-1", response.content)

    def test_enrolled_author_must_give_the_code_first(self):
        """An Author who enrolled a second factor and has not entered a code is refused too."""
        author = make_editor("enrolled", "Author", password=PASSWORD)
        make_second_factor(author)
        self.sign_in(author)
        self.assertEqual(self.client.post(MARKDOWNIFY, {"content": "x"}).status_code, 403)

    def test_verified_sign_in_reaches_the_preview(self):
        """After the code, the same account gets the preview."""
        device, _ = make_second_factor(self.author_reviewer)
        self.sign_in(self.author_reviewer)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        response = self.client.post(MARKDOWNIFY, {"content": "A claim [@k1].\n"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="#ref-1"')
