import pytest
from django.test import SimpleTestCase

from kratom_info.articles.rendering import (
    UnknownCitationKeys,
    reference_entries,
    render_markdown,
    sanitize,
)
from kratom_info.citations.models import Source, SourceKind


def source(key: str, **fields) -> Source:
    defaults = {
        "kind": SourceKind.JOURNAL_ARTICLE,
        "authors": "Singh D, Müller CP",
        "year": 2014,
        "title": f"Title of {key}",
        "container": "Drug and Alcohol Dependence",
        "volume_pages": "139:132-137",
        "doi": "10.1016/j.drugalcdep.2014.03.017",
        "pmid": "24698080",
        "url": "https://example.org/page",
    }
    defaults.update(fields)
    return Source(key=key, **defaults)


SOURCES = {key: source(key) for key in ("a", "b", "c")}


class CitationRenderingTests(SimpleTestCase):
    def test_single_citation_becomes_numbered_link(self):
        """[@key] becomes a superscript link to its numbered reference."""
        html = render_markdown("A claim [@a].", SOURCES).body_html
        self.assertIn('<sup class="citation">[<a', html)
        self.assertIn('href="#ref-1"', html)
        self.assertIn('id="cite-1-1"', html)
        self.assertNotIn("[@a]", html)

    def test_multiple_keys_in_one_marker(self):
        """[@a; @b] links to both references, numbered in order."""
        html = render_markdown("Claim [@a; @b].", SOURCES).body_html
        self.assertIn('href="#ref-1"', html)
        self.assertIn('href="#ref-2"', html)
        self.assertIn(">1</a>, <a", html)

    def test_locator_is_shown(self):
        """[@key, p. 4] keeps the locator next to the number."""
        html = render_markdown("Claim [@a, p. 4].", SOURCES).body_html
        self.assertIn(">1, p. 4</a>", html)

    def test_numbering_by_first_appearance_and_repeats_keep_number(self):
        """Numbers follow first appearance; a repeated key keeps its first number."""
        rendered = render_markdown("One [@b]. Two [@a]. Three [@b].\n\n- Four [@c]", SOURCES)
        self.assertEqual(rendered.cited_keys, ["b", "a", "c"])
        self.assertIn('id="cite-1-2"', rendered.body_html)  # second citation of b
        self.assertIn('href="#ref-3"', rendered.body_html)

    def test_reference_list_has_full_entry_and_backlinks(self):
        """Each reference shows authors, year, title, container, links and back-links."""
        refs = render_markdown("One [@a]. Two [@a].", SOURCES).references_html
        self.assertIn('<li id="ref-1">', refs)
        for text in ("Singh D, Müller CP", "(2014)", "Title of a", "Drug and Alcohol Dependence"):
            self.assertIn(text, refs)
        self.assertIn('href="https://doi.org/10.1016/j.drugalcdep.2014.03.017"', refs)
        self.assertIn('href="https://pubmed.ncbi.nlm.nih.gov/24698080/"', refs)
        self.assertIn('href="https://example.org/page"', refs)
        self.assertIn('href="#cite-1-1"', refs)
        self.assertIn('href="#cite-1-2"', refs)

    def test_unknown_key_names_key_and_line(self):
        """An unknown key is an error naming the key and its line; nothing renders."""
        with self.assertRaises(UnknownCitationKeys) as caught:
            render_markdown("Fine [@a].\n\nBad [@nosuch].", SOURCES)
        self.assertEqual(caught.exception.problems, [("nosuch", 3)])
        self.assertIn("nosuch", str(caught.exception))
        self.assertIn("line 3", str(caught.exception))

    def test_rendering_is_deterministic(self):
        """The same input always gives the same HTML."""
        text = "## Part\n\nOne [@a; @b].\n\n| x | y |\n|---|---|\n| 1 | 2 [@c] |\n"
        first, second = render_markdown(text, SOURCES), render_markdown(text, SOURCES)
        self.assertEqual(first, second)

    def test_tables_heading_ids_and_toc(self):
        """Tables render, headings get ids, and the table of contents links to them."""
        rendered = render_markdown("## Dose ranges\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", {})
        self.assertIn("<table>", rendered.body_html)
        self.assertIn('<h2 id="dose-ranges">', rendered.body_html)
        self.assertIn('href="#dose-ranges"', rendered.toc_html)

    def test_citation_inside_code_is_left_alone(self):
        """Markers in code spans are shown literally, not turned into links."""
        html = render_markdown("Write `[@a]` to cite.", SOURCES).body_html
        self.assertIn("<code>[@a]</code>", html)


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example"><input name=a></form>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"><circle r=1></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<p onclick="alert(1)">click</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    "<<script>script>alert(1)<</script>/script>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<details open ontoggle="alert(1)">x</details>',
    '<video><source onerror="alert(1)"></video>',
    "<!--<img src=x onerror=alert(1)>-->",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_raw_html_cannot_inject_active_content(payload):
    """Raw HTML in Markdown never survives as script, handler, frame, form, style or bad URL."""
    html = render_markdown(f"Text before.\n\n{payload}\n\nText after [@a].", SOURCES).body_html
    lowered = html.lower()
    for forbidden in (
        "<script", "onerror", "onload", "onclick", "ontoggle", "javascript:", "data:",
        "<iframe", "<object", "<embed", "<form", "<input", "style=", "<style", "<svg", "<base",
        "<meta", "<link", "<math",
    ):  # fmt: skip
        assert forbidden not in lowered, (payload, html)
    assert "Text before." in html


