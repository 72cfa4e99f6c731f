"""The one Markdown renderer: cited Markdown in, sanitized HTML out.

Public pages, the import command and the editor's preview all call :func:`render_markdown`.
A revision is rendered once and the HTML stored; nothing renders Markdown per request.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from kratom_info.citations.locators import locator_display
from kratom_info.citations.models import Source
from kratom_info.citations.syntax import MARKER_RE, find_markers, parse_items

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "ins", "li", "nav", "ol", "p", "pre", "section", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class", "aria-label"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "li": {"id", "class"},
    "ol": {"class"},
    "ul": {"class"},
    "sup": {"id", "class"},
    # role, tabindex and aria-label make a wide table a labelled, focusable scroll region.
    "div": {"class", "role", "tabindex", "aria-label"},
    "nav": {"class", "aria-label"},
    "section": {"class", "id", "aria-labelledby"},
    "span": {"class", "aria-hidden"},
    "th": {"scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Where the site-wide help block sits on every page (templates/includes/_help_lines.html).
HELP_ANCHOR = "#help-now"
HELP_PHRASE_RE = re.compile(
    r"(?:see )?the help lines at the bottom of this page"
    r"|(?:vea )?las líneas de ayuda al final de esta página",
    re.IGNORECASE,
)


# The longest article is about 20,000 characters; no real article comes near this.
MAX_MARKDOWN_CHARS = 100_000
# Brackets, parentheses or emphasis open at once within one paragraph. Articles use two or
# three; Python-Markdown's time grows with the square of unclosed ones (a 40 KB body of
# brackets took longer than a worker may), and emphasis inside emphasis recurses.
MAX_NESTING = 20
# Longer runs of * or _ than "***" (bold italic) make Python-Markdown recurse once per
# character; a line of them alone (a rule, "* * *") and blanks like "Name: ____" are fine.
MAX_EMPHASIS_RUN = 3
# Markdown marks (\ ` [ * _ < &) in one paragraph. Python-Markdown rebuilds a paragraph's text
# at each inline match, so its time grows with marks x length: 47,500 escaped brackets took
# 4 s. Real paragraphs hold at most about 40.
MAX_INLINE_MARKS = 1_000
_INLINE_MARKS = "\\`[*_<&"
_MARK_RE = re.compile(r"\\.|[\[\]()]|\*+|_+")
_THEMATIC_BREAK_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_RUN_NAMES = {"*": "asterisks", "_": "underscores"}


class UnrenderableMarkdown(ValueError):
    """Markdown the renderer refuses: over the size cap, or nested deeper than any article
    needs. ``reason`` says what and how to fix it; ``line`` is the body's line, if one."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason, self.line = reason, line
        super().__init__(f"line {line}: {reason}" if line else reason)


def check_renderable(text: str) -> None:
    """Raise UnrenderableMarkdown if ``text`` is too long, nested too deeply or has too many
    marks in a paragraph to render in bounded time; a linear scan, so a refusal costs
    milliseconds."""
    if len(text) > MAX_MARKDOWN_CHARS:
        raise UnrenderableMarkdown(
            f"the text is {len(text):,} characters long, over the limit of "
            f"{MAX_MARKDOWN_CHARS:,} (the longest article is about 20,000): split it into "
            "shorter articles"
        )
    brackets = parentheses = emphasis = marks = 0
    paragraph_start = 1
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            brackets = parentheses = emphasis = marks = 0  # a new paragraph: nothing open
            paragraph_start = number + 1
            continue
        if _THEMATIC_BREAK_RE.match(line):
            continue
        for match in _MARK_RE.finditer(line):
            mark = match.group()
            if mark[0] == "\\":
                continue  # escaped: a literal character
            if mark == "[":
                brackets += 1
            elif mark == "]":
                brackets = max(brackets - 1, 0)
            elif mark == "(":
                parentheses += 1
            elif mark == ")":
                parentheses = max(parentheses - 1, 0)
            else:
                emphasis = _emphasis_depth(line, match, emphasis, number)
            if brackets > MAX_NESTING:
                raise UnrenderableMarkdown(
                    f"square brackets are nested more than {MAX_NESTING} deep; no article "
                    "needs that many [ open at once: remove the extra [ and ] characters",
                    number,
                )
            if parentheses > MAX_NESTING:
                raise UnrenderableMarkdown(
                    f"more than {MAX_NESTING} parentheses are left open at once (in links "
                    "like [a]( without their closing ) or nested): close or remove them",
                    number,
                )
            if emphasis > MAX_NESTING:
                raise UnrenderableMarkdown(
                    f"emphasis (* or _) is nested more than {MAX_NESTING} deep: close each "
                    "emphasis before opening the next",
                    number,
                )
        marks += sum(line.count(mark) for mark in _INLINE_MARKS)
        if marks > MAX_INLINE_MARKS:
            raise UnrenderableMarkdown(
                f"the paragraph starting here has more than {MAX_INLINE_MARKS:,} Markdown "
                "marks (\\ ` [ * _ < &); no article needs that many: split it into shorter "
                "paragraphs or remove them",
                paragraph_start,
            )


