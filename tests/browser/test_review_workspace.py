"""The review workspace in a real browser, measured: an author submits, a reviewer checks every
claim from the keyboard naming where each source supports it, a publisher publishes a review
flagged as fast (which needs a typed reason), and readers see how many claims were checked, by
whom, with each citation's locator. The clicks and key presses of each role are written to
test-artifacts/review-effort.json, for a first review of 24 claims and for a one-sentence
change."""

import json
import re

import pytest
from playwright.sync_api import expect

from kratom_info.editorial.models import AuditAction, AuditEvent, Claim, Verdict
from kratom_info.editorial.services import revision_create_draft_from
from tests.browser.test_editorial_journey import PASSWORD, log_in
from tests.factories import (
    KEY_POINTS,
    make_article,
    make_editor,
    make_reviewed_live,
    make_source,
    make_submitted,
)

TOPICS = [
    "sleep", "mood", "appetite", "energy", "focus", "pain", "nausea", "sweating", "itching",
    "constipation", "thirst", "headache", "restlessness", "yawning", "chills", "cravings",
    "anxiety", "irritability", "dizziness", "tiredness", "low mood", "muscle aches", "skin",
    "weight",
]  # fmt: skip
KEYS = ["src1", "src2", "src3"]
NEW_SENTENCE = " Some people notice changes in hunger [@src2, p. 3]."
CHANGE_NOTE = "Added hunger."
FAST_REASON = "Rita read each source with me by phone."
OWN_LOCATOR = "Results, para 2"


def marker(n: int) -> str:
    """Every third claim carries the author's locator; the others none."""
    key = KEYS[n % 3]
    return f"[@{key}, table {n % 4 + 1}]" if n % 3 == 0 else f"[@{key}]"


def body() -> str:
    """Twenty-four claims over three sources, in four short paragraphs."""
    sentences = [f"Some people notice changes in {t} {marker(n)}." for n, t in enumerate(TOPICS)]
    return "\n\n".join(" ".join(sentences[i : i + 6]) for i in range(0, 24, 6)) + "\n"


class Inputs:
    """What one person does, counted: clicks, key presses, and of those the characters typed
    (a locator, a note, a reason: each character is a key press)."""

    def __init__(self, page):
        self.page, self.clicks, self.keys, self.typed = page, 0, 0, 0

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.clicks += 1

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.keys += len(text)
        self.typed += len(text)

    def counts(self) -> dict[str, int]:
        return {"clicks": self.clicks, "key_presses": self.keys, "of_them_typed": self.typed}


def people():
    for key in KEYS:
        make_source(key, public_note=f"Note on {key}.")
    author = make_editor("author", "Author", password=PASSWORD, display_name="Alex Author")
    reviewer = make_editor("reviewer", "Reviewer", password=PASSWORD, display_name="Dr Rita Reyes")
    publisher = make_editor("publisher", "Publisher", password=PASSWORD)
    return author, reviewer, publisher


def review_from_the_keyboard(page, inputs: Inputs, count: int) -> None:
    """s on each claim, then Enter to confirm the author's locator, or the reviewer's own
    typed first where the author gave none; the last Enter is the approval."""
    for done in range(count):
        current = page.locator("li.claim--current")
        inputs.press("s")
        field = current.locator("input.claim-locator").first
        expect(field).to_be_focused()
        expect(field).to_be_in_viewport()
        if not field.input_value():
            inputs.type(OWN_LOCATOR)
        inputs.press("Enter")
        expect(page.locator(f"li.claim:not(.claim--unchecked) >> nth={done}")).to_be_attached()
    expect(page.locator("#approve")).to_be_focused()
    inputs.press("Enter")
    expect(page.locator(".revision-status")).to_have_text("Approved")


def submitted_by_an_author(text: str):
    """A short revision citing src1, submitted by an author; a reviewer exists."""
    make_source("src1")
    author = make_editor("author", "Author", password=PASSWORD)
    make_editor("reviewer", "Reviewer", password=PASSWORD, display_name="Dr Rita Reyes")
    return make_submitted(make_article("two"), text, author=author)


def open_as_reviewer(page, live_server, revision) -> None:
    log_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/admin/articles/revision/{revision.pk}/change/")


