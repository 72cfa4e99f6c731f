"""As served in production (gunicorn with the project's gunicorn.conf.py, DEBUG off): the
access log holds no size for the warning-signs check, and every answer set reaches the client
at one size, so neither the log nor a proxy's log of sizes can tell how someone answered."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from kratom_info.access_log import hides_size
from kratom_info.tools.content import load_check
from kratom_info.tools.scoring import NO, YES, field_name
from tests.load.servers import ROOT, free_port, prepare_site, site_env

CHECK = {"en": "/tools/check/", "es": "/es/tools/check/"}
# The common log format's request, status and size, then the duration.
LINE_RE = re.compile(r'"(?P<method>\S+) (?P<uri>\S+) HTTP/[\d.]+" (?P<status>\d{3}) (?P<size>\S+) ')


def answers(language: str, yes: set[str], skip: frozenset[str] = frozenset()) -> bytes:
    folder = ROOT / "content" / ("es/tools" if language == "es" else "tools")
    questions = load_check(folder / "check.yaml").questions
    data = {
        field_name(question): YES if question.id in yes else NO
        for question in questions
        if question.id not in skip
    }
    return urllib.parse.urlencode(data).encode()


@pytest.fixture(scope="module")
def production_site():
    """gunicorn -c gunicorn.conf.py on a loopback port, over a migrated site with content/."""
    workdir = Path(tempfile.mkdtemp(prefix="kratom-accesslog-"))
    env = site_env(
        database_url=f"sqlite:///{workdir}/site.sqlite3",
        static_root=workdir / "static",
        PORT=str(free_port()),
        WEB_CONCURRENCY="1",
        DJANGO_LOG_LEVEL="INFO",
    )
    process = None
    log = (workdir / "gunicorn.log").open("w+")
    try:
        prepare_site(env)
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "kratom_info.wsgi"]
        process = subprocess.Popen(  # noqa: S603 (our own server)
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        port = int(env["PORT"])
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{(workdir / 'gunicorn.log').read_text()}")
            time.sleep(0.2)
        yield port, workdir / "gunicorn.log"
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def request(port, method, path, body=None, encoding=""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "localhost", "Accept-Encoding": encoding or "identity"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


@pytest.mark.slow  # its own SQLite site and gunicorn: once, in the SQLite pass
def test_access_log_holds_no_size_of_the_check_and_sizes_are_equal(production_site):
    """Questions, incomplete forms and results for many answer sets, both languages, every
    encoding: each check line logs "-" for its size (other pages log theirs), and each
    encoding's responses all have one length."""
    port, log_path = production_site
    ids = ["tolerance", "withdrawal", "cope", "numb", "daily", "craving"]
    answer_sets = [set(), set(ids), {ids[0]}, set(ids[:3]), set(ids[1:])]
    sizes: dict[str, set[int]] = {}
    sent = 0
    for language, path in CHECK.items():
        for encoding in ("", "gzip", "br", "zstd"):
            bodies = [request(port, "GET", path, encoding=encoding)]
            bodies += [
                request(port, "POST", path, answers(language, yes), encoding) for yes in answer_sets
            ]
            incomplete = answers(language, {ids[0]}, frozenset({ids[1]}))
            bodies.append(request(port, "POST", path, incomplete, encoding))
            statuses = [status for status, _ in bodies]
            assert statuses == [200] * (1 + len(answer_sets)) + [400], statuses
            sizes.setdefault(encoding, set()).update(len(body) for _, body in bodies)
            sent += len(bodies)
    assert all(len(lengths) == 1 for lengths in sizes.values()), sizes
    assert request(port, "GET", "/tools/")[0] == 200  # a page whose size is logged
    deadline = time.monotonic() + 10
    while True:
        lines = [m for m in map(LINE_RE.search, log_path.read_text().splitlines()) if m]
        check_lines = [m for m in lines if hides_size(m["uri"])]
        if len(check_lines) >= sent and any(m["uri"] == "/tools/" for m in lines):
            break
        assert time.monotonic() < deadline, log_path.read_text()[-3000:]
        time.sleep(0.1)
    assert {m["size"] for m in check_lines} == {"-"}
    assert all(m["size"].isdigit() for m in lines if m["uri"] == "/tools/")
