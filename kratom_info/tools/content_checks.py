"""Editorial checks on content/tools/*.yaml and their translations (content/es/tools/*.yaml):
the same rules as for articles and their translations.

Run by ``manage.py check_content`` through ToolsConfig.check_content_files. Works on the files
alone (no database).
"""

from __future__ import annotations

from pathlib import Path

from kratom_info.articles import content_rules
from kratom_info.articles.content_checks import (
    MAX_READING_GRADE,
    MIN_SPANISH_READING_EASE,
    SPANISH_DIR,
    is_allowed_link,
    link_targets,
    reading_grade,
    spanish_link_problem,
    spanish_reading_ease,
)
from kratom_info.articles.importing import SOURCE_LANGUAGE, parse_article_file
from kratom_info.citations.claims import find_uncited_numbers, split_units, states_number
from kratom_info.citations.importing import ContentError
from kratom_info.citations.syntax import CitationSyntaxError, find_markers
from kratom_info.tools.content import (
    CHECK_FILE,
    SHEET_FILE,
    CheckContent,
    SheetContent,
    in_language,
    load_check,
    load_sheet,
)

TRANSLATIONS = {"es": SPANISH_DIR}  # language -> its articles' folder under content/


def _article_slugs(root: Path, folder: Path = Path("articles")) -> set[str]:
    slugs = set()
    for path in (root / folder).glob("*.md"):
        try:
            slugs.add(parse_article_file(path).slug)
        except ContentError:
            continue  # reported by the articles' own checks
    return slugs


def check_texts(
    path: Path,
    texts: list[tuple[int, str, str, bool]],
    known_keys: set[str],
    *,
    language: str = SOURCE_LANGUAGE,
    slugs: set[str] | None = None,
) -> list[ContentError]:
    """The article rules for (line, label, text, is_markdown) texts: known citation keys, no
    uncited number, allowlisted links, the language's people-first and plain-word rules, and a
    reading level of the texts together (English: grade at most 8; Spanish: Fernández-Huerta at
    least 70, as for translated articles). In a translation, links to this site's pages point
    to the pages in its language (``slugs``: the article slugs that exist).

    Plain texts (questions, titles, list items on the printed sheet) are shown as they are, so,
    like an article's summary and key points, they cannot cite: facts belong in a cited text.
    """
    problems = []
    translated = language != SOURCE_LANGUAGE
    wording_rules = (
        content_rules.PLAIN_FIELD_RULES_ES if translated else content_rules.PLAIN_FIELD_RULES
    )
    # A cited text that sends readers to 911 names naloxone; one that mentions self-harm
    # gives the crisis line right there, as in articles.
    safety_rules = content_rules.SAFETY_RULES_ES if translated else content_rules.SAFETY_RULES

    def problem(line: int, message: str) -> None:
        problems.append(ContentError(path, line, message))

    for line, label, text, is_markdown in texts:
        for _line, message in content_rules.run_rules(text, 0, wording_rules):
            problem(line, f"{label}: {message}")
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
        for _line, message in content_rules.run_rules(text, 0, safety_rules):
            problem(line, f"{label}: {message}")
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
                elif translated:
                    message = spanish_link_problem(url, slugs or set())
                    if message:
                        problem(line, f"{label}: {message}")
    everything = "\n\n".join(text for _, _, text, _ in texts)
    if translated:
        ease = spanish_reading_ease(everything)
        if ease < MIN_SPANISH_READING_EASE:
            problem(
                1,
                f"Fernández-Huerta reading ease {ease} is below "
                f"{MIN_SPANISH_READING_EASE:g}: use shorter sentences and shorter words",
            )
        return problems
    grade = reading_grade(everything)
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


def _keys(text: str) -> set[str]:
    try:
        return {item.key for marker in find_markers(text) for item in marker.items}
    except CitationSyntaxError:
        return set()  # reported by check_texts


def _compare_citations(problems: list[str], label: str, text: str, english_text: str) -> None:
    """Add a problem when ``text`` cites other sources than its English counterpart."""
    mine, theirs = _keys(text), _keys(english_text)
    if mine != theirs:
        problems.append(f"{label} cites {sorted(mine)}, the English cites {sorted(theirs)}")


