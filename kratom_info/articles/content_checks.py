"""Editorial checks on content/ files, run by ``manage.py check_content`` and by the tests.

They work on the files alone (no database), so an author can run them before importing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import textstat
from django.apps import apps
from textstat.textstat import textstatistics

from kratom_info.articles.content_rules import (
    BODY_RULES,
    BODY_RULES_ES,
    PLAIN_FIELD_RULES,
    PLAIN_FIELD_RULES_ES,
    Rule,
    run_rules,
)
from kratom_info.articles.importing import SOURCE_LANGUAGE, ArticleFile, parse_article_file
from kratom_info.citations.claims import (
    find_uncited_numbers,
    split_units,
    uncited_numbers_in_plain_fields,
)
from kratom_info.citations.importing import ContentError, validate_sources_file
from kratom_info.citations.syntax import find_markers, strip_markers

MAX_READING_GRADE = 8.0
# Spanish translations live in content/es/articles/ and are scored with Fernández-Huerta
# (206.84 - 60 x syllables per word - 1.02 x words per sentence; higher is easier). Its usual
# scale: 90-100 very easy (grade 4), 80-90 easy (grade 5), 70-80 fairly easy (grade 6), 60-70
# normal (grades 7-8), 50-60 fairly hard, 30-50 hard, under 30 very hard. We require 70,
# "fairly easy": textstat counts Spanish syllables by hyphenation (pyphen), which never splits
# off one letter at a word's start or end ("ayuda" counts 2, "agua" 1), so its scores run
# roughly ten points high, and 70 on its count keeps real text at grade 8 or easier.
# Szigriszt-Pazos (INFLESZ scale: 55-65 normal, 65-80 fairly easy) is printed beside it.
SPANISH_DIR = Path("es") / "articles"
MIN_SPANISH_READING_EASE = 70.0
KEY_POINTS_RANGE = (3, 5)
# Links may only point to non-commercial sources: public bodies and scholarly identifiers.
ALLOWED_LINK_DOMAINS = (
    "gov",  # any US government site: nih.gov, cdc.gov, fda.gov, samhsa.gov, findtreatment.gov
    "who.int",
    "europa.eu",
    "unodc.org",
    "doi.org",
    "988lifeline.org",
)

LINK_RE = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
AUTOLINK_RE = re.compile(r"<(https?://[^>]+)>|(?<![(<\"])\b(https?://[^\s)>\]]+)")
DIGIT_RE = re.compile(r"\d")


@dataclass
class ArticleStats:
    slug: str
    words: int
    citations: int
    distinct_sources: int
    reading_grade: float
    smog_grade: float = 0.0  # reported beside Flesch-Kincaid; not a gate


@dataclass
class TranslationStats:
    slug: str
    language: str
    translates: int | None
    words: int
    citations: int
    distinct_sources: int
    reading_ease: float  # Fernández-Huerta, higher is easier; the gate
    szigriszt: float = 0.0  # Szigriszt-Pazos (INFLESZ scale), reported beside it; not a gate


@dataclass
class ContentReport:
    problems: list[ContentError] = field(default_factory=list)
    stats: list[ArticleStats] = field(default_factory=list)
    translations: list[TranslationStats] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def plain_text(markdown_text: str) -> str:
    """Markdown inline text as words: no markers, link targets, emphasis or code marks."""
    text = strip_markers(markdown_text)
    text = LINK_RE.sub(r"\1", text)
    text = re.sub(r"[*_`]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def prose(body: str) -> str:
    """The text the reading grade is computed on: sentences and list items, no tables,
    headings or citations. A list item without end punctuation counts as a sentence."""
    sentences = []
    for unit in split_units(body):
        if unit.kind == "table_row":
            continue
        text = plain_text(unit.text)
        if text and text[-1] not in ".!?:;":
            text += "."
        sentences.append(text)
    return "\n".join(sentences)


def reading_grade(body: str) -> float:
    return round(textstat.flesch_kincaid_grade(prose(body)), 1)


def smog_grade(body: str) -> float:
    """SMOG grade of the same prose: counts long words, a second view beside Flesch-Kincaid."""
    return round(textstat.smog_index(prose(body)), 1)


# A private textstat instance set to Spanish: the module-level ``textstat`` object keeps its
# (English) language, so the English grades are never computed with Spanish syllable rules.
_spanish_textstat = textstatistics()
_spanish_textstat.set_lang("es")


def spanish_reading_ease(body: str) -> float:
    """Fernández-Huerta reading ease of the prose, with Spanish syllable counting."""
    return round(_spanish_textstat.fernandez_huerta(prose(body)), 1)


def spanish_szigriszt(body: str) -> float:
    """Szigriszt-Pazos perspicuity of the same prose: a second Spanish view, not a gate."""
    return round(_spanish_textstat.szigriszt_pazos(prose(body)), 1)


def link_targets(text: str) -> list[str]:
    targets = [m.group(2) for m in LINK_RE.finditer(text)]
    targets += [m.group(1) or m.group(2) for m in AUTOLINK_RE.finditer(text)]
    return targets


def is_allowed_link(url: str) -> bool:
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return url.startswith(("/", "#"))  # a page of this site
    if parts.scheme not in ("https", "http", "mailto"):
        return False
    host = (parts.hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in ALLOWED_LINK_DOMAINS)


def check_article(
    article: ArticleFile, known_keys: set[str], stats: ArticleStats
) -> list[ContentError]:
    """Every check on one English article."""
    problems = check_article_body(article, known_keys, BODY_RULES, PLAIN_FIELD_RULES)
    grade = stats.reading_grade
    if grade > MAX_READING_GRADE:
        problems.append(
            ContentError(
                article.path,
                article.body_first_line,
                f"reading grade {grade} is above {MAX_READING_GRADE:g}: "
                "use shorter sentences and shorter words",
            )
        )
    return problems


def check_article_body(
    article: ArticleFile,
    known_keys: set[str],
    body_rules: tuple[Rule, ...],
    field_rules: tuple[Rule, ...],
) -> list[ContentError]:
    """The checks every language shares (citation keys, uncited numbers, links, summary and key
    points), plus that language's wording rules."""
    problems: list[ContentError] = []
    offset = article.body_first_line - 1

    def problem(body_line: int, message: str) -> None:
        problems.append(ContentError(article.path, body_line + offset, message))

    unknown = {
        (marker.line, item.key)
        for marker in find_markers(article.body)
        for item in marker.items
        if item.key not in known_keys
    }
    for line, key in sorted(unknown):
        problem(line, f"unknown citation key '{key}'")
    # The same rule as submitting a revision for review: each sentence, list item or table
    # row that states a number cites a source.
    for line, text in find_uncited_numbers(article.body):
        problem(line, f"states a number without a citation: {text[:80]!r}")
    for unit in split_units(article.body):
        for url in link_targets(unit.text):
            if not is_allowed_link(url):
                problem(unit.line, f"link to {url!r} is outside the allowed non-commercial domains")
    if not article.summary:
        problems.append(ContentError(article.path, 2, "summary is missing"))
    low, high = KEY_POINTS_RANGE
    if not low <= len(article.key_points) <= high:
        problems.append(
            ContentError(
                article.path, 2, f"needs {low} to {high} key points, has {len(article.key_points)}"
            )
        )
    # Wording rules (people-first language, jargon, naloxone in emergency steps).
    for line, message in run_rules(article.body, offset, body_rules):
        problems.append(ContentError(article.path, line, message))
    plain_fields = [("summary", article.summary), ("main message", article.main_message)]
    plain_fields += [("key point", point) for point in article.key_points]
    for label, text in plain_fields:
        for _line, message in run_rules(text, 0, field_rules):
            problems.append(ContentError(article.path, 2, f"{label}: {message}"))
    for label, text in uncited_numbers_in_plain_fields(plain_fields):
        problems.append(
            ContentError(
                article.path, 2, f"{label} states a number, which it cannot cite: {text!r}"
            )
        )
    return problems


