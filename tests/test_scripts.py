"""scripts/serve's first run writes a development .env, so manage.py commands work as printed."""

import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from tests.production import ROOT, clean_env


def source_env_and_run(function: str, root: Path, **env: str) -> subprocess.CompletedProcess:
    """Call a function of scripts/_env.sh with ROOT pointing at ``root``."""
    script = f'source scripts/_env.sh && ROOT="$1" && {function}'
    return subprocess.run(  # noqa: S603
        ["bash", "-c", script, "bash", str(root)],  # noqa: S607
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )


def test_first_run_writes_development_dotenv_and_later_runs_keep_it(tmp_path: Path):
    """The .env has DEBUG on, a random secret key and SQLite; a second run changes nothing."""
    result = source_env_and_run("ensure_dotenv", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Wrote .env with development settings" in result.stdout
    values = dotenv_values(tmp_path / ".env")
    assert values["DJANGO_DEBUG"] == "1"
    assert values["DATABASE_URL"] == ""
    assert len(values["DJANGO_SECRET_KEY"]) >= 50
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0  # the key is private
    (tmp_path / ".env").write_text("DJANGO_DEBUG=1\n# edited by hand\n")
    assert source_env_and_run("ensure_dotenv", tmp_path).stdout == ""
    assert "edited by hand" in (tmp_path / ".env").read_text()


def test_manage_py_works_without_exporting_anything_after_first_run(tmp_path: Path):
    """With only the written .env (no DJANGO_ variable in the shell), manage.py commands run."""
    assert source_env_and_run("ensure_dotenv", tmp_path).returncode == 0
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_env(DJANGO_ENV_FILE=str(tmp_path / ".env")),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_serve_refuses_a_production_dotenv(tmp_path: Path):
    """scripts/serve (unreviewed publishing, demo logins) stops on a production .env."""
    (tmp_path / ".env").write_text("DJANGO_DEBUG=0\nDATABASE_URL=postgres://k@db/k\n")
    result = source_env_and_run("refuse_production_dotenv", tmp_path)
    assert result.returncode == 1
    assert "holds other settings (DJANGO_DEBUG=0)" in result.stderr
    (tmp_path / ".env").write_text("DJANGO_DEBUG=1\n")
    assert source_env_and_run("refuse_production_dotenv", tmp_path).returncode == 0


@pytest.mark.slow
def test_benchmark_runs_every_step():
    """scripts/benchmark.py --smoke runs every measurement once (the shipped gunicorn.conf.py,
    in-process pages, memory, the growth run through import_content) and prints its table;
    the figures themselves are the benchmark's to judge, not a test's."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "scripts/benchmark.py", "--smoke"],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for row in ("gunicorn requests/s ratio", "RSS per worker", "growth 20: search, typo",
                "growth 20: sitemap", "growth 20: cached ratio", "static export, bundled site",
                "static export, one republish"):  # fmt: skip
        assert row in result.stdout, result.stdout
    assert "smoke run: every step ran" in result.stdout
    assert "gunicorn.conf.py (" in result.stdout  # the shipped configuration, not a copy
