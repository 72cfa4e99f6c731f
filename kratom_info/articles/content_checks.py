"""The content rules every article must pass, and the checks on content/ files.

One rule set, :data:`RULES`, decides both whether a draft may be submitted for review
(:func:`kratom_info.editorial.services.revision_submit`) and whether ``manage.py check_content``
passes: each rule is a function taking an :class:`ArticleText` and returning
:class:`Problem` s. To add a rule, write such a function and append it to ``RULES``.

The rules need no database (known citation keys are passed in), so an author can run
``check_content`` on the files before importing them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import textstat
from django.apps import apps
from textstat.textstat import textstatistics

from kratom_info.articles import content_rules
from kratom_info.articles.blocks import (
    EMERGENCY_STEPS,
    Block,
    block_line,
    block_lines,
    blocks_folder,
    contains_block,
    load_blocks,
    site_blocks,
)
from kratom_info.articles.importing import (
    DEFAULT_ORDER,
    SOURCE_LANGUAGE,
    ArticleFile,
    parse_article_file,
)
from kratom_info.articles.rendering import (
    UnrenderableMarkdown,
    check_renderable,
    rendered_links,
    rendered_markers,
)
from kratom_info.citations.claims import (
    Unit,
    code_spans,
    escaped_markers,
    find_uncited_numbers,
    html_comments,
    split_units,
    uncited_numbers_in_plain_fields,
)
from kratom_info.citations.importing import ContentError, validate_sources_file
from kratom_info.citations.syntax import MARKER_RE, CitationSyntaxError, find_markers, strip_markers

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

# A link's text may hold one level of brackets ("[the [NIDA] page](...)", as Python-Markdown
# reads it); "[" can start no run but one of its own, so the match stays linear in the text.
LINK_TEXT = r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"
LINK_RE = re.compile(r"!?" + LINK_TEXT + r"\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
AUTOLINK_RE = re.compile(r"<(https?://[^>]+)>|(?<![(<\"])\b(https?://[^\s)>\]]+)")
DIGIT_RE = re.compile(r"\d")
# A raw HTML tag or comment (autolinks such as <https://...> are not tags).
RAW_HTML_RE = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


@dataclass(frozen=True)
class ArticleText:
    """What the rules read: an article's fields and body, and the citation keys that exist."""

    title: str
    summary: str
    main_message: str
    key_points: tuple[str, ...]
    body: str
    known_keys: frozenset[str]
    language: str = SOURCE_LANGUAGE
    # The shared blocks of the text's language (content/blocks/); None: the site's own.
    blocks: Mapping[str, Block] | None = None
    # A content/ file's block lines are written out on import; a revision's body (the admin)
    # is rendered as typed, so there a block line would reach readers as "{{ name }}".
    expands_blocks: bool = True

    @cached_property
    def shared_blocks(self) -> Mapping[str, Block]:
        return site_blocks(self.language) if self.blocks is None else self.blocks

    @cached_property
    def units(self) -> list[Unit]:
        return split_units(self.body)

    @cached_property
    def reading_grade(self) -> float:
        return reading_grade(self.body)

    @cached_property
    def reading_ease_es(self) -> float:
        return spanish_reading_ease(self.body)


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``line`` of the body, or None for a field outside it (title,
    summary, main message, key points)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message[:1].upper() + self.message[1:]
        return f"Line {self.line}: {self.message}"


Rule = Callable[[ArticleText], list[Problem]]


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
        if unit.kind not in ("sentence", "list_item"):
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
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://x.gov[": not an address any reader could follow
        return False
    if not parts.scheme and not parts.netloc:
        return url.startswith(("/", "#"))  # a page of this site
    if parts.scheme not in ("https", "http", "mailto"):
        return False
    host = (parts.hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in ALLOWED_LINK_DOMAINS)


# The rules ---------------------------------------------------------------------------------


def unknown_citation_keys(text: ArticleText) -> list[Problem]:
    try:
        markers = find_markers(text.body)
    except CitationSyntaxError as exc:
        return [Problem(None, f"citation syntax error: {exc}")]
    unknown = {
        (marker.line, item.key)
        for marker in markers
        for item in marker.items
        if item.key not in text.known_keys
    }
    return [Problem(line, f"unknown citation key '{key}'") for line, key in sorted(unknown)]


