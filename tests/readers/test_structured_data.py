import json
import re

from django.test import TestCase, override_settings

from kratom_info.readers.structured_data import json_ld_script, reference_title
from tests.factories import (
    make_article,
    make_editor,
    make_reviewed_live,
    make_revision,
    make_source,
)
from tests.readers.helpers import make_small_site

SITE = "https://kratom.example.org"
JSON_LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> dict:
    blocks = JSON_LD_RE.findall(response.content.decode())
    assert len(blocks) == 1, f"expected one JSON-LD block, found {len(blocks)}"
    return json.loads(blocks[0])


@override_settings(SITE_URL=SITE, SITE_NAME="Kratom Facts")
class StructuredDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_small_site()

    def test_article_data_comes_last_after_the_reference_list(self):
        """The block sits at the end of the body, after the reference list whose titles and
        links it repeats: within gzip's 32 KB window they are sent as back-references, and
        the reader's text comes first."""
        html = self.client.get("/articles/stopping/").content.decode()
        block = JSON_LD_RE.search(html)
        self.assertNotIn("ld+json", html[: html.index("</head>")])
        self.assertGreater(block.start(), html.index('id="references"'))
        self.assertEqual(html[block.end() :].split(), ["</body>", "</html>"])

    def test_article_is_a_medical_web_page_matching_the_page(self):
        """The live page's JSON-LD parses and holds the required fields, matching the page."""
        data = json_ld(self.client.get("/articles/stopping/"))
        v1, v2 = self.site["v1"], self.site["v2"]
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "MedicalWebPage")
        self.assertEqual(data["url"], f"{SITE}/articles/stopping/")
        self.assertEqual(data["name"], "Stopping kratom")
        self.assertEqual(data["headline"], "Stopping kratom")
        self.assertEqual(data["inLanguage"], "en")
        self.assertEqual(data["version"], "2")
        self.assertEqual(data["datePublished"], v1.published_at.isoformat(timespec="seconds"))
        self.assertEqual(data["dateModified"], v2.published_at.isoformat(timespec="seconds"))
        self.assertEqual(data["audience"]["audienceType"], "Patient")
        self.assertEqual(data["about"]["name"], "Kratom")
        self.assertNotIn("lastReviewed", data)  # imported without review: claim none
        self.assertNotIn("reviewedBy", data)
        self.assertNotIn("author", data)
        # Every reference of the page, in its order: its title, its DOI as sameAs when it has
        # one, and its link (the back-links into the page are left out).
        self.assertEqual(
            data["citation"],
            [
                {
                    "@type": "ScholarlyArticle",
                    "name": "Alpha study",
                    "sameAs": "https://doi.org/10.1000/alpha2020",
                    "url": "https://doi.org/10.1000/alpha2020",
                },
                {
                    "@type": "CreativeWork",
                    "name": "Beta </script> study",
                    "url": "https://www.nih.gov/beta",
                },
            ],
        )

    def test_text_cannot_break_out_of_the_script_block(self):
        """A '</script>' in a title is escaped inside the JSON-LD."""
        article = make_article("escape", title="Beta </script> study")
        make_revision(article, "A claim [@beta2021].\n", title="Beta </script> study",
                      publish=True)  # fmt: skip
        html = self.client.get("/articles/escape/").content.decode()
        block = JSON_LD_RE.search(html).group(1)
        self.assertNotIn("</script", block)
        self.assertIn("Beta \\u003C/script\\u003E study", block)
        self.assertEqual(json.loads(block)["headline"], "Beta </script> study")
        self.assertEqual(
            json_ld_script({"a": "<&>"}),
            '<script type="application/ld+json">{"a":"\\u003C\\u0026\\u003E"}</script>',
        )

    def test_permalink_describes_that_version(self):
        """/vN/ describes version N and its date, under the live page's address: the same
        url and mainEntityOfPage as its canonical link."""
        response = self.client.get("/articles/stopping/v1/")
        data = json_ld(response)
        self.assertEqual(data["url"], f"{SITE}/articles/stopping/")
        self.assertEqual(data["mainEntityOfPage"], f"{SITE}/articles/stopping/")
        self.assertContains(response, f'<link rel="canonical" href="{SITE}/articles/stopping/">')
        self.assertEqual(data["version"], "1")
        published = self.site["v1"].published_at
        self.assertEqual(data["dateModified"], published.isoformat(timespec="seconds"))
        self.assertEqual(len(data["citation"]), 2)

    def test_citation_names_are_the_cited_titles(self):
        """A title is read from the entry as Source.citation_html writes it: after the year,
        before the container, with full stops inside it kept; escapes are undone."""
        source = make_source(
            "gamma2019",
            authors="Smith J. A., Lee B.",
            year=2019,
            title="M. speciosa & tolerance: a 5 yr. follow-up",
            container="Journal of Things",
        )
        self.assertEqual(
            reference_title(source.citation_html()), "M. speciosa & tolerance: a 5 yr. follow-up"
        )
        undated = make_source("delta", authors="Agency", year=None, title="Fact sheet")
        self.assertEqual(reference_title(undated.citation_html()), "Agency. Fact sheet")

    def test_home_is_a_website_with_search(self):
        """The home page carries WebSite with the site's name and its search address."""
        data = json_ld(self.client.get("/"))
        self.assertEqual(data["@type"], "WebSite")
        self.assertEqual(data["name"], "Kratom Facts")
        self.assertEqual(data["url"], f"{SITE}/")
        self.assertEqual(
            data["potentialAction"]["target"], f"{SITE}/search/?q={{search_term_string}}"
        )


@override_settings(SITE_URL=SITE)
class ReviewedStructuredDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        author = make_editor("writer", "Author", first_name="Ana", last_name="Writer")
        reviewer = make_editor("rita", "Reviewer", display_name="Dr Rita Reyes")
        publisher = make_editor("pat", "Publisher")
        cls.revision = make_reviewed_live(author=author, reviewer=reviewer, publisher=publisher)

    def test_reviewed_article_names_reviewer_author_and_review_date(self):
        """A reviewed version carries lastReviewed, reviewedBy (name, role) and its author."""
        response = self.client.get(self.revision.article.get_absolute_url())
        data = json_ld(response)
        publication = self.revision.publication
        self.assertEqual(data["lastReviewed"], publication.reviewed_on.isoformat())
        self.assertEqual(
            data["reviewedBy"],
            {"@type": "Person", "name": "Dr Rita Reyes", "jobTitle": "Pharmacist"},
        )
        self.assertEqual(data["author"], {"@type": "Person", "name": "Ana Writer"})
        self.assertContains(response, "Written by Ana Writer.")
        self.assertContains(response, 'Cites <a href="#references">1 source</a>.')


@override_settings(SITE_URL=SITE)
class LocatorStructuredDataTests(TestCase):
    def test_cited_places_are_parts_of_each_cited_work(self):
        """A citation with locators lists each place it cites as a part of the work, named as
        the page shows it; a citation without one has none."""
        make_source("k1")
        make_source("k2")
        article = make_article("places")
        make_revision(article, "One [@k1, table 2]. Two [@k1, p. 4; @k2].\n", publish=True)
        data = json_ld(self.client.get("/articles/places/"))
        first, second = data["citation"]
        self.assertEqual(
            first["hasPart"],
            [
                {"@type": "CreativeWork", "name": "table 2"},
                {"@type": "CreativeWork", "name": "p. 4"},
            ],
        )
        self.assertNotIn("hasPart", second)
