"""Addresses per language: English addresses unchanged and unprefixed, Spanish under /es/,
the language from the path alone (no cookie, no Accept-Language), and a complete catalogue."""

import gettext
import json
import re
from pathlib import Path

import polib
from django.test import TestCase, override_settings

from kratom_info.articles.importing import import_content
from kratom_info.articles.models import Article

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@override_settings(ALLOWED_HOSTS=["testserver"])
class AddressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import_content(ROOT / "content", publish=True)
        cls.slug = "tolerance"
        cls.code = Article.objects.get(slug=cls.slug, language="en").short_code.code
        cls.es_code = Article.objects.get(slug=cls.slug, language="es").short_code.code

    def _get(self, url, **headers):
        response = self.client.get(url, **headers)
        self.assertFalse(response.cookies, f"{url} set a cookie")
        return response

    def test_every_english_address_form_answers_as_before(self):
        """English addresses keep their meaning: no /en/ prefix, no redirect, English page."""
        s = self.slug
        pages = [
            "/", f"/articles/{s}/", f"/articles/{s}/v1/", f"/articles/{s}/history/",
            f"/articles/{s}/handout/", f"/articles/{s}/v1/handout/", "/clinics/", "/sources/",
            "/sources/singh2014/", "/search/?q=tolerance", "/editorial-policy/", "/feed/",
            f"/feed/articles/{s}/", "/sitemap.xml", "/tools/", "/tools/tracking-sheet/",
            "/tools/tracking-sheet/print/", "/tools/tracking-sheet.csv", "/tools/check/",
            f"/h/{self.code}/qr.svg", f"/h/{self.code}/1/qr.svg",
        ]  # fmt: skip
        for url in pages:
            with self.subTest(url=url):
                # A Spanish browser still gets the English page at an English address.
                response = self._get(url, HTTP_ACCEPT_LANGUAGE="es")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Accept-Language", response.get("Vary", ""))
                if response["Content-Type"].startswith("text/html"):
                    self.assertContains(response, '<html lang="en">')
        redirects = {
            f"/h/{self.code}": f"/articles/{s}/",
            f"/h/{self.code}/1": f"/articles/{s}/v1/",
            f"/h/{self.es_code}/1": f"/es/articles/{s}/v1/",
        }
        for url, target in redirects.items():
            with self.subTest(url=url):
                status = 301 if url.count("/") == 3 else 302  # pinned links are permanent
                self.assertRedirects(
                    self._get(url), target, status_code=status, fetch_redirect_response=False
                )
        self.assertEqual(self._get(f"/articles/{s}/diff/1/1/").status_code, 404)
        self.assertEqual(self._get("/en/articles/tolerance/").status_code, 404)

    def test_every_spanish_address_answers_in_spanish(self):
        """The same promises under /es/, in Spanish, linked to their English twins."""
        s = self.slug
        pages = [
            "/es/", f"/es/articles/{s}/", f"/es/articles/{s}/v1/", f"/es/articles/{s}/history/",
            f"/es/articles/{s}/handout/", f"/es/articles/{s}/v1/handout/", "/es/clinics/",
            "/es/sources/", "/es/sources/singh2014/", "/es/search/?q=tolerancia", "/es/feed/",
            f"/es/feed/articles/{s}/", "/es/editorial-policy/", "/es/tools/",
            "/es/tools/tracking-sheet/", "/es/tools/tracking-sheet/print/",
            "/es/tools/tracking-sheet.csv", "/es/tools/check/",
        ]  # fmt: skip
        for url in pages:
            with self.subTest(url=url):
                response = self._get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Language"], "es")
                if response["Content-Type"].startswith("text/html"):
                    self.assertContains(response, '<html lang="es">')
        page = self._get(f"/es/articles/{s}/")
        self.assertContains(page, "Tolerancia")
        self.assertContains(page, "Ayuda ahora")
        self.assertContains(page, "marque 2 para español")
        self.assertContains(
            page,
            f'hreflang="en" href="http://testserver/articles/{s}/"'.replace(
                "http://testserver", _site()
            ),
        )
        self.assertContains(page, f'href="/articles/{s}/" hreflang="en" lang="en">English</a>')
        english = self._get(f"/articles/{s}/")
        self.assertContains(
            english, f'href="/es/articles/{s}/" hreflang="es" lang="es">Español</a>'
        )
        handout = self._get(f"/es/articles/{s}/handout/")
        self.assertContains(handout, f"/h/{self.es_code.lower()}/1", msg_prefix="pinned short link")
        self.assertEqual(self._get("/es/sitemap.xml").status_code, 404)

    def test_language_switch_keeps_only_what_the_page_reads(self):
        """A search keeps its words in the other language; parameters a link happened to
        carry (a click id, a campaign tag) are not copied into hreflang or the switch."""
        search = self._get("/search/?q=withdrawal&fbclid=abc&utm_source=news")
        self.assertContains(search, 'href="/es/search/?q=withdrawal" hreflang="es"')
        self.assertContains(search, f'hreflang="es" href="{_site()}/es/search/?q=withdrawal"')
        self.assertNotContains(search, "fbclid")
        home = self._get("/es/?fbclid=abc")
        self.assertContains(home, 'href="/" hreflang="en" lang="en">English</a>')
        self.assertNotContains(home, "fbclid")
        sources = self._get("/sources/?utm_source=news")
        self.assertContains(sources, 'href="/es/sources/" hreflang="es"')
        self.assertNotContains(sources, "utm_source")

    def test_json_ld_and_sitemap_carry_the_language(self):
        """JSON-LD says inLanguage es and names the English version; the sitemap lists both
        languages as hreflang alternates."""
        page = self._get(f"/es/articles/{self.slug}/").content.decode()
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
        )
        self.assertEqual(data["inLanguage"], "es")
        self.assertEqual(data["translationOfWork"]["version"], "1")
        sitemap = self._get("/sitemap.xml").content.decode()
        self.assertIn(f'hreflang="es" href="{_site()}/es/articles/{self.slug}/"', sitemap)
        self.assertIn(f'hreflang="en" href="{_site()}/articles/{self.slug}/"', sitemap)


def _site():
    from django.conf import settings

    return settings.SITE_URL.rstrip("/")


class CatalogueTests(TestCase):
    def test_spanish_catalogue_is_complete(self):
        """Every marked string has a Spanish translation; none is fuzzy or obsolete."""
        catalogue = polib.pofile(str(PO))
        self.assertGreater(len(catalogue), 100)
        self.assertEqual([e.msgid for e in catalogue.untranslated_entries()], [])
        self.assertEqual([e.msgid for e in catalogue.fuzzy_entries()], [])
        self.assertEqual([e.msgid for e in catalogue.obsolete_entries()], [])

    def test_compiled_catalogue_matches_the_po(self):
        """The committed .mo (read with Python's gettext) says what the .po says."""
        with MO.open("rb") as stream:
            compiled = gettext.GNUTranslations(stream)
        for entry in polib.pofile(str(PO)):
            with self.subTest(msgid=entry.msgid[:40]):
                if entry.msgid_plural:
                    self.assertEqual(
                        compiled.ngettext(entry.msgid, entry.msgid_plural, 2),
                        entry.msgstr_plural[1],
                    )
                elif entry.msgctxt:
                    self.assertEqual(compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr)
                else:
                    self.assertEqual(compiled.gettext(entry.msgid), entry.msgstr)
