"""Production settings fail loudly instead of running with unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import kratom_info.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_missing_secret_key_in_production_is_an_error():
    """With DEBUG off and no DJANGO_SECRET_KEY, settings raise ImproperlyConfigured."""
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SITE_URL="https://example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_missing_site_url_in_production_is_an_error():
    """With DEBUG off, the public site address is required."""
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_SITE_URL" in result.stderr


def test_database_url_selects_postgres_and_default_is_sqlite():
    """DATABASE_URL chooses the database; without it the default is SQLite."""
    assert "sqlite3" in load_settings(DJANGO_DEBUG="1").stdout
    result = load_settings(DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@db.example.org:5432/k")
    assert "postgresql" in result.stdout
