"""The whole editorial journey in a real browser, with three people:

an author edits the dose article in the Markdown editor (the live preview changes as they
type) and submits it; their own attempt to approve it is refused; a reviewer checks every claim
and approves; a publisher publishes; readers see the new version naming the reviewer, and the
old version's permanent link says a newer version exists.
"""

import re
import secrets

import pytest
from playwright.sync_api import expect

from kratom_info.articles.models import Revision
from tests.factories import make_article, make_editor, make_revision, make_source

PASSWORD = secrets.token_urlsafe(12)
SLUG = "dose-ranges-and-effects"
OLD_BODY = """Kratom products differ a lot in strength [@prozialeck2020].

## What people report

| Amount | What was reported | Source |
|---|---|---|
| 1 to 3 g per dose | Most common amount in a survey | [@garciaromeu2020] |

- Unwanted effects were more common at 5 g or more [@garciaromeu2020].
"""
NEW_SENTENCE = "Start with a small amount and wait at least 30 minutes [@garciaromeu2020]."


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username.upper(), ignore_case=True)


@pytest.mark.django_db(transaction=True)
def test_three_person_editorial_journey(page, live_server, artifacts_dir):
    """Draft, preview, submit, refused self-approval, claim review, approval, publication."""
    make_source("prozialeck2020", authors="Prozialeck WC, Edwards JR", pmid="32101127")
    make_source("garciaromeu2020", authors="Garcia-Romeu A", notes="Online survey, n=2,798.")
    article = make_article(SLUG, title="Dose ranges and effects")
    make_revision(article, body=OLD_BODY, publish=True)  # v1, imported without review
    # The author also holds the Reviewer role, so only the four-eyes rule can stop them.
    make_editor("author", "Author", "Reviewer", password=PASSWORD, display_name="Alex Author")
    make_editor("reviewer", "Reviewer", password=PASSWORD, display_name="Dr Rita Reyes")
    make_editor("publisher", "Publisher", password=PASSWORD)

    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # 1. The author edits in the markdownx editor; the preview follows the text.
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/edit/")
    editor = page.locator("textarea#id_body")
    expect(editor).to_have_value(re.compile("differ a lot in strength"))
    preview = page.locator(".markdownx-preview")
    editor.fill(OLD_BODY + "\n" + NEW_SENTENCE + "\n")
    expect(preview).to_contain_text("wait at least 30 minutes")
    expect(preview).to_contain_text("References")
    editor.press("End")
    editor.type(" Mind the dose.")
    expect(preview).to_contain_text("Mind the dose.")
    page.fill("#id_change_note", "Added advice on waiting before taking more.")
    page.screenshot(path=artifacts_dir / "editorial-1-editor.png", full_page=True)
    page.click("input[value='Save as new draft']")
    expect(page.locator(".revision-status")).to_have_text("Draft")
    revision_url = page.url

    page.click("#submit-for-review")
    expect(page.locator(".messagelist")).to_contain_text("Submitted")
    expect(page.locator(".revision-status")).to_have_text("Submitted for review")

    # 2. The author tries to approve their own revision: refused.
    page.click("#approve")
    expect(page.locator(".messagelist")).to_contain_text("four-eyes rule")
    expect(page.locator(".revision-status")).to_have_text("Submitted for review")
    page.screenshot(path=artifacts_dir / "editorial-2-self-approval-refused.png", full_page=True)

    # 3. The reviewer checks every claim against its sources, then approves.
    log_in(page, live_server, "reviewer")
    page.goto(revision_url)
    expect(page.locator("#diff-heading")).to_contain_text("Changes since published version 1")
    claims = page.locator("li.claim")
    count = claims.count()
    assert count == 4
    expect(
        page.locator(".source-group .frozen-reference", has_text="PubMed 32101127")
    ).to_have_count(1)
    for position in range(1, count + 1):
        # Where each source supports it: the author gave no locators here, so the reviewer's.
        fields = page.locator(f"#claim-{position} input.claim-locator")
        for index in range(fields.count()):
            fields.nth(index).fill("Results, para 1")
        page.click(f"#claim-{position} button.verdict-supported")
        expect(page.locator(f"#claim-{position} .claim-verdict")).to_contain_text("Supported")
    page.fill("#approve-comment", "Every claim matches its source.")
    page.click("#approve")
    expect(page.locator(".revision-status")).to_have_text("Approved")

    # 4. The publisher publishes with the default next-review date.
    log_in(page, live_server, "publisher")
    page.goto(revision_url)
    expect(page.locator(".publish-blockers")).to_have_count(0)
    # Four verdicts in a few seconds: a fast review, published only with a reason.
    page.fill("#fast-review-reason", "Checked the four claims again with the reviewer.")
    page.click("#publish")
    expect(page.locator(".messagelist")).to_contain_text("Readers now see it")

    # 5. Readers get the new version, naming the reviewer; v1's permanent link has a banner.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/articles/{SLUG}/")
    expect(page.locator(".article-body")).to_contain_text("wait at least 30 minutes")
    expect(page.locator(".revision-meta .review-status")).to_contain_text(
        re.compile(r"Reviewed by Dr Rita Reyes \(Pharmacist\) on \d{1,2} \w+ \d{4}")
    )
    expect(page.locator(".revision-meta .review-due")).to_contain_text("Next review due")
    page.screenshot(path=artifacts_dir / "editorial-3-published.png", full_page=True)
    page.goto(f"{live_server.url}/articles/{SLUG}/v1/")
    expect(page.locator(".banner--newer")).to_contain_text("A newer version of this page exists")

    assert Revision.objects.get(article=article, number=2).status == "published"
    assert csp_errors == []
