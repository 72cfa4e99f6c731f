"""A real site exported and served: production settings, content/ published with one article at
version 2 and one withdrawn, exported with ``manage.py export_site``, then served by the app
(gunicorn) and by nginx with the shipped config over the export. Shared by the package's
modules; in subprocesses like the load tests' site, so the database is a file both servers
read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.load.servers import ROOT, Server, gunicorn, manage, prepare_site, site_env
from tests.mirror.servers import StaticServer, nginx_available, nginx_serving

UPDATED = "tolerance"  # gets a version 2
WITHDRAWN = "sleep-and-thinking"


def pytest_collection_modifyitems(config, items):
    """The served export runs once, in the SQLite pass: its site is a SQLite file whatever the
    suite's database (the export itself is tested on PostgreSQL by test_export.py)."""
    if not config.getoption("--postgres"):
        return
    served = [item for item in items if "served_export" in getattr(item, "fixturenames", ())]
    if served:
        config.hook.pytest_deselected(items=served)
        items[:] = [item for item in items if item not in served]


def unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the mirror tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@dataclass
class ServedExport:
    export: Path
    env: dict[str, str]
    app: Server
    mirror: StaticServer


def change_site(env: dict[str, str], action: str, slug: str) -> None:
    subprocess.run(  # noqa: S603 (our own module)
        [sys.executable, "-m", "tests.mirror.site_changes", action, slug],
        env=env, cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="package")
def served_export():
    reason = nginx_available()
    if reason:
        unavailable(reason)
    workdir = Path(tempfile.mkdtemp(prefix="kratom-mirror-"))
    workdir.chmod(0o755)  # nginx's workers run as another user when the tests run as root
    try:
        env = site_env(
            database_url=f"sqlite:///{workdir}/site.sqlite3", static_root=workdir / "static"
        )
        prepare_site(env)
        change_site(env, "new-version", UPDATED)
        change_site(env, "withdraw", WITHDRAWN)
        export = workdir / "export"
        manage(env, "export_site", str(export))
        with (
            gunicorn("kratom_info.wsgi", env=env, log=workdir / "gunicorn.log") as app,
            nginx_serving(export) as mirror,
        ):
            yield ServedExport(export, env, app, mirror)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
