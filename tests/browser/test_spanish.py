"""Spanish pages in a real browser: zero axe-core violations, and every Spanish handout of the
bundled content prints on one page on US Letter and on A4."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from pypdf import PdfReader

from kratom_info.articles.models import Article
from tests.browser.test_readers import AXE_OPTIONS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spanish_site():
    """The bundled content with its Spanish translations, published for local use."""
    call_command("import_content", "--publish-unreviewed-i-understand", verbosity=0)
    return Article.objects.published("es")


def test_axe_finds_no_violations_on_spanish_pages(page, live_server, spanish_site):
    """Home, every Spanish article, a version, history, a handout, sources, a source, clinics,
    search and the 404, all under /es/."""
    assert spanish_site.count() >= 9
    urls = ["/es/", "/es/sources/", "/es/sources/garciaromeu2020/", "/es/clinics/",
            "/es/search/?q=abstinencia", "/es/articles/tolerance/v1/",
            "/es/articles/tolerance/history/", "/es/articles/tolerance/handout/",
            "/es/no-existe/"]  # fmt: skip
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
        for paper in ("Letter", "A4"):
            pdf = page.pdf(format=paper, print_background=True)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            if pages != 1:
                (artifacts_dir / f"handout-es-{article.slug}-{paper}.pdf").write_bytes(pdf)
            assert pages == 1, f"Spanish handout of {article.slug} is {pages} pages on {paper}"


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
