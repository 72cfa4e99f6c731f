"""A Publisher invites an Author in a real browser; the Author opens the one-time link, chooses
a password and signs in."""

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.factories import make_editor

PASSWORD = secrets.token_urlsafe(12)
CHOSEN = "Kratom-writer-" + secrets.token_urlsafe(8)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_invite_then_set_password_then_sign_in(page, live_server, artifacts_dir):
    """People → Invite a person → the link shown once → choose a password → sign in."""
    make_editor("publisher", "Publisher", password=PASSWORD)
    sign_in(page, live_server, "publisher", PASSWORD)
    page.goto(f"{live_server.url}/admin/editorial/person/")
    page.click("#invite-person")
    expect(page.locator("h1")).to_have_text("Invite a person")
    page.fill("#id_first_name", "Bea")
    page.fill("#id_last_name", "Writer")
    page.fill("#id_email", "bea@example.org")
    page.check("input[name=role][value=Author]")
    page.screenshot(path=artifacts_dir / "people-0-invite-form.png", full_page=True)
    page.click("#invite-form input[type=submit]")
    expect(page.locator("#content-main")).to_contain_text(
        "Created the account bea (Bea Writer) as Author"
    )
    link = page.locator("#invitation-link").input_value()
    assert re.fullmatch(r"https?://[^/]+/editorial/invitation/[^/]+/[^/]+/", link)
    page.screenshot(path=artifacts_dir / "people-1-invited.png", full_page=True)
    page.click("#person-page")
    expect(page.locator("#person-status")).to_have_text("Invited: has not chosen a password yet")
    page.screenshot(path=artifacts_dir / "people-1b-person.png", full_page=True)
    page.click("#logout-form button")

    # The link names SITE_URL; the live server answers on another port.
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    expect(page.locator("h1")).to_have_text("Choose your password")
    assert page.url.endswith("/set-password/")  # the token left the address bar
    page.fill("#id_new_password1", CHOSEN)
    page.fill("#id_new_password2", CHOSEN)
    page.click("#invitation-accept-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("Your password is set")
    page.screenshot(path=artifacts_dir / "people-2-password-set.png", full_page=True)

    sign_in(page, live_server, "bea", CHOSEN)
    expect(page.locator("#editorial-dashboard")).to_be_visible()
