"""Every bundled article is served, and every citation link lands on its reference."""

import pytest
from django.core.management import call_command

from kratom_info.articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

# For each citation link: does its #ref-N target exist inside the reference list, and does the
# reference link back to this very citation?
CHECK_LINKS = """
() => [...document.querySelectorAll('sup.citation a')].map(link => {
  const target = document.querySelector(link.getAttribute('href'));
  const inReferences = !!(target && target.closest('section.references'));
  const backlink = target && target.querySelector(`a[href="#${link.id}"]`);
  return {id: link.id, href: link.getAttribute('href'), inReferences, backlink: !!backlink};
})
"""


def test_every_article_and_every_citation(page, live_server):
    """Each of the twelve articles renders; each citation targets its reference and back."""
    call_command("import_content", "--publish-unreviewed-i-understand", verbosity=0)
    slugs = list(Article.objects.published().values_list("slug", flat=True))
    assert len(slugs) == 12
    total = 0
    for slug in slugs:
        page.goto(f"{live_server.url}/articles/{slug}/")
        assert page.locator("h1").count() == 1, slug
        links = page.evaluate(CHECK_LINKS)
        assert links, f"{slug} has no citations"
        broken = [link for link in links if not (link["inReferences"] and link["backlink"])]
        assert not broken, (slug, broken[:5])
        total += len(links)
        # Follow the first and the last citation for real.
        for index in (0, len(links) - 1):
            link = page.locator("sup.citation a").nth(index)
            href = link.get_attribute("href")
            link.click()
            assert page.evaluate("location.hash") == href
            assert page.locator(f"section.references {href}").is_visible()
    assert total > 100
