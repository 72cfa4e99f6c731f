"""The site's own words about a source (evidence type, public note) are shown in the page's
language; titles, authors and journals stay as published. A missing translation falls back to
the English text, marked lang="en" so screen readers pronounce it as English."""

from django.test import TestCase
from django.utils import translation

from tests.factories import make_source

NOTE_EN = "Only the first author is listed; we could not confirm the full author list."
NOTE_ES = "Solo figura el primer autor; no pudimos confirmar la lista completa de autores."
TYPE_EN = "cross-sectional online survey"
TYPE_ES = "encuesta transversal por internet"


class ReaderTextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.both = make_source(
            "both",
            evidence_type=TYPE_EN,
            evidence_type_es=TYPE_ES,
            public_note=NOTE_EN,
            public_note_es=NOTE_ES,
        )
        cls.english_only = make_source("english_only", evidence_type=TYPE_EN, public_note=NOTE_EN)
        cls.plain = make_source("plain")

    def test_reader_text_picks_the_language_and_falls_back_to_english(self):
        """The translation for its language, the English text (labelled 'en') otherwise."""
        self.assertEqual(self.both.reader_text("public_note", "es"), (NOTE_ES, "es"))
        self.assertEqual(self.both.reader_text("public_note", "en"), (NOTE_EN, "en"))
        self.assertEqual(self.both.reader_text("evidence_type", "es"), (TYPE_ES, "es"))
        self.assertEqual(self.english_only.reader_text("public_note", "es"), (NOTE_EN, "en"))
        with translation.override("es"):
            self.assertEqual(self.both.reader_text("evidence_type"), (TYPE_ES, "es"))
        with self.assertRaisesMessage(ValueError, "'title' is not one of"):
            self.both.reader_text("title", "es")

    def test_spanish_reference_shows_the_spanish_note_english_unchanged(self):
        """The reference keeps its English title and authors; only the note is translated."""
        with translation.override("es"):
            spanish = self.both.citation_html()
        with translation.override("en"):
            english = self.both.citation_html()
        self.assertIn(f'<span class="source-note">{NOTE_ES}</span>', spanish)
        self.assertNotIn(NOTE_EN, spanish)
        self.assertIn("A study called both", spanish)
        self.assertIn(f'<span class="source-note">{NOTE_EN}</span>', english)
        self.assertNotIn(NOTE_ES, english)

    def test_missing_spanish_note_falls_back_marked_english(self):
        with translation.override("es"):
            html = self.english_only.citation_html()
        self.assertIn(f'<span class="source-note" lang="en">{NOTE_EN}</span>', html)
        with translation.override("en"):
            html = self.english_only.citation_html()
        self.assertIn(f'<span class="source-note">{NOTE_EN}</span>', html)

    def test_no_note_no_span_in_either_language(self):
        """A source without a note, or with only a Spanish one on an English page, adds
        nothing after the reference."""
        spanish_only = make_source("spanish_only", public_note_es=NOTE_ES)
        for language in ("en", "es"):
            with translation.override(language):
                self.assertNotIn("source-note", self.plain.citation_html())
        with translation.override("en"):
            self.assertNotIn("source-note", spanish_only.citation_html())
        with translation.override("es"):
            self.assertIn(NOTE_ES, spanish_only.citation_html())

    def test_notes_are_escaped(self):
        """Both notes are the editors' plain text, never HTML."""
        source = make_source("escaped", public_note="<b>x</b>", public_note_es="<b>y</b>")
        with translation.override("es"):
            self.assertIn("&lt;b&gt;y&lt;/b&gt;", source.citation_html())
            self.assertIn("&lt;b&gt;y&lt;/b&gt;", source.public_note_html)


class SourcePageLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source(
            "both",
            evidence_type=TYPE_EN,
            evidence_type_es=TYPE_ES,
            public_note=NOTE_EN,
            public_note_es=NOTE_ES,
        )
        make_source("english_only", evidence_type=TYPE_EN, public_note=NOTE_EN)

    def test_spanish_source_list_is_in_spanish(self):
        response = self.client.get("/es/sources/")
        self.assertContains(response, f"Artículo de revista: {TYPE_ES}.")
        self.assertContains(response, f'<span class="source-note">{NOTE_ES}</span>', html=False)
        # The source without a translation shows its English words marked as English.
        self.assertContains(response, f'Artículo de revista: <span lang="en">{TYPE_EN}</span>.')
        self.assertContains(response, f'<span class="source-note" lang="en">{NOTE_EN}</span>')

    def test_spanish_source_page_is_in_spanish(self):
        response = self.client.get("/es/sources/both/")
        self.assertContains(response, f"<dd>{TYPE_ES}</dd>")
        self.assertContains(response, f'<span class="source-note">{NOTE_ES}</span>')
        self.assertNotContains(response, TYPE_EN)
        self.assertNotContains(response, NOTE_EN)
        fallback = self.client.get("/es/sources/english_only/")
        self.assertContains(fallback, f'<dd><span lang="en">{TYPE_EN}</span></dd>')
        self.assertContains(fallback, f'<span class="source-note" lang="en">{NOTE_EN}</span>')

    def test_english_source_pages_are_unchanged(self):
        """English pages show the English words, with no lang attribute and no Spanish."""
        listing = self.client.get("/sources/")
        self.assertContains(listing, f"Journal article: {TYPE_EN}.")
        self.assertContains(listing, f'<span class="source-note">{NOTE_EN}</span>', count=2)
        self.assertNotContains(listing, f'lang="en">{TYPE_EN}')
        self.assertNotContains(listing, f'lang="en">{NOTE_EN}')
        self.assertNotContains(listing, NOTE_ES)
        detail = self.client.get("/sources/both/")
        self.assertContains(detail, f"<dd>{TYPE_EN}</dd>")
        self.assertNotContains(detail, TYPE_ES)
