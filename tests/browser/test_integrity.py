"""Editorial integrity in Chromium (issue 8): text laundered through a colleague's one-character
edit is still refused to its writer at review, and a withdrawn article's printed links, version
pages, history, diff and handouts all answer, saying when and why it was withdrawn."""

import re

import pytest
from playwright.sync_api import expect

from kratom_info.articles.models import Article, Revision
from kratom_info.editorial.services import article_unpublish
from tests.browser.test_editorial_journey import PASSWORD, log_in
from tests.factories import make_article, make_editor, make_revision, make_source

BODY = "Kratom is a tree from Southeast Asia [@singh2014].\n"


def save_edit(page, live_server, article, body: str, note: str) -> None:
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/edit/")
    page.locator("textarea#id_body").fill(body)
    page.fill("#id_change_note", note)
    page.click("input[value='Save as new draft']")
    expect(page.locator(".revision-status")).to_have_text("Draft")


@pytest.mark.django_db(transaction=True)
def test_laundered_text_is_refused_to_its_writer(page, live_server, artifacts_dir):
    """A writes a draft; B changes one character and submits; A, who also holds the Reviewer
    role, cannot check its claims or approve it; another reviewer can."""
    make_source("singh2014")
    article = make_article("what-kratom-is", title="What kratom is")
    make_revision(article, body=BODY, publish=True)  # v1, live
    make_editor("anna", "Author", "Reviewer", password=PASSWORD, display_name="Dr Anna Ames")
    make_editor("bert", "Author", password=PASSWORD)
    make_editor("rita", "Reviewer", password=PASSWORD, display_name="Dr Rita Reyes")
    written = (
        "Kratom is a tree from Southeast Asia [@singh2014]. Its leaves are used [@singh2014].\n"
    )

    log_in(page, live_server, "anna")
    save_edit(page, live_server, article, written, "Added a sentence on leaves.")

    log_in(page, live_server, "bert")
    save_edit(page, live_server, article, written.replace("leaves are", "leaves  are"), "Typo.")
    page.click("#submit-for-review")
    expect(page.locator(".revision-status")).to_have_text("Submitted for review")
    review_url = page.url

    log_in(page, live_server, "anna")
    page.goto(review_url)
    expect(page.locator(".four-eyes-notice")).to_contain_text("You wrote v2 of this text")
    page.fill("#claim-1 input.claim-locator", "Results, para 1")  # where, as a reviewer must
    page.click("#claim-1 button.verdict-supported")
    # The review script saves verdicts in place and shows a refusal beside the claim.
    expect(page.locator("#claim-1 .claim-error")).to_contain_text("You wrote v2, which")
    expect(page.locator("#claim-1 .claim-error")).to_contain_text("four-eyes rule")
    expect(page.locator("#claim-1 .claim-verdict")).to_contain_text("not checked")
    page.click("#approve")
    expect(page.locator(".messagelist")).to_contain_text("cannot approve it")
    expect(page.locator(".revision-status")).to_have_text("Submitted for review")
    page.screenshot(path=artifacts_dir / "integrity-laundering-refused.png", full_page=True)

    log_in(page, live_server, "rita")
    page.goto(review_url)
    expect(page.locator(".four-eyes-notice")).to_have_count(0)
    for position in (1, 2):
        page.fill(f"#claim-{position} input.claim-locator", "Results, para 1")
        page.click(f"#claim-{position} button.verdict-supported")
        expect(page.locator(f"#claim-{position} .claim-verdict")).to_contain_text("Supported")
    page.click("#approve")
    expect(page.locator(".revision-status")).to_have_text("Approved")
    assert Revision.objects.get(article=article, number=3).review_decision.reviewer.username == (
        "rita"
    )


@pytest.mark.django_db(transaction=True)
def test_withdrawn_article_pages_answer_with_the_notice(page, live_server, artifacts_dir):
    """After unpublishing, the printed short link, both versions, the diff, the history and the
    handouts answer 200 with the withdrawal notice, and no link on them is broken."""
    make_source("singh2014")
    article = make_article("tolerance", title="Tolerance")
    make_revision(article, body=BODY, change_note="First version.", publish=True)
    make_revision(article, body=BODY + "More [@singh2014].\n", change_note="More.", publish=True)
    publisher = make_editor("paul", "Publisher", password=PASSWORD)
    article_unpublish(article=article, user=publisher, reason="its main source was retracted")
    code = Article.objects.get(pk=article.pk).short_code.code
    notice = re.compile(r"This article was withdrawn on \d{1,2} \w+ \d{4} because its main")

    page.goto(f"{live_server.url}/h/{code}/1")
    page.wait_for_url("**/articles/tolerance/v1/")
    expect(page.locator(".banner--withdrawn")).to_contain_text(notice)
    expect(page.locator(".banner--newer")).to_have_count(0)
    page.screenshot(path=artifacts_dir / "integrity-withdrawn-v1.png", full_page=True)

    visited = set()
    for start in ("/articles/tolerance/v1/", "/articles/tolerance/v2/"):
        page.goto(live_server.url + start)
        hrefs = page.locator("main a[href^='/']").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        assert "/articles/tolerance/" not in hrefs  # no "current version": there is none
        for href in set(hrefs) - visited:
            visited.add(href)
            response = page.goto(live_server.url + href)
            assert response.status == 200, href
            if "/articles/tolerance/" in href:
                expect(page.locator("body")).to_contain_text(notice)
    assert {"/articles/tolerance/history/", "/articles/tolerance/diff/1/2/"} <= visited
    assert "/articles/tolerance/v1/handout/" in visited

    page.goto(f"{live_server.url}/articles/tolerance/v2/handout/")
    expect(page.locator(".handout-withdrawn")).to_contain_text("Do not print or hand out")
    expect(page.locator(".handout-withdrawn-print")).to_contain_text(notice)

    response = page.goto(f"{live_server.url}/articles/tolerance/")
    assert response.status == 410
    expect(page.locator("main")).to_contain_text(notice)
    page.goto(f"{live_server.url}/sources/singh2014/")
    expect(page.locator("main")).not_to_contain_text("(current)")