def uncited_numbers(text: ArticleText) -> list[Problem]:
    """Each sentence, list item, table row, table header row and heading that states a number
    cites a source; code, which cannot cite, states no number."""
    problems = []
    for unit in find_uncited_numbers(text.body):
        if unit.kind == "code":
            problems.append(
                Problem(
                    unit.line,
                    f"code states a number, which it cannot cite: {unit.text[:80]!r}. "
                    "Put the number in cited text instead",
                )
            )
            continue
        what = {"heading": "heading ", "table_header": "table header "}.get(unit.kind, "")
        problems.append(
            Problem(unit.line, f"{what}states a number without a citation: {unit.text[:80]!r}")
        )
    return problems


def numbers_in_plain_fields(text: ArticleText) -> list[Problem]:
    """The title, summary, main message and key points cannot carry citations, so they state
    no number."""
    fields = [("title", text.title), ("summary", text.summary)]
    fields += [("main message", text.main_message)]
    fields += [("key point", point) for point in text.key_points]
    return [
        Problem(
            None,
            f"{label} states a number, which it cannot cite: {value!r}. "
            "Put the number in the cited text instead",
        )
        for label, value in uncited_numbers_in_plain_fields(fields)
    ]


def hidden_citations(text: ArticleText) -> list[Problem]:
    """A marker readers would not see as a citation (in code, an HTML comment, raw HTML, or
    escaped) would let a reviewer check a 'cited' claim that readers see uncited."""
    problems = []
    hidden = "is shown to readers as plain text, not as a citation"
    for unit in text.units:
        if unit.kind == "code" and MARKER_RE.search(unit.text):
            problems.append(Problem(unit.line, f"citation marker in code {hidden}"))
        elif any(MARKER_RE.search(span) for span in code_spans(unit.text)):
            problems.append(Problem(unit.line, f"citation marker in inline code {hidden}"))
    for line, comment in html_comments(text.body):
        if MARKER_RE.search(comment):
            problems.append(Problem(line, "citation marker hidden in an HTML comment"))
    for line in escaped_markers(text.body):
        problems.append(Problem(line, f"escaped citation marker (\\[@...]) {hidden}"))
    if problems:
        return problems
    # Anything else the renderer would not show as a citation (raw HTML blocks, for example).
    missing = Counter(marker.text for marker in _markers(text)) - Counter(
        rendered_markers(text.body)
    )
    for marker in _markers(text):
        if missing[marker.text] > 0:
            missing[marker.text] -= 1
            problems.append(Problem(marker.line, f"citation marker {marker.text} {hidden}"))
    return problems


def _markers(text: ArticleText):
    try:
        return find_markers(text.body)
    except CitationSyntaxError:
        return []  # reported by unknown_citation_keys


def raw_html(text: ArticleText) -> list[Problem]:
    """Articles are Markdown: raw HTML could hide text or citations from readers."""
    problems = []
    for unit in text.units:
        if unit.kind == "code":
            continue
        visible = unit.text
        for span in code_spans(visible):
            visible = visible.replace(span, " ")
        match = RAW_HTML_RE.search(visible)
        if match:
            problems.append(
                Problem(
                    unit.line, f"raw HTML {match.group(0)[:40]!r} is not allowed: write Markdown"
                )
            )
    return problems


def links_outside_allowlist(text: ArticleText) -> list[Problem]:
    """Each link outside the allowlist, at its line; and, so that no way of writing a link
    gets one past, every link target the renderer makes that the lines did not show."""
    outside = "is outside the allowed non-commercial domains"
    problems = [
        Problem(unit.line, f"link to {url!r} {outside}")
        for unit in text.units
        if unit.kind != "code"
        for url in link_targets(unit.text)
        if not is_allowed_link(url)
    ]
    reported = {
        url.strip("<>")
        for unit in text.units
        if unit.kind != "code"
        for url in link_targets(unit.text)
    }
    for url in dict.fromkeys(rendered_links(text.body)):
        if not is_allowed_link(url) and url not in reported:
            line = next((unit.line for unit in text.units if url in unit.text), None)
            problems.append(Problem(line, f"link to {url!r} {outside}"))
    return problems


