from django.test import SimpleTestCase

from kratom_info.citations.claims import claim_hash, extract_claims, find_uncited_numbers

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
    def test_uncited_numbers_found_with_line(self):
        """A sentence, list item or table row with a digit and no citation is reported."""
        body = (
            "Most people take 2 g. That is cited 3 g [@a].\n\n"
            "- Take 5 g at most.\n\n| A | B |\n|---|---|\n| 7 g | x |\n\n## Step 1\n"
        )
        self.assertEqual(
            find_uncited_numbers(body),
            [(1, "Most people take 2 g."), (3, "Take 5 g at most."), (7, "7 g | x")],
        )

    def test_digits_in_markers_headings_and_links_do_not_count(self):
        """Citation keys, headings and link targets are not statements of numbers."""
        body = "## Part 2\n\nSee [the page](https://example.org/2020). Cited [@smith2020].\n"
        self.assertEqual(find_uncited_numbers(body), [])
