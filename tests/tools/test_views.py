import csv
import io
import re
import shutil
import tempfile
from pathlib import Path

from django.test import TestCase, override_settings

from kratom_info.tools import tracking
from tests.factories import make_article, make_revision
from tests.tools.helpers import answers_form, make_cited_sources, make_tools_article, site_check


@override_settings(SITE_URL="https://kratom.example.org")
class TrackingSheetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_cited_sources()

    def test_pages_answer(self):
        """The tools index, the sheet's screen and print pages and the check all answer."""
        for url in ["/tools/", "/tools/tracking-sheet/", "/tools/tracking-sheet/print/",
                    "/tools/check/"]:  # fmt: skip
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_csv_has_the_sheet_columns(self):
        """The blank CSV is a header row with exactly the printed table's columns."""
        response = self.client.get("/tools/tracking-sheet.csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('attachment; filename="kratom-tracking-sheet.csv"',
                      response["Content-Disposition"])  # fmt: skip
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(len(rows), 1)
        self.assertEqual(
            rows[0],
            ["Date and time", "Product: name and form", "Amount", "Why I took it",
             "Mood before (0-10)", "Mood after (0-10)", "Anxiety before (0-10)",
             "Anxiety after (0-10)", "Sleep that night"],
        )  # fmt: skip
        printed = self.client.get("/tools/tracking-sheet/print/").content.decode()
        self.assertEqual(re.findall(r'data-column="([^"]+)"', printed), rows[0])

    def test_print_view_has_seven_days_and_choices(self):
        """Seven days of three lines each (sleep once a day); the product forms and reasons to
        pick from; the site's name; help lines; disclaimer."""
        response = self.client.get("/tools/tracking-sheet/print/")
        html = response.content.decode()
        lines = tracking.LINES_PER_DAY
        day = f'<th scope="rowgroup" rowspan="{lines}" class="sheet-day">'
        self.assertEqual(html.count(day), tracking.DAYS)
        self.assertEqual(html.count('<td class="sheet-col--amount"></td>'), tracking.DAYS * lines)
        self.assertEqual(html.count('<td class="sheet-col--sleep" rowspan'), tracking.DAYS)
        self.assertContains(response, "printable tracking sheet · Kratom Facts</title>")
        self.assertNotContains(response, "kratom_info")
        for word in ("leaf powder", "capsule", "extract", "7-OH product", "withdrawal", "habit"):
            self.assertIn(word, html)
        self.assertContains(response, "What I noticed")
        self.assertContains(response, "Questions to bring to a clinician")
        self.assertContains(response, "1-800-662-4357")
        self.assertContains(response, 'class="qr-code"')

    def test_qr_pinned_to_the_article_version(self):
        """With the explaining article published, the sheet's address is its pinned short link
        (/h/<code>/<N>), as on a handout, and the version is printed."""
        article = make_tools_article()
        code = article.short_code.code
        response = self.client.get("/tools/tracking-sheet/print/")
        self.assertContains(response, f"kratom.example.org/h/{code}/1</figcaption>")
        self.assertContains(response, f"QR code: https://kratom.example.org/h/{code}/1")
        self.assertContains(response, "Version 1, published")

    def test_qr_falls_back_to_the_sheet_page(self):
        """Before the article is published, the sheet carries its own stable page address."""
        response = self.client.get("/tools/tracking-sheet/print/")
        self.assertContains(response, "kratom.example.org/tools/tracking-sheet/</figcaption>")
        self.assertNotContains(response, "/h/")

    def test_screen_page_shows_the_reviewed_article(self):
        """The screen version shows the explaining article's body (cited, reviewed text) and
        links to printing and the CSV."""
        make_tools_article()
        response = self.client.get("/tools/tracking-sheet/")
        self.assertContains(response, "What to look for: rising amounts.")
        self.assertContains(response, 'href="/tools/tracking-sheet/print/"')
        self.assertContains(response, 'href="/tools/tracking-sheet.csv"')

    def test_clinics_page_lists_the_sheet(self):
        """/clinics/ offers the sheet beside the handouts."""
        response = self.client.get("/clinics/")
        self.assertContains(response, 'href="/tools/tracking-sheet/print/"')
        self.assertContains(response, 'href="/tools/tracking-sheet.csv"')


class CheckPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_cited_sources()

    def test_form_lists_every_question_and_cites_its_basis(self):
        """Every question is a yes/no pair; the intro's citations have a reference list."""
        response = self.client.get("/tools/check/")
        content = site_check()
        for question in content.questions:
            self.assertContains(response, f'name="q-{question.id}" value="yes"')
            self.assertContains(response, f'name="q-{question.id}" value="no"')
        self.assertContains(response, '<sup class="citation">[<a aria-label="Source 1: ')
        self.assertContains(response, 'id="references"')
        self.assertContains(response, 'method="post"')

    def test_result_page(self):
        """The result counts the yes answers, says it is not a diagnosis, shows the band, the
        signs with their cited notes, matching articles, levels of care, help lines and the
        tracking sheet."""
        make_tools_article()
        make_revision(make_article("tolerance", title="Tolerance"), publish=True)
        response = self.client.post("/tools/check/", answers_form({"tolerance", "daily"}))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<strong>2 of 14</strong>")
        self.assertContains(response, "This is not a diagnosis; a clinician can help you make")
        self.assertContains(response, "<h1>Your result: a few signs</h1>", html=True)
        self.assertContains(response, "Do you take kratom every day?")
        self.assertContains(response, "Levels of care")
        self.assertContains(response, 'href="/articles/tolerance/"')
        self.assertContains(response, "988 Suicide")
        self.assertContains(response, 'href="/tools/tracking-sheet/"')
        self.assertContains(response, '<sup class="citation">[<a aria-label="Source 1: ')

    def test_missing_answers_show_the_form_again(self):
        """Unanswered questions: 400, the form again with those questions named and the given
        answers still chosen."""
        response = self.client.post("/tools/check/", answers_form({"craving"}, skip={"numb"}))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Please answer every question", status_code=400)
        self.assertContains(response, 'href="#numb"', status_code=400)
        self.assertContains(response, 'name="q-craving" value="yes" checked', status_code=400)

    def test_other_methods_refused(self):
        self.assertEqual(self.client.put("/tools/check/").status_code, 405)


class EditorsOwnTheWordingTests(TestCase):
    """The texts come from content/tools/, not from templates: an edited file shows at once."""

    @classmethod
    def setUpTestData(cls):
        make_cited_sources()

    def setUp(self):
        from django.conf import settings

        self.base = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.base)
        shutil.copytree(Path(settings.BASE_DIR) / "content", self.base / "content")
        override = override_settings(BASE_DIR=self.base)
        override.enable()
        self.addCleanup(override.disable)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.base / "content" / "tools" / name
        path.write_text(path.read_text().replace(old, new))

    def test_edited_question_and_band_show(self):
        self.edit("check.yaml", "Do you take kratom every day?", "Do you use kratom daily?")
        self.edit("check.yaml", "title: A few signs", "title: One or two signs")
        self.assertContains(self.client.get("/tools/check/"), "Do you use kratom daily?")
        response = self.client.post("/tools/check/", answers_form({"daily"}))
        self.assertContains(response, "Your result: one or two signs")

    def test_edited_sheet_text_shows(self):
        self.edit("tracking-sheet.yaml", "What help is there near me?", "Where can I get help?")
        self.assertContains(
            self.client.get("/tools/tracking-sheet/print/"), "Where can I get help?"
        )


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_cited_sources()
        make_tools_article()

    def test_print_view_queries(self):
        """The printed sheet: the page-cache generation, then one query (the article with its
        short code and live version)."""
        with self.assertNumQueries(2):
            self.client.get("/tools/tracking-sheet/print/")

    def test_result_queries(self):
        """The result: one query for the cited sources, one for the matching articles."""
        with self.assertNumQueries(2):
            self.client.post("/tools/check/", answers_form({"tolerance"}))
