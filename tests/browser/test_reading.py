"""A reader on a phone: home, article, a citation, the reference list, history and diff."""

import pytest
from django.core.management import call_command

from kratom_info.articles.models import Article
from tests.factories import make_revision

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published_content():
    """The bundled content/, imported and published, plus a second version of one article."""
    call_command("import_content", "--publish-unreviewed-i-understand", verbosity=0)
    article = Article.objects.get(slug="what-kratom-is", language="en")
    live = article.live_revision
    make_revision(
        article,
        live.body.replace("Southeast Asia", "Southeast Asia, in countries such as Thailand", 1),
        title=live.title,
        summary=live.summary,
        main_message=live.main_message,
        key_points=live.key_points,
        change_note="Named a country where the tree grows.",
        publish=True,
    )
    return article


def test_reader_journey(page, live_server, published_content, artifacts_dir):
    """Home lists articles; a citation link lands on its reference; history and diff work."""
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    page.get_by_role("link", name="What kratom is").first.click()
    page.wait_for_url("**/articles/what-kratom-is/")
    assert page.locator("h1").inner_text() == "What kratom is"
    assert page.get_by_text("Version 2, published").is_visible()
    page.screenshot(path=str(artifacts_dir / "article-phone.png"), full_page=True)

    first_citation = page.locator("sup.citation a").first
    target = first_citation.get_attribute("href")
    first_citation.click()
    page.wait_for_url(f"**{target}")
    reference = page.locator(target)
    assert reference.is_visible()
    assert reference.locator(".backlinks a").count() >= 1
    assert page.locator("section.references li").count() >= 2

    page.get_by_role("link", name="History of changes").click()
    page.wait_for_url("**/history/")
    assert page.get_by_text("Named a country where the tree grows.").is_visible()
    page.get_by_role("link", name="What changed since version 1").click()
    page.wait_for_url("**/diff/1/2/")
    inserted = page.locator(".diff ins").first
    assert "Thailand" in inserted.inner_text()
    assert "[added:" in inserted.inner_text()

    page.goto(live_server.url + "/articles/what-kratom-is/v1/")
    assert page.get_by_text("A newer version of this page exists").is_visible()
    page.get_by_role("link", name="Read the current version").click()
    page.wait_for_url("**/articles/what-kratom-is/")


def test_keyboard_user_can_skip_to_content(page, live_server, published_content):
    """The first Tab reaches a visible skip link that moves focus to the main content."""
    page.goto(live_server.url + "/articles/what-kratom-is/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_no_javascript_needed(browser, live_server, published_content):
    """Pages read and navigate the same with JavaScript turned off."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/articles/what-kratom-is/")
    assert page.locator("section.references li").count() >= 2
    page.locator("sup.citation a").first.click()
    assert "#ref-" in page.url
    context.close()
