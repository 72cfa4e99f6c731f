"""Importing content/ (articles as Markdown with front matter, plus the bibliography).

The whole import is one transaction: any error leaves the database as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from kratom_info.articles.blocks import Block, expand_blocks, load_blocks
from kratom_info.articles.models import Article, Revision, RevisionStatus, content_hash
from kratom_info.articles.rendering import UnknownCitationKeys, check_citations
from kratom_info.articles.services import (
    next_public_number,
    revision_create,
    revision_publish_unreviewed,
)
from kratom_info.articles.signals import revision_imported
from kratom_info.citations.importing import (
    ContentError,
    SourceSyncReport,
    field_length_errors,
    sync_sources,
)
from kratom_info.citations.models import Source
from kratom_info.citations.syntax import CitationSyntaxError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER_FIELDS = {
    "slug", "title", "summary", "main_message", "order", "key_points", "change_note",
    "language", "translates",
}  # fmt: skip
SOURCE_LANGUAGE = "en"  # the language articles are written in; others are translations
DEFAULT_ORDER = 100  # an article without 'order' goes after the ordered ones
LANGUAGES = ("en", "es")


@dataclass
class ArticleFile:
    path: Path
    slug: str
    title: str
    summary: str
    main_message: str
    order: int
    key_points: list[str]
    change_note: str
    body: str
    body_first_line: int  # line number in the file where the body starts
    language: str = SOURCE_LANGUAGE
    translates: int | None = None  # a translation: the English public version it translates
    field_lines: dict[str, int] = field(default_factory=dict)  # front matter field -> line

    def length_errors(self) -> list[ContentError]:
        """The front matter values longer than the database fields that store them (the
        Article and Revision fields of the same name)."""
        values = {
            "slug": self.slug,
            "title": self.title,
            "summary": self.summary,
            "main_message": self.main_message,
            "change_note": self.change_note,
        }
        return field_length_errors(
            self.path, values, (Article, Revision), lambda name: self.field_lines.get(name, 2)
        )


@dataclass
class ImportReport:
    sources: SourceSyncReport
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # not published: an editor's version is live


def parse_article_file(path: Path) -> ArticleFile:
    """Read one article file; raise ContentError naming the file and line of any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, None, f"cannot read file: {exc}") from exc
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "file must start with '---' and YAML front matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(path, 1, "front matter is not closed with '---'") from None
    try:
        meta = yaml.safe_load("".join(lines[1:end]))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 2 if exc.problem_mark else 1
        raise ContentError(path, line, f"invalid front matter: {exc.problem}") from exc
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter must be a mapping of field: value")

    def field_line(name: str) -> int:
        for i in range(1, end):
            if lines[i].startswith(f"{name}:"):
                return i + 1
        return 2

    unknown = set(meta) - FRONT_MATTER_FIELDS
    if unknown:
        name = sorted(unknown)[0]
        raise ContentError(path, field_line(name), f"unknown front matter field '{name}'")
    for name in ("slug", "title", "summary"):
        if not isinstance(meta.get(name), str) or not meta[name].strip():
            raise ContentError(path, field_line(name), f"front matter needs a text '{name}'")
    if not SLUG_RE.match(meta["slug"]):
        raise ContentError(
            path, field_line("slug"), f"slug {meta['slug']!r} must be lowercase words joined by '-'"
        )
    order = meta.get("order", DEFAULT_ORDER)
    if not isinstance(order, int) or isinstance(order, bool) or order < 0:
        raise ContentError(path, field_line("order"), f"order {order!r} must be a whole number")
    key_points = meta.get("key_points") or []
    if not isinstance(key_points, list) or not all(
        isinstance(p, str) and p.strip() for p in key_points
    ):
        raise ContentError(path, field_line("key_points"), "key_points must be a list of text")
    for name in ("main_message", "change_note"):
        if meta.get(name) is not None and not isinstance(meta[name], str):
            raise ContentError(path, field_line(name), f"'{name}' must be text")
    language = meta.get("language", SOURCE_LANGUAGE)
    if language not in LANGUAGES:
        raise ContentError(
            path,
            field_line("language"),
            f"language {language!r} must be one of: {', '.join(LANGUAGES)}",
        )
    translates = meta.get("translates")
    if language == SOURCE_LANGUAGE and translates is not None:
        raise ContentError(
            path,
            field_line("translates"),
            f"'translates' is only for translations; this file's language is {language!r}",
        )
    if translates is not None and (
        not isinstance(translates, int) or isinstance(translates, bool) or translates < 1
    ):
        raise ContentError(
            path,
            field_line("translates"),
            f"translates {translates!r} must be the English version number (a whole number, "
            "1 or more)",
        )
    rest = lines[end + 1 :]
    leading_blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    body = "".join(rest[leading_blank:]).rstrip() + "\n"
    if not body.strip():
        raise ContentError(path, end + 2, "the article has no body")
    return ArticleFile(
        path=path,
        slug=meta["slug"],
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        main_message=(meta.get("main_message") or "").strip(),
        order=order,
        key_points=[p.strip() for p in key_points],
        change_note=(meta.get("change_note") or "Imported from content/.").strip(),
        body=body,
        body_first_line=end + 2 + leading_blank,
        language=language,
        translates=translates,
        field_lines={name: field_line(name) for name in meta},
    )