def _emphasis_depth(line: str, match: re.Match, depth: int, number: int) -> int:
    """The emphasis open after this run of * or _ (an opener is followed by text, a closer
    follows text; one inside a word counts as neither)."""
    run = match.group()
    before = line[match.start() - 1] if match.start() else " "
    after = line[match.end()] if match.end() < len(line) else " "
    opens, closes = not after.isspace(), not before.isspace()
    if len(run) > MAX_EMPHASIS_RUN and (opens or closes):
        raise UnrenderableMarkdown(
            f"a run of {len(run):,} {_RUN_NAMES[run[0]]} ({run[0] * 3}…) is more emphasis than "
            f"Markdown has: use at most {MAX_EMPHASIS_RUN} ({run[0] * 3}bold italic{run[0] * 3})",
            number,
        )
    if opens and not closes:
        return depth + 1
    if closes and not opens:
        return max(depth - 1, 0)
    return depth


def markdown_problem(text: str) -> str | None:
    """Why the renderer refuses ``text`` (see :func:`check_renderable`), or None."""
    try:
        check_renderable(text)
    except UnrenderableMarkdown as exc:
        return str(exc)
    return None


def _convert(md: markdown.Markdown, text: str) -> str:
    """``md.convert(text)``, the stack overflow of nesting the scan did not foresee (lists,
    quotes or HTML inside each other hundreds of times) refused like the rest."""
    try:
        return md.convert(text)
    except RecursionError:
        raise UnrenderableMarkdown(
            "the text is nested too deeply to render (lists, quotes, emphasis or HTML inside "
            "each other hundreds of times): simplify it"
        ) from None


class UnknownCitationKeys(ValueError):
    """Raised when Markdown cites keys that are not in the bibliography."""

    def __init__(self, problems: list[tuple[str, int]]):
        self.problems = problems
        super().__init__(
            "; ".join(f"unknown citation key '{key}' on line {line}" for key, line in problems)
        )


@dataclass
class Rendered:
    body_html: str
    toc_html: str
    references_html: str
    cited_keys: list[str] = field(default_factory=list)


def sanitize(html: str) -> str:
    """Strip everything outside the allowlist: scripts, event handlers, styles, frames, forms
    and data: URLs. Links get no ``rel``: none can open a new window (``target`` is not
    allowed), and the site's Referrer-Policy (same-origin) already keeps the reader's address
    from the sites they lead to."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


class _CitationInline(InlineProcessor):
    """Turns a marker into a placeholder <sup>; numbering happens once the whole tree is known."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's API)
        sup = etree.Element("sup")
        sup.set("class", "citation")
        sup.set("data-items", m.group("items"))
        return sup, m.start(0), m.end(0)


