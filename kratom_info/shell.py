"""Commands printed for the reader to paste: with the interpreter actually running, so they work
as shown (``.venv/bin/python manage.py ...`` in a checkout, ``python manage.py ...`` in the
container, where the virtual environment is on PATH)."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path


def manage_py(*args: str) -> str:
    """``manage.py`` with ``args``, prefixed by the Python that runs this process."""
    executable = Path(sys.executable).absolute()
    on_path = shutil.which("python")
    # Not resolved: a virtual environment's python is a symlink to the system's, which lacks
    # the project's packages.
    if on_path and Path(on_path).absolute() == executable:
        python = "python"
    elif executable.is_relative_to(Path.cwd()):
        python = str(executable.relative_to(Path.cwd()))
    else:
        python = str(executable)
    return shlex.join([python, "manage.py", *args])
