from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

from kratom_info.articles.content_checks import (
    MIN_SPANISH_READING_EASE,
    check_content,
    reading_grade,
    spanish_reading_ease,
)
from kratom_info.citations.claims import find_uncited_numbers

from .content_folders import REPO_CONTENT, content_folder

ENGLISH = """\
---
slug: a
title: Title
summary: A summary.
key_points:
  - One point.
  - Two point.
  - Three point.
---
The cat sat on the mat [@good2020].
"""

# Front matter is 11 lines, so the body starts on line 12.
SPANISH_FRONT = """\
---
slug: {slug}
language: {language}
translates: {translates}
title: Título
summary: Un resumen.
key_points:
  - Un punto.
  - Otro punto.
  - Un punto más.
---
"""
CLEAN_BODY = "El gato se sentó en la cama [@good2020].\n\nEra un día de sol.\n"


class SpanishContentCheckTests(SimpleTestCase):
    def setUp(self):
        self.root = content_folder(self)
        (self.root / "articles" / "a.md").write_text(ENGLISH)

    def write(self, body: str, slug: str = "a", language: str = "es", translates="1") -> Path:
        path = self.root / "es" / "articles" / f"{slug}.md"
        front = SPANISH_FRONT.format(slug=slug, language=language, translates=translates)
        path.write_text(front + body)
        return path

    def problems(self) -> list[str]:
        return [str(p) for p in check_content(self.root).problems]

    def test_clean_translation_passes_and_is_reported_apart(self):
        """A short, cited, plain Spanish file passes; its row is a translation, not an
        English article."""
        self.write(CLEAN_BODY)
        report = check_content(self.root)
        self.assertEqual([str(p) for p in report.problems], [])
        self.assertEqual([row.slug for row in report.stats], ["a"])
        self.assertEqual(len(report.translations), 1)
        row = report.translations[0]
        self.assertEqual((row.slug, row.language, row.translates), ("a", "es", 1))
        self.assertGreaterEqual(row.reading_ease, MIN_SPANISH_READING_EASE)

    def test_unknown_key(self):
        """An unknown key in a Spanish file is reported with file and line."""
        self.write("Una afirmación [@falta].\n")
        self.assertEqual(
            self.problems(),
            [f"{self.root}/es/articles/a.md:12: unknown citation key 'falta'"],
        )

    def test_uncited_number(self):
        """A Spanish sentence stating a number without a citation is reported."""
        self.write("El kratom es un árbol [@good2020]. La mayoría toma 3 gramos.\n")
        problems = self.problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("a.md:12: states a number without a citation: 'La mayoría", problems[0])

    def test_question_starts_a_new_sentence(self):
        """A sentence opening with '¿' or an accented capital is its own unit, so the citation
        of the sentence before does not cover its number."""
        body = "Es un árbol [@good2020]. ¿Toma 3 gramos? Él toma 4 gramos [@good2020].\n"
        self.assertEqual(
            [(unit.line, unit.text) for unit in find_uncited_numbers(body)],
            [(1, "¿Toma 3 gramos?")],
        )

    def test_hard_text_fails_the_reading_formula(self):
        """Long sentences with long words fall below the Fernández-Huerta threshold."""
        self.write(
            "La caracterización farmacológica demuestra una considerable variabilidad "
            "interindividual respecto de la dependencia fisiológica, la sintomatología de "
            "abstinencia y el funcionamiento neuropsicológico entre consumidores habituales "
            "[@good2020].\n"
        )
        problems = self.problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("a.md:12: Fernández-Huerta reading ease", problems[0])
        self.assertIn(f"below {MIN_SPANISH_READING_EASE:g}", problems[0])

    def test_emergency_section_without_naloxona(self):
        """A section that says to call 911 but never mentions naloxona is reported."""
        self.write(
            "Texto [@good2020].\n\n## En una emergencia\n\n"
            "Si alguien respira despacio, llame a los servicios de emergencia.\n"
        )
        problems = self.problems()
        self.assertIn("a.md:16: emergency steps without naloxona", " ".join(problems))

    def test_emergency_section_with_naloxona_and_the_shared_block_passes(self):
        """Naloxona (or Narcan) and the shared steps in the same section satisfy the rules."""
        for folder in (self.root / "blocks", self.root / "es" / "blocks"):
            folder.mkdir(parents=True)
            (folder / "emergency-steps.md").write_text("Dele naloxona si la tiene [@good2020].\n")
        self.write(
            "Texto [@good2020].\n\n## En una emergencia\n\n"
            "Llame al 911 y dele naloxona (Narcan) de inmediato [@good2020].\n\n"
            "{{ emergency-steps }}\n"
        )
        self.assertEqual(self.problems(), [])

    def test_translates_must_be_a_whole_number(self):
        """translates 'uno', 0 or 1.5 is refused with its file line."""
        for value in ("uno", "0", "1.5"):
            with self.subTest(value=value):
                self.write(CLEAN_BODY, translates=value)
                problems = self.problems()
                self.assertEqual(len(problems), 1, problems)
                self.assertIn("a.md:4: translates", problems[0])
                self.assertIn("whole number", problems[0])

    def test_translates_is_required(self):
        """A Spanish file must say which English version it translates."""
        path = self.write(CLEAN_BODY)
        path.write_text(path.read_text().replace("translates: 1\n", ""))
        self.assertEqual(
            self.problems(),
            [
                f"{path}:2: 'translates' is missing: give the English version number this file "
                "translates (1 for a fresh import)"
            ],
        )

    def test_language_must_be_es(self):
        """A file in es/articles/ without 'language: es' is reported."""
        path = self.write(CLEAN_BODY)
        text = path.read_text()
        path.write_text(text.replace("language: es\n", "").replace("translates: 1\n", ""))
        problems = self.problems()
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("a.md:2: a file in es/articles/ needs 'language: es', not 'en'", problems[0])
        self.assertIn("'translates' is missing", problems[1])

    def test_english_language_with_translates_is_refused(self):
        """'translates' on a file whose language is English is a front matter error."""
        path = self.write(CLEAN_BODY, language="en")
        self.assertEqual(
            self.problems(),
            [f"{path}:4: 'translates' is only for translations; this file's language is 'en'"],
        )

    def test_slug_without_english_article(self):
        """A translation's slug must be the slug of an English article."""
        self.write(CLEAN_BODY, slug="sin-ingles")
        problems = self.problems()
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("slug 'sin-ingles' has no English article", problems[0])

    def test_links_go_to_spanish_pages_of_real_articles(self):
        """An English page link and a Spanish link to no article are reported; a Spanish link
        to a real article and an allowlisted site pass; a shop link fails as in English."""
        self.write(
            "Vea [esto](/articles/a/) y [aquello](/es/articles/nada/) [@good2020].\n\n"
            "Vea [bien](/es/articles/a/) y [NIDA](https://nida.nih.gov/) [@good2020].\n\n"
            "Compre [aquí](https://tienda.example.com/) [@good2020].\n"
        )
        problems = self.problems()
        self.assertEqual(len(problems), 3, problems)
        self.assertIn("tienda.example.com", problems[0])
        self.assertIn("link to the English page '/articles/a/'", problems[1])
        self.assertIn("'/es/articles/a/'", problems[1])
        self.assertIn("'nada' is not an article slug", problems[2])

    def test_usuarios_and_jargon_in_body_and_key_points(self):
        """'usuarios' and Spanish jargon are flagged in the body and in key points."""
        path = self.write("Los usuarios tomaron un placebo [@good2020].\n")
        path.write_text(path.read_text().replace("Un punto más.", "Los adictos sufren."))
        problems = self.problems()
        self.assertEqual(len(problems), 3, problems)
        self.assertIn("a.md:12: 'usuarios' labels people", problems[0])
        self.assertIn("a.md:12: jargon 'placebo'", problems[1])
        self.assertIn("key point: 'adictos' labels people", problems[2])

    def test_duplicate_translation_slug(self):
        """Two Spanish files with the same slug are reported."""
        self.write(CLEAN_BODY)
        other = self.root / "es" / "articles" / "b.md"
        other.write_text(SPANISH_FRONT.format(slug="a", language="es", translates=1) + CLEAN_BODY)
        self.assertIn("duplicate slug 'a'", " ".join(self.problems()))

    def test_english_folder_rejects_spanish_files(self):
        """A Spanish file put in articles/ is reported: translations go in es/articles/."""
        (self.root / "articles" / "a.md").write_text(
            ENGLISH.replace("slug: a\n", "slug: a\nlanguage: es\n")
        )
        self.assertIn("translations go in es/articles/", " ".join(self.problems()))

    def test_spanish_score_leaves_english_textstat_alone(self):
        """Scoring Spanish never switches the shared textstat object away from English."""
        english = "The cat sat on the mat [@good2020]. It was a sunny day.\n"
        before = reading_grade(english)
        spanish_reading_ease(CLEAN_BODY)
        self.assertEqual(reading_grade(english), before)

    def test_command_prints_translation_table_and_fails_on_problems(self):
        """check_content lists translations with their reading scores and fails on problems."""
        self.write("La mayoría toma 3 gramos.\n")
        out = StringIO()
        with self.assertRaisesMessage(CommandError, "states a number without a citation"):
            call_command("check_content", str(self.root), stdout=out)
        self.assertIn("f-huerta", out.getvalue())
        self.assertIn("es/a (v1)", out.getvalue())


class BundledSpanishContentTests(SimpleTestCase):
    def test_every_article_has_a_passing_spanish_translation_of_version_one(self):
        """content/es/articles translates every English article (version 1), each easy
        enough on Fernández-Huerta, citing the same sources as its English article."""
        report = check_content(REPO_CONTENT)
        self.assertEqual([str(p) for p in report.problems], [])
        english = {row.slug: row for row in report.stats}
        spanish = {row.slug: row for row in report.translations}
        self.assertEqual(set(spanish), set(english))
        for slug, row in spanish.items():
            with self.subTest(slug=slug):
                self.assertEqual((row.language, row.translates), ("es", 1))
                self.assertGreaterEqual(row.reading_ease, MIN_SPANISH_READING_EASE)
                self.assertEqual(row.citations, english[slug].citations)
                self.assertEqual(row.distinct_sources, english[slug].distinct_sources)
