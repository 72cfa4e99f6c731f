"""Production settings fail loudly instead of running with unsafe defaults, and pass Django's
deployment checklist with no warning."""

import json
import re
from pathlib import Path

import pytest
from dotenv import dotenv_values

from tests.production import (
    GOOD_SECRET_KEY,
    ROOT,
    clean_env,
    production_env,
    run_manage,
    run_python,
)

SHOW = (
    "import json, kratom_info.settings as s; print(json.dumps({name: getattr(s, name) for name "
    "in %r}, default=str))"
)


def settings_values(env: dict[str, str], *names: str) -> dict:
    result = run_python(SHOW % (names,), env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def settings_error(env: dict[str, str]) -> str:
    result = run_python("import kratom_info.settings", env)
    assert result.returncode != 0, "settings loaded but should have refused"
    return result.stderr


def test_missing_secret_key_in_production_is_an_error():
    """With DEBUG off and no DJANGO_SECRET_KEY, settings raise ImproperlyConfigured."""
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    stderr = settings_error(env)
    assert "DJANGO_SECRET_KEY must be set" in stderr
    assert "secrets.token_urlsafe(50)" in stderr


@pytest.mark.parametrize(
    "key",
    [
        "x" * 49 + "Ab1",  # long enough? no: 52 characters but only 4 distinct ones
        "short-but-random-Q3v9",
        "change-me",
        "change-me-" + GOOD_SECRET_KEY,  # long and varied, but someone's placeholder
        "django-insecure-" + GOOD_SECRET_KEY,
    ],
)
def test_weak_or_placeholder_secret_key_is_refused_in_production(key):
    """Short, repetitive or placeholder keys stop the app, naming the fix."""
    stderr = settings_error(production_env(DJANGO_SECRET_KEY=key))
    assert "DJANGO_SECRET_KEY is too short or a placeholder" in stderr


def test_env_example_secret_key_is_refused():
    """Copying .env.example unchanged does not give a running production site."""
    example = dotenv_values(ROOT / ".env.example")
    stderr = settings_error(production_env(DJANGO_SECRET_KEY=example["DJANGO_SECRET_KEY"]))
    assert "DJANGO_SECRET_KEY is too short or a placeholder" in stderr


def test_env_example_names_every_variable_the_settings_read():
    """.env.example lists every DJANGO_* variable and DATABASE_URL that settings.py reads."""
    source = (ROOT / "kratom_info" / "settings.py").read_text()
    read = set(re.findall(r'"((?:DJANGO|DATABASE)_[A-Z_]+)"', source))
    read.discard("DJANGO_SETTINGS_MODULE")
    example = (ROOT / ".env.example").read_text()
    assert {name for name in read if f"{name}=" not in example} == set()


def test_missing_site_url_in_production_is_an_error():
    """With DEBUG off, the public site address is required."""
    env = production_env()
    del env["DJANGO_SITE_URL"]
    assert "DJANGO_SITE_URL" in settings_error(env)


def test_database_url_selects_postgres_and_default_is_sqlite():
    """DATABASE_URL chooses the database; without it, or empty, the default is SQLite."""
    engine = "import kratom_info.settings as s; print(s.DATABASES['default']['ENGINE'])"
    assert "sqlite3" in run_python(engine, clean_env(DJANGO_DEBUG="1")).stdout
    assert "sqlite3" in run_python(engine, clean_env(DJANGO_DEBUG="1", DATABASE_URL="")).stdout
    result = run_python(
        engine, clean_env(DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@db.example.org:5432/k")
    )
    assert "postgresql" in result.stdout


def test_production_defaults_redirect_to_https_and_send_hsts_for_a_year():
    """DEBUG off: SSL redirect on, HSTS one year with subdomains and preload, secure cookies."""
    values = settings_values(
        production_env(),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SILENCED_SYSTEM_CHECKS",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SILENCED_SYSTEM_CHECKS": [],
    }


def test_development_sends_no_hsts_and_does_not_redirect():
    """DEBUG on: plain http on localhost keeps working (no HSTS pinned in the browser)."""
    values = settings_values(
        clean_env(DJANGO_DEBUG="1"), "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"
    )
    assert values == {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0}


def test_hsts_and_redirect_follow_the_environment():
    """Each HSTS value and the redirect come from the environment; an explicit off is a decision,
    so check --deploy does not warn about it."""
    env = production_env(
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        DJANGO_SECURE_HSTS_PRELOAD="false",
        DJANGO_SECURE_SSL_REDIRECT="off",
    )
    values = settings_values(
        env,
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": False,
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_check_deploy_reports_no_issue_in_production():
    """`manage.py check --deploy --fail-level WARNING` passes under production settings."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_when_a_protection_is_forgotten():
    """The deploy check is real: with HSTS seconds left out of a hand-edited settings it warns."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kratom_info.settings'; "
        "import kratom_info.settings as s; s.SECURE_HSTS_SECONDS = 0; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_python(code, production_env())
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_dotenv_fills_in_what_the_environment_does_not_set(tmp_path: Path):
    """A .env file is read; a variable set in the real environment wins over the file."""
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DJANGO_DEBUG=1\nDJANGO_CONTACT_EMAIL=from-file@example.org\n"
        "DJANGO_SITE_URL=http://file.example.org\n"
    )
    env = clean_env(DJANGO_ENV_FILE=str(env_file), DJANGO_SITE_URL="http://shell.example.org")
    values = settings_values(env, "DEBUG", "CONTACT_EMAIL", "SITE_URL")
    assert values == {
        "DEBUG": True,
        "CONTACT_EMAIL": "from-file@example.org",
        "SITE_URL": "http://shell.example.org",
    }


def test_empty_database_url_in_environment_beats_dotenv(tmp_path: Path):
    """scripts/test exports DATABASE_URL= : that means SQLite even if .env names PostgreSQL."""
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=1\nDATABASE_URL=postgres://u:p@db.example.org:5432/k\n")
    engine = "import kratom_info.settings as s; print(s.DATABASES['default']['ENGINE'])"
    result = run_python(engine, clean_env(DJANGO_ENV_FILE=str(env_file), DATABASE_URL=""))
    assert "sqlite3" in result.stdout


def test_email_follows_the_environment():
    """Production without DJANGO_EMAIL_HOST sends no e-mail (and says so: no dummy backend for
    check --deploy to flag); with it, SMTP with the given account; development: the console."""
    assert settings_values(production_env(), "MAILERS") == {
        "MAILERS": {"default": {"BACKEND": "kratom_info.accounts.mail.NoEmailBackend"}}
    }
    smtp = settings_values(
        production_env(
            DJANGO_EMAIL_HOST="smtp.example.org",
            DJANGO_EMAIL_PORT="465",
            DJANGO_EMAIL_HOST_USER="kratom",
            DJANGO_EMAIL_HOST_PASSWORD="pw",
            DJANGO_EMAIL_USE_TLS="0",
        ),
        "MAILERS",
    )["MAILERS"]["default"]
    assert smtp["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert smtp["OPTIONS"] == {
        "host": "smtp.example.org", "port": 465, "username": "kratom", "password": "pw",
        "use_tls": False, "timeout": 20,
    }  # fmt: skip
    development = settings_values(clean_env(DJANGO_DEBUG="1"), "MAILERS")["MAILERS"]
    assert development["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