def test_sanitize_keeps_allowed_markup():
    """The allowlist keeps ordinary article markup intact."""
    html = '<p><a href="https://doi.org/10.1/x">doi</a> <em>x</em> <sup id="cite-1-1">1</sup></p>'
    cleaned = sanitize(html)
    assert 'href="https://doi.org/10.1/x"' in cleaned
    assert "<em>x</em>" in cleaned
    assert 'id="cite-1-1"' in cleaned


class ReferenceEntriesTests(SimpleTestCase):
    """reference_entries reads a stored reference list back: the review screen and the JSON-LD
    use it, so it must give each entry's text exactly, without its back-links."""

    def test_each_entry_by_number_without_backlinks(self):
        sources = {**SOURCES, "b": source("b", doi="", pmid="", title="Second & <last>")}
        refs = render_markdown("One [@a]. Two [@b]. Again [@a].", sources).references_html
        entries = reference_entries(refs)
        self.assertEqual(list(entries), [1, 2])
        self.assertIn("Title of a", entries[1])
        self.assertIn("doi:10.1016/j.drugalcdep.2014.03.017", entries[1])
        self.assertIn("Second &amp; &lt;last&gt;", entries[2])
        for entry in entries.values():
            self.assertNotIn("backlinks", entry)
            self.assertNotIn("#cite-", entry)
            self.assertEqual(entry, entry.strip())

    def test_nothing_to_read(self):
        self.assertEqual(reference_entries(""), {})
        # An entry cut short (no back-links, as no renderer writes) is left out, not guessed.
        self.assertEqual(reference_entries('<ol><li id="ref-1">Half an entry</li></ol>'), {})


class LocatorRenderingTests(SimpleTestCase):
    def test_back_links_name_the_place_each_citation_points_to(self):
        """The reference list's back-links show each citation's locator, and their accessible
        names say it too; the entry itself is read back without them."""
        from kratom_info.articles.rendering import reference_locators

        rendered = render_markdown("One [@a, p. 4]. Two [@a, table 2]. Three [@b].", SOURCES)
        refs = rendered.references_html
        self.assertIn('<span class="backlink-locator">(p. 4)</span>', refs)
        self.assertIn('<span class="backlink-locator">(table 2)</span>', refs)
        self.assertIn('aria-label="Back to citation 2 of source 1 in the text (table 2)"', refs)
        self.assertEqual(reference_locators(refs), {1: ["p. 4", "table 2"]})
        self.assertNotIn("backlink-locator", reference_entries(refs)[1])
        self.assertIn(">1, p. 4</a>", rendered.body_html)

    def test_spanish_rendering_translates_the_labels(self):
        """A Spanish page shows "tabla 2" where the marker says "table 2", in the text and in
        the back-links."""
        from django.utils import translation

        with translation.override("es"):
            rendered = render_markdown("Uno [@a, table 2; @b, abstract].", SOURCES)
        self.assertIn(">1, tabla 2</a>", rendered.body_html)
        self.assertIn(">2, resumen</a>", rendered.body_html)
        self.assertIn('<span class="backlink-locator">(tabla 2)</span>', rendered.references_html)
