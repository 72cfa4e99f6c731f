import io
import xml.etree.ElementTree as ET

from django.test import TestCase, override_settings

from tests.factories import make_revision
from tests.handouts.helpers import make_published_article, require_zbar

SITE = "https://kratom.example.org"


@override_settings(SITE_URL=SITE)
class QrCodeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_published_article("dose", versions=2)
        cls.code = cls.article.short_code.code
        cls.draft = make_revision(cls.article, "Draft.\n")

    def decoded(self, url: str) -> str:
        decode = require_zbar(self)
        from PIL import Image

        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        results = decode(Image.open(io.BytesIO(response.content)))
        self.assertEqual(len(results), 1, url)
        return results[0].data.decode()

    def test_pinned_png_encodes_the_absolute_pinned_short_url(self):
        """/h/<code>/<N>/qr.png decodes to SITE_URL/h/<code>/<N>."""
        self.assertEqual(self.decoded(f"/h/{self.code}/1/qr.png"), f"{SITE}/h/{self.code}/1")

    def test_live_png_encodes_the_absolute_live_short_url(self):
        """/h/<code>/qr.png decodes to SITE_URL/h/<code>."""
        self.assertEqual(self.decoded(f"/h/{self.code}/qr.png"), f"{SITE}/h/{self.code}")

    def test_qr_codes_have_content_types_and_year_long_cache(self):
        """QR images are SVG or PNG, public, cached for a year and immutable."""
        for url, content_type in (
            (f"/h/{self.code}/qr.svg", "image/svg+xml"),
            (f"/h/{self.code}/qr.png", "image/png"),
            (f"/h/{self.code}/2/qr.svg", "image/svg+xml"),
            (f"/h/{self.code}/2/qr.png", "image/png"),
        ):
            with self.assertNumQueries(2):  # the page-cache generation; the code
                response = self.client.get(url)
            self.assertEqual(response["Content-Type"], content_type, url)
            cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
            self.assertEqual(cache_control, {"public", "max-age=31536000", "immutable"}, url)

    def test_svg_is_well_formed_and_names_the_url(self):
        """The SVG parses as XML and its title names the encoded short URL."""
        response = self.client.get(f"/h/{self.code}/2/qr.svg")
        root = ET.fromstring(response.content)  # noqa: S314 (our own output)
        self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")
        self.assertIn(f"{SITE}/h/{self.code}/2", response.content.decode())
        self.assertTrue(response.content.startswith(b"<?xml"))

    def test_no_qr_code_for_drafts_or_unknown_codes(self):
        """Drafts, unknown versions and unknown codes get a 404, never an image, and no
        cache keeps the 404."""
        for url in (
            f"/h/{self.code}/{self.draft.number}/qr.png",
            f"/h/{self.code}/99/qr.svg",
            "/h/zzzz/qr.svg",
            "/h/zzzz/1/qr.png",
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertIn("no-store", response["Cache-Control"], url)
