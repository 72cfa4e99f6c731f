import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from kratom_info.articles.importing import parse_article_file
from kratom_info.citations.importing import ContentError

FRONT = "---\nslug: a\ntitle: T\nsummary: S.\n{extra}---\nBody.\n"


class FrontMatterLanguageTests(SimpleTestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.root)

    def parse(self, extra: str = ""):
        path = self.root / "a.md"
        path.write_text(FRONT.format(extra=extra))
        return parse_article_file(path)

    def test_english_file_defaults(self):
        """Without the new fields a file is English and translates nothing."""
        article = self.parse()
        self.assertEqual((article.language, article.translates), ("en", None))

    def test_translation_fields_are_read(self):
        """language and translates are accepted and kept."""
        article = self.parse("language: es\ntranslates: 3\n")
        self.assertEqual((article.language, article.translates), ("es", 3))

    def test_unknown_language_is_refused(self):
        """Only the site's languages are accepted, named at the field's line."""
        with self.assertRaisesMessage(ContentError, "a.md:5: language 'fr' must be one of"):
            self.parse("language: fr\n")

    def test_bad_translates_is_refused(self):
        """translates must be a whole number of at least 1 (not text, zero, a fraction or a
        yes/no value)."""
        for value in ("uno", "0", "-2", "1.5", "true"):
            with self.subTest(value=value):
                with self.assertRaisesMessage(ContentError, "a.md:6: translates"):
                    self.parse(f"language: es\ntranslates: {value}\n")

    def test_translates_on_english_is_refused(self):
        """An English file cannot claim to translate another version."""
        with self.assertRaisesMessage(ContentError, "'translates' is only for translations"):
            self.parse("translates: 1\n")
