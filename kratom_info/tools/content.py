"""The editors' texts of the reader tools, read from content/tools/*.yaml (English) and
content/<language>/tools/*.yaml (translations: content/es/tools/ for Spanish).

The files hold every word a reader sees on the tools' pages except the table's fixed columns
(tracking.py) and the templates' interface strings (the gettext catalogue). Loading validates
their shape and raises ContentError naming the file and line;
``check_content`` adds the editorial rules (citations, numbers, links, reading grade).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from kratom_info.articles.importing import SOURCE_LANGUAGE
from kratom_info.citations.importing import ContentError, read_yaml

CHECK_FILE = Path("tools") / "check.yaml"
SHEET_FILE = Path("tools") / "tracking-sheet.yaml"


def in_language(file: Path, language: str) -> Path:
    """A tools file's path under content/ in ``language``: English at ``tools/``, a translation
    under its language's folder (``es/tools/``), beside the translated articles."""
    return file if language == SOURCE_LANGUAGE else Path(language) / file


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    text: str
    note: str  # cited Markdown: why the question matters; may be empty
    articles: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Band:
    """The result text for a range of "yes" counts (max None: up to the number of questions)."""

    min: int
    max: int | None
    title: str
    text: str  # cited Markdown
    articles: tuple[str, ...]
    line: int

    def covers(self, count: int) -> bool:
        return self.min <= count and (self.max is None or count <= self.max)


@dataclass(frozen=True)
class CareLevel:
    title: str
    text: str  # cited Markdown
    line: int


@dataclass(frozen=True)
class CheckContent:
    path: Path
    intro: str
    privacy: str
    disclaimer: str
    groups: dict[str, str]
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]
    default_articles: tuple[str, ...]
    care_levels: tuple[CareLevel, ...]

    def questions_in(self, group: str) -> list[Question]:
        return [question for question in self.questions if question.group == group]


@dataclass(frozen=True)
class SheetContent:
    path: Path
    article: str
    title: str
    intro: str
    how_to_use: tuple[str, ...]
    noticed_prompt: str
    clinician_questions: tuple[str, ...]


