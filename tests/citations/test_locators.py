"""Locators: where in a source a claim is supported, shown in the reader's language."""

from django.test import SimpleTestCase
from django.utils import translation

from kratom_info.citations.claims import extract_claims
from kratom_info.citations.locators import authors_locators, locator_display
from kratom_info.citations.syntax import find_markers


class LocatorDisplayTests(SimpleTestCase):
    def test_english_labels_are_shown_as_written(self):
        """In English a locator reads as the author wrote it."""
        with translation.override("en"):
            self.assertEqual(locator_display("table 2"), "table 2")
            self.assertEqual(
                locator_display("Results, para 2; table 3"), "Results, para 2; table 3"
            )

    def test_spanish_translates_each_label_at_the_start_of_a_part(self):
        """p., table, fig., abstract and sec. become p., tabla, figura, resumen and sección;
        a capital stays a capital; numbers and unknown words are kept."""
        with translation.override("es"):
            self.assertEqual(locator_display("p. 4"), "p. 4")
            self.assertEqual(locator_display("table 2"), "tabla 2")
            self.assertEqual(locator_display("fig. 1"), "figura 1")
            self.assertEqual(locator_display("abstract"), "resumen")
            self.assertEqual(locator_display("sec. 3.2"), "sección 3.2")
            self.assertEqual(
                locator_display("Results, para 2; table 3"), "Resultados, párrafo 2; tabla 3"
            )
            self.assertEqual(locator_display("Appendix B"), "Appendix B")
            # A label inside a part is not a label: "per table" stays as written.
            self.assertEqual(locator_display("doses per table 2"), "doses per table 2")


class AuthorsLocatorsTests(SimpleTestCase):
    def test_each_key_gets_its_places_in_order_once(self):
        """A key cited twice at different places keeps both; one cited without a locator
        gets an empty one."""
        items = [
            i
            for m in find_markers("A [@a, p. 4] b [@a, table 2; @b] c [@a, p. 4].")
            for i in m.items
        ]
        self.assertEqual(authors_locators(items), {"a": "p. 4; table 2", "b": ""})

    def test_claims_carry_the_authors_locators(self):
        """Extraction keeps each claim's locators by key, keys in order of first citation."""
        (claim,) = extract_claims("People report it [@a, fig. 1; @b, sec. 3.2].\n")
        self.assertEqual(claim.keys, ("a", "b"))
        self.assertEqual(claim.locators, (("a", "fig. 1"), ("b", "sec. 3.2")))
        self.assertEqual(claim.locator_for("b"), "sec. 3.2")
        (plain,) = extract_claims("People report it [@a].\n")
        self.assertEqual(plain.locator_for("a"), "")

    def test_a_locator_does_not_change_the_claim_hash(self):
        """Adding a locator leaves the text unchanged: the claim can carry over its check."""
        (before,) = extract_claims("People report it [@a].\n")
        (after,) = extract_claims("People report it [@a, table 2].\n")
        self.assertEqual(before.hash, after.hash)