class _CitationNumbering(Treeprocessor):
    """Numbers citations by first appearance (a repeated key keeps its number) and links them."""

    def __init__(self, md, renderer: _RenderState):
        super().__init__(md)
        self.state = renderer

    def run(self, root):
        for sup in root.iter("sup"):
            raw = sup.attrib.pop("data-items", None)
            if raw is None:
                continue
            sup.text = "["
            items = parse_items(raw)
            for index, item in enumerate(items):
                number = self.state.number_for(item.key)
                locator = locator_display(item.locator) if item.locator else ""
                occurrence = self.state.add_backlink(item.key, locator)
                link = etree.SubElement(sup, "a")
                link.set("href", f"#ref-{number}")
                link.set("id", f"cite-{number}-{occurrence}")
                source = self.state.sources.get(item.key)
                if source is not None:
                    # A screen reader says "Source 2: Garcia-Romeu et al., 2020", not "2".
                    label = _("Source %(number)s: %(label)s") % {
                        "number": number,
                        "label": source.reference_label,
                    }
                    link.set("aria-label", f"{label}, {locator}" if locator else label)
                link.text = f"{number}, {locator}" if locator else str(number)
                link.tail = ", " if index < len(items) - 1 else "]"
        return None


class _TableRegions(Treeprocessor):
    """Wraps each table in a labelled, focusable scroll region, so a wide table scrolls on a
    phone (keyboard included) instead of clipping columns."""

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for number, table in enumerate(list(root.iter("table")), start=1):
            parent = parents.get(table, root)
            headers = [text for th in table.iter("th") if (text := "".join(th.itertext()).strip())]
            label = (
                _("Table %(number)s: %(headers)s")
                % {"number": number, "headers": ", ".join(headers)}
                if headers
                else _("Table %(number)s") % {"number": number}
            )
            wrapper = etree.Element(
                "div",
                {"class": "table-scroll", "role": "region", "tabindex": "0", "aria-label": label},
            )
            index = list(parent).index(table)
            parent.remove(table)
            wrapper.append(table)
            wrapper.tail, table.tail = table.tail, None
            parent.insert(index, wrapper)
        return None


class _HelpLinks(Treeprocessor):
    """Turns "see the help lines at the bottom of this page" into a link to the help block that
    every page carries, so a reader in trouble gets there in one tap."""

    SKIP = {"a", "code", "pre"}

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag in self.SKIP or any(
                ancestor.tag in self.SKIP for ancestor in self._ancestors(element, parents)
            ):
                continue
            if element.text and (match := HELP_PHRASE_RE.search(element.text)):
                link = self._link(match, element.text)
                element.text = element.text[: match.start()]
                element.insert(0, link)
            for child in list(element):
                if child.tail and (match := HELP_PHRASE_RE.search(child.tail)):
                    link = self._link(match, child.tail)
                    child.tail = child.tail[: match.start()]
                    element.insert(list(element).index(child) + 1, link)
        return None

    @staticmethod
    def _ancestors(element, parents):
        while element in parents:
            element = parents[element]
            yield element

    @staticmethod
    def _link(match: re.Match, text: str) -> etree.Element:
        link = etree.Element("a", {"href": HELP_ANCHOR, "class": "help-jump"})
        link.text = match.group(0)
        link.tail = text[match.end() :]
        return link


class _RenderState:
    def __init__(self, sources: Mapping[str, Source]):
        self.sources = sources
        self.numbers: dict[str, int] = {}
        # key -> the locator of each place it is cited ("" where none), in reading order.
        self.backlinks: dict[str, list[str]] = {}

    def number_for(self, key: str) -> int:
        return self.numbers.setdefault(key, len(self.numbers) + 1)

    def add_backlink(self, key: str, locator: str = "") -> int:
        self.backlinks.setdefault(key, []).append(locator)
        return len(self.backlinks[key])


class _CitationExtension(Extension):
    def __init__(self, state: _RenderState):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's API)
        # Above links (160) so "[@key]" is never read as a link; below code spans (190).
        md.inlinePatterns.register(_CitationInline(MARKER_RE.pattern, md), "citation", 175)
        # After inline processing (20), before the table of contents (5).
        md.treeprocessors.register(_CitationNumbering(md, self.state), "citation_numbers", 10)
        md.treeprocessors.register(_TableRegions(md), "table_regions", 9)
        md.treeprocessors.register(_HelpLinks(md), "help_links", 8)


