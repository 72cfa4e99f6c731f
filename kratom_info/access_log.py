"""gunicorn's access log, without the size of any response of the warning-signs check.

The check's responses are padded to one size (kratom_info/tools/padding.py); this is the
second lock: the access log writes "-" for their size (``%(b)s``, ``%(B)s`` and a
``Content-Length`` header atom), so even a page that somehow missed its padding could not
tell from the log how someone answered. Used by gunicorn.conf.py (``logger_class``); imports
nothing from Django.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

# The check's address in every language (/tools/check/, /es/tools/check/), and any spelling
# of it that reaches the app (no trailing slash, doubled slashes).
PRIVATE_SIZE_PATH_PART = "/tools/check"
SIZE_ATOMS = ("b", "B", "{content-length}o")


def hides_size(path: str) -> bool:
    while "//" in path:
        path = path.replace("//", "/")
    return PRIVATE_SIZE_PATH_PART in path


class AccessLogger(Logger):
    """gunicorn's logger; the check's response sizes are logged as "-"."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if hides_size(environ.get("PATH_INFO") or "") or hides_size(environ.get("RAW_URI") or ""):
            for name in SIZE_ATOMS:
                atoms[name] = "-"
        return atoms