def check_translation_matches(english: CheckContent, translation: CheckContent) -> list[str]:
    """A translated check asks the same questions in the same order and groups, scores them
    with the same bands, names the same articles, and cites the same sources in each text as
    the English check: only the words change. Returns what differs."""
    problems = []
    if list(translation.groups) != list(english.groups):
        problems.append(f"groups {list(translation.groups)} differ from the English "
                        f"{list(english.groups)}")  # fmt: skip
    ids = [(question.id, question.group) for question in translation.questions]
    english_ids = [(question.id, question.group) for question in english.questions]
    if ids != english_ids:
        problems.append(
            f"questions (id, group) {ids} differ from the English {english_ids}: translate each "
            "question under its English id, in the same order"
        )
    else:
        for mine, theirs in zip(translation.questions, english.questions, strict=True):
            _compare_citations(problems, f"note of question {mine.id!r}", mine.note, theirs.note)
            if mine.articles != theirs.articles:
                problems.append(f"question {mine.id!r} names articles {list(mine.articles)}, "
                                f"the English {list(theirs.articles)}")  # fmt: skip
    ranges = [(band.min, band.max) for band in translation.bands]
    english_ranges = [(band.min, band.max) for band in english.bands]
    if ranges != english_ranges:
        problems.append(f"bands {ranges} differ from the English {english_ranges}")
    else:
        for mine, theirs in zip(translation.bands, english.bands, strict=True):
            _compare_citations(problems, f"band {mine.title!r}", mine.text, theirs.text)
            if mine.articles != theirs.articles:
                problems.append(f"band {mine.title!r} names articles {list(mine.articles)}, "
                                f"the English {list(theirs.articles)}")  # fmt: skip
    if len(translation.care_levels) != len(english.care_levels):
        problems.append(f"{len(translation.care_levels)} levels of care; the English has "
                        f"{len(english.care_levels)}")  # fmt: skip
    else:
        for mine, theirs in zip(translation.care_levels, english.care_levels, strict=True):
            _compare_citations(problems, f"level of care {mine.title!r}", mine.text, theirs.text)
    _compare_citations(problems, "intro", translation.intro, english.intro)
    if translation.default_articles != english.default_articles:
        problems.append(f"default_articles {list(translation.default_articles)} differ from the "
                        f"English {list(english.default_articles)}")  # fmt: skip
    return problems


def check_sheet_translation_matches(english: SheetContent, translation: SheetContent) -> list[str]:
    """A translated sheet is pinned to the same article and keeps the same steps and questions."""
    problems = []
    if translation.article != english.article:
        problems.append(f"article {translation.article!r} differs from the English "
                        f"{english.article!r}")  # fmt: skip
    for name in ("how_to_use", "clinician_questions"):
        mine, theirs = len(getattr(translation, name)), len(getattr(english, name))
        if mine != theirs:
            problems.append(f"{name} has {mine} items; the English has {theirs}")
    return problems


def check_tools_content(root: Path, known_keys: set[str]) -> list[ContentError]:
    """Every problem in content/tools/ and in its translations (content/es/tools/): shape,
    citations, numbers, links, article slugs, wording, reading level, and for a translation
    whether it matches the English file."""
    problems: list[ContentError] = []
    if not (root / "tools").is_dir():
        return problems  # a content tree without tools (the site itself fails its system check)
    english = _check_language(root, known_keys, SOURCE_LANGUAGE, Path("articles"), problems)
    for language, articles_folder in TRANSLATIONS.items():
        if not (root / in_language(Path("tools"), language)).is_dir():
            continue  # not translated yet: manage.py check (tools.E001) reports a missing file
        _check_language(root, known_keys, language, articles_folder, problems, english=english)
    return problems


def _check_language(
    root: Path,
    known_keys: set[str],
    language: str,
    articles_folder: Path,
    problems: list[ContentError],
    *,
    english: tuple[CheckContent | None, SheetContent | None] = (None, None),
) -> tuple[CheckContent | None, SheetContent | None]:
    """Check one language's two files, adding to ``problems``; return what loaded."""
    slugs = _article_slugs(root, articles_folder)
    english_check, english_sheet = english

    def unknown_slugs(path: Path, line: int, label: str, wanted) -> None:
        for slug in wanted:
            if slug not in slugs:
                problems.append(ContentError(path, line, f"{label}: no article '{slug}'"))

    def mismatches(path: Path, found: list[str]) -> None:
        for message in found:
            problems.append(ContentError(path, 1, f"does not match the English file: {message}"))

    check = sheet = None
    try:
        check = load_check(root / in_language(CHECK_FILE, language))
    except ContentError as exc:
        problems.append(exc)
    else:
        problems.extend(check_texts(check.path, check_texts_of(check), known_keys,
                                    language=language, slugs=slugs))  # fmt: skip
        for question in check.questions:
            unknown_slugs(check.path, question.line, f"question {question.id!r}",
                          question.articles)  # fmt: skip
        for band in check.bands:
            unknown_slugs(check.path, band.line, f"band {band.title!r}", band.articles)
        unknown_slugs(check.path, 1, "default_articles", check.default_articles)
        if english_check is not None:
            mismatches(check.path, check_translation_matches(english_check, check))
    try:
        sheet = load_sheet(root / in_language(SHEET_FILE, language))
    except ContentError as exc:
        problems.append(exc)
    else:
        problems.extend(check_texts(sheet.path, sheet_texts_of(sheet), known_keys,
                                    language=language, slugs=slugs))  # fmt: skip
        unknown_slugs(sheet.path, 1, "article", [sheet.article])
        if english_sheet is not None:
            mismatches(sheet.path, check_sheet_translation_matches(english_sheet, sheet))
    return check, sheet
