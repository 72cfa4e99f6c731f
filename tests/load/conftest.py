"""A real site for the load tests: production settings, content/ published, gunicorn on loopback.

Without ``--postgres`` the site uses a temporary SQLite file. With it, the load tests start a
PostgreSQL server of their own (not the one the rest of the suite uses), so that one of them can
restart it under load without disturbing any other test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.load.servers import ROOT, manage, prepare_site, site_env
from tests.plugin import start_cluster, stop_cluster


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run only in the PostgreSQL pass (``pytest --postgres``)."""
    if config.getoption("--postgres"):
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@dataclass
class LoadSite:
    env: dict[str, str]
    workdir: Path
    cluster: dict[str, str] | None

    def publish(self, slug: str, *, count: int = 1, interval: float = 0.0, env=None, **popen):
        """Start publishing ``count`` new versions of ``slug`` from another process (with the
        site's environment, or ``env``)."""
        command = [sys.executable, "-m", "tests.load.publish", slug, "--count", str(count)]
        command += ["--interval", str(interval)]
        return subprocess.Popen(  # noqa: S603 (our own module)
            command, env=env or self.env, cwd=ROOT, stdout=subprocess.PIPE, text=True, **popen
        )


@pytest.fixture(scope="session")
def load_site(request):
    workdir = Path(tempfile.mkdtemp(prefix="kratom-load-"))
    cluster = start_cluster() if request.config.getoption("--postgres") else None
    try:
        database_url = cluster["url"] if cluster else f"sqlite:///{workdir}/site.sqlite3"
        env = site_env(database_url=database_url, static_root=workdir / "static")
        prepare_site(env, collect_static=False)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        yield LoadSite(env, workdir, cluster)
    finally:
        if cluster:
            stop_cluster(cluster)
        shutil.rmtree(workdir, ignore_errors=True)
