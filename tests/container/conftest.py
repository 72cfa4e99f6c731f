"""The container tests' deployment: a private dockerd (tests/container/engine.py), the base
image made with debootstrap, the project's image built from its Dockerfile, a PostgreSQL
stand-in image, and the project's compose.yaml brought up with them. Measurements (image size,
build times) are printed in the terminal summary, whatever pytest's capture options.

Without root, dockerd, debootstrap or docker-compose the tests are skipped locally and fail in
CI (CI=true); so does an engine that cannot start.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.container import engine as docker_engine
from tests.container.http import get
from tests.production import ROOT

SITE = "kratom.example.org"
IMAGE = "kratom_info:latest"
POSTGRES_IMAGE = "kratom-test/postgres:17"
SIZE_TARGET_MB = 300
# Debian releases by major version, for debootstrap.
CODENAMES = {"12": "bookworm", "13": "trixie", "14": "forky"}
REPORT: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.write_sep("=", "container image")
        for line in REPORT:
            terminalreporter.write_line(line)


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: container tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


def pinned_base_image() -> str:
    """The Dockerfile's default base image, e.g. ``debian:13.8-slim``."""
    match = re.search(r"^ARG DEBIAN_IMAGE=(\S+)$", (ROOT / "Dockerfile").read_text(), re.M)
    assert match, "Dockerfile: no ARG DEBIAN_IMAGE=debian:<point release>-slim"
    return match.group(1)


def host_ca_bundle() -> Path | None:
    """This machine's CA bundle, which trusts a TLS-inspecting proxy if there is one."""
    for candidate in [os.environ.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt"]:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def build(engine, context: Path, tag: str, *args: str) -> tuple[float, str]:
    """``docker build`` with BuildKit on the host's network (the engine does no NAT); the CA
    bundle goes in as a secret, never into a layer. Returns the seconds and BuildKit's log."""
    secret = host_ca_bundle()
    command = ["build", "--progress=plain", "--network=host", "--tag", tag, *args]
    if secret:
        command += ["--secret", f"id=ca-certificates,src={secret}"]
    started = time.monotonic()
    result = engine.docker(*command, str(context), timeout=1800)
    return time.monotonic() - started, result.stderr + result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def git_revision() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "HEAD"],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result.stdout.strip() or "unknown"


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@dataclass
class Deployment:
    engine: docker_engine.Engine
    folder: Path
    port: int
    revision: str
    build_log: str
    timings: dict[str, float] = field(default_factory=dict)

    def compose(self, *args: str, timeout: float = 300, check: bool = True):
        command = ["docker-compose", "--no-ansi", *args]
        result = subprocess.run(  # noqa: S603
            command, cwd=self.folder, env=self.engine.env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(command)}: {result.stdout}\n{result.stderr}")
        return result

    def container(self, service: str) -> str:
        (container_id,) = self.compose("ps", "--quiet", service).stdout.split()
        return container_id

    def docker(self, *args: str, **kwargs):
        return self.engine.docker(*args, **kwargs)


def write_env(folder: Path, port: int) -> None:
    """.env as an operator writes it from .env.example: their own key, password and port."""
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "DJANGO_CONTACT_EMAIL": "",
    }
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={values.pop(name)}" if name in values else line)
    lines += [f"WEB_PORT={port}", f"POSTGRES_IMAGE={POSTGRES_IMAGE}", "WEB_CONCURRENCY=2"]
    (folder / ".env").write_text("\n".join(lines) + "\n")


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture(scope="package")
def engine():
    missing = docker_engine.missing_tools()
    if missing:
        unavailable("cannot run a private Docker engine: needs " + ", ".join(missing))
    try:
        with docker_engine.Engine() as running:
            REPORT.append(
                f"engine: dockerd {running.version} ({running.data_root}, "
                f"{'cold: nothing cached' if running.cold else 'cached images and build cache'})"
            )
            yield running
    except docker_engine.EngineUnavailable as error:
        unavailable(f"the private Docker engine did not start: {error}")


@pytest.fixture(scope="package")
def deployment(engine):
    base = pinned_base_image()
    release = CODENAMES[base.split(":")[1].split(".")[0]]
    tarball, debootstrap_seconds = docker_engine.debian_rootfs_tarball(release)
    imported = docker_engine.import_base_image(engine, tarball, base)
    served = engine.docker("run", "--rm", base, "cat", "/etc/debian_version").stdout.strip()
    pinned = base.split(":")[1].removesuffix("-slim")
    REPORT.append(
        f"base image: {base} made by debootstrap --variant=minbase {release} "
        f"(Debian {served}; "
        + (f"debootstrap {debootstrap_seconds:.0f} s" if debootstrap_seconds else "cached tarball")
        + (", imported" if imported else ", already in the engine")
        + ")"
        + ("" if served == pinned else f"; NOTE the Dockerfile pins {pinned}: update it")
    )
    revision = git_revision()
    seconds, log = build(
        engine, ROOT, IMAGE, "--build-arg", f"REVISION={revision}",
        "--build-arg", "SOURCE=file://kratom_info",
    )  # fmt: skip
    size_mb = engine.image_size(IMAGE) / 1e6
    REPORT.append(
        f"image {IMAGE}: {size_mb:.0f} MB (target <= {SIZE_TARGET_MB} MB); "
        f"build {seconds:.1f} s ({'cold' if engine.cold else 'warm'} engine cache)"
    )
    pg_seconds, _ = build(engine, ROOT / "tests/container/postgres", POSTGRES_IMAGE)
    REPORT.append(f"PostgreSQL stand-in {POSTGRES_IMAGE}: built in {pg_seconds:.1f} s")

    folder = Path(tempfile.mkdtemp(prefix="kratom-compose-"))
    shutil.copy(ROOT / "compose.yaml", folder / "compose.yaml")
    port = free_port()
    write_env(folder, port)
    deployed = Deployment(engine, folder, port, revision, log,
                          {"build": seconds, "size_mb": size_mb})  # fmt: skip
    try:
        started = time.monotonic()
        deployed.compose("up", "--detach", "--no-build", timeout=600)
        wait_until(lambda: get(port, "/readyz")[0] == 200, 120, "/readyz to answer 200")
        up_seconds = time.monotonic() - started
        REPORT.append(f"compose up (db healthy, migrate, web ready): {up_seconds:.1f} s")
        deployed.compose(
            "run", "--rm", "web", "python", "manage.py", "import_content",
            "--publish-unreviewed-i-understand", timeout=300,
        )  # fmt: skip
        yield deployed
    finally:
        deployed.compose("down", "--volumes", "--timeout", "40", check=False, timeout=300)
        shutil.rmtree(folder, ignore_errors=True)