def reading_level(text: ArticleText) -> list[Problem]:
    if text.language == "es":
        ease = text.reading_ease_es
        if ease >= MIN_SPANISH_READING_EASE:
            return []
        return [
            Problem(
                1,
                f"Fernández-Huerta reading ease {ease} is below "
                f"{MIN_SPANISH_READING_EASE:g}: use shorter sentences and shorter words",
            )
        ]
    grade = text.reading_grade
    if grade <= MAX_READING_GRADE:
        return []
    return [
        Problem(
            1,
            f"reading grade {grade} is above {MAX_READING_GRADE:g}: "
            "use shorter sentences and shorter words",
        )
    ]


def wording(text: ArticleText) -> list[Problem]:
    """The language's wording rules (people-first language, jargon, naloxone in emergency
    steps) from :mod:`kratom_info.articles.content_rules`, on the body and the plain fields."""
    spanish = text.language == "es"
    body_rules = content_rules.BODY_RULES_ES if spanish else content_rules.BODY_RULES
    field_rules = content_rules.PLAIN_FIELD_RULES_ES if spanish else content_rules.PLAIN_FIELD_RULES
    problems = [
        Problem(line, message)
        for line, message in content_rules.run_rules(text.body, 0, body_rules)
    ]
    fields = [("summary", text.summary), ("main message", text.main_message)]
    fields += [("key point", point) for point in text.key_points]
    for label, value in fields:
        for _line, message in content_rules.run_rules(value, 0, field_rules):
            problems.append(Problem(None, f"{label}: {message}"))
    return problems


def unknown_blocks(text: ArticleText) -> list[Problem]:
    """A block line names a block of the text's language, and only where it is written out."""
    problems = []
    for line, name in block_lines(text.body):
        if not text.expands_blocks:
            problems.append(
                Problem(
                    line,
                    f"block line {block_line(name)!r} works only in content/ files: paste the "
                    "block's text instead",
                )
            )
        elif name not in text.shared_blocks:
            known = ", ".join(sorted(text.shared_blocks)) or "none"
            problems.append(Problem(line, f"unknown block {name!r} (blocks: {known})"))
    return problems


def _sections(body: str) -> list[tuple[int, str]]:
    """(first line, text) of the body's sections: the text before the first heading, then
    the text under each heading (sub-headings start sections of their own)."""
    sections: list[tuple[int, list[str]]] = [(1, [])]
    for number, line in enumerate(body.replace("\r\n", "\n").split("\n"), start=1):
        if re.match(r"^\s{0,3}#{1,6}\s", line):
            sections.append((number, []))
        sections[-1][1].append(line)
    return [(first, "\n".join(lines)) for first, lines in sections]


def emergency_sections_carry_shared_block(text: ArticleText) -> list[Problem]:
    """Every section that sends readers to 911 or emergency services carries the one shared
    emergency-steps block (content/blocks/emergency-steps.md and its Spanish version), so the
    steps cannot drift apart between articles: its block line in a content/ file, or its exact
    text in a revision."""
    block = text.shared_blocks.get(EMERGENCY_STEPS)
    emergency_re = content_rules.EMERGENCY_RES.get(text.language, content_rules.EMERGENCY_RES["en"])
    folder = blocks_folder(Path("content"), text.language) / f"{EMERGENCY_STEPS}.md"
    problems = []
    for first, section in _sections(text.body):
        visible = content_rules.visible_lines(section)
        hit = next((number for number, line in visible if emergency_re.search(line)), None)
        if hit is None:
            continue
        if block is None:
            problems.append(
                Problem(
                    first + hit - 1,
                    f"emergency steps need the shared block {folder}, which is missing",
                )
            )
        elif not contains_block(section, block):
            problems.append(
                Problem(
                    first + hit - 1,
                    "emergency section without the shared emergency steps: add the line "
                    f"{block.line!r} (the text of {folder}) to this section",
                )
            )
    return problems


def summary_and_key_points(text: ArticleText) -> list[Problem]:
    problems = []
    if not text.summary.strip():
        problems.append(Problem(None, "summary is missing"))
    low, high = KEY_POINTS_RANGE
    if not low <= len(text.key_points) <= high:
        problems.append(
            Problem(None, f"needs {low} to {high} key points, has {len(text.key_points)}")
        )
    return problems


