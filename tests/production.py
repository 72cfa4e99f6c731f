"""Run Python or manage.py in a subprocess under production settings (DEBUG off).

Settings are read once per process, so each production rule is tested in a fresh interpreter
with exactly the environment given: nothing from the developer's shell or .env leaks in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# 64 random-looking characters; no placeholder words.
GOOD_SECRET_KEY = "q8Zr3vKx1mWb7TnY2pLs9dHc5fGa0jEu4iRo6kQw8yVt1zXn3bMc7sDe5hJg2uPa"  # noqa: S105


def clean_env(**env: str) -> dict[str, str]:
    """The current environment without any DJANGO_ variable or DATABASE_URL, reading no .env,
    plus ``env``."""
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    base["DJANGO_ENV_FILE"] = ""
    base.update(env)
    return base


def production_env(**env: str) -> dict[str, str]:
    """A complete, valid production environment (SQLite unless DATABASE_URL is given)."""
    values = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": GOOD_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "kratom.example.org",
        "DJANGO_SITE_URL": "https://kratom.example.org",
    }
    values.update(env)
    return clean_env(**values)


def run_python(code: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def run_manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
