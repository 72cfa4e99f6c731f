"""The apps' layering, written down in pyproject.toml ([tool.importlinter]): no app imports an
app above it, and no two top-level modules of kratom_info import each other, counting imports
made lazily inside a function. import-linter reads the source; nothing is imported or run."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """The project's contracts checked against the kratom_info package in ``package_parent``."""
    return subprocess.run(  # noqa: S603 (our own venv's lint-imports, fixed arguments)
        [str(LINT_IMPORTS), str(CONFIG), "--no-cache"],
        cwd=package_parent,
        env={**os.environ, "PYTHONPATH": str(package_parent)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_apps_keep_their_layers():
    """Every contract holds for the code as it is."""
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


# Each case: files to add to a copy of kratom_info, and what the report must name.
BREAKING_CHANGES = {
    "a lazy upward import": (
        {
            "citations/who_cites.py": (
                "def citing_revisions(source):\n"
                "    from kratom_info.articles.models import Revision\n\n"
                "    return Revision.objects.filter(sources=source)\n"
            )
        },
        "kratom_info.citations.who_cites -> kratom_info.articles.models",
    ),
    "articles calling handouts again": (
        {
            "articles/short_codes.py": (
                "from kratom_info.handouts.services import short_code_assign\n\n"
                "__all__ = ['short_code_assign']\n"
            )
        },
        "kratom_info.articles.short_codes -> kratom_info.handouts.services",
    ),
    "the page cache reaching up to articles again (no ignored edge left)": (
        {
            "pagecache/citing.py": (
                "def citing(sources):\n"
                "    from kratom_info.articles.models import Article\n\n"
                "    return Article.objects.filter(live_revision__sources__in=sources)\n"
            )
        },
        "kratom_info.pagecache.citing -> kratom_info.articles.models",
    ),
    "editorial naming the source review above it": (
        {
            "editorial/pending_sources.py": (
                "from kratom_info.source_review.models import SourceChange\n\n"
                "__all__ = ['SourceChange']\n"
            )
        },
        "kratom_info.editorial.pending_sources -> kratom_info.source_review.models",
    ),
    "a cycle between two modules outside the layers": (
        {
            "cycle_one.py": "from kratom_info import cycle_two  # noqa: F401\n",
            "cycle_two.py": (
                "def back():\n    from kratom_info import cycle_one\n\n    return cycle_one\n"
            ),
        },
        ".cycle_two -> .cycle_one",  # the lazy import counts as much as the other
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKING_CHANGES))
def test_a_broken_layer_or_a_cycle_fails(tmp_path, case):
    """The check fails, naming the import, when a copy of the code gains an upward import or a
    circle (the proof that the test above can fail)."""
    files, named = BREAKING_CHANGES[case]
    copy = tmp_path / "kratom_info"
    shutil.copytree(ROOT / "kratom_info", copy, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, text in files.items():
        (copy / relative).write_text(text)
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert named in result.stdout, result.stdout
