"""The Spanish tools texts (content/es/tools/) pass the same checks as the English ones, with
the Spanish reading score, and say the same things: the same questions, bands, articles,
citation keys and numbers."""

import re
import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, override_settings

from kratom_info.articles.content_checks import (
    MIN_SPANISH_READING_EASE,
    check_content,
    spanish_reading_ease,
)
from kratom_info.citations.syntax import find_markers
from kratom_info.tools.checks import check_tools_content
from kratom_info.tools.content import load_check, load_sheet
from kratom_info.tools.content_checks import check_texts_of, sheet_texts_of
from tests.articles.content_folders import content_folder
from tests.tools.helpers import CONTENT
from tests.tools.test_content import ARTICLE, CHECK, SHEET

SPANISH_ARTICLE = """\
---
slug: tolerance
language: es
translates: 1
title: Tolerancia
summary: Un resumen.
key_points:
  - Un punto.
  - Otro punto.
  - Un punto más.
---
Tolerancia quiere decir que la misma cantidad hace menos [@good2020].
"""

SPANISH_CHECK = """\
intro: Estas preguntas son sobre el último año [@good2020].
privacy: No guardamos nada de lo que responde.
disclaimer: Esto no es un diagnóstico.
groups:
  dsm5: Señales
questions:
  - id: tolerance
    group: dsm5
    text: ¿Necesita más para sentir el mismo efecto?
    note: La tolerancia es común [@good2020].
    articles: [tolerance]
  - id: daily
    group: dsm5
    text: ¿Lo toma todos los días?
bands:
  - min: 0
    max: 0
    title: Ninguna señal
    text: Dijo que no a todas.
  - min: 1
    title: Algunas señales
    text: Hable con un médico.
default_articles: [tolerance]
care_levels:
  - title: Por su cuenta
    text: Llene una hoja.
"""

SPANISH_SHEET = """\
article: tolerance
title: Mi semana
intro: Una hoja para una semana.
how_to_use:
  - Escriba una línea cada vez.
noticed_prompt: ¿Subió la cantidad?
clinician_questions:
  - ¿Es algo que deba preocuparme?
"""

NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")


def numbers(text: str) -> list[str]:
    """The numbers a text states, outside its citation markers."""
    return sorted(NUMBER_RE.findall(re.sub(r"\[@[^\]]*\]", "", text)))


def keys(text: str) -> set[str]:
    return {item.key for marker in find_markers(text) for item in marker.items}


class SiteSpanishToolsTests(SimpleTestCase):
    def setUp(self):
        self.check = load_check(CONTENT / "tools" / "check.yaml")
        self.spanish = load_check(CONTENT / "es" / "tools" / "check.yaml")
        self.sheet = load_sheet(CONTENT / "tools" / "tracking-sheet.yaml")
        self.spanish_sheet = load_sheet(CONTENT / "es" / "tools" / "tracking-sheet.yaml")

    def test_site_spanish_files_pass_and_read_easily(self):
        """check_content finds no problem in content/ (Spanish tools included), and the
        Spanish texts score at least 70 on Fernández-Huerta."""
        self.assertEqual([str(p) for p in check_content(CONTENT).problems], [])
        for texts in (check_texts_of(self.spanish), sheet_texts_of(self.spanish_sheet)):
            ease = spanish_reading_ease("\n\n".join(text for _, _, text, _ in texts))
            self.assertGreaterEqual(ease, MIN_SPANISH_READING_EASE)

    def test_same_citation_keys_and_numbers_as_english(self):
        """Text by text (intro, notes, bands, levels of care...), the Spanish cites exactly the
        English keys and states the same numbers."""
        pairs = list(zip(check_texts_of(self.check), check_texts_of(self.spanish), strict=True))
        pairs += zip(sheet_texts_of(self.sheet), sheet_texts_of(self.spanish_sheet), strict=True)
        cited = 0
        for (_, label, english, _), (_, _, spanish, _) in pairs:
            with self.subTest(text=label):
                self.assertEqual(keys(spanish), keys(english))
                self.assertEqual(numbers(spanish), numbers(english))
                cited += bool(keys(english))
        self.assertGreater(cited, 10)

    def test_same_questions_bands_and_articles(self):
        """The Spanish check asks the same questions in the same groups and order, scores them
        with the same bands and suggests the same articles; the sheet is pinned to the same
        article."""
        self.assertEqual(
            [(q.id, q.group, q.articles) for q in self.spanish.questions],
            [(q.id, q.group, q.articles) for q in self.check.questions],
        )
        self.assertEqual(list(self.spanish.groups), list(self.check.groups))
        self.assertEqual(
            [(b.min, b.max, b.articles) for b in self.spanish.bands],
            [(b.min, b.max, b.articles) for b in self.check.bands],
        )
        self.assertEqual(self.spanish.default_articles, self.check.default_articles)
        self.assertEqual(len(self.spanish.care_levels), len(self.check.care_levels))
        self.assertEqual(self.spanish_sheet.article, self.sheet.article)
        self.assertEqual(len(self.spanish_sheet.how_to_use), len(self.sheet.how_to_use))

    def test_spanish_links_stay_in_spanish(self):
        """Links in the Spanish texts open Spanish pages."""
        links = re.findall(r"\]\((/[^)]*)\)", " ".join(
            text for _, _, text, _ in check_texts_of(self.spanish)))  # fmt: skip
        self.assertTrue(links)
        for link in links:
            self.assertTrue(link.startswith("/es/"), link)


