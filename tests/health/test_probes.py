import json
import socket

from django.test import SimpleTestCase, TestCase, override_settings

from tests.production import production_env, run_python


class HealthzTests(SimpleTestCase):
    def test_healthz_answers_ok_without_the_database(self):
        """/healthz says the process is up; it runs no query (SimpleTestCase forbids them)."""
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok\n")
        self.assertIn("no-cache", response["Cache-Control"])

    @override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["kratom.example.org"])
    def test_probes_skip_https_redirect_and_host_check(self):
        """Probes come over plain http with the container's address as Host: no redirect, no
        400, while every other page is still redirected to https."""
        response = self.client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
        self.assertEqual(response.status_code, 200)
        page = self.client.get("/sources/", HTTP_HOST="kratom.example.org")
        self.assertEqual(page.status_code, 301)
        self.assertEqual(page["Location"], "https://kratom.example.org/sources/")

    def test_other_methods_fall_through_to_the_site(self):
        """Only GET and HEAD are probes; a POST to /healthz is an ordinary (unknown) page."""
        self.assertEqual(self.client.post("/healthz").status_code, 404)


class ReadyzTests(TestCase):
    def test_ready_when_database_answers_and_is_migrated(self):
        """/readyz: 200 and every component ok on the migrated test database."""
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok", "cache": "ok"})


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


READYZ = (
    "import django, json; django.setup(); from django.test import Client; "
    "r = Client().get('/readyz', HTTP_HOST='10.0.0.7'); "
    "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
)


def test_readyz_is_503_when_the_database_is_unreachable():
    """A PostgreSQL server that does not answer gives 503 and a short JSON reason."""
    env = production_env(
        DATABASE_URL=f"postgres://kratom:x@127.0.0.1:{closed_port()}/kratom",
        DJANGO_SETTINGS_MODULE="kratom_info.settings",
    )
    result = run_python(READYZ, env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == 503
    assert answer["body"]["status"] == "unavailable"
    assert answer["body"]["reason"] == (
        "database unavailable (OperationalError); details in the log"
    )
    assert "Connection refused" in result.stderr  # logged for the operator, not shown


def test_readyz_is_503_when_migrations_are_unapplied(tmp_path):
    """A database that answers but was never migrated is not ready: 503 says what to run."""
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        DJANGO_SETTINGS_MODULE="kratom_info.settings",
    )
    result = run_python(READYZ, env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == 503
    assert answer["body"]["reason"].endswith("unapplied migration(s): run manage.py migrate")
