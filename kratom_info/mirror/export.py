"""``site_export``: the whole public site as files any static host serves.

Not to be confused with ``articles.exporting.export_content``, which writes the database back to
content/'s Markdown: this writes what readers get (pages, feeds, QR codes, short links).

Incremental by the page cache's own knowledge: every change readers can see bumps the public
content generation (``pagecache.generation``), so an export under the generation (and release)
already exported has nothing to do. Otherwise only the pages that may show what changed since
the last export are rendered again (``mirror.changes``: the page cache's tags and purge list);
every other page is carried over from the manifest the last export wrote, its file untouched.
Only files whose bytes changed are written (and compressed), and files no page needs any more
are removed, so ``rsync --checksum`` or a CDN upload sends only what changed. A new release
(code, templates, translations, static files) renders everything again, as ``--full`` does.
The result is the same files a full export of the same database writes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import translation

from kratom_info.mirror import pages as mirror_pages
from kratom_info.mirror import rules as mirror_rules
from kratom_info.mirror import standins
from kratom_info.mirror.changes import changes_between, content_fingerprints
from kratom_info.mirror.files import Writer, digest, fallback_file_for, file_for
from kratom_info.pagecache.generation import current_generation

MANIFEST = "_mirror/manifest.json"
# What the manifest holds; an export finding another format renders every page.
MANIFEST_FORMAT = 2
LOCK = "_mirror/export.lock"
NOT_FOUND_FILE = "404.html"
# Files in the export that are for servers, not readers (the shipped configs refuse them).
SERVER_FILES = ("_mirror/", "_redirects", "_headers")
RELEASE_INPUTS = ("kratom_info", "templates", "locale", "content/tools")


class ExportError(Exception):
    """The site cannot be exported as it is; nothing was written."""


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # addresses rendered, not carried over
    files: int = 0
    pages: int = 0
    redirects: int = 0
    up_to_date: bool = False
    broken_links: list[tuple[str, str]] = field(default_factory=list)  # (page, target)


def release_digest() -> str:
    """What, besides the database, decides the pages' bytes: the code, templates, translations,
    the tools' texts, the collected static files' names and the settings pages print."""
    hasher = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for top in RELEASE_INPUTS:
        for path in sorted((base / top).rglob("*")):
            if path.is_file() and path.suffix not in (".pyc",) and "__pycache__" not in path.parts:
                hasher.update(str(path.relative_to(base)).encode())
                hasher.update(hashlib.sha256(path.read_bytes()).digest())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        hasher.update(manifest.read_bytes())
    for name in ("SITE_URL", "SITE_NAME", "CONTACT_EMAIL", "LANGUAGES", "STATIC_URL"):
        hasher.update(repr(getattr(settings, name, None)).encode())
    return hasher.hexdigest()


def _read_manifest(root: Path) -> dict:
    try:
        return json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def site_export(root: Path, *, full: bool = False) -> ExportReport:
    """Write the public site under ``root``: pages, redirect rules, static files. Only the
    pages that may have changed since the export already there are rendered; ``full`` renders
    every page, even when the generation says nothing changed."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise ExportError(f"{root} is not a folder.")
    generation = current_generation()
    token = generation.token if generation is not None else ""
    release = release_digest()
    previous = _read_manifest(root)
    if (
        not full
        and previous.get("generation") == token
        and previous.get("release") == release
        and all((root / name).is_file() for name in previous.get("files", {}))
    ):
        return ExportReport(up_to_date=True, files=len(previous.get("files", {})))

    inputs = content_fingerprints()
    carried = {} if full else _carried_over(root, previous, inputs, release)
    with translation.override(settings.LANGUAGE_CODE):
        crawl = mirror_pages.crawl(mirror_pages.seed_paths(), carried_over=carried.get)
        not_found = mirror_pages.not_found_pages()
    plan = _plan(crawl, not_found)
    _check_static(crawl.static_paths)

    root.mkdir(parents=True, exist_ok=True)
    with _only_export(root):
        report = _write(root, plan, previous, generation, token, release, inputs)
    report.rendered = crawl.rendered
    return report


