"""The image built from the Dockerfile and run with the project's compose.yaml on a real Docker
engine (tests/container/conftest.py), checked as an operator and a reader would see it.

The tests share one deployment and run in file order; the last one stops the web service.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time

import pytest

from tests.container.conftest import (
    IMAGE,
    REPORT,
    SITE,
    SIZE_TARGET_MB,
    build,
    project_version,
    wait_until,
)
from tests.container.http import get
from tests.production import ROOT

pytestmark = pytest.mark.container
HTTPS = {"Host": SITE, "X-Forwarded-Proto": "https"}
ARTICLE = "what-kratom-is"
# Steps that install dependencies: a change to the application must never run them again.
DEPENDENCY_STEPS = ("apt-get install", "pip install", "COPY requirements.lock", "COPY --from=build")


def test_image_size_within_target(deployment):
    assert deployment.timings["size_mb"] <= SIZE_TARGET_MB


def test_image_labels_no_pip_and_compiled_code(deployment):
    """OCI labels name the version and revision; pip is not in the image; the application's
    modules are byte-compiled (workers cannot write bytecode on a read-only root)."""
    labels = deployment.engine.inspect(IMAGE)["Config"]["Labels"]
    assert labels["org.opencontainers.image.version"] == project_version()
    assert labels["org.opencontainers.image.revision"] == deployment.revision
    assert labels["org.opencontainers.image.source"] == "file://kratom_info"
    assert labels["org.opencontainers.image.base.name"].startswith("debian:13.")
    probe = (
        "import importlib.util, pathlib, shutil, sys;"
        "missing = [str(p) for p in pathlib.Path('/app/kratom_info').rglob('*.py')"
        " if not pathlib.Path(importlib.util.cache_from_source(str(p))).exists()];"
        "print(sys.version_info[:2], shutil.which('pip'), missing[:3])"
    )
    output = deployment.docker("run", "--rm", IMAGE, "python", "-c", probe).stdout.strip()
    assert output == "(3, 13) None []"


def test_rebuild_after_template_change_reuses_dependency_layers(deployment, tmp_path):
    """A template edited: every step that installs dependencies comes from the cache."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    context = tmp_path / "context"
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (context / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, context / name)
    with (context / "templates/base.html").open("a") as template:
        # Never the same edit twice: the engine's build cache outlives a run.
        template.write(f"{{# edited by the rebuild test {secrets.token_hex(8)} #}}\n")
    seconds, log = build(deployment.engine, context, "kratom_info:rebuild-test")
    steps = parse_buildkit_steps(log)
    dependency_steps = {name: cached for name, cached in steps.items()
                        if any(word in name for word in DEPENDENCY_STEPS)}  # fmt: skip
    REPORT.append(f"rebuild after a template change: {seconds:.1f} s; dependency steps cached: "
                  f"{sum(dependency_steps.values())} of {len(dependency_steps)}")  # fmt: skip
    assert len(dependency_steps) == 5, steps
    assert all(dependency_steps.values()), dependency_steps
    copied_templates = [cached for name, cached in steps.items() if "COPY templates/" in name]
    assert copied_templates == [False]  # the change did reach the image
    deployment.docker("image", "rm", "kratom_info:rebuild-test")


def parse_buildkit_steps(log: str) -> dict[str, bool]:
    """Each build step's name in BuildKit's plain progress output, and whether it was CACHED."""
    names, cached = {}, set()
    for line in log.splitlines():
        if match := re.match(r"#(\d+) \[[^\]]+\] (.+)$", line):
            names[match.group(1)] = match.group(2)
        elif match := re.match(r"#(\d+) CACHED$", line):
            cached.add(match.group(1))
    return {name: number in cached for number, name in names.items()}


def readiness_body(port: int) -> tuple[int, dict]:
    status, _, body = get(port, "/readyz")
    return status, (json.loads(body) if body.startswith(b"{") else {})


def test_health_and_readiness_follow_the_database(deployment):
    """/readyz reports the database down while its container is stopped and ok again once it
    is back, without the app restarting. While it is down a worker is ready (200, "degraded")
    only if it can still serve the pages it cached (issue 21); else 503, "unavailable"."""
    assert get(deployment.port, "/healthz")[0] == 200
    assert readiness_body(deployment.port) == (
        200, {"status": "ok", "database": "ok", "cache": "ok"}
    )  # fmt: skip
    web = deployment.container("web")
    started = deployment.engine.inspect(web)["State"]["StartedAt"]
    deployment.compose("stop", "db")
    try:
        seen = []

        def database_down() -> bool:
            started = time.monotonic()
            seen.append((*readiness_body(deployment.port), round(time.monotonic() - started, 1)))
            return seen[-1][1].get("database") == "down"

        try:
            wait_until(database_down, 30, "/readyz saying the database is down")
        except AssertionError as error:
            last = seen[-3:]
            raise AssertionError(f"{error}; last (status, body, seconds): {last}") from None
        for _ in range(10):
            status, body = readiness_body(deployment.port)
            assert body["database"] == "down"
            assert (status, body["status"]) in {(200, "degraded"), (503, "unavailable")}, body
            if status == 200:
                assert body["cache"] == "ok"
        assert get(deployment.port, "/healthz")[0] == 200
    finally:
        deployment.compose("start", "db")
    wait_until(
        lambda: (
            readiness_body(deployment.port)
            == (200, {"status": "ok", "database": "ok", "cache": "ok"})
        ),
        90,
        "/readyz 200 again",
    )
    state = deployment.engine.inspect(web)
    assert state["State"]["StartedAt"] == started and state["RestartCount"] == 0


