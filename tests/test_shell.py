"""Commands printed for pasting name the interpreter that really has the project installed."""

import sys
from pathlib import Path

from kratom_info.shell import manage_py


def test_checkout_venv_is_named_relative_to_the_project(monkeypatch, tmp_path: Path):
    """In a checkout, `.venv/bin/python manage.py ...`: the bare `python` may lack Django."""
    python = tmp_path / ".venv" / "bin" / "python"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert manage_py("changepassword", "alice") == ".venv/bin/python manage.py changepassword alice"


def test_python_on_path_is_plain_python(monkeypatch, tmp_path: Path):
    """In the container (or an activated venv) the interpreter on PATH is plain `python`."""
    bin_dir = tmp_path / "opt" / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.chdir("/")
    assert manage_py("migrate") == "python manage.py migrate"


def test_another_interpreter_is_named_in_full_and_arguments_quoted(monkeypatch, tmp_path: Path):
    """Elsewhere the full path; arguments with spaces are quoted for the shell."""
    python = tmp_path / "py" / "bin" / "python3"
    (tmp_path / "project").mkdir()
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.chdir(tmp_path / "project")
    assert manage_py("create_editor", "sam", "--name", "Sam Lee") == (
        f"{python} manage.py create_editor sam --name 'Sam Lee'"
    )
