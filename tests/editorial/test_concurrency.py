"""Concurrent saves and publishes on the default SQLite database: success or the edit-conflict
(or 'cannot be published') message, never a 500 "database is locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_scenario(db_path: Path) -> dict:
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.editorial.sqlite_concurrency", str(db_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_parallel_saves_and_publishes_on_a_sqlite_file_never_fail(tmp_path):
    """Six editors save the same article at once, and six publishers publish the same revision
    at once, each on their own connection to a SQLite file: one save and one publish succeed,
    every other request gets the edit-conflict or refusal message, none a 500."""
    report = run_scenario(tmp_path / "db.sqlite3")
    saves, publishes = report["saves"], report["publishes"]
    assert [r["status"] for r in saves + publishes] == [200] * 12, report
    assert sum(r["saved"] for r in saves) == 1, saves
    assert all(r["saved"] or r["conflict"] for r in saves), saves
    assert sum(r["published"] for r in publishes) == 1, publishes
    assert all(r["published"] or r["refused"] for r in publishes), publishes
    assert (report["revisions_saved"], report["publications"]) == (1, 1)


def test_sqlite_runs_immediate_transactions_in_wal_mode_with_a_busy_timeout():
    """The settings give SQLite what concurrent writers need (PostgreSQL needs none of it)."""
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import kratom_info.settings as s; import json; "
            "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    options = json.loads(done.stdout)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5
