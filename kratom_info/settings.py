"""Settings for kratom_info, read from the environment (see .env.example).

Development defaults are safe to run locally; production (DEBUG off) fails loudly on a missing
secret key or site address instead of running with a guess.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A .env file in the project root (scripts/serve writes one for development; see .env.example)
# fills in what the environment does not set: a real environment variable always wins.
# DJANGO_ENV_FILE names another file, or none when empty (the test suite reads none).
ENV_FILE = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_seconds(name: str, default: str) -> float:
    """A non-negative number of seconds from the environment, or a clear error naming it."""
    value = os.environ.get(name, default)
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be a number of seconds (0 or more): {value!r}")
    return seconds


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# Values from examples and tutorials; any key containing one of these is somebody's placeholder.
PLACEHOLDER_SECRET_KEYS = ("change-me", "changeme", "change_me", "insecure", "example")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. Generate one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105
elif not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or any(word in SECRET_KEY.lower() for word in PLACEHOLDER_SECRET_KEYS)
):
    # It signs sessions and password-reset links: a guessable key gives away every account.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too short or a placeholder (it needs 50 or more random characters "
        "and no words like 'change-me' or 'insecure'). Generate one with: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The public address of the site, used for every absolute URL (QR codes, feeds, metadata).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not DEBUG and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "DJANGO_SITE_URL must be set to the public address (e.g. https://kratom.example.org) "
        "when DJANGO_DEBUG is off."
    )

# Error reports from readers: at most this many per reader's address per fixed window (seconds),
# counted in the database (shared by every worker and server). The address is the one
# TRUSTED_PROXY_COUNT says to trust, as for the sign-in lockout.
ERROR_REPORT_RATE_LIMIT = int(os.environ.get("DJANGO_ERROR_REPORT_RATE_LIMIT", "5"))
ERROR_REPORT_RATE_WINDOW = 60 * 60

# The site's human name, shown in the header, page titles, handouts, feeds and structured data.
SITE_NAME = os.environ.get("DJANGO_SITE_NAME", "").strip() or "Kratom Facts"

# Where readers report errors; shown in every page's footer when set.
CONTACT_EMAIL = os.environ.get("DJANGO_CONTACT_EMAIL", "")

INSTALLED_APPS = [
    # Django's admin, with the site replaced by one that asks for the second factor.
    "kratom_info.accounts.app_configs.EditorialAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    # django-axes and django-otp, under names that say what they hold (accounts/app_configs.py).
    "kratom_info.accounts.app_configs.SignInAttemptsConfig",
    "django_otp",
    "kratom_info.accounts.app_configs.AuthenticatorAppsConfig",
    "kratom_info.accounts.app_configs.RecoveryCodesConfig",
    "kratom_info.citations",
    # Reviewer profiles: how editors are named to readers (below every app that reads them).
    "kratom_info.profiles",
    "kratom_info.articles",
    "kratom_info.editorial",
    # Proposed source changes and their approval (above editorial, whose audit trail it writes).
    "kratom_info.source_review",
    "kratom_info.handouts",
    "kratom_info.readers",
    "kratom_info.tools",
    "kratom_info.accounts",
    "kratom_info.health",
    "kratom_info.pagecache",
    # The static mirror (manage.py export_site): above every app whose pages it writes.
    "kratom_info.mirror",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer probes before the https redirect and the host check.
    "kratom_info.health.middleware.HealthCheckMiddleware",
    # Then: it stores public pages as they leave every other middleware, and serves them back.
    "kratom_info.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and Cross-Origin-Resource-Policy (settings below), before WhiteNoise
    # so static files carry them too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "kratom_info.headers.CrossOriginResourcePolicyMiddleware",
    # A NUL byte in the path or query string: 400 before any view (PostgreSQL refuses it).
    "kratom_info.nul_bytes.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip, brotli or zstd for pages, feeds and JSON (WhiteNoise compresses static files itself);
    # django-compression-middleware's, at its best settings for pages the page cache stores.
    "kratom_info.pagecache.compression.PublicPageCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the path (/es/...), never from a cookie or header.
    "kratom_info.languages.PathLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kratom_info.urls"
WSGI_APPLICATION = "kratom_info.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "kratom_info.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL (as scripts/test exports) means SQLite too, as .env.example says.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # PostgreSQL's own lookups and types, only on PostgreSQL: the app loads the PostgreSQL
    # driver (about 10 MB of each worker's memory), which a site on SQLite never uses.
    INSTALLED_APPS.append("django.contrib.postgres")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent editors on SQLite: each transaction takes the write lock when it begins
    # (IMMEDIATE), so a second writer waits for the first (up to the busy timeout, in seconds)
    # and then sees its result, instead of failing with "database is locked" when it tries to
    # upgrade a read lock; WAL lets readers carry on while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# Sign-in (kratom_info.accounts). django-axes refuses a password sign-in after
# AXES_FAILURE_LIMIT failures for one username from one address, or from one address for any
# usernames, until AXES_COOLOFF_TIME has passed since the last failure; every attempt is kept
# as a record (admin → Axes), and the account's owner is e-mailed (accounts/lockout.py).
# Failures for a username from other addresses do not count: nobody can lock an editor out
# from afar. Unlock early with `manage.py axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_CALLABLE = "kratom_info.accounts.views.lockout"
AXES_CLIENT_IP_CALLABLE = "kratom_info.accounts.signin.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # kratom_info.accounts.admin.sign_in registers read-only screens instead
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts none
# and uses the connection's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

# Second factor (django-otp): Reviewers and Publishers must sign in with an authenticator app
# code or a recovery code. Required in production, optional in development.
EDITORIAL_REQUIRE_2FA = env_bool("DJANGO_EDITORIAL_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("DJANGO_OTP_ISSUER", "kratom_info")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Invitations (Publishers invite Authors and Reviewers): the one-time link to choose a password
# works for 3 days (Django's password tokens; the site has no other use for them), until it is
# used, or until a new one is sent.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60


def mailer_from_env() -> dict:
    """E-mail (invitation links only), as a Django 6.1 mailer. With DJANGO_EMAIL_HOST the site
    sends through that SMTP server; without it, development prints messages to the console and
    production sends none (NoEmailBackend logs each one it drops; the invitation page shows the
    link for the Publisher to hand over). DJANGO_EMAIL_BACKEND overrides the choice."""
    host = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
    backend = os.environ.get("DJANGO_EMAIL_BACKEND", "").strip() or (
        "django.core.mail.backends.smtp.EmailBackend"
        if host
        else "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "kratom_info.accounts.mail.NoEmailBackend"
    )
    if not backend.endswith(".smtp.EmailBackend"):
        return {"BACKEND": backend}
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "host": host,
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
            "timeout": 20,
        },
    }


MAILERS = {"default": mailer_from_env()}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "") or "webmaster@localhost"


def cache_from_url(url: str) -> dict:
    """DJANGO_CACHE_URL: empty for local memory in each process (one server), or a cache that
    every worker and server shares: redis://host:6379/0 (Django's Redis backend) or
    memcached://host:11211 (pymemcache)."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kratom-info",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_MAX_ENTRIES", "600"))},
        }
    # Short client timeouts: a cache that does not answer is skipped (pagecache/breaker.py),
    # so it must not hold a worker for the client's default of seconds.
    connect_timeout = env_seconds("DJANGO_CACHE_CONNECT_TIMEOUT", "0.25")
    timeout = env_seconds("DJANGO_CACHE_SOCKET_TIMEOUT", "0.25")
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": connect_timeout, "socket_timeout": timeout},
        }
    if url.startswith("memcached://"):
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": url.removeprefix("memcached://").rstrip("/"),
            "OPTIONS": {
                "connect_timeout": connect_timeout,
                "timeout": timeout,
                "no_delay": True,
                # pymemcache's own retry and dead-server bookkeeping off (by default a failed
                # server is left out for 60 s after it is back): the page cache's circuit
                # breaker decides when to try again, so recovery is seen at once.
                "retry_attempts": 0,
                "retry_timeout": 0,
                "dead_timeout": 0,
            },
        }
    raise ImproperlyConfigured(
        f"DJANGO_CACHE_URL {url!r} is not understood: use redis://, rediss://, unix:// or "
        "memcached://, or leave it empty for local memory."
    )


