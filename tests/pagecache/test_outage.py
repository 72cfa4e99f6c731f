"""With the database unreachable and no copy of the page cached, a reader gets a short, styled
503 page with the help lines: never a traceback, never a 500."""

import json

from tests.health.test_probes import closed_port
from tests.load.servers import manage
from tests.production import production_env, run_python

OUTAGE = (
    "import django, json; django.setup(); from django.test import Client; c = Client(); "
    "answers = {p: c.get(p, HTTP_HOST='kratom.example.org', secure=True) "
    "for p in ('/articles/dose/', '/es/', '/healthz', '/readyz')}; "
    "print(json.dumps({p: [r.status_code, r.content.decode(), r.get('Retry-After'), "
    "r.get('Cache-Control'), r.get('Content-Security-Policy')] for p, r in answers.items()}))"
)


def test_a_page_that_needs_the_database_is_a_short_503_page(tmp_path):
    env = production_env(
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"postgres://kratom:x@127.0.0.1:{closed_port()}/kratom",
        DJANGO_SETTINGS_MODULE="kratom_info.settings",
        DJANGO_DATABASE_RETRY_SECONDS="0.3",
    )
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # as a release does
    result = run_python(OUTAGE, env)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    status, body, retry_after, cache_control, policy = answers["/articles/dose/"]
    assert (status, retry_after) == (503, "30")
    assert "default-src 'self'" in policy  # the site's security headers, as on every page
    assert "no-store" in cache_control  # a CDN must not keep the error in place of the page
    assert "1-800-222-1222" in body and "988" in body  # the help lines
    assert 'rel="stylesheet"' in body and 'lang="en"' in body
    assert "Traceback" not in body and "OperationalError" not in body
    spanish = answers["/es/"]
    assert spanish[0] == 503 and 'lang="es"' in spanish[1]
    assert answers["/healthz"][0] == 200
    # No generation known (no cache shared with servers that read one): nothing to serve.
    assert answers["/readyz"][0] == 503
    assert json.loads(answers["/readyz"][1])["database"] == "down"
    assert "Database unreachable" in result.stderr  # the operator is told, in the log
