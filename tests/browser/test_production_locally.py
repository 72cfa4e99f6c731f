"""docs/operating.md's recipe for trying production settings locally without TLS, run as
printed: the variables it exports, its collectstatic and its gunicorn command, against a
database that scripts/serve's steps prepared. Pages stay on plain http with no HSTS, cookies
stay secure-only, and a Publisher can still sign in from Chromium (which keeps secure cookies
on http://127.0.0.1) and is sent to set up the second factor."""

import http.client
import re
import shlex
import subprocess
import sys
import time

import pytest

from tests.load.servers import free_port
from tests.production import GOOD_SECRET_KEY, ROOT, clean_env, run_manage
from tests.test_docs import FENCED, OPERATING

SECTION = OPERATING.split("### Trying production settings locally, without TLS", 1)[1].split(
    "\n## ", 1
)[0]
(RECIPE,) = [block for lang, block in FENCED.findall(SECTION) if lang == "sh"]


def recipe_lines() -> tuple[dict[str, str], list[str]]:
    """The variables the recipe exports, and its other command lines."""
    exported, commands = {}, []
    for line in RECIPE.splitlines():
        if line.startswith("export "):
            exported.update(word.split("=", 1) for word in shlex.split(line)[1:])
        elif line.strip():
            commands.append(line)
    return exported, commands


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_recipe_sets_only_variables_the_settings_read():
    """Each exported variable is one kratom_info/settings.py reads."""
    exported, _ = recipe_lines()
    settings_source = (ROOT / "kratom_info" / "settings.py").read_text()
    assert set(exported) == {
        "DJANGO_DEBUG",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_SECURE_HSTS_SECONDS",
    }
    for name in exported:
        assert f'"{name}"' in settings_source


def test_production_settings_locally_over_plain_http(tmp_path, page):
    """The recipe serves pages over http without redirect or HSTS, with secure cookies, and
    signing in leads to the second-factor setup; `manage.py check` refuses the http address."""
    exported, commands = recipe_lines()
    # What scripts/serve leaves behind: its .env (strong key, http address) and a migrated
    # database with an editor in it.
    base = clean_env(
        DJANGO_SECRET_KEY=GOOD_SECRET_KEY,
        DJANGO_SITE_URL="http://127.0.0.1:8000",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        WEB_CONCURRENCY="1",
    )
    development = {**base, "DJANGO_DEBUG": "1"}
    assert run_manage("migrate", "--noinput", env=development).returncode == 0
    created = run_manage(
        "create_editor", "alice", "--role", "publisher", "--no-input", env=development
    )
    assert created.returncode == 0, created.stderr
    password = created.stdout.split("password: ")[1].split()[0]

    production = {**base, **exported}
    (collect,) = [c for c in commands if "collectstatic" in c]
    (serve,) = [c for c in commands if "gunicorn" in c]
    assert run_manage(*shlex.split(collect)[2:], env=production).returncode == 0
    check = run_manage("check", env=production)
    assert check.returncode != 0 and "handouts.E001" in check.stderr

    port = free_port()
    words = [w.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for w in shlex.split(serve)]
    assert words[0] == ".venv/bin/gunicorn"
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", *words[1:]],
        cwd=ROOT,
        env=production,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                home = get(port, "/")
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail((tmp_path / "gunicorn.log").read_text())
        assert home.status == 200
        assert home.getheader("Strict-Transport-Security") is None
        login = get(port, "/admin/login/")
        assert login.status == 200
        assert re.search(r"csrftoken=[^;]+;.*\bSecure\b", login.getheader("Set-Cookie"))

        page.goto(f"http://127.0.0.1:{port}/admin/login/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(re.compile(r"/admin/second-factor/"))
        assert "Set up two-factor sign-in" in page.title()
        cookies = {c["name"]: c for c in page.context.cookies()}
        assert cookies["sessionid"]["secure"] and cookies["csrftoken"]["secure"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
