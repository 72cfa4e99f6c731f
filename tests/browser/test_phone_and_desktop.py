"""Reading on a 390 px phone and a 1366 px desktop, in light and dark mode: the header leaves
the first screen to the page, help is within a thumb's reach, nothing scrolls sideways, wide
tables show that they scroll, print pages have a Print button and print on one page with the
site's name, and axe finds nothing in either colour scheme."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from kratom_info.articles.models import HELP_FIRST_SLUGS, Article
from tests.browser.printing import PAPER_SIZES, assert_prints_on_one_page
from tests.browser.test_readers import AXE_OPTIONS
from tests.factories import make_revision

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# The tallest the header may be: one row on a phone (it was 290 px in English, 372 px in
# Spanish), two short rows at most on a desktop.
HEADER_MAX = {"phone": 80, "desktop": 80}
TAP = 44  # px: the smallest call or text button (WCAG 2.5.5, and Apple's and Google's guides)

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Every help number on the page: its box, and whether it is visible at all.
HELP_LINKS = """
sel => [...document.querySelectorAll(sel)].map(a => {
  const r = a.getBoundingClientRect();
  return {href: a.getAttribute('href'), width: r.width, height: r.height, top: r.top + scrollY};
})
"""


@pytest.fixture
def site():
    """The bundled content in both languages, plus a second version of one article (for the
    diff page)."""
    call_command("import_content", "--publish-unreviewed-i-understand", verbosity=0)
    tolerance = Article.objects.get(slug="tolerance", language="en")
    body = tolerance.live_revision.body.replace("Tolerance", "Tolerance, for most people,", 1)
    make_revision(tolerance, body, change_note="Plainer first line.", publish=True)
    return Article.objects.filter(live_revision__isnull=False)


@pytest.fixture
def context_for(browser):
    contexts = []

    def open_page(viewport, *, scheme="light", javascript=True):
        context = browser.new_context(
            viewport=viewport, color_scheme=scheme, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def public_urls(site) -> list[str]:
    """Every kind of public page, every article in both languages."""
    urls = ["/", "/es/", "/sources/", "/sources/weiss2021/", "/es/sources/weiss2021/",
            "/clinics/", "/es/clinics/", "/clinics/print/", "/tools/", "/tools/check/",
            "/tools/tracking-sheet/", "/tools/tracking-sheet/print/", "/search/?q=withdrawal",
            "/editorial-policy/", "/no-such-page/", "/articles/tolerance/v1/",
            "/articles/tolerance/history/", "/articles/tolerance/diff/1/2/",
            "/articles/tolerance/handout/", "/es/articles/tolerance/handout/"]  # fmt: skip
    return urls + [article.get_absolute_url() for article in site]


@pytest.mark.parametrize("device", VIEWPORTS)
def test_header_leaves_the_first_screen_to_the_page(device, context_for, live_server, site):
    """The header is one short row in English and Spanish, "Get help now" always in view; on
    a phone the links fold into a Menu that opens without JavaScript."""
    page = context_for(VIEWPORTS[device], javascript=False)
    for url in ["/articles/risks-and-interactions/", "/es/articles/risks-and-interactions/"]:
        page.goto(live_server.url + url)
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= HEADER_MAX[device], (url, device, height)
        help_link = page.locator(".help-link")
        assert help_link.is_visible()
        box = help_link.bounding_box()
        assert box["height"] >= TAP and box["y"] + box["height"] <= height, (url, box)
        sources = {"en": "Sources", "es": "Fuentes"}["es" if url.startswith("/es/") else "en"]
        nav = page.locator(".site-menu" if device == "phone" else ".site-nav--wide")
        link = nav.get_by_role("link", name=sources, exact=True)
        if device == "phone":
            assert not link.is_visible()
            page.locator(".site-menu > summary").click()
            assert link.is_visible()
            link_box = link.bounding_box()
            assert link_box["height"] >= TAP, link_box
        else:
            assert link.is_visible()
            assert not page.locator(".site-menu").is_visible()
    # The review status is on a phone's first screen again (it was on the second).
    page.goto(live_server.url + "/articles/tolerance/")
    status = page.locator(".revision-meta .review-status").bounding_box()
    assert status["y"] < VIEWPORTS[device]["height"], status


@pytest.mark.parametrize("device", VIEWPORTS)
def test_help_is_near_the_top_with_large_buttons(device, context_for, live_server, site):
    """Risk, dependence and mood pages (both languages) show the help box on the first
    screen; every help number in the box and the footer is a link of at least 44 by 44 px."""
    page = context_for(VIEWPORTS[device])
    urls = [f"{prefix}/articles/{slug}/" for slug in HELP_FIRST_SLUGS for prefix in ("", "/es")]
    for url in urls:
        page.goto(live_server.url + url)
        box = page.locator(".help-box").bounding_box()
        assert box is not None, url
        assert box["y"] < VIEWPORTS[device]["height"], (url, box)
        for selector in (".help-box a", ".help-now a"):
            links = page.evaluate(HELP_LINKS, selector)
            hrefs = [link["href"] for link in links]
            assert {"tel:911", "tel:988", "tel:+18004874889", "tel:+18002221222"} <= set(hrefs)
            assert any(href.startswith("sms:988") for href in hrefs), (url, hrefs)
            small = [link for link in links if link["width"] < TAP or link["height"] < TAP]
            assert not small, (url, selector, small)
    page.goto(live_server.url + "/articles/tolerance/")
    assert page.locator(".help-box").count() == 0


@pytest.mark.parametrize("device", VIEWPORTS)
def test_no_public_page_scrolls_sideways(device, context_for, live_server, site):
    """Not one public page is wider than the screen: long titles and words wrap, tables
    scroll inside their own box."""
    page = context_for(VIEWPORTS[device])
    wide = {}
    for url in public_urls(site):
        page.goto(live_server.url + url)
        if (extra := page.evaluate(OVERFLOW)) > 0:
            wide[url] = extra
    assert not wide, f"pages wider than {device}'s screen (px too wide): {wide}"


def test_wide_tables_show_that_they_scroll(context_for, live_server, site):
    """On a phone, a table wider than the screen (the evidence table, the Spanish mixing
    table) scrolls in its box with a written hint above it and edge shadows; the hint is in
    the page's language."""
    page = context_for(PHONE)
    for url, hint in (("/articles/alternatives-and-support/", "Scroll sideways"),
                      ("/es/articles/mixing-with-other-drugs/", "Deslice")):  # fmt: skip
        page.goto(live_server.url + url)
        scrollers = page.locator(".table-scroll")
        assert scrollers.count() >= 1, url
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('.table-scroll')]
                 .filter(el => el.scrollWidth > el.clientWidth)
                 .map(el => ({hint: getComputedStyle(el, '::before').content,
                              shadows: getComputedStyle(el).backgroundImage}))"""
        )
        assert overflowing, f"{url}: expected a table wider than the phone"
        for table in overflowing:
            assert hint in table["hint"], (url, table)
            assert table["shadows"].count("gradient") == 4, (url, table)
        # The table itself scrolls, by keyboard too (a focusable region).
        region = page.locator(".table-scroll").first
        region.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)  # smooth scrolling
        assert region.evaluate("el => el.scrollLeft") > 0, url


@pytest.mark.parametrize("device", VIEWPORTS)
def test_print_pages_have_a_print_button(device, context_for, live_server, site):
    """A handout, the tracking sheet and the print-all page show a Print button (44 px
    tall) that opens the browser's print dialog; without JavaScript the button stays
    hidden and the written instructions remain."""
    page = context_for(VIEWPORTS[device])
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1 }")
    urls = ["/articles/risks-and-interactions/handout/", "/es/articles/tolerance/handout/",
            "/tools/tracking-sheet/print/", "/clinics/print/"]  # fmt: skip
    for url in urls:
        page.goto(live_server.url + url)
        button = page.locator("button.print-button")
        assert button.is_visible(), url
        assert button.bounding_box()["height"] >= TAP
        button.click()
        assert page.evaluate("window.__printed") == 1, url
    no_script = context_for(VIEWPORTS[device], javascript=False)
    no_script.goto(live_server.url + urls[0])
    assert not no_script.locator("button.print-button").is_visible()
    assert no_script.get_by_text("on a phone, Share, then Print").is_visible()


def test_print_pages_fit_one_sheet_with_the_site_name(page, live_server, site, artifacts_dir):
    """The tracking sheet prints on one page of Letter and of A4 in both languages, and it
    and every handout name the site (test_handouts and test_spanish print each handout); the
    print-all page gives each handout its own sheet."""
    name = settings.SITE_NAME
    sheets = ["/tools/tracking-sheet/print/", "/es/tools/tracking-sheet/print/"]
    handouts = [f"{article.get_absolute_url()}handout/" for article in site]
    for url in sheets + handouts:
        page.goto(live_server.url + url)
        assert page.locator(".handout-site").inner_text().startswith(f"{name} · "), url
        assert name in page.title(), url
        if url in sheets:
            assert_prints_on_one_page(page, artifacts_dir, url.strip("/").replace("/", "-"), url)
    for prefix, language in (("", "en"), ("/es", "es")):
        page.goto(f"{live_server.url}{prefix}/clinics/print/")
        count = site.filter(language=language).count()
        assert page.locator("article.handout").count() == count
        for paper in PAPER_SIZES:
            pdf = page.pdf(format=paper, print_background=True)
            assert len(PdfReader(io.BytesIO(pdf)).pages) == count, (prefix, paper)


def test_desktop_article_keeps_its_contents_in_view(context_for, live_server, site):
    """At 1366 px the contents list sits beside the article and stays in view while reading;
    the home page's articles are laid out in two columns."""
    page = context_for(DESKTOP)
    page.goto(live_server.url + "/articles/risks-and-interactions/")
    toc = page.locator("nav.toc")
    body = page.locator(".article-body")
    assert toc.bounding_box()["x"] > body.bounding_box()["x"] + body.bounding_box()["width"]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    box = toc.bounding_box()
    assert 0 <= box["y"] < DESKTOP["height"], box
    page.goto(live_server.url + "/")
    first, second = (
        page.locator(".article-list > li").nth(0),
        page.locator(".article-list > li").nth(1),
    )
    assert first.bounding_box()["y"] == second.bounding_box()["y"]


