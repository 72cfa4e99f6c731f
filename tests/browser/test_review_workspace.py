"""A reviewer checks a 22-claim article from the keyboard: every verdict is saved in place,
the next unchecked claim comes into view, and it takes at most 25 key presses."""

import time

import pytest
from playwright.sync_api import expect

from kratom_info.editorial.models import Claim, Verdict
from tests.browser.test_editorial_journey import PASSWORD, log_in
from tests.factories import make_article, make_editor, make_source, make_submitted

TOPICS = [
    "sleep", "mood", "appetite", "energy", "focus", "pain", "nausea", "sweating", "itching",
    "constipation", "thirst", "headache", "restlessness", "yawning", "chills", "cravings",
    "anxiety", "irritability", "dizziness", "tiredness", "low mood", "muscle aches",
]  # fmt: skip


def body() -> str:
    """Twenty-two claims over three sources, in four short paragraphs."""
    keys = ["src1", "src2", "src3"]
    sentences = [
        f"Some people notice changes in {topic} [@{keys[n % 3]}]." for n, topic in enumerate(TOPICS)
    ]
    return "\n\n".join(" ".join(sentences[i : i + 6]) for i in range(0, 22, 6)) + "\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_checks_22_claims_with_at_most_25_key_presses(browser, live_server):
    """From page load: 22 presses of 's' record 22 verdicts without a reload, the progress
    says 22 of 22, and the page never jumped back to the top."""
    for key in ("src1", "src2", "src3"):
        make_source(key, public_note=f"Note on {key}.")
    author = make_editor("author", "Author", password=PASSWORD)
    make_editor("reviewer", "Reviewer", password=PASSWORD, display_name="Dr Rita Reyes")
    revision = make_submitted(make_article("changes"), body(), author=author)
    assert revision.claims.count() == 22

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_errors = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/admin/articles/revision/{revision.pk}/change/")
    expect(page.locator("#review-progress-count")).to_have_text("0 of 22 checked")
    expect(page.locator("li.claim--current")).to_have_count(1)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    presses = 0
    started = time.monotonic()
    for _ in range(22):
        current = page.locator("li.claim--current")
        expect(current).to_be_in_viewport()
        page.keyboard.press("s")
        presses += 1
    expect(page.locator("#review-progress-count")).to_have_text("22 of 22 checked")
    elapsed = time.monotonic() - started

    assert presses <= 25
    assert navigations == []  # no reload: the reviewer never lost their place
    assert page.evaluate("window.scrollY") > 0
    checks = [claim.current_check() for claim in Claim.objects.filter(revision=revision)]
    assert all(c is not None and c.verdict == Verdict.SUPPORTED for c in checks)
    expect(page.locator("#next-unchecked")).to_have_text("every claim is checked")
    assert elapsed < 30, f"22 verdicts took {elapsed:.1f} s"
    assert csp_errors == []
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_not_supported_from_the_keyboard_needs_a_note(browser, live_server):
    """'x' goes to the note; Enter records 'not supported' with it; 'j' skips a claim."""
    make_source("src1")
    author = make_editor("author", "Author", password=PASSWORD)
    make_editor("reviewer", "Reviewer", password=PASSWORD, display_name="Dr Rita Reyes")
    revision = make_submitted(
        make_article("two"),
        "Kratom is a plant [@src1]. It grows in Asia [@src1]. Leaves are dried [@src1].\n",
        author=author,
    )
    page = browser.new_page()
    log_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/admin/articles/revision/{revision.pk}/change/")
    page.keyboard.press("j")
    expect(page.locator("li.claim--current")).to_have_attribute("id", "claim-2")
    page.keyboard.press("x")
    page.keyboard.type("The source says nothing about Asia.")
    page.keyboard.press("Enter")
    expect(page.locator("#claim-2 .claim-verdict")).to_contain_text("Not supported")
    expect(page.locator("#review-progress-count")).to_have_text("1 of 3 checked")
    check = revision.claims.get(position=2).current_check()
    assert (check.verdict, check.note) == ("not_supported", "The source says nothing about Asia.")
    page.close()
