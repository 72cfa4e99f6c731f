from django.test import SimpleTestCase

from kratom_info.citations.claims import (
    claim_hash,
    extract_claims,
    find_uncited_numbers,
    split_units,
)

BODY = """Intro sentence without numbers. Kratom is a plant [@singh2014]. Doses vary a lot
between products [@a; @b, p. 4]. Another plain sentence.

## Heading with 3 words

- A list item that cites [@a].
  It continues here.
- A list item without citation.

| Amount | Effect | Source |
|---|---|---|
| 1 to 5 g | Stimulating | [@a] |
| More | Sedating | [@b] |

```
code 123 [@ignored]
```
"""


class ClaimExtractionTests(SimpleTestCase):
    def test_sentences_list_items_and_table_rows_with_markers_are_claims(self):
        """Only units carrying a citation marker become claims, each with its keys and line."""
        claims = extract_claims(BODY)
        self.assertEqual(
            [(c.line, c.keys) for c in claims],
            [(1, ("singh2014",)), (1, ("a", "b")), (6, ("a",)), (12, ("a",)), (13, ("b",))],
        )
        self.assertEqual(claims[0].text, "Kratom is a plant [@singh2014].")
        self.assertEqual(claims[2].text, "A list item that cites [@a]. It continues here.")
        self.assertEqual(claims[3].text, "1 to 5 g | Stimulating | [@a]")

    def test_locator_inside_marker_does_not_split_sentence(self):
        """'p. 4' inside a marker is not a sentence end."""
        claims = extract_claims("Doses vary [@a, p. 4]. Next one [@b].")
        self.assertEqual([c.text for c in claims], ["Doses vary [@a, p. 4].", "Next one [@b]."])

    def test_hash_ignores_markers_whitespace_and_case(self):
        """The hash compares normalised text: markers stripped, whitespace and case folded."""
        self.assertEqual(claim_hash("Kratom  is a PLANT [@a]."), claim_hash("kratom is a plant."))
        self.assertNotEqual(claim_hash("Kratom is a tree."), claim_hash("Kratom is a plant."))


class UncitedNumberTests(SimpleTestCase):
    def uncited(self, body):
        return [(unit.line, unit.text) for unit in find_uncited_numbers(body)]

    def test_uncited_numbers_found_with_line(self):
        """A sentence, list item, table row or heading with a digit and no citation is
        reported."""
        body = (
            "Most people take 2 g. That is cited 3 g [@a].\n\n"
            "- Take 5 g at most.\n\n| A | B |\n|---|---|\n| 7 g | x |\n\n## Step 1\n"
        )
        self.assertEqual(
            self.uncited(body),
            [(1, "Most people take 2 g."), (3, "Take 5 g at most."), (7, "7 g | x"), (9, "Step 1")],
        )

    def test_digits_in_markers_links_and_chemical_names_do_not_count(self):
        """Citation keys, link targets and numbered names such as 7-OH state no number."""
        body = (
            "## Strong 7-OH products\n\n"
            "See [the page](https://example.org/2020). Cited [@smith2020].\n"
        )
        self.assertEqual(self.uncited(body), [])

    def test_headings_table_headers_and_code_are_checked(self):
        """Headings, table header rows and code (which cannot cite) count as statements."""
        body = (
            "# Take 15 g\n\n## Cited 4 g [@a]\n\n| Dose 10 g | Effect |\n|---|---|\n"
            "| low | calm [@a] |\n\n```\ndose = 30\n[@a] 40\n```\n\n    indented 50\n"
        )
        units = find_uncited_numbers(body)
        self.assertEqual(
            [(unit.line, unit.kind) for unit in units],
            [(1, "heading"), (5, "table_header"), (10, "code"), (11, "code"), (14, "code")],
        )

    def test_hidden_markers_do_not_count_as_citations(self):
        """A marker in inline code, an HTML comment or escaped is no citation for readers."""
        for body in (
            "About 1 in 5 people `[@a]`.\n",
            "About 1 in 5 people <!-- [@a] -->.\n",
            "About 1 in 5 people \\[@a].\n",
        ):
            self.assertEqual(self.uncited(body), [(1, body.strip())], body)

    def test_list_continuation_is_not_code(self):
        """An indented paragraph after a list item continues it: not code."""
        units = split_units("- Item one [@a].\n\n    More about it [@a].\n")
        self.assertEqual([unit.kind for unit in units], ["list_item", "sentence"])