SPANISH_ARTICLE_LINK_RE = re.compile(r"^/es/articles/([^/#?]+)/")


def spanish_link_problem(url: str, english_slugs: set[str]) -> str | None:
    """A Spanish page links to Spanish pages: '/articles/x/' should be '/es/articles/x/', and
    '/es/articles/x/' must name an existing article."""
    if url.startswith("/articles/"):
        return f"link to the English page {url!r}: link to the Spanish page '/es{url}'"
    match = SPANISH_ARTICLE_LINK_RE.match(url)
    if match and match.group(1) not in english_slugs:
        return f"link {url!r} names no article: '{match.group(1)}' is not an article slug"
    return None


def check_translation(
    article: ArticleFile,
    known_keys: set[str],
    english_slugs: set[str],
    stats: TranslationStats,
) -> list[ContentError]:
    """Every check on one Spanish translation: the shared checks, the Spanish wording rules,
    the Spanish reading ease, and front matter tying it to an English article and version."""
    problems = check_article_body(article, known_keys, BODY_RULES_ES, PLAIN_FIELD_RULES_ES)
    if article.language != "es":
        problems.append(
            ContentError(
                article.path,
                2,
                f"a file in {SPANISH_DIR}/ needs 'language: es', not {article.language!r}",
            )
        )
    if article.translates is None:
        problems.append(
            ContentError(
                article.path,
                2,
                "'translates' is missing: give the English version number this file translates "
                "(1 for a fresh import)",
            )
        )
    if article.slug not in english_slugs:
        problems.append(
            ContentError(
                article.path,
                2,
                f"slug '{article.slug}' has no English article in articles/: a translation keeps "
                "the English slug",
            )
        )
    for unit in split_units(article.body):
        for url in link_targets(unit.text):
            problem = spanish_link_problem(url, english_slugs)
            if problem:
                problems.append(
                    ContentError(article.path, unit.line + article.body_first_line - 1, problem)
                )
    ease = stats.reading_ease
    if ease < MIN_SPANISH_READING_EASE:
        problems.append(
            ContentError(
                article.path,
                article.body_first_line,
                f"Fernández-Huerta reading ease {ease} is below {MIN_SPANISH_READING_EASE:g}: "
                "use shorter sentences and shorter words",
            )
        )
    return problems