RULES: list[Rule] = [
    unknown_citation_keys,
    uncited_numbers,
    hidden_citations,
    raw_html,
    links_outside_allowlist,
    reading_level,
    summary_and_key_points,
    numbers_in_plain_fields,
    wording,
    unknown_blocks,
    emergency_sections_carry_shared_block,
]
# A shared block is checked as a text of its own, by the rules that read a body: it has no
# front matter, and it is the emergency steps rather than a section that needs them.
BLOCK_RULES: list[Rule] = [
    rule
    for rule in RULES
    if rule
    not in (
        summary_and_key_points,
        numbers_in_plain_fields,
        unknown_blocks,
        emergency_sections_carry_shared_block,
    )
]


def check_text(text: ArticleText, rules: Sequence[Rule] = RULES) -> list[Problem]:
    """Every problem every rule finds, in rule order. A body the renderer refuses (too long,
    nested too deeply) is the one problem: every rule reads that Markdown, and none could
    judge it in bounded time."""
    try:
        check_renderable(text.body)
    except UnrenderableMarkdown as exc:
        return [Problem(exc.line, exc.reason)]
    return [problem for rule in rules for problem in rule(text)]


# content/ files --------------------------------------------------------------------------


def article_text(
    article: ArticleFile, known_keys: set[str], blocks: Mapping[str, Block] | None = None
) -> ArticleText:
    return ArticleText(
        title=article.title,
        summary=article.summary,
        main_message=article.main_message,
        key_points=tuple(article.key_points),
        body=article.body,
        known_keys=frozenset(known_keys),
        language=article.language,
        blocks=blocks,
    )


def block_text(block: Block, known_keys: set[str]) -> ArticleText:
    return ArticleText(
        title=block.name,
        summary="",
        main_message="",
        key_points=(),
        body=block.text,
        known_keys=frozenset(known_keys),
        language=block.language,
        blocks={},
    )


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:[.,]\d+)*", strip_markers(text))


def check_blocks(
    root: Path, known_keys: set[str], report: ContentReport
) -> dict[str, dict[str, Block]]:
    """Load and check every shared block (language -> name -> block): the article rules on
    each, and each Spanish block against its English one (the same blocks, the same citation
    markers in the same order, the same numbers)."""
    blocks: dict[str, dict[str, Block]] = {}
    for language in ("en", "es"):
        try:
            blocks[language] = load_blocks(root, language)
        except ContentError as exc:
            report.problems.append(exc)
            blocks[language] = {}
        for block in blocks[language].values():
            for problem in check_text(block_text(block, known_keys), BLOCK_RULES):
                line = problem.line or 1
                report.problems.append(ContentError(block.path, line, problem.message))
    english, spanish = blocks["en"], blocks["es"]
    for name, block in english.items():
        translation = spanish.get(name)
        if translation is None:
            path = blocks_folder(root, "es") / f"{name}.md"
            report.problems.append(
                ContentError(path, None, f"block {name!r} has no Spanish version")
            )
            continue
        if [m.text for m in _markers(block_text(block, known_keys))] != [
            m.text for m in _markers(block_text(translation, known_keys))
        ]:
            report.problems.append(
                ContentError(
                    translation.path,
                    None,
                    f"citations differ from the English block {block.path}: keep the same "
                    "markers in the same order",
                )
            )
        if sorted(_numbers(block.text)) != sorted(_numbers(translation.text)):
            report.problems.append(
                ContentError(
                    translation.path,
                    None,
                    f"numbers differ from the English block {block.path}: "
                    f"{sorted(_numbers(block.text))} vs {sorted(_numbers(translation.text))}",
                )
            )
    for name, translation in spanish.items():
        if name not in english:
            report.problems.append(
                ContentError(translation.path, None, f"block {name!r} has no English original")
            )
    return blocks


def check_article(article: ArticleFile, text: ArticleText) -> list[ContentError]:
    """The rule set's problems, placed at the file's lines (front matter: line 2)."""
    offset = article.body_first_line - 1
    return [
        ContentError(
            article.path, 2 if problem.line is None else problem.line + offset, problem.message
        )
        for problem in check_text(text)
    ]


