"""The reader tools in Spanish under /es/tools/: Spanish texts from content/es/tools/, Spanish
interface strings, the Spanish article pinned on the sheet, and the same privacy as English."""

import csv
import io
import logging
import re

from django.test import TestCase, override_settings

from kratom_info.articles.models import Article
from kratom_info.tools import tracking
from kratom_info.tools.content import site_check, site_sheet
from kratom_info.tools.scoring import NO, YES, field_name
from tests.factories import make_article, make_revision, make_translation
from tests.tools.helpers import TOOLS_ARTICLE, make_cited_sources, make_tools_article
from tests.tools.test_privacy import CANARY, YES_IDS, assert_no_answers_logged, row_counts

SPANISH_COLUMNS = [
    "Fecha y hora", "Producto: nombre y forma", "Cantidad", "Por qué lo tomé",
    "Ánimo antes (0-10)", "Ánimo después (0-10)", "Ansiedad antes (0-10)",
    "Ansiedad después (0-10)", "Sueño esa noche",
]  # fmt: skip


def spanish_answers(yes_ids=(), *, skip=()) -> dict[str, str]:
    return {
        field_name(question): YES if question.id in yes_ids else NO
        for question in site_check("es").questions
        if question.id not in skip
    }


def make_spanish_tools_article() -> Article:
    """The Spanish translation of the article the sheet's QR code is pinned to, published."""
    english = make_tools_article()
    translation = make_translation(english, title="Llevar la cuenta de su uso")
    make_revision(translation, "Qué buscar: cantidades que suben.\n", publish=True,
                  translates=english.live_revision)  # fmt: skip
    return Article.objects.select_related("short_code").get(pk=translation.pk)


def assert_spanish_page(test, response, status=200):
    test.assertEqual(response.status_code, status)
    test.assertEqual(response["Content-Language"], "es")
    test.assertContains(response, '<html lang="es">', status_code=status)
    test.assertEqual(dict(response.cookies), {})