def check_article_citations(article: ArticleFile, known_keys: set[str]) -> None:
    offset = article.body_first_line - 1
    try:
        check_citations(article.body, known_keys)
    except UnknownCitationKeys as exc:
        key, line = exc.problems[0]
        others = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        raise ContentError(
            article.path, line + offset, f"unknown citation key '{key}'{others}"
        ) from exc
    except CitationSyntaxError as exc:
        raise ContentError(article.path, None, str(exc)) from exc


def check_block_citations(block: Block, known_keys: set[str]) -> None:
    try:
        check_citations(block.text, known_keys)
    except UnknownCitationKeys as exc:
        key, line = exc.problems[0]
        raise ContentError(block.path, line, f"unknown citation key '{key}'") from exc
    except CitationSyntaxError as exc:
        raise ContentError(block.path, None, str(exc)) from exc


def expanded_body(article: ArticleFile, blocks: dict[str, dict[str, Block]]) -> str:
    """The body a revision stores: the file's body with its block lines written out."""
    return expand_blocks(
        article.body,
        blocks.get(article.language, {}),
        path=article.path,
        line_offset=article.body_first_line - 1,
    )


def read_articles(root: Path) -> list[ArticleFile]:
    directory = root / "articles"
    if not directory.is_dir():
        raise ContentError(directory, None, "no articles/ folder")
    articles = [parse_article_file(path) for path in sorted(directory.glob("*.md"))]
    for article in articles:
        if article.language != SOURCE_LANGUAGE:
            raise ContentError(
                article.path,
                2,
                f"a {article.language!r} file belongs in {article.language}/articles/",
            )
    _check_unique_slugs(articles)
    return articles


def read_translations(root: Path) -> list[ArticleFile]:
    """The translations under ``root/<language>/articles/`` (none is fine)."""
    translations = []
    for language in LANGUAGES:
        directory = root / language / "articles"
        if language == SOURCE_LANGUAGE or not directory.is_dir():
            continue
        found = [parse_article_file(path) for path in sorted(directory.glob("*.md"))]
        for translation in found:
            if translation.language != language or translation.translates is None:
                raise ContentError(
                    translation.path,
                    2,
                    f"a file in {language}/articles/ needs 'language: {language}' and "
                    "'translates: <English version number>'",
                )
        _check_unique_slugs(found)
        translations += found
    return translations


def _check_unique_slugs(articles: list[ArticleFile]) -> None:
    first_seen: dict[str, Path] = {}
    for article in articles:
        if article.slug in first_seen:
            raise ContentError(
                article.path,
                2,
                f"duplicate slug '{article.slug}' (also in {first_seen[article.slug]})",
            )
        first_seen[article.slug] = article.path


