"""Loading the bibliography file (content/sources.yaml) into Source records."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from kratom_info.citations.models import (
    READER_TEXT_FIELDS,
    TRANSLATED_LANGUAGES,
    Source,
    SourceKind,
)
from kratom_info.citations.signals import announce_public_change, source_imported

# The bibliography file's fields, in the order export_content writes them.
SOURCE_FIELD_ORDER = (
    "key", "kind", "authors", "year", "title", "container", "volume_pages", "doi", "pmid",
    "url", "accessed", "evidence_type", "evidence_type_es", "public_note", "public_note_es",
    "notes",
)  # fmt: skip
SOURCE_FIELDS = set(SOURCE_FIELD_ORDER)


class ContentError(ValueError):
    """A problem in a content file, named by path and line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


def field_length_errors(
    path: Path | str,
    values: Mapping[str, object],
    stored_in: Iterable[type[models.Model]],
    line_of: Callable[[str], int | None],
) -> list[ContentError]:
    """One error per text value longer than a model field of the same name allows.

    The limits are the fields' ``max_length``, read from the models the importer fills
    (``stored_in``), so a longer column is picked up without editing this check. SQLite does
    not enforce ``max_length`` and PostgreSQL does: without this check a file that imports on
    a laptop fails in production."""
    errors = []
    stored_in = tuple(stored_in)
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        for model in stored_in:
            try:
                limit = getattr(model._meta.get_field(name), "max_length", None)
            except FieldDoesNotExist:
                continue
            if limit is not None and len(value) > limit:
                errors.append(
                    ContentError(
                        path,
                        line_of(name),
                        f"'{name}' is {len(value)} characters long, but the database field "
                        f"{model.__name__}.{name} holds at most {limit}: shorten it",
                    )
                )
                break
    return errors


@dataclass
class SourceSyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def read_yaml(path: Path) -> tuple[yaml.Node | None, object]:
    """A content YAML file's node tree (for line numbers) and data; raises ContentError naming
    the file and line of any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, None, f"cannot read file: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ContentError(path, line, f"invalid YAML: {exc.problem}") from exc
    return node, data


def read_yaml_list(path: Path) -> list[tuple[int, dict]]:
    """The file's top-level list as (line, mapping) pairs; raises ContentError naming the line."""
    node, data = read_yaml(path)
    if not isinstance(data, list) or node is None:
        raise ContentError(path, 1, "expected a list of sources")
    return [(item.start_mark.line + 1, entry) for item, entry in zip(node.value, data, strict=True)]


def _source_from_entry(path: Path, line: int, entry: object) -> Source:
    if not isinstance(entry, dict):
        raise ContentError(path, line, "each source must be a mapping of field: value")
    unknown = set(entry) - SOURCE_FIELDS
    if unknown:
        raise ContentError(path, line, f"unknown field(s) {', '.join(sorted(unknown))}")
    values = {name: entry.get(name) for name in SOURCE_FIELDS}
    for name in ("key", "kind", "authors", "title"):
        if not values[name]:
            raise ContentError(path, line, f"source is missing '{name}'")
    if values["kind"] not in SourceKind.values:
        raise ContentError(
            path, line, f"kind {values['kind']!r} is not one of {', '.join(SourceKind.values)}"
        )
    accessed = values["accessed"]
    if accessed is not None and not isinstance(accessed, datetime.date):
        raise ContentError(path, line, f"accessed {accessed!r} is not a date (YYYY-MM-DD)")
    year = values["year"]
    if year is not None and not isinstance(year, int):
        raise ContentError(path, line, f"year {year!r} is not a whole number")
    texts = {name: value.strip() for name, value in values.items() if isinstance(value, str)}
    too_long = field_length_errors(path, texts, [Source], lambda name: line)
    if too_long:
        key = str(values["key"])
        raise ContentError(path, line, f"source '{key}': {too_long[0].message}")
    source = Source(
        key=str(values["key"]),
        kind=values["kind"],
        authors=str(values["authors"]).strip(),
        year=year,
        title=str(values["title"]).strip(),
        container=str(values["container"] or "").strip(),
        volume_pages=str(values["volume_pages"] or "").strip(),
        doi=str(values["doi"] or "").strip(),
        pmid=str(values["pmid"] or "").strip(),
        url=str(values["url"] or "").strip(),
        accessed=accessed,
        evidence_type=str(values["evidence_type"] or "").strip(),
        evidence_type_es=str(values["evidence_type_es"] or "").strip(),
        public_note=str(values["public_note"] or "").strip(),
        public_note_es=str(values["public_note_es"] or "").strip(),
        notes=str(values["notes"] or "").strip(),
    )
    try:
        source.full_clean(exclude=["key"], validate_unique=False, validate_constraints=False)
        source.clean()
    except ValidationError as exc:
        details = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise ContentError(path, line, f"source '{source.key}' is invalid: {details}") from exc
    return source