def check_citations(text: str, known_keys: Iterable[str]) -> None:
    """Raise UnknownCitationKeys naming every unknown key and its line."""
    known = set(known_keys)
    problems = [
        (item.key, marker.line)
        for marker in find_markers(text)
        for item in marker.items
        if item.key not in known
    ]
    if problems:
        raise UnknownCitationKeys(problems)


class _MarkerCollector(InlineProcessor):
    """Records each marker the renderer would turn into a citation, and nothing else."""

    def __init__(self, pattern, md, seen: list[str]):
        super().__init__(pattern, md)
        self.seen = seen

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's API)
        self.seen.append(m.group(0))
        return m.group(0), m.start(0), m.end(0)


class _LinkCollector(Treeprocessor):
    """Records the target of every link and image in the finished tree."""

    def __init__(self, md, links: list[str]):
        super().__init__(md)
        self.links = links

    def run(self, root):
        for element in root.iter():
            target = element.get("href") if element.tag == "a" else element.get("src")
            if element.tag in ("a", "img") and target is not None:
                self.links.append(target)
        return None


class _MarkerCollectorExtension(Extension):
    def __init__(self, seen: list[str], links: list[str]):
        super().__init__()
        self.seen, self.links = seen, links

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's API)
        # The same place as the real citation pattern: what it sees, readers see as citations.
        md.inlinePatterns.register(_MarkerCollector(MARKER_RE.pattern, md, self.seen), "c", 175)
        md.treeprocessors.register(_LinkCollector(md, self.links), "links", 1)


