"""Signing in as a Publisher in production mode, in a real browser: enrol an authenticator app
by scanning the QR code, keep the recovery codes, then sign in again with the app's code.
And what a locked-out editor sees after too many wrong passwords."""

import io
import os
import re
import secrets
import time
from base64 import b32decode

import pytest
from django.conf import settings as django_settings
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import make_editor

PASSWORD = secrets.token_urlsafe(12)


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for ``secret`` (base32, as printed on the page)."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def scan(png: bytes) -> str:
    try:
        from PIL import Image
        from pyzbar.pyzbar import decode
    except ImportError as exc:
        reason = f"QR decoding needs pyzbar and libzbar0 (apt-get install libzbar0): {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: may not be skipped)", pytrace=False)
        pytest.skip(reason)
    return decode(Image.open(io.BytesIO(png)))[0].data.decode()


def password_step(page, live_server, password=PASSWORD):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "publisher")
    page.fill("#id_password", password)
    page.click("input[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_publisher_enrols_and_signs_in_with_a_code(page, live_server, settings, artifacts_dir):
    """Password, then enrolment (QR code = the secret shown), recovery codes, the dashboard;
    next time, password then the app's code."""
    settings.EDITORIAL_REQUIRE_2FA = True
    make_editor("publisher", "Publisher", password=PASSWORD)

    password_step(page, live_server)
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    secret = page.locator("#totp-secret").inner_text()
    uri = scan(page.locator(".second-factor-qr svg").screenshot())
    assert uri.startswith("otpauth://totp/kratom_info%3Apublisher?")  # "issuer:account"
    assert f"secret={secret.replace(' ', '')}" in uri
    page.screenshot(path=artifacts_dir / "signin-1-enrol.png", full_page=True)

    page.fill("#id_code", app_code(secret))
    page.click("#enrol-form input[type=submit]")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.screenshot(path=artifacts_dir / "signin-2-recovery-codes.png", full_page=True)
    page.click("#continue")
    expect(page.locator("#editorial-dashboard")).to_be_visible()

    page.click("#logout-form button")
    password_step(page, live_server)
    expect(page.locator("h1")).to_have_text("Enter your code")
    page.fill("#id_code", "000000" if app_code(secret, steps_ahead=1) != "000000" else "111111")
    page.click("#second-factor-form input[type=submit]")
    expect(page.locator(".errornote")).to_contain_text("That code is not right")
    page.screenshot(path=artifacts_dir / "signin-3-wrong-code.png", full_page=True)
    time.sleep(1.1)  # the wait after one wrong code
    page.fill("#id_code", app_code(secret, steps_ahead=1))
    page.click("#second-factor-form input[type=submit]")
    expect(page.locator("#editorial-dashboard")).to_be_visible()
    expect(page.locator("#user-tools")).to_contain_text("Two-factor sign-in")


@pytest.mark.django_db(transaction=True)
def test_too_many_wrong_passwords_show_the_lockout_page(page, live_server, artifacts_dir):
    """After the limit of wrong passwords, even the right one meets the lockout page."""
    make_editor("publisher", "Publisher", password=PASSWORD)
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        password_step(page, live_server, password="wrong-password")  # noqa: S106
    expect(page.locator("h1")).to_have_text("Sign-in paused")
    password_step(page, live_server)
    expect(page.locator(".errornote")).to_contain_text("Too many wrong passwords")
    expect(page.locator("body")).to_contain_text(re.compile(r"Try again after \d\d:\d\d"))
    page.screenshot(path=artifacts_dir / "signin-4-locked-out.png", full_page=True)