def test_public_diff_jumps_to_changes_and_folds_the_rest(context_for, live_server, site):
    """The diff lists a jump link per change; unchanged paragraphs are folded and open
    without JavaScript."""
    page = context_for(PHONE, javascript=False)
    page.goto(live_server.url + "/articles/tolerance/diff/1/2/")
    page.get_by_role("link", name="Change 1", exact=True).click()
    assert page.evaluate("location.hash") == "#change-1"
    folded = page.locator("details.diff-unchanged").first
    paragraph = folded.locator("p").first
    assert not paragraph.is_visible()
    folded.locator("summary").click()
    assert paragraph.is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", VIEWPORTS)
def test_axe_finds_nothing_in_light_or_dark(device, scheme, context_for, live_server, site):
    """Zero axe-core violations (contrast included) on every kind of public page, in the
    device's light and dark colour scheme, on a phone and a desktop. (Light mode on a phone
    is run on every page by test_readers and test_spanish: here only on the pages they do
    not open, with the menu open.)"""
    page = context_for(VIEWPORTS[device], scheme=scheme)
    urls = ["/", "/articles/risks-and-interactions/", "/es/articles/risks-and-interactions/",
            "/articles/alternatives-and-support/", "/articles/tolerance/v1/",
            "/articles/tolerance/diff/1/2/", "/articles/tolerance/handout/", "/clinics/",
            "/es/clinics/", "/clinics/print/", "/sources/weiss2021/",
            "/tools/tracking-sheet/print/", "/no-such-page/"]  # fmt: skip
    if (device, scheme) == ("phone", "light"):
        urls = ["/articles/risks-and-interactions/", "/clinics/print/", "/sources/weiss2021/",
                "/tools/tracking-sheet/print/"]  # fmt: skip
    axe = Axe()
    failures = {}
    for url in urls:
        page.goto(live_server.url + url)
        if device == "phone" and page.locator(".site-menu").count():
            page.locator(".site-menu > summary").click()  # check the open menu too
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[url] = results.generate_report()
    assert not failures, "\n\n".join(f"{url}\n{report}" for url, report in failures.items())