SPANISH_ARTICLE_LINK_RE = re.compile(r"^/es/articles/([^/#?]+)/")


def spanish_link_problem(url: str, english_slugs: set[str]) -> str | None:
    """A Spanish page links to Spanish pages: '/articles/x/' should be '/es/articles/x/' (and
    '/tools/x/' '/es/tools/x/'), and '/es/articles/x/' must name an existing article."""
    if url.startswith(("/articles/", "/tools/")):
        return f"link to the English page {url!r}: link to the Spanish page '/es{url}'"
    match = SPANISH_ARTICLE_LINK_RE.match(url)
    if match and match.group(1) not in english_slugs:
        return f"link {url!r} names no article: '{match.group(1)}' is not an article slug"
    return None


def check_translation(
    article: ArticleFile, text: ArticleText, english_slugs: set[str]
) -> list[ContentError]:
    """Every check on one Spanish translation: the rule set (in Spanish), and front matter and
    links tying it to an English article and version."""
    problems = check_article(article, text)
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
    return problems


def translation_stats(article: ArticleFile, text: ArticleText) -> TranslationStats:
    markers = _markers(text)
    return TranslationStats(
        slug=article.slug,
        language=article.language,
        translates=article.translates,
        words=len(prose(article.body).split()),
        citations=sum(len(marker.items) for marker in markers),
        distinct_sources=len({item.key for marker in markers for item in marker.items}),
        reading_ease=text.reading_ease_es,
        szigriszt=spanish_szigriszt(article.body),
    )


def article_stats(article: ArticleFile, text: ArticleText) -> ArticleStats:
    markers = _markers(text)
    return ArticleStats(
        slug=article.slug,
        words=len(prose(article.body).split()),
        citations=sum(len(marker.items) for marker in markers),
        distinct_sources=len({item.key for marker in markers for item in marker.items}),
        reading_grade=text.reading_grade,
        smog_grade=smog_grade(article.body),
    )


def _unique_articles(folder: Path, report: ContentReport) -> Iterator[ArticleFile]:
    """Each readable article file in ``folder``; unreadable files and repeated slugs go into
    ``report`` instead."""
    first_path: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        try:
            article = parse_article_file(path)
        except ContentError as exc:
            report.problems.append(exc)
            continue
        if article.slug in first_path:
            report.problems.append(
                ContentError(
                    path, 2, f"duplicate slug '{article.slug}' (also in {first_path[article.slug]})"
                )
            )
        first_path[article.slug] = path
        yield article


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
    blocks = check_blocks(root, known_keys, report)
    seen_slugs: set[str] = set()
    # Two articles in one position leave the home page's order to chance (articles that give
    # no order all share the default, after the others).
    first_at_order: dict[int, str] = {}
    for article in _unique_articles(root / "articles", report):
        seen_slugs.add(article.slug)
        if article.order != DEFAULT_ORDER and article.order in first_at_order:
            report.problems.append(
                ContentError(
                    article.path,
                    2,
                    f"order {article.order} is also the order of "
                    f"'{first_at_order[article.order]}': give each article its own position",
                )
            )
        first_at_order.setdefault(article.order, article.slug)
        if article.language != SOURCE_LANGUAGE:
            report.problems.append(
                ContentError(
                    article.path,
                    2,
                    f"language {article.language!r} in articles/: translations go in "
                    f"{SPANISH_DIR}/",
                )
            )
        report.problems.extend(article.length_errors())
        text = article_text(article, known_keys, blocks["en"])
        report.problems.extend(check_article(article, text))
        report.stats.append(article_stats(article, text))
    for translation in _unique_articles(root / SPANISH_DIR, report):
        report.problems.extend(translation.length_errors())
        text = article_text(translation, known_keys, blocks["es"])
        report.problems.extend(check_translation(translation, text, seen_slugs))
        report.translations.append(translation_stats(translation, text))
    # Apps above articles check their own files (e.g. the tools' content/tools/*.yaml).
    for config in apps.get_app_configs():
        if hasattr(config, "check_content_files"):
            report.problems.extend(config.check_content_files(root, known_keys))
    return report
