"""In production, static files are collected with hashed, compressed names for WhiteNoise."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_collectstatic_writes_hashed_and_compressed_files():
    """collectstatic with DEBUG off writes a manifest of hashed names and gzip copies."""
    with tempfile.TemporaryDirectory() as static_root:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="test-" + "x" * 50,
            DJANGO_SITE_URL="https://kratom.example.org",
            DJANGO_STATIC_ROOT=static_root,
        )
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())["paths"]
        hashed = manifest["css/site.css"]
        assert hashed != "css/site.css" and hashed.startswith("css/site.")
        assert (Path(static_root) / hashed).exists()
        assert (Path(static_root) / f"{hashed}.gz").exists()
