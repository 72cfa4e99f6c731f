"""Spanish pages in a real browser: zero axe-core violations, and every Spanish handout of the
bundled content prints on one page on US Letter and on A4."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from kratom_info.articles.models import Article
from tests.browser.printing import assert_prints_on_one_page
from tests.browser.test_readers import AXE_OPTIONS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spanish_site():
    """The bundled content with its Spanish translations, published for local use."""
    call_command("import_content", "--publish-unreviewed-i-understand", verbosity=0)
    return Article.objects.published("es")


def test_axe_finds_no_violations_on_spanish_pages(page, live_server, spanish_site):
    """Home, every Spanish article, a version, history, a handout, sources, a source, clinics,
    search, the 404s, the editorial policy and the tools' pages, all under /es/."""
    assert spanish_site.count() >= 9
    urls = ["/es/", "/es/sources/", "/es/sources/garciaromeu2020/", "/es/clinics/",
            "/es/search/?q=abstinencia", "/es/articles/tolerance/v1/",
            "/es/articles/tolerance/history/", "/es/articles/tolerance/handout/",
            "/es/no-existe/", "/es/editorial-policy/", "/es/tools/", "/es/tools/tracking-sheet/",
            "/es/tools/tracking-sheet/print/", "/es/tools/check/", "/es/h/zzzzzz"]  # fmt: skip
    urls += [article.get_absolute_url() for article in spanish_site]
    axe = Axe()
    failures = {}
    for url in urls:
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.lang") == "es", url
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[url] = results.generate_report()
    assert not failures, "\n\n".join(f"{url}\n{report}" for url, report in failures.items())


def test_every_spanish_handout_prints_on_one_page(page, live_server, spanish_site, artifacts_dir):
    """A clinic can print each Spanish handout on one sheet of Letter or A4."""
    for article in spanish_site:
        page.goto(f"{live_server.url}/es/articles/{article.slug}/handout/")
        assert page.locator("svg.qr-code").count() == 1
        assert_prints_on_one_page(
            page, artifacts_dir, f"handout-es-{article.slug}", f"Spanish handout of {article.slug}"
        )


def test_axe_finds_no_violations_on_spanish_report_and_withdrawn_pages(
    page, live_server, spanish_site
):
    """The Spanish report form (empty, then with its Spanish errors) and every page of a
    withdrawn Spanish article: its 410 page, a version and its report form."""
    from kratom_info.editorial.services import article_unpublish
    from tests.factories import make_editor

    withdrawn = spanish_site.exclude(slug="tolerance").first()
    article_unpublish(
        article=withdrawn,
        user=make_editor("publisher", "Publisher"),
        reason="se retractó un estudio citado",
    )
    axe = Axe()
    failures = {}

    def check(label):
        assert page.evaluate("document.documentElement.lang") == "es", label
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[label] = results.generate_report()

    gone = f"/es/articles/{withdrawn.slug}/"
    for url in ("/es/articles/tolerance/report/", gone, f"{gone}v1/", f"{gone}report/"):
        page.goto(live_server.url + url)
        check(url)
        if withdrawn.slug in url:
            assert page.get_by_role("heading", name="Este artículo se retiró").is_visible(), url
    page.goto(f"{live_server.url}/es/articles/tolerance/report/")
    page.get_by_role("button", name="Enviar el reporte").click()
    page.wait_for_load_state()
    assert page.get_by_text("Por favor, diga qué está mal.").is_visible()
    check("/es/articles/tolerance/report/ (errors)")
    assert not failures, "\n\n".join(f"{url}\n{report}" for url, report in failures.items())


def _take_spanish_check(page, base_url, audit=lambda name: None):
    """Answer every question but the last "Sí", be asked again, answer it and reach the
    result; ``audit`` is called on the re-ask and on the result."""
    page.goto(base_url + "/es/tools/check/")
    fieldsets = page.locator("fieldset.check-question")
    count = fieldsets.count()
    for index in range(count - 1):  # leave the last question unanswered
        fieldsets.nth(index).get_by_label("Sí", exact=True).check()
    page.get_by_role("button", name="Ver mi resultado").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Por favor, responda todas las preguntas").count()
    assert fieldsets.nth(0).get_by_label("Sí", exact=True).is_checked()
    audit("asked again")
    fieldsets.nth(count - 1).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Ver mi resultado").click()
    page.wait_for_url("**/es/tools/check/")
    assert page.locator("h1").inner_text() == "Su resultado: muchas señales"
    assert page.evaluate("document.documentElement.lang") == "es"
    assert f"{count - 1} de {count}" in page.locator(".result-count").inner_text()
    assert page.get_by_role("heading", name="Niveles de atención").is_visible()
    audit("result")


def test_spanish_check_without_javascript_and_axe(browser, page, live_server, spanish_site):
    """The Spanish check works with JavaScript off (asked again for a skipped question, then
    the result), and axe finds zero violations on the re-ask and the result."""
    context = browser.new_context(java_script_enabled=False)
    try:
        _take_spanish_check(context.new_page(), live_server.url)
    finally:
        context.close()
    axe = Axe()
    failures = {}

    def audit(name):
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[name] = results.generate_report()

    _take_spanish_check(page, live_server.url, audit)
    assert not failures, "\n\n".join(f"{name}\n{report}" for name, report in failures.items())


def test_spanish_tracking_sheet_prints_on_one_page(page, live_server, spanish_site, artifacts_dir):
    """The Spanish sheet, pinned to the Spanish article, fits one page on Letter and A4."""
    code = spanish_site.get(slug="tracking-your-use").short_code.code
    page.goto(live_server.url + "/es/tools/tracking-sheet/print/")
    assert page.locator(".short-url").inner_text().endswith(f"/h/{code}/1")
    assert page.locator("table.sheet-table tbody").count() == 7
    assert_prints_on_one_page(
        page, artifacts_dir, "tracking-sheet-es", "the Spanish tracking sheet"
    )