def save_effort(artifacts_dir, scenario: str, counts: dict) -> None:
    path = artifacts_dir / "review-effort.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[scenario] = counts
    path.write_text(json.dumps(data, indent=2) + "\n")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_first_review_of_24_claims_with_locators_and_a_flagged_fast_review(
    browser, live_server, artifacts_dir
):
    """Author submits from 'Your drafts'; the reviewer checks 24 claims from the keyboard
    (s, Enter; typing a locator where the author gave none) and approves with Enter, without
    a reload and without the page scrolling on load; the publisher, landing on Publish, sees
    the review flagged as fast and publishes it only with a typed reason, which is audited;
    readers are told 24 claims were checked by the reviewer, and see the locators."""
    author, reviewer, publisher = people()
    article = make_article("changes", title="Changes people notice")
    draft = revision_create_draft_from(
        article=article, user=author, based_on=0, title=article.title,
        summary="What people notice.", body=body(), change_note="First version.",
        key_points=list(KEY_POINTS),
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_errors = []
    page.on(
        "console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None
    )
    efforts = {}

    # Author: from their own work on the dashboard to "Submit".
    log_in(page, live_server, "author")
    expect(page.locator("#site-name")).to_contain_text("Kratom Facts")
    work = Inputs(page)
    work.click("#dashboard-your-drafts a")
    work.click("#submit-for-review")
    expect(page.locator(".revision-status")).to_have_text("Submitted for review")
    efforts["author"] = work.counts()

    # Reviewer: keyboard only once the workspace is open.
    log_in(page, live_server, "reviewer")
    work = Inputs(page)
    work.click("#dashboard-your-reviews a")
    expect(page.locator("#review-progress-count")).to_have_text("0 of 24 checked")
    expect(page.locator("li.claim--current")).to_have_count(1)
    assert page.evaluate("window.scrollY") == 0  # the page does not scroll on load
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    review_from_the_keyboard(page, work, 24)
    assert len(navigations) == 1  # the approval; no verdict reloaded the page
    efforts["reviewer"] = work.counts()
    # s and Enter per claim, Enter to approve; the rest is the 16 locators the author left out.
    assert work.keys - work.typed == 24 * 2 + 1
    assert work.typed == 16 * len(OWN_LOCATOR)
    checks = [claim.current_check() for claim in Claim.objects.filter(revision=draft)]
    assert all(c.verdict == Verdict.SUPPORTED and c.names_every_place for c in checks)
    assert sum(len(c.locators_confirmed()) for c in checks) == 8  # the author's, confirmed
    assert sum(1 for c in checks if OWN_LOCATOR in c.locators.values()) == 16

    # Publisher: lands on Publish; the fast review needs a reason.
    log_in(page, live_server, "publisher")
    work = Inputs(page)
    work.click("#dashboard-your-publishing a")
    assert page.evaluate("window.scrollY") == 0
    expect(page.locator("#publish-heading")).to_be_in_viewport()
    expect(page.locator("#review-paces")).to_contain_text("fast: under 20 s per claim")
    expect(page.locator(".review-pace--fast th")).to_have_text("reviewer")
    page.screenshot(path=artifacts_dir / "review-proof-publish.png", full_page=True)
    page.click("#publish")  # refused by the form itself, the reason being required (not counted)
    expect(page.locator(".revision-status")).to_have_text("Approved")
    work.click("#fast-review-reason")
    work.type(FAST_REASON)
    work.click("#publish")
    expect(page.locator(".messagelist")).to_contain_text("Readers now see it")
    efforts["publisher"] = work.counts()
    event = AuditEvent.objects.get(action=AuditAction.FAST_REVIEW_ACCEPTED)
    assert FAST_REASON in event.detail and event.user == publisher

    # Readers: how the review was done, and where each citation points.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/articles/changes/")
    # The review line is under the title and again at the end of the article.
    checked = (
        "24 claims checked against their sources by Dr Rita Reyes, naming where each source "
        "supports them."
    )
    expect(page.locator(".review-claims")).to_have_text([checked, checked])
    first = page.locator("sup.citation a").first
    expect(first).to_have_text("1, table 1")
    expect(first).to_have_attribute("href", "#ref-1")
    expect(page.locator("#ref-1 .backlink-locator").first).to_have_text("(table 1)")
    assert csp_errors == []
    save_effort(artifacts_dir, "first review of 24 claims", efforts)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_one_sentence_change_puts_the_change_first_and_carries_the_rest(
    browser, live_server, artifacts_dir
):
    """A one-sentence edit to a reviewed article: the reviewer sees the diff, the new claim
    first and marked, carries over the 24 unchanged verdicts (and their locators) in one
    press, checks the new claim and approves; nothing is flagged, so the publisher publishes
    in one press. Readers see the counts."""
    author, reviewer, publisher = people()
    article = make_article("changes", title="Changes people notice")
    make_reviewed_live(
        article, body(), author=author, reviewer=reviewer, publisher=publisher,
        summary="What people notice.",
    )  # fmt: skip
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.set_default_timeout(15_000)
    efforts = {}

    log_in(page, live_server, "author")
    work = Inputs(page)
    work.click(".app-articles .model-article th a")
    work.click("td.field-edit a")
    editor = page.locator("textarea#id_body")
    work.click("textarea#id_body")
    work.press("Control+End")
    work.press("ArrowLeft")  # before the final line break
    work.type(NEW_SENTENCE)
    work.click("#id_change_note")
    work.type(CHANGE_NOTE)
    expect(editor).to_have_value(re.compile("hunger"))
    work.click("input[name=_save]")
    work.click("#submit-for-review")
    expect(page.locator(".revision-status")).to_have_text("Submitted for review")
    efforts["author"] = work.counts()

    log_in(page, live_server, "reviewer")
    work = Inputs(page)
    work.click("#dashboard-your-reviews a")
    html = page.content()
    assert html.index('id="diff-heading"') < html.index('id="claims-heading"')
    expect(page.locator(".claim--new")).to_have_count(1)
    expect(page.locator(".claim--new .claim-text")).to_have_text(
        "Some people notice changes in hunger [2, p. 3]."
    )
    work.click("#carry-over")
    expect(page.locator("#review-progress-count")).to_have_text("24 of 25 checked")
    expect(page.locator("li.claim--current")).to_have_class(re.compile("claim--new"))
    review_from_the_keyboard(page, work, 1)
    efforts["reviewer"] = work.counts()

    log_in(page, live_server, "publisher")
    work = Inputs(page)
    work.click("#dashboard-your-publishing a")
    expect(page.locator("#fast-review-reason")).to_have_count(0)
    work.click("#publish")
    expect(page.locator(".messagelist")).to_contain_text("Readers now see it")
    efforts["publisher"] = work.counts()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/articles/changes/")
    checked = "1 claim checked against its sources"
    expect(page.locator(".review-claims")).to_contain_text([checked, checked])
    carried = "24 unchanged claims kept their check from an earlier version."
    expect(page.locator(".review-claims-carried")).to_have_text([carried, carried])
    save_effort(artifacts_dir, "one-sentence change", efforts)
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_partly_and_not_supported_from_the_keyboard_need_a_note(browser, live_server):
    """'p' and 'x' go to the note; Enter records that verdict with it; 'j' skips a claim."""
    revision = submitted_by_an_author(
        "Kratom is a plant [@src1]. It grows in Asia [@src1]. Leaves are dried [@src1].\n"
    )
    page = browser.new_page()
    open_as_reviewer(page, live_server, revision)
    page.keyboard.press("j")
    expect(page.locator("li.claim--current")).to_have_attribute("id", "claim-2")
    page.keyboard.press("x")
    page.keyboard.type("The source says nothing about Asia.")
    page.keyboard.press("Enter")
    expect(page.locator("#claim-2 .claim-verdict")).to_contain_text("Not supported")
    expect(page.locator("li.claim--current")).to_have_attribute("id", "claim-3")
    page.keyboard.press("p")
    page.keyboard.type("Only fresh leaves are described.")
    page.keyboard.press("Enter")
    expect(page.locator("#claim-3 .claim-verdict")).to_contain_text("Partly supported")
    expect(page.locator("#review-progress-count")).to_have_text("2 of 3 checked")
    check = revision.claims.get(position=2).current_check()
    assert (check.verdict, check.note) == ("not_supported", "The source says nothing about Asia.")
    check = revision.claims.get(position=3).current_check()
    assert (check.verdict, check.note) == ("partly_supported", "Only fresh leaves are described.")
    page.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_forms_record_verdicts_with_locators(browser, live_server):
    """No script: the locator field is there pre-filled, "Supported" posts it and the page
    comes back at the same claim; an empty locator is refused with the reason."""
    revision = submitted_by_an_author(
        "Kratom is a plant [@src1, p. 2]. It grows in Asia [@src1].\n"
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_as_reviewer(page, live_server, revision)
    expect(page.locator("#claim-1 input.claim-locator")).to_have_value("p. 2")
    page.click("#claim-1 button.verdict-supported")
    assert page.url.endswith("#claim-1")
    expect(page.locator("#claim-1 .claim-verdict")).to_contain_text("the author's, confirmed")
    page.click("#claim-2 button.verdict-supported")
    expect(page.locator(".messagelist")).to_contain_text("Say where in [@src1] claim 2")
    page.fill("#claim-2 input.claim-locator", "Discussion, para 4")
    page.click("#claim-2 button.verdict-supported")
    expect(page.locator("#claim-2 .claim-verdict")).to_contain_text("the reviewer's own")
    assert revision.claims.get(position=2).current_check().locators == {
        "src1": "Discussion, para 4"
    }
    context.close()