@functools.lru_cache(maxsize=4)
def _rendered_facts(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(markers, link targets) as the renderer reads ``text``: one Markdown pass serves the
    content rules that ask for either."""
    check_renderable(text)
    seen: list[str] = []
    links: list[str] = []
    md = markdown.Markdown(
        extensions=["markdown.extensions.tables", "markdown.extensions.sane_lists"]
        + [_MarkerCollectorExtension(seen, links)],
        output_format="html",
    )
    _convert(md, text)
    return tuple(seen), tuple(links)


def rendered_markers(text: str) -> list[str]:
    """The markers of ``text`` (as written) that the renderer shows as citations. A marker in
    code, in raw HTML or escaped with a backslash is missing here: readers would not see it as
    a citation. No database needed."""
    return list(_rendered_facts(text)[0])


def rendered_links(text: str) -> list[str]:
    """The target of every link and image the renderer makes of ``text`` (Markdown syntax of
    every kind: inline, reference, nested brackets in the text). No database needed."""
    return list(_rendered_facts(text)[1])


# How a reference list entry starts, and where its back-links start: written by
# render_reference_list, read back by reference_entries and reference_count.
_ENTRY_START = '<li id="ref-'
_BACKLINKS_START = '<span class="backlinks">'
_LOCATOR_START = '<span class="backlink-locator">('


def _backlinks(number: int, locators: list[str]) -> str:
    """One link back to each place the source is cited, named for screen readers by where it
    goes; it shows "back" when there is one, else the occurrence number (the arrow is
    decoration), followed by the place in the source the citation points to ("p. 4")."""
    if len(locators) == 1:
        name = _("Back to the citation of source %(number)s in the text") % {"number": number}
        shown = [(1, _("back"), name, locators[0])]
    else:
        shown = [
            (
                occurrence,
                str(occurrence),
                _("Back to citation %(occurrence)s of source %(number)s in the text")
                % {"occurrence": occurrence, "number": number},
                locator,
            )
            for occurrence, locator in enumerate(locators, start=1)
        ]
    return format_html_join(
        " ",
        '<a href="#cite-{}-{}" aria-label="{}">{}</a>{}',
        (
            (
                number,
                occurrence,
                f"{name} ({locator})" if locator else name,
                text,
                format_html(" " + _LOCATOR_START + "{})</span>", locator) if locator else "",
            )
            for occurrence, text, name, locator in shown
        ),
    )


def render_reference_list(state: _RenderState) -> str:
    if not state.numbers:
        return ""
    entries = []
    for key, number in state.numbers.items():
        source = state.sources[key]
        backlinks = _backlinks(number, state.backlinks[key])
        entries.append(
            f'{_ENTRY_START}{number}">{source.citation_html()} {_BACKLINKS_START}'
            f'<span aria-hidden="true">↩</span> {backlinks}</span></li>'
        )
    html = (
        '<section class="references" id="references" aria-labelledby="references-heading">'
        '<h2 id="references-heading">'
        + _("References")
        + '</h2><ol class="references-list">'
        + "".join(entries)
        + "</ol></section>"
    )
    return sanitize(html)


def reference_entries(references_html: str) -> dict[int, str]:
    """Reference number -> the entry's HTML (without backlinks), read back from a stored
    reference list: what readers of that revision see, whatever its Source records say now.

    Plain string splitting, not a regular expression: every uncached article page reads its
    list (for the JSON-LD), and a lazy pattern over a long list cost a fifth of the page."""
    entries = {}
    for chunk in references_html.split(_ENTRY_START)[1:]:
        number, opened, rest = chunk.partition('">')
        entry, has_backlinks, _ = rest.partition(_BACKLINKS_START)
        if opened and has_backlinks and number.isdigit():
            entries[int(number)] = entry.rstrip()
    return entries


def reference_locators(references_html: str) -> dict[int, list[str]]:
    """Reference number -> the places in that source the text cites ("p. 4", "tabla 2"), as
    the stored reference list's back-links show them (HTML-escaped); sources cited without
    a locator are missing. String splitting, as in :func:`reference_entries`."""
    found: dict[int, list[str]] = {}
    for chunk in references_html.split(_ENTRY_START)[1:]:
        number, _, rest = chunk.partition('">')
        backlinks = rest.partition(_BACKLINKS_START)[2]
        places = [part.partition(")</span>")[0] for part in backlinks.split(_LOCATOR_START)[1:]]
        if places and number.isdigit():
            found[int(number)] = list(dict.fromkeys(places))
    return found


def reference_count(references_html: str) -> int:
    """How many sources a stored reference list holds."""
    return references_html.count(_ENTRY_START)


def render_markdown(text: str, sources: Mapping[str, Source]) -> Rendered:
    """Render cited Markdown with the given bibliography (key -> Source).

    Raises UnrenderableMarkdown (too long, nested too deeply) or UnknownCitationKeys (a key
    not in ``sources``) before rendering anything.
    """
    check_renderable(text)
    check_citations(text, sources.keys())
    state = _RenderState(sources)
    md = markdown.Markdown(
        extensions=[
            "markdown.extensions.tables",
            "markdown.extensions.sane_lists",
            "markdown.extensions.toc",
            _CitationExtension(state),
        ],
        extension_configs={"markdown.extensions.toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    body = _convert(md, text)
    toc = md.toc if getattr(md, "toc_tokens", None) else ""
    return Rendered(
        body_html=sanitize(body),
        toc_html=sanitize(toc),
        references_html=render_reference_list(state),
        cited_keys=list(state.numbers),
    )


def sources_for(text: str) -> dict[str, Source]:
    """The Source records for the keys that ``text`` cites (one query)."""
    keys = {item.key for marker in find_markers(text) for item in marker.items}
    return {source.key: source for source in Source.objects.filter(key__in=keys)}


def markdownify_preview(text: str) -> str:
    """The editor's live preview: the same renderer, with an error shown instead of raised."""
    try:
        check_renderable(text)  # before sources_for reads it
        rendered = render_markdown(text, sources_for(text))
    except ValueError as exc:  # unknown keys, unreadable markers, refused Markdown alike
        return format_html('<p class="render-error" role="alert">{}</p>', str(exc))
    return rendered.body_html + rendered.references_html


__all__ = [
    "MAX_MARKDOWN_CHARS",
    "Rendered",
    "UnrenderableMarkdown",
    "UnknownCitationKeys",
    "check_citations",
    "check_renderable",
    "markdown_problem",
    "markdownify_preview",
    "reference_count",
    "reference_entries",
    "reference_locators",
    "render_markdown",
    "rendered_links",
    "rendered_markers",
    "sanitize",
    "sources_for",
]