@override_settings(SITE_URL="https://kratom.example.org")
class SpanishToolPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_cited_sources()

    def test_every_spanish_tools_address_answers_in_spanish(self):
        """/es/tools/, the sheet (screen and print) and the check answer 200 in Spanish, with
        the Spanish texts of content/es/tools/ and no English interface string."""
        sheet, check = site_sheet("es"), site_check("es")
        expected = {
            "/es/tools/": ["<h1>Herramientas</h1>", "Prueba de señales de alerta",
                           f"{sheet.title}: una hoja de registro semanal", sheet.intro],
            "/es/tools/tracking-sheet/": ["Imprimir la hoja", "Qué pide la hoja",
                                          "Marque con un círculo una o más: hoja en polvo",
                                          "Preguntas para llevar a un profesional de salud",
                                          sheet.how_to_use[0]],
            "/es/tools/tracking-sheet/print/": ["Semana que empieza el:", "Lo que noté",
                                                "Día", "dolor · energía · ánimo",
                                                sheet.noticed_prompt, "Código QR:"],
            "/es/tools/check/": ["<h1>Prueba de señales de alerta</h1>", "Privada:",
                                 check.questions[0].text, "Ver mi resultado", "> Sí</label>",
                                 check.privacy, "Referencias"],
        }  # fmt: skip
        english = ["Warning-signs check", "weekly tracking sheet", "What I noticed",
                   "See my result", "> Yes</label>", "Print the sheet", "Week starting",
                   "QR code:", "Date and time", "leaf powder"]  # fmt: skip
        for url, strings in expected.items():
            with self.subTest(url=url):
                response = self.client.get(url)
                assert_spanish_page(self, response)
                for text in strings:
                    self.assertContains(response, text)
                for text in english:
                    self.assertNotContains(response, text)

    def test_spanish_pages_link_to_spanish_pages(self):
        """Links stay under /es/, and each page names its English twin as an alternate."""
        index = self.client.get("/es/tools/")
        self.assertContains(index, 'href="/es/tools/tracking-sheet/"')
        self.assertContains(index, 'href="/es/tools/check/"')
        self.assertContains(index, 'href="/tools/" hreflang="en" lang="en">English</a>')
        self.assertContains(index, 'hreflang="es" href="https://kratom.example.org/es/tools/"')
        sheet = self.client.get("/es/tools/tracking-sheet/")
        self.assertContains(sheet, 'href="/es/tools/tracking-sheet/print/"')
        self.assertContains(sheet, 'href="/es/tools/tracking-sheet.csv"')
        english = self.client.get("/tools/check/")
        self.assertContains(english, 'href="/es/tools/check/" hreflang="es" lang="es">Español')

    def test_spanish_csv_has_spanish_columns(self):
        """The blank CSV under /es/ is headed in Spanish (with the byte-order mark Excel needs
        for accents) and matches the printed Spanish sheet's columns."""
        response = self.client.get("/es/tools/tracking-sheet.csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('filename="kratom-hoja-de-registro.csv"', response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows, [SPANISH_COLUMNS])
        printed = self.client.get("/es/tools/tracking-sheet/print/").content.decode()
        self.assertEqual(re.findall(r'data-column="([^"]+)"', printed), SPANISH_COLUMNS)
        day = f'<th scope="rowgroup" rowspan="{tracking.LINES_PER_DAY}" class="sheet-day">'
        self.assertEqual(printed.count(day), tracking.DAYS)

    def test_english_sheet_is_unchanged(self):
        """The English CSV and sheet keep their English columns and no byte-order mark."""
        response = self.client.get("/tools/tracking-sheet.csv")
        self.assertTrue(response.content.startswith(b"Date and time,"))
        self.assertIn('filename="kratom-tracking-sheet.csv"', response["Content-Disposition"])
        printed = self.client.get("/tools/tracking-sheet/print/")
        self.assertContains(printed, '<html lang="en">')
        self.assertContains(printed, "Week starting:")
        self.assertContains(printed, 'data-column="Date and time"')
        self.assertNotContains(printed, "Semana")

    def test_print_pinned_to_the_spanish_article(self):
        """With the Spanish explaining article published, the Spanish sheet's QR code and
        address are that article's pinned short link, not the English one's."""
        translation = make_spanish_tools_article()
        english_code = Article.objects.get(slug=TOOLS_ARTICLE, language="en").short_code.code
        code = translation.short_code.code
        response = self.client.get("/es/tools/tracking-sheet/print/")
        self.assertContains(response, f"kratom.example.org/h/{code}/1</figcaption>")
        self.assertContains(response, f"Código QR: https://kratom.example.org/h/{code}/1")
        self.assertContains(response, "Versión 1, publicada el")
        self.assertNotContains(response, f"/h/{english_code}/")
        screen = self.client.get("/es/tools/tracking-sheet/")
        self.assertContains(screen, "Qué buscar: cantidades que suben.")
        self.assertContains(screen, 'href="/es/articles/tracking-your-use/"')

    def test_print_falls_back_to_the_spanish_sheet_page(self):
        """With only the English article published, the Spanish sheet carries its own Spanish
        page address (never the English article's)."""
        make_tools_article()
        response = self.client.get("/es/tools/tracking-sheet/print/")
        self.assertContains(response, "kratom.example.org/es/tools/tracking-sheet/</figcaption>")
        self.assertNotContains(response, "/h/")


class SpanishCheckTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_cited_sources()
        cls.spanish = make_spanish_tools_article()
        tolerance = make_article("tolerance", title="Tolerance")
        english = make_revision(tolerance, publish=True)
        make_revision(make_translation(tolerance, title="Tolerancia"), publish=True,
                      translates=english)  # fmt: skip

    def post(self, data):
        return self.client.post("/es/tools/check/", {**data, "note": CANARY})

    def test_result_in_spanish(self):
        """The Spanish result: count, band, the signs with their cited notes, levels of care,
        Spanish articles to read next, help lines and the sheet, all in Spanish."""
        check = site_check("es")
        response = self.post(spanish_answers({"tolerance", "daily"}))
        assert_spanish_page(self, response)
        self.assertContains(response, "<strong>2 de 14</strong>")
        self.assertContains(response, "<h1>Su resultado: algunas señales</h1>", html=True)
        self.assertContains(response, check.disclaimer)
        self.assertContains(response, "Las señales a las que respondió que sí")
        self.assertContains(response, "¿Toma kratom todos los días?")
        self.assertContains(response, "Niveles de atención")
        self.assertContains(response, check.care_levels[0].title)
        self.assertContains(response, 'href="/es/articles/tolerance/">Tolerancia</a>')
        self.assertNotContains(response, 'href="/articles/tolerance/"')
        self.assertContains(response, 'href="/es/tools/tracking-sheet/"')
        self.assertContains(response, "Hable hoy con alguien (Estados Unidos)")
        self.assertContains(response, "marque 2 para español")
        # Citation and back-link names speak Spanish too (source 7 is cited twice).
        self.assertContains(
            response, '<a aria-label="Fuente 1: Doe et al., 2020" href="#ref-1" id="cite-1-1">1</a>'
        )
        self.assertContains(
            response,
            '<a href="#cite-7-2" aria-label="Volver a la cita 2 de la fuente 7 en el texto">2</a>',
        )
        self.assertContains(
            response,
            '<a href="#cite-1-1" aria-label="Volver a la cita de la fuente 1 en el texto">'
            "volver</a>",
        )
        self.assertNotContains(response, "Back to")
        self.assertContains(response, "Sus respuestas no se guardaron.")
        for english in ("Your result", "Levels of care", "Read next", "Take the check again"):
            self.assertNotContains(response, english)

    def test_every_band_has_a_spanish_result(self):
        """Each count from 0 to every question lands in a Spanish band."""
        check = site_check("es")
        ids = [question.id for question in check.questions]
        titles = set()
        for count in range(len(ids) + 1):
            response = self.post(spanish_answers(set(ids[:count])))
            self.assertEqual(response.status_code, 200)
            titles.add(re.search(r"<h1>Su resultado: ([^<]+)</h1>",
                                 response.content.decode()).group(1))  # fmt: skip
        self.assertEqual(titles, {band.title.lower() for band in check.bands})

    def test_missing_answers_in_spanish(self):
        """A missing answer: 400, the Spanish form again naming the question."""
        response = self.post(spanish_answers({"craving"}, skip={"numb"}))
        assert_spanish_page(self, response, status=400)
        self.assertContains(response, "Por favor, responda todas las preguntas", status_code=400)
        self.assertContains(response, "Elija sí o no.", status_code=400)
        self.assertContains(response, 'href="#numb"', status_code=400)
        self.assertContains(response, 'name="q-craving" value="yes" checked', status_code=400)

    def test_spanish_check_keeps_nothing(self):
        """Same privacy as English: no row, no cookie, no-store, no referrer, no answer in a
        log line."""
        before = row_counts()
        self.client.cookies.clear()
        with self.assertLogs(level="DEBUG") as logs:
            logging.getLogger("tests").debug("start")
            responses = [
                self.client.get("/es/tools/check/"),
                self.post(spanish_answers(YES_IDS)),
                self.post(spanish_answers(YES_IDS, skip={"time"})),
            ]
        for response in responses:
            with self.subTest(status=response.status_code):
                self.assertIn("no-store", response["Cache-Control"])
                self.assertEqual(response["Referrer-Policy"], "no-referrer")
                self.assertEqual(dict(response.cookies), {})
        self.assertEqual(dict(self.client.cookies), {})
        self.assertEqual(row_counts(), before)
        assert_no_answers_logged(self, "\n".join(logs.output))