def _carried_over(root: Path, previous: dict, inputs: dict, release: str) -> dict:
    """Address -> the last export's page, for each page that shows nothing changed since and
    whose files are still there as that export wrote them."""
    if previous.get("format") != MANIFEST_FORMAT or previous.get("release") != release:
        return {}
    changes = changes_between(previous.get("inputs", {}), inputs)
    files = previous.get("files", {})
    carried = {}
    for path, record in previous.get("pages", {}).items():
        page = mirror_pages.Page.from_record(path, record)
        if changes.shows_on(path, page.tags, permanent=page.permanent):
            continue
        if page.holds_file and not _intact(root, file_for(path, page.content_type), files):
            continue
        carried[path] = page
    return carried


def _intact(root: Path, relative: str, files: dict[str, str]) -> bool:
    """Whether ``relative`` and its compressed twins hold the bytes the manifest says."""
    names = [name for name in (relative, f"{relative}.gz", f"{relative}.br") if name in files]
    if relative not in names:
        return False
    try:
        return all(digest((root / name).read_bytes()) == files[name] for name in names)
    except OSError:
        return False


@contextmanager
def _only_export(root: Path):
    """One export at a time per folder (say, a cron run while the last is still writing)."""
    (root / "_mirror").mkdir(exist_ok=True)
    with (root / LOCK).open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(f"Another export into {root} is running; try again later.") from None
        yield


def _write(root: Path, plan, previous: dict, generation, token: str, release: str, inputs: dict):
    mtime = generation.last_modified if generation is not None else None
    writer = Writer(root, mtime)
    for relative, data in plan.files.items():
        if data is None:  # carried over: its file (and twins) as the last export wrote them
            writer.keep(relative, previous.get("files", {}), mtime=plan.mtimes.get(relative))
        else:
            writer.put(relative, data, mtime=plan.mtimes.get(relative))
    _copy_static(writer)
    server_files = {
        "_mirror/nginx-maps.conf": mirror_rules.nginx_maps(plan.rules),
        "_mirror/nginx-locations.conf": mirror_rules.nginx_locations(plan.rules),
        "_mirror/caddy-rules.caddy": mirror_rules.caddy_rules(plan.rules, plan.content_types),
        "_redirects": mirror_rules.netlify_redirects(plan.rules),
        "_headers": mirror_rules.netlify_headers(plan.rules),
    }
    for relative, text in server_files.items():
        writer.put(relative, text.encode(), compress=False)
    report = ExportReport(
        written=list(writer.written),
        removed=writer.remove_except(_earlier_files(previous)),
        files=len(writer.files),
        pages=plan.pages,
        redirects=len(plan.rules.redirects),
        broken_links=sorted(plan.broken),
    )
    manifest = {
        "format": MANIFEST_FORMAT,
        "generation": token,
        "release": release,
        "inputs": inputs,
        "files": dict(sorted(writer.files.items())),
        "pages": {path: page.record() for path, page in sorted(plan.crawled.items())},
        "standins": sorted(plan.standins),
    }
    writer.put(MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode(), compress=False)
    return report


def _earlier_files(previous: dict) -> set[str]:
    """What the last export wrote, as the manifest says: only plain paths inside the folder."""
    names = set(previous.get("files", {})) - {MANIFEST, LOCK}
    return {n for n in names if not n.startswith("/") and ".." not in n.split("/")}


def _in_language(language: str, path: str) -> str:
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@dataclass
class _Plan:
    files: dict[str, bytes | None] = field(default_factory=dict)  # None: kept as it is
    crawled: dict[str, mirror_pages.Page] = field(default_factory=dict)  # address -> answer
    mtimes: dict[str, float] = field(default_factory=dict)  # the app's Last-Modified, if any
    content_types: dict[str, str] = field(default_factory=dict)  # address -> type, if not HTML
    rules: mirror_rules.Rules = field(default_factory=mirror_rules.Rules)
    pages: int = 0
    broken: set[tuple[str, str]] = field(default_factory=set)
    standins: set[str] = field(default_factory=set)  # addresses the mirror answers otherwise