def _article_for(
    article_file: ArticleFile, english: dict[str, Revision]
) -> tuple[Article, Revision | None]:
    """The article a file is a version of (created if new) and, for a translation, the English
    revision it translates.

    ``translates: N`` names the English version readers know as version N (its public number).
    When the English article has not published version N yet but N is its next public number
    (a first import without publishing, in production), the translation translates the English
    text imported in the same run (``english``: slug -> revision), which becomes version N when
    it is published; the translation cannot be submitted for review before that."""
    defaults = {"title": article_file.title, "summary": article_file.summary}
    if article_file.language == SOURCE_LANGUAGE:
        article, _ = Article.objects.get_or_create(
            slug=article_file.slug, language=SOURCE_LANGUAGE, defaults=defaults
        )
        return article, None
    original = Article.objects.filter(slug=article_file.slug, language=SOURCE_LANGUAGE).first()
    if original is None:
        raise ContentError(
            article_file.path, 2, f"no English article '{article_file.slug}' to translate"
        )
    translates = original.revisions.public().filter(public_number=article_file.translates).first()
    if translates is None and article_file.translates == next_public_number(original):
        pending = english.get(article_file.slug)
        if pending is not None and pending.public_number is None:
            translates = pending
    if translates is None:
        raise ContentError(
            article_file.path,
            None,
            f"translates: {article_file.translates}, but the English article "
            f"'{article_file.slug}' has no published version {article_file.translates}",
        )
    article, _ = Article.objects.get_or_create(
        slug=article_file.slug,
        language=article_file.language,
        defaults={**defaults, "original": original},
    )
    return article, translates


@transaction.atomic
def import_content(root: Path, *, publish: bool = False, run_by: str = "") -> ImportReport:
    """Load the bibliography and every article under ``root``.

    A file whose content matches one of the article's revisions creates nothing; a changed
    file creates a new draft revision. ``publish`` makes each imported draft live without
    review, unless the live version came through the editorial workflow: then the draft is
    held for review (``ImportReport.held``), so an import never replaces reviewed work.

    ``run_by`` names who ran the import (the command passes the operating-system user) for
    :data:`~kratom_info.articles.signals.revision_imported`, sent for each revision created
    or published.
    """
    sources_path = root / "sources.yaml"
    if not sources_path.is_file():
        raise ContentError(sources_path, None, "bibliography file not found")
    report = ImportReport(sources=sync_sources(sources_path))
    articles = read_articles(root)
    translations = read_translations(root)
    # Checked before anything is written: PostgreSQL would refuse a too-long value mid-import.
    too_long = [error for f in articles + translations for error in f.length_errors()]
    if too_long:
        raise too_long[0]
    # A source proposed in the admin but not approved is not citable by imported files.
    known_keys = set(Source.objects.approved().values_list("key", flat=True))
    blocks = {language: load_blocks(root, language) for language in LANGUAGES}
    for language_blocks in blocks.values():
        for block in language_blocks.values():
            check_block_citations(block, known_keys)
    for article_file in articles + translations:
        check_article_citations(article_file, known_keys)
    bodies = {id(f): expanded_body(f, blocks) for f in articles + translations}

    # Originals first: a translation names the English revision it translates.
    english: dict[str, Revision] = {}
    for article_file in articles + translations:
        article, translates = _article_for(article_file, english)
        if article.order != article_file.order:
            article.order = article_file.order
            article.save(update_fields=["order"])
        fingerprint = content_hash(
            title=article_file.title,
            summary=article_file.summary,
            main_message=article_file.main_message,
            key_points=article_file.key_points,
            body=bodies[id(article_file)],
        )
        # A file equal to any existing revision is not a change, even if editors have moved on
        # since: re-running the import must never undo their work.
        revision = (
            article.revisions.filter(content_hash=fingerprint, translates=translates)
            .order_by("-number")
            .first()
        )
        if revision is not None:
            report.unchanged.append(str(revision))
        else:
            revision = revision_create(
                article=article,
                title=article_file.title,
                summary=article_file.summary,
                main_message=article_file.main_message,
                key_points=article_file.key_points,
                body=bodies[id(article_file)],
                change_note=article_file.change_note,
                translates=translates,
            )
            report.created.append(str(revision))
            revision_imported.send(
                sender=Revision, revision=revision, action="created", run_by=run_by
            )
        if article.is_original:
            english[article.slug] = revision
        if not publish or revision.status != RevisionStatus.DRAFT or revision.author_id is not None:
            continue
        live = article.live_revision
        if live is not None and live.author_id is not None:
            # The live version came through the editorial workflow: an unreviewed file must
            # not replace it. The draft waits for review like any other.
            report.held.append(str(revision))
            continue
        if live is not None and live.number > revision.number:
            continue
        revision = revision_publish_unreviewed(revision=revision)
        report.published.append(str(revision))
        revision_imported.send(
            sender=Revision, revision=revision, action="published", run_by=run_by
        )
    return report
