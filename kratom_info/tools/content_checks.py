"""Editorial checks on content/tools/*.yaml: the same rules as for articles.

Run by ``manage.py check_content`` through ToolsConfig.check_content_files. Works on the files
alone (no database).
"""

from __future__ import annotations

from pathlib import Path

from kratom_info.articles.content_checks import (
    MAX_READING_GRADE,
    is_allowed_link,
    link_targets,
    reading_grade,
)
from kratom_info.articles.importing import parse_article_file
from kratom_info.citations.claims import find_uncited_numbers, split_units, states_number
from kratom_info.citations.importing import ContentError
from kratom_info.citations.syntax import CitationSyntaxError, find_markers
from kratom_info.tools.content import (
    CHECK_FILE,
    SHEET_FILE,
    CheckContent,
    SheetContent,
    load_check,
    load_sheet,
)


def _article_slugs(root: Path) -> set[str]:
    slugs = set()
    for path in (root / "articles").glob("*.md"):
        try:
            slugs.add(parse_article_file(path).slug)
        except ContentError:
            continue  # reported by the articles' own checks
    return slugs


def check_texts(
    path: Path, texts: list[tuple[int, str, str, bool]], known_keys: set[str]
) -> list[ContentError]:
    """The article rules for (line, label, text, is_markdown) texts: known citation keys, no
    uncited number, allowlisted links, and a reading grade of the texts together at most 8.

    Plain texts (questions, titles, list items on the printed sheet) are shown as they are, so,
    like an article's summary and key points, they cannot cite: facts belong in a cited text.
    """
    problems = []

    def problem(line: int, message: str) -> None:
        problems.append(ContentError(path, line, message))

    for line, label, text, is_markdown in texts:
        try:
            markers = find_markers(text)
        except CitationSyntaxError as exc:
            problem(line, f"{label}: {exc}")
            continue
        if not is_markdown:
            if markers:
                problem(line, f"{label} cannot carry citations; put the fact in a cited text")
            elif states_number(text):
                problem(line, f"{label} states a number, which it cannot cite: {text[:80]!r}")
            continue
        for key in sorted({item.key for marker in markers for item in marker.items}):
            if key not in known_keys:
                problem(line, f"{label}: unknown citation key '{key}'")
        for unit in find_uncited_numbers(text):
            problem(line, f"{label} states a number without a citation: {unit.text[:80]!r}")

        for unit in split_units(text):
            for url in link_targets(unit.text):
                if not is_allowed_link(url):
                    problem(
                        line,
                        f"{label}: link to {url!r} is outside the allowed non-commercial domains",
                    )
    grade = reading_grade("\n\n".join(text for _, _, text, _ in texts))
    if grade > MAX_READING_GRADE:
        problem(
            1,
            f"reading grade {grade} is above {MAX_READING_GRADE:g}: "
            "use shorter sentences and shorter words",
        )
    return problems


def check_texts_of(content: CheckContent) -> list[tuple[int, str, str, bool]]:
    """Every text of the check: (line, label, text, is_markdown)."""
    texts = [(1, "intro", content.intro, True), (1, "privacy", content.privacy, False)]
    texts.append((1, "disclaimer", content.disclaimer, False))
    texts += [(1, f"group {name!r}", title, False) for name, title in content.groups.items()]
    for question in content.questions:
        texts.append((question.line, f"question {question.id!r}", question.text, False))
        if question.note:
            label = f"note of question {question.id!r}"
            texts.append((question.line, label, question.note, True))
    for band in content.bands:
        texts.append((band.line, f"title of band {band.title!r}", band.title, False))
        texts.append((band.line, f"band {band.title!r}", band.text, True))
    for level in content.care_levels:
        texts.append((level.line, f"title of level {level.title!r}", level.title, False))
        texts.append((level.line, f"level of care {level.title!r}", level.text, True))
    return texts


def sheet_texts_of(content: SheetContent) -> list[tuple[int, str, str, bool]]:
    """Every text of the tracking sheet: all plain, since the printed sheet cannot cite."""
    texts = [(1, "title", content.title, False), (1, "intro", content.intro, False)]
    texts += [(1, "how_to_use", item, False) for item in content.how_to_use]
    texts.append((1, "noticed_prompt", content.noticed_prompt, False))
    texts += [(1, "clinician_questions", item, False) for item in content.clinician_questions]
    return texts


def check_tools_content(root: Path, known_keys: set[str]) -> list[ContentError]:
    """Every problem in content/tools/: shape, citations, numbers, links, article slugs, grade."""
    problems: list[ContentError] = []
    if not (root / "tools").is_dir():
        return problems  # a content tree without tools (the site itself fails its system check)
    slugs = _article_slugs(root)

    def unknown_slugs(path: Path, line: int, label: str, wanted) -> None:
        for slug in wanted:
            if slug not in slugs:
                problems.append(ContentError(path, line, f"{label}: no article '{slug}'"))

    try:
        check = load_check(root / CHECK_FILE)
    except ContentError as exc:
        problems.append(exc)
    else:
        problems += check_texts(check.path, check_texts_of(check), known_keys)
        for question in check.questions:
            unknown_slugs(check.path, question.line, f"question {question.id!r}",
                          question.articles)  # fmt: skip
        for band in check.bands:
            unknown_slugs(check.path, band.line, f"band {band.title!r}", band.articles)
        unknown_slugs(check.path, 1, "default_articles", check.default_articles)
    try:
        sheet = load_sheet(root / SHEET_FILE)
    except ContentError as exc:
        problems.append(exc)
    else:
        problems += check_texts(sheet.path, sheet_texts_of(sheet), known_keys)
        unknown_slugs(sheet.path, 1, "article", [sheet.article])
    return problems
