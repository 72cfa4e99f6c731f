"""Readers on a phone: zero axe-core violations on every kind of public page, help in one tap,
print sizes that keep the hierarchy, and JSON-LD that the CSP leaves alone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from kratom_info.articles.models import Article
from tests.factories import make_revision

pytestmark = pytest.mark.django_db(transaction=True)

# WCAG 2.0-2.2 A and AA (target size included) and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}


@pytest.fixture
def published_site():
    """The bundled content, published, plus a second version of one article."""
    call_command("import_content", "--publish-unreviewed-i-understand", verbosity=0)
    article = Article.objects.get(slug="tolerance", language="en")
    live = article.live_revision
    make_revision(
        article,
        live.body.replace("\n\n", "\n\nTolerance can build slowly.\n\n", 1),
        title=live.title,
        summary=live.summary,
        main_message=live.main_message,
        key_points=live.key_points,
        change_note="Said that tolerance can build slowly.",
        publish=True,
    )
    return Article.objects.published()


def public_urls(articles) -> list[str]:
    urls = ["/", "/sources/", "/sources/garciaromeu2020/", "/clinics/", "/editorial-policy/",
            "/search/?q=withdrawl", "/search/?q=nothingmatcheszz", "/articles/tolerance/v1/",
            "/articles/tolerance/history/", "/articles/tolerance/diff/1/2/",
            "/articles/tolerance/handout/", "/articles/tolerance/report/",
            "/articles/tolerance/report/thanks/", "/no-such-page/"]  # fmt: skip
    return urls + [article.get_absolute_url() for article in articles]


def test_axe_finds_no_violations(page, live_server, published_site):
    """axe-core reports zero violations on home, every article, a version, history, a diff,
    sources, a source, clinics, a handout, search, the report page, the policy and the 404."""
    axe = Axe()
    failures = {}
    for url in public_urls(published_site):
        page.goto(live_server.url + url)
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[url] = results.generate_report()
    assert not failures, "\n\n".join(f"{url}\n{report}" for url, report in failures.items())


def test_help_is_one_tap_away(page, live_server, published_site):
    """'Get help now' in the header brings the help lines into view; so does the sentence
    that points to them."""
    page.goto(live_server.url + "/articles/tolerance/")
    page.get_by_role("link", name="Get help now").click()
    assert page.evaluate("location.hash") == "#help-now"
    help_block = page.locator("#help-now")
    assert help_block.is_visible()
    box = help_block.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    page.goto(live_server.url + "/articles/tolerance/")
    sentence = page.locator("a.help-jump").first
    assert "help lines at the bottom of this page" in sentence.inner_text()
    sentence.click()
    assert page.evaluate("location.hash") == "#help-now"


def test_citation_links_are_named_and_big_enough(page, live_server, published_site):
    """Citation links are at least 24 by 24 CSS pixels and have names like 'Source 2: ...';
    back-links in the labelled reference list say where they lead, with the arrow hidden."""
    page.goto(live_server.url + "/articles/dependence-and-withdrawal/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('sup.citation a')].map(a => {
             const r = a.getBoundingClientRect();
             return {w: r.width, h: r.height, label: a.getAttribute('aria-label'),
                     text: a.textContent, target: !!document.querySelector(a.getAttribute('href'))};
           })"""
    )
    assert sizes
    assert all(s["w"] >= 24 and s["h"] >= 24 for s in sizes), sizes[:3]
    assert all(s["label"].startswith(f"Source {s['text'].split(',')[0]}: ") for s in sizes)
    assert all(s["target"] for s in sizes)
    assert page.get_by_role("link", name="Source 1: ", exact=False).count() >= 1
    references = page.get_by_role("region", name="References")
    assert references.count() == 1
    assert references.get_by_role("link", name="Back to the citation of source").count() >= 1
    assert references.get_by_role("link", name="Back to citation 2 of source").count() >= 1
    backlinks = page.evaluate(
        """() => [...document.querySelectorAll('.backlinks a')].map(a => {
             const r = a.getBoundingClientRect();
             return {w: r.width, h: r.height, label: a.getAttribute('aria-label'),
                     underlined: getComputedStyle(a).textDecorationLine.includes('underline')};
           })"""
    )
    assert all(b["w"] >= 24 and b["h"] >= 24 and b["underlined"] for b in backlinks), backlinks[:3]
    assert all(b["label"].startswith("Back to") for b in backlinks)
    arrows = page.locator('.backlinks > span[aria-hidden="true"]')
    assert arrows.count() == page.locator(".backlinks").count()


def test_tables_scroll_inside_a_labelled_region_on_a_phone(page, live_server, published_site):
    """No table pushes the page sideways: each sits in a focusable, labelled scroll region."""
    page.goto(live_server.url + "/articles/alternatives-and-support/")
    region = page.get_by_role("region", name="Table 1: Option, What it is, Evidence for kratom")
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_print_keeps_the_hierarchy(page, live_server, published_site):
    """In print, sizes are in points with title > headings > text, the main message no
    smaller than the summary; navigation is hidden; the site name and this version's
    permanent address are printed; DOI links do not print their address twice."""
    page.goto(live_server.url + "/articles/tolerance/")
    page.emulate_media(media="print")
    size = page.evaluate(
        """(sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)""",
        "h1",
    )
    sizes = {
        sel: page.evaluate(
            "(sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)", sel
        )
        for sel in [
            "h1",
            ".article-body h2",
            ".main-message",
            ".summary",
            ".article-body p",
            ".references",
        ]  # fmt: skip
    }
    assert size == sizes["h1"]
    assert sizes["h1"] > sizes[".article-body h2"] > sizes[".article-body p"], sizes
    assert sizes[".main-message"] >= sizes[".summary"] >= sizes[".article-body p"], sizes
    assert sizes[".references"] < sizes[".article-body p"], sizes
    assert abs(sizes[".article-body p"] - 11 * 96 / 72) < 0.1  # 11pt
    for navigation in page.locator(".site-header nav, .site-menu").all():
        assert not navigation.is_visible()
    assert not page.locator(".help-link").is_visible()
    address = page.locator(".print-address")
    assert address.is_visible()
    assert "/articles/tolerance/v2/" in address.inner_text()
    assert page.locator(".site-name").is_visible()
    doi_after = page.evaluate(
        """() => getComputedStyle(document.querySelector('.references a[href^="https://doi.org/"]'),
                 '::after').content"""
    )
    assert doi_after in ("none", "normal")


def test_json_ld_is_not_blocked_by_csp(page, live_server, published_site):
    """The JSON-LD block is data, not script: the page logs no CSP violation."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server.url + "/articles/tolerance/")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert not [text for text in messages if "Content Security Policy" in text], messages
