"""Writing the live site back to content/: the inverse of :mod:`kratom_info.articles.importing`.

``export_content`` writes the live version of every article (translations under
``<language>/articles/``) and the whole bibliography in the
files' canonical format, so that import followed by export reproduces the files byte for byte,
and an export followed by an import creates nothing new. Each file is replaced atomically and
only when its text changes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

from kratom_info.articles.blocks import (
    Block,
    blocks_folder,
    collapse_blocks,
    load_blocks,
    site_blocks,
)
from kratom_info.articles.importing import parse_article_file
from kratom_info.articles.models import SOURCE_LANGUAGE, Article, Revision
from kratom_info.citations.importing import SOURCE_FIELD_ORDER, ContentError
from kratom_info.citations.models import Source

SOURCES_HEADER = """\
# The site's bibliography. Each entry is a Source record; articles cite it as [@key].
# `manage.py export_content` writes this file from the database, sorted by key; `import_content`
# reads it. Every entry needs at least one of doi, pmid or url. 'public_note' is shown to readers
# after the reference; 'notes' are for authors and reviewers only and never shown.
# 'evidence_type_es' and 'public_note_es' say the same in Spanish, for Spanish pages.
"""
# Bibliography entries wrap long text at this width; article front matter never wraps, so that
# a summary stays on one line and diffs of the files stay readable.
SOURCES_WIDTH = 110
NO_WRAP = 1_000_000


class _ContentDumper(yaml.SafeDumper):
    """PyYAML's safe dumper with list items indented under their key, as content/ writes them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _dump(data: object, *, width: int) -> str:
    return yaml.dump(data, Dumper=_ContentDumper, sort_keys=False, allow_unicode=True, width=width)


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def article_file_text(
    article: Article, revision: Revision, blocks: dict[str, Block] | None = None
) -> str:
    """One article file: YAML front matter, then the revision's Markdown body, with the text
    of each shared block in ``blocks`` written back as its block line."""
    front_matter: dict[str, object] = {"slug": article.slug}
    if not article.is_original:
        front_matter["language"] = article.language
        front_matter["translates"] = revision.translates.public_number
    front_matter["title"] = revision.title
    front_matter["summary"] = revision.summary
    if revision.main_message:
        front_matter["main_message"] = revision.main_message
    front_matter["order"] = article.order
    if revision.key_points:
        front_matter["key_points"] = list(revision.key_points)
    front_matter["change_note"] = revision.change_note
    body = revision.body.replace("\r\n", "\n").rstrip() + "\n"
    if blocks:
        body = collapse_blocks(body, blocks)
    return f"---\n{_dump(front_matter, width=NO_WRAP)}---\n{body}"


def source_entry(source: Source) -> dict[str, object]:
    """A Source as a bibliography entry: the file's fields in order, empty ones left out."""
    entry = {}
    for name in SOURCE_FIELD_ORDER:
        value = getattr(source, name)
        if value not in (None, ""):
            entry[name] = value
    return entry


def sources_file_text(sources: list[Source]) -> str:
    return SOURCES_HEADER + _dump([source_entry(s) for s in sources], width=SOURCES_WIDTH)


def _existing_article_paths(directory: Path) -> dict[str, Path]:
    """slug -> file for the article files already in ``directory``, so an export overwrites
    the file an article came from instead of adding a second one."""
    paths: dict[str, Path] = {}
    for path in sorted(directory.glob("*.md")):
        try:
            paths.setdefault(parse_article_file(path).slug, path)
        except ContentError:
            continue  # a broken file is replaced by <slug>.md if its article is exported
    return paths


def _write_if_changed(path: Path, text: str, report: ExportReport) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        report.unchanged.append(str(path))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    report.written.append(str(path))


def export_content(root: Path) -> ExportReport:
    """Write every published article's live version and the bibliography under ``root``.

    Articles that were never published (or are withdrawn) are not written; files of articles
    the database does not know are left alone.
    """
    report = ExportReport()
    # A proposed new source nobody has approved yet stays out: importing the file marks every
    # entry approved, so exporting it would skip the second person's check.
    sources = list(Source.objects.approved().order_by("key"))
    for language, _ in settings.LANGUAGES:
        # English in articles/, translations in <language>/articles/.
        folder = root / "articles" if language == SOURCE_LANGUAGE else root / language / "articles"
        articles = Article.objects.published(language).select_related("live_revision__translates")
        existing = _existing_article_paths(folder) if folder.is_dir() else {}
        # The blocks the folder's files use (the site's own when the folder has none yet),
        # written beside the articles so that the export imports again on its own.
        blocks = load_blocks(root, language) if blocks_folder(root, language).is_dir() else {}
        blocks = blocks or site_blocks(language)
        used: set[str] = set()
        for article in articles:
            path = existing.get(article.slug, folder / f"{article.slug}.md")
            text = article_file_text(article, article.live_revision, blocks)
            used |= {block.name for block in blocks.values() if block.line in text}
            _write_if_changed(path, text, report)
        for name in sorted(used):
            block = blocks[name]
            path = blocks_folder(root, language) / f"{name}.md"
            _write_if_changed(path, block.text + "\n", report)
    _write_if_changed(root / "sources.yaml", sources_file_text(sources), report)
    return report