def test_english_and_spanish_pages_over_https(deployment):
    """Both languages with their own menus, over X-Forwarded-Proto: https and the site's host."""
    status, _, english = get(deployment.port, f"/articles/{ARTICLE}/", **HTTPS)
    assert status == 200
    assert b"Skip to content" in english and b">Articles</a>" in english
    status, _, spanish = get(deployment.port, f"/es/articles/{ARTICLE}/", **HTTPS)
    assert status == 200
    text = spanish.decode()
    assert "Ir al contenido" in text and ">Artículos</a>" in text
    assert "Skip to content" not in text


def test_static_files_are_cached_for_long(deployment):
    _, _, page = get(deployment.port, "/", **HTTPS)
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', page).group(1).decode()
    status, headers, _ = get(deployment.port, stylesheet, **HTTPS)
    assert status == 200
    cache_control = headers["Cache-Control"]
    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= 365 * 86400


def test_wrong_host_and_plain_http(deployment):
    wrong_host = {"Host": "attacker.example", "X-Forwarded-Proto": "https"}
    assert get(deployment.port, "/", **wrong_host)[0] == 400
    status, headers, _ = get(deployment.port, f"/articles/{ARTICLE}/", Host=SITE)
    assert status == 301
    assert headers["Location"] == f"https://{SITE}/articles/{ARTICLE}/"


def test_web_runs_locked_down(deployment):
    """Non-root numeric user, read-only root file system, no capabilities, no database
    password but the one inside DATABASE_URL."""
    web = deployment.container("web")
    config = deployment.engine.inspect(web)
    assert config["Config"]["User"] == "10001:10001"
    assert config["HostConfig"]["ReadonlyRootfs"] is True
    assert config["HostConfig"]["CapDrop"] == ["ALL"]
    probe = (
        "import os, pathlib;"
        "procs = [p for p in pathlib.Path('/proc').iterdir()"
        " if p.name.isdigit() and p.name != str(os.getpid())];"
        "rows = [(p / 'status').read_text() for p in procs"
        " if b'gunicorn' in (p / 'cmdline').read_bytes()];"
        "print(len(rows), {r.split('Uid:')[1].split()[0] for r in rows},"
        " {r.split('CapEff:')[1].split()[0] for r in rows})"
    )
    output = deployment.docker("exec", web, "python", "-c", probe).stdout.strip()
    assert output == "3 {'10001'} {'0000000000000000'}"  # master and WEB_CONCURRENCY=2 workers
    write = subprocess.run(  # noqa: S603
        [deployment.engine.cli, "exec", web, "touch", "/app/written"],
        env=deployment.engine.env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert write.returncode != 0 and "Read-only file system" in write.stderr
    env = deployment.docker("exec", web, "env").stdout.splitlines()
    assert "POSTGRES_PASSWORD=" in env
    assert any(line.startswith("DATABASE_URL=postgres://kratom:") for line in env)


def test_migrate_ran_once_without_a_healthcheck(deployment):
    (migrate,) = deployment.compose("ps", "--all", "--quiet", "migrate").stdout.split()
    config = deployment.engine.inspect(migrate)
    assert config["State"]["ExitCode"] == 0
    assert config["Config"]["Healthcheck"]["Test"] == ["NONE"]
    assert "Health" not in config["State"]


def test_check_deploy_passes_inside_the_container(deployment):
    result = deployment.compose(
        "exec", "-T", "web", "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert "System check identified no issues" in result.stdout


def test_request_in_flight_finishes_when_web_stops(deployment):
    """`compose stop web` while a slow client is still sending its request: gunicorn finishes
    it, even past Docker's default 10 s grace period, and the container exits 0."""
    web = deployment.container("web")
    client = socket.create_connection(("127.0.0.1", deployment.port), timeout=60)
    client.sendall(f"GET /articles/{ARTICLE}/ HTTP/1.1\r\nHost: {SITE}\r\n".encode())
    time.sleep(1)  # a worker has accepted the connection and waits for the rest
    stopped: dict[str, object] = {}
    stopper = threading.Thread(
        target=lambda: stopped.update(result=deployment.compose("stop", "web", timeout=120))
    )
    stopper.start()
    wait_until(lambda: "Handling signal: term" in deployment.docker("logs", web).stderr,
               30, "gunicorn to receive SIGTERM")  # fmt: skip
    time.sleep(12)  # past Docker's default grace period
    client.sendall(b"X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n")
    response = b""
    while chunk := client.recv(65536):
        response += chunk
    client.close()
    stopper.join(timeout=120)
    assert response.startswith(b"HTTP/1.1 200 "), response[:200]
    assert b"Skip to content" in response
    state = deployment.engine.inspect(web)["State"]
    assert (state["Status"], state["ExitCode"]) == ("exited", 0)