def _plan(crawl: mirror_pages.Crawl, not_found: dict[str, mirror_pages.Page]) -> _Plan:
    plan = _Plan(crawled=crawl.pages)
    home = crawl.pages.get("/")
    if home is None or home.status != 200:
        raise ExportError("The home page does not answer 200; is the site migrated?")
    plan.rules.defaults = dict(home.kept_headers)
    plan.rules.default_language = settings.LANGUAGE_CODE
    plan.rules.languages = {
        _in_language(code, "/"): code
        for code, _ in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    }
    linked_from: dict[str, str] = {}
    for page in crawl.pages.values():
        for target in page.links if page.is_html and page.status < 400 else ():
            linked_from.setdefault(target, page.path)
    for path, page in sorted(crawl.pages.items()):
        if page.status >= 500:
            raise ExportError(f"{path} answered {page.status}: fix the page before exporting.")
        if page.is_redirect:
            plan.rules.redirects[path] = (page.status, page.location)
            plan.rules.headers[path] = (path, page.kept_headers)
            fallback = fallback_file_for(path)
            if fallback is not None and fallback not in plan.files:
                language = translation.get_language_from_path(page.location) or "en"
                plan.files[fallback] = mirror_rules.fallback_page(page.location, language=language)
            continue
        if page.status == 404:
            plan.broken.add((linked_from.get(path, "(seed)"), path))
            continue
        relative = file_for(path, page.content_type)
        if relative in plan.files:
            raise ExportError(f"{path} and another address both need {relative}.")
        plan.files[relative] = page.body if page.rendered else None
        if page.last_modified is not None:
            plan.mtimes[relative] = page.last_modified
        if not page.is_html:
            plan.content_types[path] = page.content_type
        plan.pages += 1
        plan.rules.headers[f"/{relative}"] = (path, page.kept_headers)
        if page.status != 200:
            plan.rules.statuses[path] = (page.status, relative)
    for language, page in not_found.items():
        relative = _in_language(language, f"/{NOT_FOUND_FILE}").lstrip("/")
        plan.files[relative] = page.body
        plan.rules.headers[f"/{relative}"] = (f"/{relative}", page.kept_headers)
    for language, _name in settings.LANGUAGES:
        check = _in_language(language, "/" + standins.CHECK_PATH)
        plan.rules.see_other[check] = _in_language(language, "/" + standins.CHECK_COUNT_PATH)
    for standin in standins.pages_for(crawl.unmirrored):
        relative = file_for(standin.path, "text/html")
        plan.files.setdefault(relative, standin.body)
        plan.standins.add(standin.path)
        plan.rules.headers[f"/{relative}"] = (
            standin.path,
            dict(standins.HEADERS),
        )
    return plan


def _check_static(paths: set[str]) -> None:
    root = Path(settings.STATIC_ROOT)
    prefix = mirror_pages.static_prefix()
    missing = sorted(p for p in paths if not (root / p.removeprefix(prefix)).is_file())
    if missing:
        raise ExportError(
            f"Static files the pages use are not in STATIC_ROOT ({root}): {', '.join(missing[:5])}"
            f"{' and more' if len(missing) > 5 else ''}. Run manage.py collectstatic first."
        )


def _copy_static(writer: Writer) -> None:
    """Every collected static file (WhiteNoise's .gz/.br twins included, made when missing)."""
    root = Path(settings.STATIC_ROOT)
    target = mirror_pages.static_prefix().strip("/")
    names = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    for name in sorted(names):
        if name.endswith((".gz", ".br")) and name[:-3] in names:
            continue
        source = root / name
        data = source.read_bytes()
        relative = f"{target}/{name}"
        twins = {s: root / f"{name}{s}" for s in (".gz", ".br")}
        if all(t.is_file() for t in twins.values()):
            mtime = source.stat().st_mtime
            writer.adopt(relative, data, mtime)
            for suffix, twin in twins.items():
                writer.adopt(f"{relative}{suffix}", twin.read_bytes(), mtime)
        else:
            writer.put(relative, data, mtime=source.stat().st_mtime)