CACHES = {"default": cache_from_url(os.environ.get("DJANGO_CACHE_URL", "").strip())}

# Whole-page caching of public pages (kratom_info/pagecache). Browsers keep a page for
# PAGE_CACHE_MAX_AGE seconds, shared caches and CDNs for PAGE_CACHE_S_MAXAGE, and may serve a
# stale copy while revalidating or while the site is down. Publishing makes every app server
# fresh within PAGE_CACHE_GENERATION_TTL seconds (the same process at once).
PAGE_CACHE_ALIAS = "default"
# How long a page stays in the page cache. Only two generations' pages are kept: the current
# one and the one before it (the last copies, for a database outage); older ones are deleted
# when a newer generation is first seen, and are gone after this long at the latest.
PAGE_CACHE_TIMEOUT = int(os.environ.get("DJANGO_PAGE_CACHE_TIMEOUT", str(60 * 60)))
# Pages each process also keeps unpickled in a dict, for its most frequent requests.
PAGE_CACHE_RECENT_PAGES = 100
PAGE_CACHE_GENERATION_TTL = float(os.environ.get("DJANGO_PAGE_CACHE_GENERATION_TTL", "0.5"))
PAGE_CACHE_MAX_AGE = int(os.environ.get("DJANGO_PAGE_CACHE_MAX_AGE", "60"))
PAGE_CACHE_S_MAXAGE = int(os.environ.get("DJANGO_PAGE_CACHE_S_MAXAGE", "300"))
PAGE_CACHE_STALE_WHILE_REVALIDATE = 60
PAGE_CACHE_STALE_IF_ERROR = 24 * 60 * 60
# A cache that failed is not asked again for this long, per process (pagecache/breaker.py).
PAGE_CACHE_BREAKER_SECONDS = env_seconds("DJANGO_CACHE_BREAKER_SECONDS", "5")
# A public GET that lost its database connection waits up to this long for a new one, once,
# before it is served from the cache or as a 503 (pagecache/outage.py).
DATABASE_RETRY_SECONDS = env_seconds("DJANGO_DATABASE_RETRY_SECONDS", "3")
# Shared caches in front of the site (Varnish, nginx with a purge module) that are sent an
# HTTP PURGE for every page a publish, withdrawal or source change affects: their addresses,
# e.g. http://varnish:6081, comma-separated (pagecache/purge.py).
PURGE_URLS = env_list("DJANGO_PURGE_URLS")
if not 0 <= PAGE_CACHE_GENERATION_TTL <= 1:
    raise ImproperlyConfigured(
        "DJANGO_PAGE_CACHE_GENERATION_TTL must be between 0 and 1 second: published changes "
        "must reach every server within a second."
    )

