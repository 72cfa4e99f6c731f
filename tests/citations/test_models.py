from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from kratom_info.citations.models import Source, SourceKind
from kratom_info.citations.syntax import CitationItem, cited_keys, find_markers, strip_markers
from tests.factories import make_source


class SourceTests(TestCase):
    def test_source_needs_an_identifier(self):
        """A source with none of DOI, PMID or URL is invalid, in forms and in the database."""
        source = Source(key="bare", kind=SourceKind.OTHER, authors="A", title="T")
        with self.assertRaisesMessage(ValidationError, "at least one of DOI, PMID or URL"):
            source.full_clean()
        with self.assertRaises(IntegrityError), transaction.atomic():
            source.save()

    def test_keys_are_unique(self):
        """Two sources cannot share a citation key."""
        make_source("dup")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Source.objects.create(
                key="dup", kind="other", authors="A", title="T", url="https://x.gov"
            )

    def test_doi_and_pmid_forms_are_checked(self):
        """A malformed DOI or PMID is refused with the field named."""
        source = Source(
            key="x",
            kind="other",
            authors="A",
            title="T",
            doi="https://doi.org/10.1/x",
            pmid="PMC123",
        )
        with self.assertRaises(ValidationError) as caught:
            source.full_clean()
        self.assertEqual(set(caught.exception.message_dict), {"doi", "pmid"})

    def test_reference_shows_public_note_never_internal_notes(self):
        """The rendered reference carries the public note (escaped) and never the editors'
        internal notes."""
        source = make_source(
            "noted",
            public_note="Authors worked for <a> consultancy.",
            notes="Verification trail: seen on PubMed only.",
        )
        html = source.citation_html()
        self.assertIn(
            '<span class="source-note">Authors worked for &lt;a&gt; consultancy.</span>', html
        )
        self.assertNotIn("Verification trail", html)

    def test_links_and_short_label(self):
        """Each identifier becomes a link; the short label names the first author and year."""
        source = make_source(
            "s", authors="Singh D, Narayanan S", year=2014, pmid="24698080", url="https://a.gov/"
        )
        self.assertEqual(
            [href for _, href in source.links()],
            [
                "https://doi.org/10.1000/s",
                "https://pubmed.ncbi.nlm.nih.gov/24698080/",
                "https://a.gov/",
            ],
        )
        self.assertEqual(source.short_label, "Singh D et al. (2014)")


class CitationSyntaxTests(TestCase):
    def test_marker_forms(self):
        """[@a], [@a; @b] and [@a, p. 4] parse into items with keys, locators and lines."""
        markers = find_markers("One [@a].\nTwo [@b; @c, p. 4].\n")
        self.assertEqual(markers[0].items, (CitationItem("a"),))
        self.assertEqual(markers[1].items, (CitationItem("b"), CitationItem("c", "p. 4")))
        self.assertEqual([m.line for m in markers], [1, 2])

    def test_ordinary_brackets_are_not_markers(self):
        """Links, footnote-like brackets and e-mail addresses are not citations."""
        self.assertEqual(find_markers("[a link](/x) and [note] and me@example.org"), [])

    def test_cited_keys_in_first_appearance_order(self):
        """Distinct keys come back in order of first appearance."""
        self.assertEqual(cited_keys("x [@b] y [@a; @b] z [@c]"), ["b", "a", "c"])

    def test_strip_markers(self):
        """Stripping markers leaves the sentence readable."""
        self.assertEqual(strip_markers("A claim [@a; @b]."), "A claim.")
