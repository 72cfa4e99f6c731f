from pathlib import Path

from django.test import SimpleTestCase

from kratom_info.articles.content_rules import (
    BODY_RULES_ES,
    PLAIN_FIELD_RULES_ES,
    SAFETY_RULES_ES,
    animal_poison_line_beside_pets_es,
    call_and_naloxone_at_once_es,
    clear_spanish_words,
    naloxone_in_emergency_steps_es,
    no_trust_in_7oh_labels_es,
    people_first_language_es,
    plain_words_es,
    run_rules,
)

SPANISH_CONTENT = Path(__file__).resolve().parents[2] / "content" / "es"


def _bundled_spanish_bodies() -> dict[str, str]:
    """name -> body of every bundled Spanish article and block."""
    bodies = {}
    for folder in ("articles", "blocks"):
        for path in sorted((SPANISH_CONTENT / folder).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            if text.startswith("---\n"):
                text = text.split("\n---\n", 1)[1]
            bodies[f"{folder}/{path.name}"] = text
    return bodies


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


class Issue23SpanishRulesTests(SimpleTestCase):
    """The Spanish forms of the issue 23 rules, each failing on the wording the site used
    before and passing on the bundled translations."""

    def test_naloxona_then_call_is_reported(self):
        body = (
            "**Si alguien respira despacio, dele naloxona (Narcan) si la tiene, y luego llame "
            "al 911 de todos modos** [@k].\n\n"
            "- Dele naloxona si la tiene, y luego pida ayuda.\n"
            "- Llame al 911 y dele naloxona (Narcan) ya si la tiene [@k].\n"
        )
        problems = call_and_naloxone_at_once_es(body)
        self.assertEqual([line for line, _ in problems], [1, 3])
        self.assertIn("llame al 911 y dele naloxona", problems[0][1])

    def test_label_advice_is_reported(self):
        body = (
            "- Evite los productos que dicen 7-OH en la etiqueta [@k].\n"
            "- Lea la etiqueta. Si dice 7-OH, trate el producto como un opioide fuerte [@k].\n"
            "- Las etiquetas muchas veces no dicen que un producto es 7-OH, así que trate "
            "cualquier tableta como si pudiera ser 7-OH [@k].\n"
        )
        self.assertEqual([line for line, _ in no_trust_in_7oh_labels_es(body)], [1, 2])

    def test_pets_need_an_animal_line(self):
        self.assertEqual(
            [
                line
                for line, _ in animal_poison_line_beside_pets_es(
                    "Si su mascota se traga una gomita, llame a Poison Help [@k].\n"
                )
            ],
            [1],
        )
        self.assertEqual(
            animal_poison_line_beside_pets_es(
                "Poison Help es para personas. Para una mascota, llame a su veterinario [@k].\n"
            ),
            [],
        )

    def test_calmantes_is_reported_with_sedantes(self):
        problems = clear_spanish_words(
            'No lo mezcle con alcohol ni calmantes.\nEstos "calmantes".\n'
        )
        self.assertEqual([line for line, _ in problems], [1, 2])
        self.assertIn("'sedantes'", problems[0][1])
        self.assertEqual(clear_spanish_words("No lo mezcle con sedantes. Se calma.\n"), [])

    def test_rules_are_in_the_spanish_rule_sets(self):
        for rule in (call_and_naloxone_at_once_es, no_trust_in_7oh_labels_es):
            self.assertIn(rule, BODY_RULES_ES)
            self.assertIn(rule, SAFETY_RULES_ES)
        self.assertIn(animal_poison_line_beside_pets_es, BODY_RULES_ES)
        self.assertIn(clear_spanish_words, BODY_RULES_ES)
        self.assertIn(clear_spanish_words, PLAIN_FIELD_RULES_ES)

    def test_bundled_translations_pass(self):
        rules = (
            call_and_naloxone_at_once_es,
            no_trust_in_7oh_labels_es,
            animal_poison_line_beside_pets_es,
            clear_spanish_words,
        )
        for name, body in _bundled_spanish_bodies().items():
            with self.subTest(name):
                self.assertEqual(run_rules(body, 0, rules), [])