# --- Static mirror (kratom_info/mirror) ---------------------------------------------------------
# A folder holding the static export (manage.py export_site DIR): when set, every publish,
# withdrawal or approved source change updates it in the background once it commits (only the
# pages that show the change are rendered again); a failure is logged, never the publish's.
MIRROR_DIR = os.environ.get("DJANGO_MIRROR_DIR", "").strip()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the unprefixed addresses, Spanish under /es/ (kratom_info/languages.py).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

# Pages work without JavaScript; the only scripts are the admin's and the Markdown editor's, served
# from our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses, turned off for every page and anything it might
# embed (django-permissions-policy): no script here can reach a camera, a microphone, the
# reader's location, a payment sheet or an ad-targeting API.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics",
        "camera", "captured-surface-control", "clipboard-read", "compute-pressure",
        "display-capture", "document-domain", "encrypted-media", "fullscreen", "gamepad",
        "geolocation", "gyroscope", "hid", "identity-credentials-get", "idle-detection",
        "interest-cohort", "keyboard-map", "local-fonts", "magnetometer", "microphone", "midi",
        "otp-credentials", "payment", "picture-in-picture", "publickey-credentials-create",
        "publickey-credentials-get", "screen-wake-lock", "serial", "shared-storage",
        "shared-storage-select-url", "speaker-selection", "storage-access", "usb", "web-share",
        "window-management", "xr-spatial-tracking",
    )
}  # fmt: skip
# Other sites' pages may link to ours but not load our responses as their resources.
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    # The TLS-terminating proxy in front must set (and overwrite) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production defaults: plain http is redirected to https, and browsers are told to use https
# only for a year (HSTS). The health endpoints are answered before this redirect and before the
# host check (kratom_info.health.middleware): probes come over plain http to the container.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")  # a year
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# The header alone enrols nothing: a site joins browsers' preload lists only when submitted.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
# Turning one of these off in the environment is a decision (e.g. the proxy already redirects to
# https), not an oversight: `check --deploy` then stays quiet about it.
SILENCED_SYSTEM_CHECKS = [
    check
    for check, variable in [
        ("security.W008", "DJANGO_SECURE_SSL_REDIRECT"),
        ("security.W004", "DJANGO_SECURE_HSTS_SECONDS"),
        ("security.W005", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS"),
        ("security.W021", "DJANGO_SECURE_HSTS_PRELOAD"),
    ]
    if os.environ.get(variable, "").strip().lower() in {"0", "false", "no", "off"}
]

# django-markdownx: the editor's preview goes through the site's one renderer.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "kratom_info.articles.rendering.markdownify_preview"
# The editor's endpoints are our own protected views (kratom_info/editorial/urls.py), not
# markdownx.urls: previews need staff with edit permission; image upload is turned off
# (articles show no images: the sanitizer strips <img>).
MARKDOWNX_URLS_PATH = "/editorial/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/editorial/markdownx/upload/"
MARKDOWNX_UPLOAD_MAX_SIZE = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Review pace (kratom_info.editorial.selectors.review_paces): a reviewer whose verdicts came
# faster than this many seconds per claim, on average, is flagged on the publish screen, and
# publishing their review needs a typed reason, which is audited.
EDITORIAL_FAST_REVIEW_SECONDS_PER_CLAIM = int(
    os.environ.get("DJANGO_EDITORIAL_FAST_REVIEW_SECONDS_PER_CLAIM", "20")
)
