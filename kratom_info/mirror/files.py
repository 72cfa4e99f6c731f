"""Where each mirrored answer goes on disk, and writing it (with its precompressed twins) only
when its bytes changed."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath

import brotli

# Index files a static server looks for in a folder, by what the app answers there.
INDEX_FILES = {"text/html": "index.html", "application/atom+xml": "index.atom"}
# What each file name's ending must be served as (the shipped server configs say the same).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
COMPRESSIBLE_SUFFIXES = frozenset(
    {".html", ".atom", ".xml", ".txt", ".csv", ".svg", ".css", ".js", ".json", ".map", ".ico"}
)
# Below this, compression saves less than a packet's headers (nginx's own gzip_min_length idea).
MIN_COMPRESSED_SIZE = 256


class UnmirrorablePage(ValueError):
    """An answer the mirror cannot hold at its address (no file name a server would map back to
    the same content type)."""


def file_for(path: str, content_type: str) -> str:
    """The file (relative, POSIX) that holds the answer at ``path``: ``/a/`` becomes
    ``a/index.html`` (or ``index.atom`` for a feed), ``/a.xml`` stays ``a.xml``."""
    media_type = content_type.split(";", 1)[0].strip()
    if path.endswith("/"):
        index = INDEX_FILES.get(media_type)
        if index is None:
            raise UnmirrorablePage(f"{path} answers {content_type}, which no index file serves.")
        relative = f"{path.lstrip('/')}{index}"
    else:
        relative = path.lstrip("/")
        suffix = PurePosixPath(relative).suffix
        if CONTENT_TYPES.get(suffix, "").split(";", 1)[0] != media_type:
            raise UnmirrorablePage(
                f"{path} answers {content_type}, but a file named so is served as "
                f"{CONTENT_TYPES.get(suffix, 'an unknown type')}."
            )
    if ".." in PurePosixPath(relative).parts:
        raise UnmirrorablePage(f"{path} leaves the export folder.")
    return relative


def fallback_file_for(path: str) -> str | None:
    """Where a redirect's HTML fallback page goes, for hosts without redirect rules: the folder
    a host serves for ``/h/abcd`` (``h/abcd/index.html``). None for file-like addresses
    (``/favicon.ico``), which only the redirect rules serve."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "." in last:
        return None
    return f"{path.strip('/')}/index.html"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compressed_variants(relative: str, data: bytes) -> dict[str, bytes]:
    """``.gz`` (level 9, no name or time in the header) and ``.br`` (quality 11) of a
    compressible file, each only if smaller: the same bytes in give the same bytes out."""
    if (
        PurePosixPath(relative).suffix not in COMPRESSIBLE_SUFFIXES
        or len(data) < MIN_COMPRESSED_SIZE
    ):
        return {}
    variants = {
        ".gz": gzip.compress(data, compresslevel=9, mtime=0),
        ".br": brotli.compress(data, quality=11, mode=brotli.MODE_TEXT),
    }
    return {suffix: body for suffix, body in variants.items() if len(body) < len(data)}


class Writer:
    """Writes files under ``root`` atomically (a reader of the served folder never sees half a
    file), leaving a file whose bytes are unchanged untouched, and remembers what it wrote."""

    def __init__(self, root: Path, mtime: float | None):
        self.root = root
        self.mtime = mtime
        self.files: dict[str, str] = {}  # relative path -> sha256, every file the export holds
        self.written: list[str] = []

    def put(self, relative: str, data: bytes, *, compress: bool = True, mtime: float | None = None):
        """Hold ``data`` at ``relative`` (and its .gz/.br when ``compress``)."""
        self._put_one(relative, data, mtime)
        if not compress:
            return
        unchanged = relative not in self.written
        stale = {".gz", ".br"}
        if unchanged and all((self.root / f"{relative}{s}").exists() for s in stale):
            # Same bytes as on disk, twins present: they were written from these bytes.
            for suffix in stale:
                twin = self.root / f"{relative}{suffix}"
                self.files[f"{relative}{suffix}"] = digest(twin.read_bytes())
                self._date(twin, mtime)
            return
        for suffix, body in compressed_variants(relative, data).items():
            self._put_one(f"{relative}{suffix}", body, mtime)
            stale.discard(suffix)
        for suffix in stale:  # no longer smaller than the file itself
            (self.root / f"{relative}{suffix}").unlink(missing_ok=True)

    def keep(self, relative: str, known: dict[str, str], *, mtime: float | None = None):
        """Hold ``relative`` and its twins as they are, with the digests ``known`` (the last
        manifest's) for them: not rewritten, only dated as ``put`` dates unchanged bytes."""
        for name in (relative, f"{relative}.gz", f"{relative}.br"):
            if name in known:
                self.files[name] = known[name]
                self._date(self.root / name, mtime)

    def _date(self, target: Path, mtime: float | None):
        """Date an unchanged file as the app dates its page now (a server's Last-Modified)."""
        when = mtime if mtime is not None else self.mtime
        if when is not None and target.stat().st_mtime != when:
            os.utime(target, (when, when))

    def adopt(self, relative: str, data: bytes, mtime: float | None = None):
        """Hold a file given already made (a static file and its twins)."""
        self._put_one(relative, data, mtime)

    def _put_one(self, relative: str, data: bytes, mtime: float | None):
        target = self.root / relative
        self.files[relative] = sum_ = digest(data)
        when = mtime if mtime is not None else self.mtime
        try:
            if target.is_file() and target.stat().st_size == len(data):
                if digest(target.read_bytes()) == sum_:
                    # Same bytes: left as they are, only dated as the app dates the page now.
                    if when is not None and target.stat().st_mtime != when:
                        os.utime(target, (when, when))
                    return
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            raise UnmirrorablePage(f"{relative} is both a page and a folder.")
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".export-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o644)
            if when is not None:
                os.utime(temporary, (when, when))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.written.append(relative)

    def remove_except(self, previous: set[str]) -> list[str]:
        """Delete files an earlier export wrote that this one no longer holds."""
        removed = []
        for relative in sorted(previous - set(self.files)):
            target = self.root / relative
            if target.is_file():
                target.unlink()
                removed.append(relative)
                _remove_empty_parents(target.parent, self.root)
        return removed


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
