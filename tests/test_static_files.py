"""In production, static files are collected with hashed, compressed names for WhiteNoise."""

import json
import tempfile
from pathlib import Path

from tests.production import production_env, run_manage


def test_collectstatic_writes_hashed_and_compressed_files():
    """collectstatic with DEBUG off writes a manifest of hashed names and gzip copies."""
    with tempfile.TemporaryDirectory() as static_root:
        result = run_manage(
            "collectstatic", "--noinput", "-v", "0",
            env=production_env(DJANGO_STATIC_ROOT=static_root),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())["paths"]
        for name in ["css/site.css", "favicon.svg"]:
            hashed = manifest[name]
            stem, suffix = name.rsplit(".", 1)
            assert hashed != name and hashed.startswith(f"{stem}.") and hashed.endswith(suffix)
            assert (Path(static_root) / hashed).exists()
            assert (Path(static_root) / f"{hashed}.gz").exists()
