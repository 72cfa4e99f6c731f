"""The second factor is required in production unless turned off, optional in development."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    # Long and varied enough for the production secret-key check.
    "DJANGO_SECRET_KEY": "t3st-only-Q9vLx2Rk8ZpW4mNc7YhJ5sBd1FgTa6UeKoPi0wXr",
    "DJANGO_SITE_URL": "https://kratom.example.org",
}


def require_2fa(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update({"DJANGO_ENV_FILE": "", **env})  # never a developer's .env
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import kratom_info.settings as s; print(s.EDITORIAL_REQUIRE_2FA)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (PRODUCTION, "True"),
        ({**PRODUCTION, "DJANGO_EDITORIAL_REQUIRE_2FA": "0"}, "False"),
        ({"DJANGO_DEBUG": "1"}, "False"),
        ({"DJANGO_DEBUG": "1", "DJANGO_EDITORIAL_REQUIRE_2FA": "1"}, "True"),
    ],
)
def test_editorial_require_2fa_default(env, expected):
    """DEBUG off means required; DJANGO_EDITORIAL_REQUIRE_2FA overrides either way."""
    assert require_2fa(**env) == expected
