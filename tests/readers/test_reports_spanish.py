"""The report-an-error form under /es/: labels, help texts, error messages and the thank-you
page in Spanish, the report stored on the Spanish version the reader saw."""

from django.core.exceptions import ValidationError
from django.test import Client, TestCase, override_settings
from django.utils import dateformat, translation

from kratom_info.readers.models import MESSAGE_MAX_LENGTH, ErrorReport
from kratom_info.readers.services import error_report_submit
from tests.readers.helpers import make_spanish_site

URL = "/es/articles/stopping/report/"


@override_settings(ERROR_REPORT_RATE_LIMIT=2)
class SpanishReportFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_spanish_site()

    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)

    def post(self, data, address="203.0.113.5"):
        token = self.client.get(URL, REMOTE_ADDR=address).cookies["csrftoken"].value
        return self.client.post(URL, {"csrfmiddlewaretoken": token, **data}, REMOTE_ADDR=address)

    def test_form_is_in_spanish(self):
        """Every label, help text and button is Spanish; the version line has a Spanish
        date; the form posts to the Spanish address."""
        response = self.client.get(URL)
        self.assertContains(response, '<html lang="es">')
        for text in (
            '<label for="id_message">¿Qué está mal?</label>',
            f"respalde lo que dice. Hasta {MESSAGE_MAX_LENGTH} caracteres.",
            '<label for="id_location">¿Dónde? (opcional)</label>',
            "La sección o la frase a la que se refiere.",
            '<label for="id_email">Su correo electrónico (opcional)</label>',
            "Solo si quiere una respuesta. No lo usamos para nada más.",
            '<label for="id_website">Deje esto en blanco</label>',
            "Enviar el reporte",
            f'action="{URL}"',
        ):
            self.assertContains(response, text)
        with translation.override("es"):
            date = dateformat.format(self.site["es_v1"].published_at, r"j \d\e F \d\e Y")
        self.assertContains(
            response, f'<a href="/es/articles/stopping/v1/">versión 1</a>, publicada el {date}.'
        )
        self.assertNotContains(response, "What is wrong?")

    def test_errors_are_in_spanish(self):
        """An empty message, one too long and a bad email address are refused in Spanish,
        each beside its field."""
        empty = self.post({"message": "  "})
        self.assertContains(empty, "Por favor, diga qué está mal.", status_code=400)
        long = self.post({"message": "x" * (MESSAGE_MAX_LENGTH + 1)})
        self.assertContains(
            long,
            f"Por favor, use como máximo {MESSAGE_MAX_LENGTH} caracteres "
            f"(tiene {MESSAGE_MAX_LENGTH + 1}).",
            status_code=400,
        )
        email = self.post({"message": "Un error.", "email": "not-an-address"})
        self.assertContains(email, 'id="id_email-errors"', status_code=400)
        self.assertContains(email, "correo electrónico válida", status_code=400)
        self.assertFalse(ErrorReport.objects.exists())

    def test_rate_limit_message_is_in_spanish(self):
        """Past the limit the reader is told, in Spanish, how many reports an hour are allowed."""
        for n in range(2):
            self.assertEqual(self.post({"message": f"Reporte {n}"}).status_code, 302)
        refused = self.post({"message": "Uno de más"})
        self.assertContains(
            refused,
            "Demasiados reportes desde su dirección: como máximo 2 por hora.",
            status_code=429,
        )

    def test_report_is_stored_on_the_spanish_version_and_thanked_in_spanish(self):
        """The report names the Spanish version; the thank-you page is Spanish."""
        response = self.post({"message": "La tabla de dosis está mal.", "version": "1"})
        self.assertRedirects(response, "/es/articles/stopping/report/thanks/")
        report = ErrorReport.objects.get()
        self.assertEqual(report.revision, self.site["es_v1"])
        self.assertEqual(report.article, self.site["stopping_es"])
        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, "<h1>Gracias</h1>")
        self.assertContains(thanks, 'href="/es/articles/stopping/history/"')

    def test_service_messages_follow_the_active_language(self):
        """The service's own errors come in the request's language."""
        with translation.override("es"), self.assertRaises(ValidationError) as caught:
            error_report_submit(
                article=self.site["stopping_es"], revision=self.site["v2"], message=" ",
                client_address="203.0.113.9",
            )  # fmt: skip
        self.assertEqual(
            caught.exception.message_dict,
            {
                "message": ["Por favor, diga qué está mal."],
                "version": ["Esa versión del artículo no está publicada."],
            },
        )

    def test_english_form_is_unchanged(self):
        """The English form keeps its English labels and help text."""
        response = self.client.get("/articles/stopping/report/")
        self.assertContains(response, '<label for="id_message">What is wrong?</label>')
        self.assertContains(response, f"Up to {MESSAGE_MAX_LENGTH} characters.")
        self.assertNotContains(response, "¿Qué está mal?")