class SpanishToolsChecksTests(SimpleTestCase):
    """check_content on a small content tree with English and Spanish tools files."""

    def setUp(self):
        self.root = content_folder(self)
        for folder in ("tools", "es/tools"):
            (self.root / folder).mkdir()
        (self.root / "articles" / "tolerance.md").write_text(ARTICLE)
        (self.root / "es" / "articles" / "tolerance.md").write_text(SPANISH_ARTICLE)
        (self.root / "tools" / "check.yaml").write_text(CHECK)
        (self.root / "tools" / "tracking-sheet.yaml").write_text(SHEET)
        self.write(SPANISH_CHECK, SPANISH_SHEET)

    def write(self, check: str | None = None, sheet: str | None = None) -> None:
        if check is not None:
            (self.root / "es" / "tools" / "check.yaml").write_text(check)
        if sheet is not None:
            (self.root / "es" / "tools" / "tracking-sheet.yaml").write_text(sheet)

    def problems(self) -> list[str]:
        return [str(problem) for problem in check_content(self.root).problems]

    def assertProblem(self, fragment: str) -> None:  # noqa: N802
        problems = self.problems()
        self.assertTrue(any(fragment in p for p in problems), (fragment, problems))

    def test_valid_translation_passes(self):
        self.assertEqual(self.problems(), [])

    def test_dropped_or_changed_citation_is_reported(self):
        """A Spanish note that loses its citation, or cites another key, does not match."""
        self.write(SPANISH_CHECK.replace("La tolerancia es común [@good2020].",
                                         "La tolerancia es común."))  # fmt: skip
        self.assertProblem("does not match the English file: note of question 'tolerance' "
                           "cites [], the English cites ['good2020']")  # fmt: skip

    def test_different_questions_or_bands_are_reported(self):
        """Questions under other ids, or other band ranges, do not match the English."""
        self.write(SPANISH_CHECK.replace("id: daily", "id: diario"))
        self.assertProblem("questions (id, group)")
        self.write(SPANISH_CHECK.replace("  - min: 1\n", "  - min: 1\n    max: 1\n    title: Una\n"
                                         "    text: Una señal.\n  - min: 2\n"))  # fmt: skip
        self.assertProblem("does not match the English file: bands")
        self.write(SPANISH_CHECK.replace("    articles: [tolerance]\n  - id: daily",
                                         "  - id: daily"))  # fmt: skip
        self.assertProblem("question 'tolerance' names articles")

    def test_english_links_are_reported(self):
        """A Spanish text linking to the English tools or article pages is reported."""
        self.write(SPANISH_CHECK.replace("Llene una hoja.",
                                         "Llene una [hoja](/tools/tracking-sheet/). Lea sobre "
                                         "la [tolerancia](/articles/tolerance/)."))  # fmt: skip
        self.assertProblem("link to the English page '/tools/tracking-sheet/'")
        self.assertProblem("link to the English page '/articles/tolerance/'")

    def test_uncited_number_and_plain_text_rules(self):
        """The English rules apply: a cited text states no uncited number, a question none."""
        self.write(SPANISH_CHECK.replace("Hable con un médico.", "La mayoría (60 %) mejora.")
                   .replace("¿Lo toma todos los días?", "¿Lo toma 3 veces al día?"))  # fmt: skip
        self.assertProblem("band 'Algunas señales' states a number without a citation")
        self.assertProblem("question 'daily' states a number, which it cannot cite")

    def test_spanish_wording_rules(self):
        """People-first Spanish: 'usuarios' for people is reported."""
        self.write(SPANISH_CHECK.replace("Dijo que no a todas.", "Los usuarios dicen que no."))
        self.assertProblem("personas que usan kratom")

    def test_spanish_reading_ease(self):
        """Long words and sentences push Fernández-Huerta below 70."""
        hard = (
            "La caracterización farmacológica de las consecuencias neuropsiquiátricas "
            "multidimensionales necesita una consideración interdisciplinaria exhaustiva de la "
            "dependencia fisiológica, el desarrollo de la tolerancia y la fenomenología de la "
            "abstinencia experimentada por individuos que consumen preparaciones concentradas."
        )
        self.write(SPANISH_CHECK.replace("Hable con un médico.", hard))
        self.assertProblem("Fernández-Huerta reading ease")

    def test_article_without_spanish_translation_is_reported(self):
        """The Spanish files name articles that exist in Spanish."""
        (self.root / "es" / "articles" / "tolerance.md").unlink()
        self.assertProblem("question 'tolerance': no article 'tolerance'")
        self.assertProblem("article: no article 'tolerance'")

    def test_missing_spanish_sheet_is_reported(self):
        (self.root / "es" / "tools" / "tracking-sheet.yaml").unlink()
        self.assertProblem("tracking-sheet.yaml: cannot read file")


class SystemCheckTests(SimpleTestCase):
    def test_missing_spanish_file_fails_the_system_check(self):
        """manage.py check reports a missing Spanish tools file (tools.E001), so a deploy
        stops instead of /es/tools/ failing for readers."""
        base = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, base)
        shutil.copytree(CONTENT, base / "content")
        (base / "content" / "es" / "tools" / "check.yaml").unlink()
        with override_settings(BASE_DIR=base):
            errors = [e for e in check_tools_content() if e.id == "tools.E001"]
        self.assertEqual(len(errors), 1)
        self.assertIn("(es)", errors[0].msg)
        self.assertIn("check.yaml", errors[0].msg)
