"""Build and run the runtime the Dockerfile describes, as far as a machine without a container
engine allows: the Dockerfile's own RUN and COPY steps, with its paths mapped into a temporary
folder (its Debian packages, for which this interpreter stands in, and its user creation, which
needs root on a throwaway system, are left out), then the
production checks, a first run (migrate, first Publisher, content as drafts) and gunicorn with
gunicorn.conf.py, asked for pages over HTTP.

Slow (a fresh virtual environment; pip's cache makes it quick after the first run), so marked
``slow``; the default run includes it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.production import ROOT, production_env
from tests.test_container import instructions

pytestmark = pytest.mark.slow
SITE = "kratom.example.org"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(port: int, path: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Runtime:
    """The Dockerfile's stages replayed in ``tmp``: /wheels, /opt/venv and /app become folders."""

    def __init__(self, tmp: Path):
        self.paths = {
            "/opt/venv": tmp / "venv",
            "/app": tmp / "app",
            "/tmp/requirements.lock": tmp / "requirements.lock",  # noqa: S108
        }
        self.build_dir = tmp / "build"
        self.env: dict[str, str] = {}
        self.workdir = self.build_dir

    def mapped(self, text: str) -> str:
        for container_path, local in self.paths.items():
            text = text.replace(container_path, str(local))
        return text

    def run_step(self, command: str, env: dict[str, str]) -> None:
        # Left out: Debian's packages (this interpreter stands in for the image's python3) and
        # user creation, which need root and would change this machine.
        skipped = ("apt-get", "rm -rf /var/lib/apt", "groupadd", "useradd")
        parts = [p for p in command.split(" && ") if not p.startswith(skipped)]
        script = self.mapped(" && ".join(parts))
        script = script.removeprefix("--mount=type=secret,id=ca-certificates ")
        result = subprocess.run(  # noqa: S603
            ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607
            cwd=self.workdir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"

    def copy(self, args: str) -> None:
        if args.startswith("--from=build "):
            return  # the build stage's folders are already the runtime's
        *sources, destination = args.split()
        target = self.workdir / self.mapped(destination)
        if destination in self.paths:  # one file to a path of its own
            shutil.copy2(ROOT / sources[0], target)
            return
        for source in sources:
            path = ROOT / source
            if path.is_dir():
                shutil.copytree(
                    path, target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True
                )
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / path.name)

    def build(self) -> dict[str, str]:
        """Replay every stage; return the runtime stage's environment and its CMD."""
        base_env = {k: v for k, v in production_env().items() if not k.startswith("DJANGO_")}
        # The base image's python and pip: this interpreter's.
        base_env["PATH"] = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
        cmd = None
        for name, args in instructions((ROOT / "Dockerfile").read_text()):
            if name == "FROM":
                self.env = dict(base_env)
                self.workdir = self.build_dir
            elif name == "WORKDIR":
                # /build is not mapped by text: "https://build.invalid" contains it.
                self.workdir = self.build_dir if args == "/build" else Path(self.mapped(args))
                self.workdir.mkdir(parents=True, exist_ok=True)
            elif name == "ENV":
                for assignment in args.split():
                    key, value = assignment.split("=", 1)
                    value = value.replace("$PATH", self.env["PATH"])
                    self.env[key] = self.mapped(value)
            elif name == "COPY":
                self.copy(args)
            elif name == "RUN":
                self.run_step(args, self.env)
            elif name == "CMD":
                cmd = json.loads(args)
        self.env["CMD"] = json.dumps(cmd)
        return self.env


def test_dockerfile_runtime_checks_migrates_and_serves(tmp_path: Path):
    """The image's runtime passes check --deploy, has hashed static files, takes a first
    Publisher and the content as drafts, and gunicorn serves pages and health checks."""
    runtime = Runtime(tmp_path)
    runtime.build_dir.mkdir()
    image_env = runtime.build()
    app = runtime.paths["/app"]
    assert (app / "staticfiles" / "staticfiles.json").exists()
    assert not (runtime.paths["/opt/venv"] / "bin" / "pytest").exists()  # no dev dependencies

    env = {
        **image_env,
        **production_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
            DJANGO_STATIC_ROOT=image_env["DJANGO_STATIC_ROOT"],
            WEB_CONCURRENCY="2",
        ),
        "PATH": image_env["PATH"],
    }

    def manage(*args: str) -> str:
        result = subprocess.run(  # noqa: S603
            ["python", "manage.py", *args],  # noqa: S607
            cwd=app, env=env, capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
        return result.stdout

    manage("check", "--deploy", "--fail-level", "WARNING")
    manage("migrate", "--noinput")
    assert "password: " in manage("create_editor", "pat", "--role", "publisher", "--no-input")
    assert "are drafts" in manage("import_content")

    port = free_port()
    env["PORT"] = str(port)
    command = [*json.loads(image_env["CMD"]), "--bind", f"127.0.0.1:{port}"]
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(command, cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if fetch(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log_text(log)
            time.sleep(0.3)

        healthcheck = [a for n, a in instructions((ROOT / "Dockerfile").read_text())
                       if n == "HEALTHCHECK"][0]  # fmt: skip
        probe = json.loads(healthcheck[healthcheck.index("CMD ") + 4 :])
        assert subprocess.run(probe, env=env, check=False, timeout=10).returncode == 0  # noqa: S603

        https = {"Host": SITE, "X-Forwarded-Proto": "https"}
        status, headers, body = fetch(port, "/", **https)
        assert status == 200 and b"Kratom Facts" in body  # DJANGO_SITE_NAME's default
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert fetch(port, "/sources/", **https)[0] == 200
        assert fetch(port, "/articles/what-kratom-is/", **https)[0] == 404  # a draft
        assert fetch(port, "/readyz")[0] == 200
        status, headers, _ = fetch(port, "/", Host=SITE)
        assert (status, headers["Location"]) == (301, f"https://{SITE}/")

        manifest = json.loads((app / "staticfiles" / "staticfiles.json").read_text())["paths"]
        status, headers, _ = fetch(port, f"/static/{manifest['css/site.css']}", **https)
        assert status == 200 and "immutable" in headers["Cache-Control"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
        log.flush()
    assert '"GET /sources/ HTTP/1.1" 200' in log_text(log)


def log_text(log) -> str:
    log.seek(0)
    return log.read()