def translation_stats(article: ArticleFile) -> TranslationStats:
    markers = find_markers(article.body)
    return TranslationStats(
        slug=article.slug,
        language=article.language,
        translates=article.translates,
        words=len(prose(article.body).split()),
        citations=sum(len(marker.items) for marker in markers),
        distinct_sources=len({item.key for marker in markers for item in marker.items}),
        reading_ease=spanish_reading_ease(article.body),
        szigriszt=spanish_szigriszt(article.body),
    )


def article_stats(article: ArticleFile) -> ArticleStats:
    markers = find_markers(article.body)
    return ArticleStats(
        slug=article.slug,
        words=len(prose(article.body).split()),
        citations=sum(len(marker.items) for marker in markers),
        distinct_sources=len({item.key for marker in markers for item in marker.items}),
        reading_grade=reading_grade(article.body),
        smog_grade=smog_grade(article.body),
    )


def check_content(root: Path) -> ContentReport:
    """Check the bibliography, every article under ``root`` and every Spanish translation
    under ``root/es``; collect every problem."""
    report = ContentReport()
    sources_path = root / "sources.yaml"
    known_keys: set[str] = set()
    try:
        sources, errors = validate_sources_file(sources_path)
        known_keys = {source.key for source in sources}
        report.problems.extend(errors)
    except ContentError as exc:
        report.problems.append(exc)
    seen_slugs: dict[str, str] = {}
    for path in sorted((root / "articles").glob("*.md")):
        try:
            article = parse_article_file(path)
        except ContentError as exc:
            report.problems.append(exc)
            continue
        if article.slug in seen_slugs:
            report.problems.append(
                ContentError(
                    path, 2, f"duplicate slug '{article.slug}' (also in {seen_slugs[article.slug]})"
                )
            )
        seen_slugs[article.slug] = str(path)
        if article.language != SOURCE_LANGUAGE:
            report.problems.append(
                ContentError(
                    path,
                    2,
                    f"language {article.language!r} in articles/: translations go in "
                    f"{SPANISH_DIR}/",
                )
            )
        stats = article_stats(article)
        report.problems.extend(check_article(article, known_keys, stats))
        report.stats.append(stats)
    seen_translations: dict[str, str] = {}
    for path in sorted((root / SPANISH_DIR).glob("*.md")):
        try:
            translation = parse_article_file(path)
        except ContentError as exc:
            report.problems.append(exc)
            continue
        if translation.slug in seen_translations:
            report.problems.append(
                ContentError(
                    path,
                    2,
                    f"duplicate slug '{translation.slug}' "
                    f"(also in {seen_translations[translation.slug]})",
                )
            )
        seen_translations[translation.slug] = str(path)
        stats_es = translation_stats(translation)
        report.problems.extend(
            check_translation(translation, known_keys, set(seen_slugs), stats_es)
        )
        report.translations.append(stats_es)
    # Apps above articles check their own files (e.g. the tools' content/tools/*.yaml).
    for config in apps.get_app_configs():
        if hasattr(config, "check_content_files"):
            report.problems.extend(config.check_content_files(root, known_keys))
    return report