EDITABLE_FIELDS = sorted(SOURCE_FIELDS - {"key"})


def missing_translations(source: Source) -> list[str]:
    """'public_note_es'-style names of the reader-facing texts ``source`` has in English but
    not in a translated language. Pages fall back to the English text; the bundled
    bibliography should need no fallback."""
    return [
        f"{name}_{language}"
        for name in READER_TEXT_FIELDS
        for language in TRANSLATED_LANGUAGES
        if getattr(source, name) and not getattr(source, f"{name}_{language}")
    ]


def validate_sources_file(path: Path) -> tuple[list[Source], list[ContentError]]:
    """Every entry checked (nothing saved): the valid sources and one error per bad entry,
    plus one per source whose reader-facing English text has no translation."""
    sources, errors = [], []
    first_line: dict[str, int] = {}
    for line, entry in read_yaml_list(path):
        try:
            source = _source_from_entry(path, line, entry)
        except ContentError as exc:
            errors.append(exc)
            continue
        if source.key in first_line:
            errors.append(
                ContentError(
                    path,
                    line,
                    f"duplicate key '{source.key}' "
                    f"(first defined on line {first_line[source.key]})",
                )
            )
            continue
        first_line[source.key] = line
        sources.append(source)
        for name in missing_translations(source):
            english = name.rsplit("_", 1)[0]
            errors.append(
                ContentError(path, line, f"source '{source.key}' has '{english}' but no '{name}'")
            )
    return sources, errors


def sync_sources(path: Path) -> SourceSyncReport:
    """Create or update a Source for every entry. Sources missing from the file are kept:
    published revisions may cite them. Call inside a transaction.

    Sources from the file are approved (it is the operator's bulk path, outside the admin's
    propose-and-approve workflow); :data:`~kratom_info.citations.signals.source_imported` is
    sent for each created or changed one, which the editorial app records as an audit event."""
    report = SourceSyncReport()
    seen: dict[str, int] = {}
    parsed = []
    for line, entry in read_yaml_list(path):
        source = _source_from_entry(path, line, entry)
        if source.key in seen:
            raise ContentError(
                path,
                line,
                f"duplicate key '{source.key}' (first defined on line {seen[source.key]})",
            )
        seen[source.key] = line
        parsed.append(source)
    existing = Source.objects.in_bulk([s.key for s in parsed], field_name="key")
    for source in parsed:
        current = existing.get(source.key)
        if current is None:
            source.approved = True  # the operator's file is the bulk path; it is audited
            source.save()
            report.created.append(source.key)
            source_imported.send(sender=Source, source=source, created=True, changes={})
            announce_public_change(source=source)
            continue
        before, after = current.reviewable_values(), source.reviewable_values()
        changes = {
            name: (before[name], after[name])
            for name in EDITABLE_FIELDS
            if name in before and before[name] != after[name]
        }
        if changes or not current.approved:
            # A source proposed in the admin but not yet approved is approved by the file.
            for name in changes:
                setattr(current, name, getattr(source, name))
            current.approved = True
            current.save()
            report.updated.append(source.key)
            source_imported.send(sender=Source, source=current, created=False, changes=changes)
            announce_public_change(source=current)
        else:
            report.unchanged.append(source.key)
    return report
