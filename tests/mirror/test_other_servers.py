"""The same export behind the other shipped configs: Caddy (deploy/caddy/Caddyfile) as the
fallback mirror, and nginx as the fast front with the app behind it
(deploy/nginx/kratom-front.conf)."""

from __future__ import annotations

import http.client
import json
import shutil

import pytest

from tests.mirror.conftest import WITHDRAWN, unavailable
from tests.mirror.servers import CADDY, caddy_serving, nginx_serving
from tests.mirror.test_nginx import assert_same_answer, crawl

pytestmark = pytest.mark.mirror


def request(server, method: str, path: str, body: str | None = None, **headers: str):
    """(status, headers, body) through http.client, which reads every framing a server may
    choose."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def post(server, path: str, body: str = "q=yes"):
    return request(server, "POST", path, body)


@pytest.fixture(scope="module")
def caddy(served_export):
    if not shutil.which(CADDY):
        unavailable("caddy is not installed (apt-get install caddy)")
    with caddy_serving(served_export.export) as server:
        yield server


def test_caddy_serves_the_pages_nginx_serves(served_export, caddy):
    """Every page reachable from / and /es/ answers on Caddy with nginx's status, bytes and
    headers (both are compared with the app by the nginx tests)."""
    manifest = json.loads((served_export.export / "_mirror" / "manifest.json").read_text())
    responses, _ = crawl(caddy, ["/", "/es/", *manifest["standins"]])
    assert len(responses) > 300
    for path, answer in sorted(responses.items()):
        if path.startswith("/static/"):
            continue  # WhiteNoise's files, not pages: each server types CSS its own way
        assert_same_answer(path, answer, served_export.mirror.get(path))


def test_caddy_answers_gone_missing_and_the_check_form_like_nginx(served_export, caddy):
    """410 for the withdrawn article, the 404 page in the address's language, brotli from the
    export's files, the rule files refused and the check's POST sent on with 303."""
    status, _, body = request(caddy, "GET", f"/articles/{WITHDRAWN}/")
    assert status == 410 and b"withdrawn" in body
    status, _, body = request(caddy, "GET", "/es/nada/")
    assert status == 404 and b'lang="es"' in body
    assert request(caddy, "GET", "/_mirror/manifest.json")[0] == 404
    status, headers, body = request(caddy, "GET", "/", **{"Accept-Encoding": "br"})
    assert headers.get("Content-Encoding") == "br"
    assert body == (served_export.export / "index.html.br").read_bytes()
    status, headers, _ = post(caddy, "/es/tools/check/")
    assert (status, headers["Location"]) == (303, "/es/tools/check/count/")


def test_front_serves_files_and_sends_the_rest_to_the_app(served_export):
    """In front of the app, nginx answers pages from the export and hands the app what needs
    it: the admin, the report form, the check's answers and searches with words."""
    with nginx_serving(
        served_export.export, site="kratom-front.conf", app_port=served_export.app.port
    ) as front:
        page = front.get("/articles/tolerance/")
        assert page.status == 200 and "x-served-by" not in page.headers
        assert page.body == (served_export.export / "articles/tolerance/index.html").read_bytes()
        admin = front.get("/admin/login/")
        assert admin.status == 200 and admin.headers.get("x-served-by") == "app"
        report = front.get("/articles/tolerance/report/")
        assert report.status == 200 and b"<form" in report.body
        search = front.get("/search/?q=withdrawal")
        assert search.headers.get("x-served-by") == "app"
        assert search.body == served_export.app.get("/search/?q=withdrawal").body
        assert front.get("/search/").headers.get("x-served-by") is None
        status, headers, body = post(front, "/tools/check/", "answer=incomplete")
        assert headers.get("X-Served-By") == "app"
        assert status == 400  # the app's own answer to an incomplete form
        assert "no-store" in headers["Cache-Control"]
