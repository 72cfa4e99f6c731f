"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py kratom_info.wsgi``.

Read from the environment with defaults for a container: listen on every interface at PORT
(8000), and run WEB_CONCURRENCY worker processes (default 2 x CPUs + 1, at most 8).
``scripts/serve`` keeps Django's development server for local work.
"""

import os
from pathlib import Path

from dotenv import load_dotenv

# The same .env as the settings (kratom_info/settings.py), so PORT and WEB_CONCURRENCY can live
# there too; a variable set in the environment wins.
_env_file = os.environ.get("DJANGO_ENV_FILE", str(Path(__file__).resolve().with_name(".env")))
if _env_file:
    load_dotenv(_env_file, override=False)

bind = [f"0.0.0.0:{int(os.environ.get('PORT', '8000'))}"]


def _cpus() -> int:
    # The CPUs this process may use (a container's cpuset), not the whole host's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cpus() + 1, 8))
# Pages are rendered once per revision and served from the database: requests are short.
timeout = 30
# On SIGTERM (a deploy or `docker stop`) workers finish their requests for up to this long.
graceful_timeout = 25
keepalive = 5
# Workers are not recycled. With the embedded default cache (local memory in each process) a
# recycled worker starts with an empty page cache and renders again what it had: recycling
# every thousand requests cost two thirds of the cached throughput (issue 21). A worker's
# memory does not grow once warm (scripts/benchmark.py measures it, at most 80 MB after 20,000
# requests, and fails on growth), so recycling buys nothing. To recycle anyway (say, with a
# shared cache in DJANGO_CACHE_URL, where a recycle costs nothing), set
# GUNICORN_CMD_ARGS="--max-requests 100000 --max-requests-jitter 10000".
max_requests = 0
# Workers' heartbeat files in memory: a container's disk may be slow or read-only.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Logs to stdout/stderr for the container runtime. The access log is the common log format
# plus the request's duration; behind the TLS proxy %(h)s is the proxy's address, so the site
# keeps no record of readers' addresses.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# The same format, with "-" for the size of the warning-signs check's responses: a size next to
# an address and a time must not tell how someone answered (kratom_info/access_log.py).
logger_class = "kratom_info.access_log.AccessLogger"
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "INFO").lower()
