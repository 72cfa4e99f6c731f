from django.test import SimpleTestCase

from kratom_info.articles.content_rules import (
    BODY_RULES_ES,
    naloxone_in_emergency_steps_es,
    people_first_language_es,
    plain_words_es,
    run_rules,
)


class PeopleFirstLanguageSpanishTests(SimpleTestCase):
    def test_usuarios_and_adictos_are_flagged_with_their_line(self):
        """'usuarios', 'usuaria' and 'adictos' are reported on their lines, with a
        people-first suggestion in Spanish."""
        body = "Intro.\n\nLos usuarios dijeron eso.\nUna usuaria y dos adictos.\n"
        problems = people_first_language_es(body, 10)
        self.assertEqual([line for line, _ in problems], [13, 14, 14])
        self.assertIn("'usuarios'", problems[0][1])
        self.assertIn("personas que usan kratom", problems[0][1])
        self.assertIn("'adictos'", problems[2][1])

    def test_people_first_wording_keys_and_links_pass(self):
        """People-first wording passes; citation keys, link targets and code are not read."""
        body = (
            "Las personas que usan kratom dijeron eso [@usuarios2020].\n"
            "Vea [esto](/usuarios/) y `usuarios`.\n"
            "La adicción es un problema de salud.\n"
        )
        self.assertEqual(people_first_language_es(body), [])


class PlainWordsSpanishTests(SimpleTestCase):
    def test_each_spanish_jargon_word_is_named(self):
        """Spanish jargon is reported with the word and a plain Spanish suggestion."""
        body = (
            "Bloquea los receptores kappa.\n"
            "La mediana fue de tres semanas.\n"
            "Es un agonista parcial.\n"
            "La diferencia fue estadísticamente significativa.\n"
            "Una encuesta transversal.\n"
            "Comparado con un placebo.\n"
            "Su eficacia no se conoce.\n"
            "La señal es sesgada.\n"
        )
        problems = plain_words_es(body)
        self.assertEqual([line for line, _ in problems], list(range(1, 9)))
        self.assertIn("jargon 'mediana' (mediana): say 'lo típico'", problems[1][1])
        self.assertIn("'una pastilla falsa'", problems[5][1])

    def test_plain_spanish_passes(self):
        """Plain Spanish, including words that only contain a jargon word, passes."""
        body = "Una pastilla falsa. Lo típico. Funciona bien. Una medianoche tranquila.\n"
        self.assertEqual(plain_words_es(body), [])


class NaloxonaSpanishTests(SimpleTestCase):
    def test_each_emergency_section_needs_naloxona(self):
        """Every section telling readers to call 911 or emergency services names naloxona or
        Narcan; the first emergency line of a section without it is reported."""
        body = (
            "## Uno\n\nLlame al 911 si no despierta.\n\n"
            "## Dos\n\nLlame a los servicios de emergencia.\nDele Narcan primero.\n\n"
            "## Tres\n\nPida ayuda enseguida.\n"
        )
        problems = naloxone_in_emergency_steps_es(body)
        self.assertEqual([line for line, _ in problems], [3, 12])
        self.assertIn("naloxona (Narcan)", problems[0][1])

    def test_sections_without_emergency_steps_pass(self):
        """A section that does not send readers to emergency help needs no naloxona."""
        self.assertEqual(naloxone_in_emergency_steps_es("## Sueño\n\nDuerma bien.\n"), [])

    def test_spanish_rules_run_together(self):
        """BODY_RULES_ES collects all three Spanish rules in line order."""
        body = "Los usuarios.\nUn placebo.\nLlame al 911.\n"
        self.assertEqual([line for line, _ in run_rules(body, 0, BODY_RULES_ES)], [1, 2, 3])