class _Reader:
    """Typed access to one YAML mapping, with errors naming the file and line."""

    def __init__(self, path: Path, data: object, line: int, what: str, node=None):
        if not isinstance(data, dict):
            raise ContentError(path, line, f"{what} must be a mapping of field: value")
        self.path, self.data, self.line, self.what = path, data, line, what
        self.node = node  # the composed YAML node, for the lines of list items

    def unknown(self, allowed: set[str]) -> None:
        extra = set(self.data) - allowed
        if extra:
            names = ", ".join(sorted(map(str, extra)))
            raise ContentError(self.path, self.line, f"unknown field(s) in {self.what}: {names}")

    def text(self, name: str, *, required: bool = True) -> str:
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ContentError(self.path, self.line, f"{self.what} is missing '{name}'")
            return ""
        if not isinstance(value, str):
            raise ContentError(self.path, self.line, f"'{name}' in {self.what} must be text")
        return " ".join(value.split())

    def texts(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.data.get(name)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or not value:
            raise ContentError(self.path, self.line, f"'{name}' in {self.what} must be a list")
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise ContentError(
                self.path, self.line, f"every item of '{name}' in {self.what} must be text"
            )
        return tuple(" ".join(item.split()) for item in value)

    def number(self, name: str, *, required: bool = True) -> int | None:
        value = self.data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ContentError(
                self.path, self.line, f"'{name}' in {self.what} must be a whole number, 0 or more"
            )
        return value

    def items(self, name: str) -> list[tuple[int, object]]:
        """A list field's items with their lines (from the composed YAML node)."""
        value = self.data.get(name)
        if not isinstance(value, list) or not value:
            raise ContentError(self.path, self.line, f"'{name}' in {self.what} must be a list")
        return list(zip(self._item_lines(name), value, strict=True))

    def _item_lines(self, name: str) -> list[int]:
        if isinstance(self.node, yaml.MappingNode):
            for key, child in self.node.value:
                if key.value == name:
                    return [item.start_mark.line + 1 for item in child.value]
        return [self.line] * len(self.data[name])


def _read_mapping(path: Path) -> _Reader:
    node, data = read_yaml(path)
    return _Reader(path, data, 1, "the file", node)


def load_check(path: Path) -> CheckContent:
    """Read and validate the check's file; raise ContentError on the first problem."""
    top = _read_mapping(path)
    top.unknown(
        {"intro", "privacy", "disclaimer", "groups", "questions", "bands", "default_articles",
         "care_levels"}
    )  # fmt: skip
    groups = top.data.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise ContentError(path, 1, "'groups' must map group names to headings")
    groups = {str(name): " ".join(str(title).split()) for name, title in groups.items()}

    questions: list[Question] = []
    for line, item in top.items("questions"):
        entry = _Reader(path, item, line, "a question")
        entry.unknown({"id", "group", "text", "note", "articles"})
        question = Question(
            id=entry.text("id"),
            group=entry.text("group"),
            text=entry.text("text"),
            note=entry.text("note", required=False),
            articles=entry.texts("articles", required=False),
            line=line,
        )
        if not question.id.replace("-", "").isalnum() or question.id != question.id.lower():
            raise ContentError(path, line, f"question id {question.id!r}: use a-z, 0-9 and '-'")
        if question.id in {q.id for q in questions}:
            raise ContentError(path, line, f"duplicate question id {question.id!r}")
        if question.group not in groups:
            raise ContentError(path, line, f"group {question.group!r} is not one of 'groups'")
        questions.append(question)

    bands: list[Band] = []
    for line, item in top.items("bands"):
        entry = _Reader(path, item, line, "a band")
        entry.unknown({"min", "max", "title", "text", "articles"})
        bands.append(
            Band(
                min=entry.number("min"),
                max=entry.number("max", required=False),
                title=entry.text("title"),
                text=entry.text("text"),
                articles=entry.texts("articles", required=False),
                line=line,
            )
        )
    _check_bands(path, bands, len(questions))

    care_levels = []
    for line, item in top.items("care_levels"):
        entry = _Reader(path, item, line, "a level of care")
        entry.unknown({"title", "text"})
        care_levels.append(CareLevel(title=entry.text("title"), text=entry.text("text"), line=line))

    return CheckContent(
        path=path,
        intro=top.text("intro"),
        privacy=top.text("privacy"),
        disclaimer=top.text("disclaimer"),
        groups=groups,
        questions=tuple(questions),
        bands=tuple(bands),
        default_articles=top.texts("default_articles"),
        care_levels=tuple(care_levels),
    )


def _check_bands(path: Path, bands: list[Band], question_count: int) -> None:
    """Every possible count of "yes" answers (0 to the number of questions) falls in exactly
    one band, so the result page always has a text."""
    expected = 0
    for index, band in enumerate(bands):
        if band.min != expected:
            raise ContentError(
                path, band.line, f"band starts at {band.min}; expected {expected} (no gaps)"
            )
        last = index == len(bands) - 1
        if band.max is None and not last:
            raise ContentError(path, band.line, "only the last band may leave out 'max'")
        if band.max is not None and band.max < band.min:
            raise ContentError(path, band.line, "band 'max' is below its 'min'")
        expected = (band.max if band.max is not None else question_count) + 1
    if expected <= question_count:
        raise ContentError(
            path,
            bands[-1].line,
            f"bands stop at {expected - 1} but there are {question_count} questions",
        )


def load_sheet(path: Path) -> SheetContent:
    """Read and validate the tracking sheet's file; raise ContentError on the first problem."""
    top = _read_mapping(path)
    top.unknown(
        {"article", "title", "intro", "how_to_use", "noticed_prompt", "clinician_questions"}
    )
    return SheetContent(
        path=path,
        article=top.text("article"),
        title=top.text("title"),
        intro=top.text("intro"),
        how_to_use=top.texts("how_to_use"),
        noticed_prompt=top.text("noticed_prompt"),
        clinician_questions=top.texts("clinician_questions"),
    )


def content_root() -> Path:
    return Path(settings.BASE_DIR) / "content"


@functools.lru_cache(maxsize=8)
def _cached(loader, path: Path, mtime_ns: int):
    return loader(path)


def site_check(language: str = SOURCE_LANGUAGE) -> CheckContent:
    """The site's check texts in ``language``, read once per process and again when the file
    changes."""
    path = content_root() / in_language(CHECK_FILE, language)
    return _cached(load_check, path, path.stat().st_mtime_ns)


def site_sheet(language: str = SOURCE_LANGUAGE) -> SheetContent:
    """The site's tracking sheet texts in ``language``, read once per process and again when the
    file changes."""
    path = content_root() / in_language(SHEET_FILE, language)
    return _cached(load_sheet, path, path.stat().st_mtime_ns)
