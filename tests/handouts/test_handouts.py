import re

from django.template.loader import render_to_string
from django.test import TestCase, override_settings
from django.utils import translation

from tests.factories import make_article, make_revision
from tests.handouts.helpers import make_published_article

SITE = "https://kratom.example.org"


@override_settings(SITE_URL=SITE)
class HandoutPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_published_article("dose", versions=2, title="Dose ranges")
        cls.code = cls.article.short_code.code
        cls.draft = make_revision(cls.article, "Draft.\n", main_message="Secret draft message.")
        make_revision(make_article("draft-only"))

    def test_live_handout_has_everything_a_printed_page_needs(self):
        """The handout shows title, main message, key points, help lines, QR, short URL,
        version and date, and says where the full article with sources is."""
        with self.assertNumQueries(2):  # the page-cache generation; the article
            response = self.client.get("/articles/dose/handout/")
        live = self.article.live_revision
        self.assertContains(response, "<h1>Dose ranges</h1>", html=True)
        self.assertContains(response, "Main message of dose version 2.")
        self.assertContains(response, "Key point A of dose.")
        self.assertContains(response, "Key point B of dose.")
        for number in ("911", "988", "1-800-662-4357", "1-800-222-1222"):
            self.assertContains(response, number)
        self.assertContains(response, '<svg viewBox="0 0 ')
        self.assertContains(response, f"Version 2, published {live.published_at:%-d %B %Y}.")
        self.assertContains(
            response, "Scan the code or type the address to open the full article with its sources."
        )
        self.assertContains(response, 'href="/static/css/handout.css"')
        self.assertNotContains(response, "Secret draft message.")

    def test_live_handout_pins_the_live_version(self):
        """The live version's handout prints and encodes /h/<code>/<N>, not the live link, so
        the paper keeps leading to what the clinician printed."""
        response = self.client.get("/articles/dose/handout/")
        self.assertContains(response, f"kratom.example.org/h/{self.code}/2</figcaption>")
        self.assertContains(response, f"QR code: {SITE}/h/{self.code}/2</title>")

    def test_version_handout_shows_that_version(self):
        """/articles/<slug>/v<N>/handout/ prints version N, its own short URL, and on screen
        points to the current handout."""
        with self.assertNumQueries(2):  # the page-cache generation; the version
            response = self.client.get("/articles/dose/v1/handout/")
        self.assertContains(response, "Main message of dose version 1.")
        self.assertNotContains(response, "Main message of dose version 2.")
        self.assertContains(response, f"kratom.example.org/h/{self.code}/1</figcaption>")
        self.assertContains(response, "Version 1, published")
        self.assertContains(response, 'href="/articles/dose/handout/"')

    def test_no_handout_for_drafts_or_unpublished_articles(self):
        """Drafts, unknown versions and unpublished articles have no handout."""
        for url in (
            f"/articles/dose/v{self.draft.number}/handout/",
            "/articles/dose/v99/handout/",
            "/articles/draft-only/handout/",
            "/articles/draft-only/v1/handout/",
            "/articles/nosuch/handout/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_article_pages_link_to_their_handout(self):
        """The live page links to the live handout; a permanent link to its version's."""
        self.assertContains(self.client.get("/articles/dose/"), 'href="/articles/dose/handout/"')
        self.assertContains(
            self.client.get("/articles/dose/v1/"), 'href="/articles/dose/v1/handout/"'
        )


class HandoutHelpLinesTests(TestCase):
    def test_handout_and_footer_share_the_help_lines(self):
        """The handout prints the same help lines as every page's footer, every number a
        link (the TTY line too, 988's text line and the Veterans Crisis Line's)."""

        def phone_links(html: str) -> list[str]:
            return re.findall(r'href="((?:tel|sms):[^"]+)"', html)

        footer = phone_links(render_to_string("includes/_footer.html"))
        handout = phone_links(
            render_to_string("includes/_help_lines.html", {"section_class": "handout-help"})
        )
        self.assertEqual(handout, footer)
        self.assertEqual(
            footer,
            ["tel:911", "tel:988", "sms:988", "sms:838255", "tel:+18006624357",
             "tel:+18004874889", "tel:+18002221222"],
        )  # fmt: skip

    def test_help_lines_name_naloxone(self):
        """Every page and every handout says to call 911 and give naloxone at once."""
        html = render_to_string("includes/_help_lines.html", {"section_class": "handout-help"})
        self.assertIn("naloxone (Narcan)", html)
        self.assertIn("Call 911 and give naloxone (Narcan) right away", html)
        self.assertNotIn("then call 911 anyway", html)
        self.assertIn("without a prescription", html)

    def test_help_lines_carry_the_veterans_crisis_line(self):
        """The Veterans Crisis Line: 988 then press 1, or text 838255, in both languages."""
        html = render_to_string("includes/_help_lines.html", {"section_class": "handout-help"})
        self.assertIn("Veterans Crisis Line:", html)
        self.assertIn('Veterans Crisis Line:</strong> press 1, or text <a href="sms:838255">', html)
        with translation.override("es"):
            spanish = render_to_string("includes/_help_lines.html")
        self.assertIn("Veteranos:</strong> marque 1", spanish)
        self.assertIn('marque 1, o texto al <a href="sms:838255">838255</a>', spanish)
        self.assertIn("Llame al 911 y dele naloxona (Narcan) de inmediato", spanish)
