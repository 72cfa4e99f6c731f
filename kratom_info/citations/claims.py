"""Claim extraction: the units of an article that a reviewer checks against their sources.

A claim is a sentence, a list item, a table row, a heading or a table header row that carries
one or more ``[@key]`` markers. Paragraphs are split into sentences; a list item (with its
continuation lines), a table row and a heading are one unit each. Code (fenced or indented) is
split into units too, one per line, but never holds a claim: a marker there is shown to readers
as plain text, so the content rules refuse it. Pure functions only: no database, so
``check_content`` and the editorial services share them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from kratom_info.citations.locators import authors_locators
from kratom_info.citations.syntax import MARKER_RE, find_markers, strip_markers

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s")
_LIST_ITEM_RE = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d{1,9}[.)])\s+(?P<text>.*)$")
_TABLE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_RULE_RE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
# Where a sentence ends: ., ! or ? (maybe with a closing quote or bracket), then space, then
# something that starts a sentence. Markers are masked first, so "[@a, p. 4]" never splits.
# Spanish sentences may also start with an accented capital or with "¿" or "¡".
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+(?=[A-ZÁÉÍÓÚÜÑ0-9\"“‘*_(¿¡])")
_LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")
_DIGIT_RE = re.compile(r"\d")
# A numbered chemical name such as 7-OH or 5-HT states no quantity.
_NAMED_NUMBER_RE = re.compile(r"\b\d+-[A-Z]{2,}\b")
_INDENTED_CODE_RE = re.compile(r"^(    |\t)")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT_RE = re.compile(r"<!--.*?(-->|$)", re.S)
_ESCAPED_MARKER_RE = re.compile(r"\\\[\s*@")
CLAIM_KINDS = ("sentence", "list_item", "table_row", "heading", "table_header")


@dataclass(frozen=True)
class Claim:
    """One checkable statement: its text as written (markers kept), its distinct source keys in
    order of appearance, a hash of its normalised text, the 1-based line it starts on, and
    the author's locator for each key ("" where they gave none): where in the source it is
    supported."""

    text: str
    keys: tuple[str, ...]
    hash: str
    line: int
    locators: tuple[tuple[str, str], ...] = ()

    def locator_for(self, key: str) -> str:
        return dict(self.locators).get(key, "")


@dataclass(frozen=True)
class Unit:
    """A sentence, list item or table row, with the 1-based line it starts on."""

    kind: str  # "sentence", "list_item", "table_row", "heading", "table_header" or "code"
    text: str
    line: int


def normalise(text: str) -> str:
    """Markers stripped, whitespace collapsed, case folded: what 'unchanged text' means."""
    return " ".join(strip_markers(text).split()).casefold()


def claim_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def _split_sentences(text: str) -> list[str]:
    masked: list[str] = []

    def mask(match: re.Match) -> str:
        masked.append(match.group(0))
        return f"\x00{len(masked) - 1}\x00"

    hidden = MARKER_RE.sub(mask, text)
    pieces, start = [], 0
    for match in _SENTENCE_END_RE.finditer(hidden):
        pieces.append(hidden[start : match.end(1)])
        start = match.end()
    pieces.append(hidden[start:])
    restore = re.compile(r"\x00(\d+)\x00")
    return [
        restore.sub(lambda m: masked[int(m.group(1))], piece).strip()
        for piece in pieces
        if piece.strip()
    ]


def split_units(markdown: str) -> list[Unit]:
    """Sentences, list items, table rows (header included), headings and lines of code, each
    with the line it starts on."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    units: list[Unit] = []
    paragraph: list[tuple[int, str]] = []
    item: list[tuple[int, str]] = []
    in_fence = False
    in_list = False  # an indented line after a list continues it rather than being code

    def flush_paragraph():
        if not paragraph:
            return
        line_no = paragraph[0][0]
        # Sentences keep the line of the paragraph line they start on (close enough for editors).
        offsets = []
        joined = ""
        for number, text in paragraph:
            offsets.append((len(joined), number))
            joined += text.strip() + " "
        search_from = 0
        for sentence in _split_sentences(joined):
            position = joined.find(sentence, search_from)
            search_from = max(position, search_from)
            line_no = max((n for start, n in offsets if start <= position), default=line_no)
            units.append(Unit("sentence", sentence, line_no))
        paragraph.clear()

    def flush_item():
        if item:
            units.append(Unit("list_item", " ".join(t.strip() for _, t in item), item[0][0]))
            item.clear()

    for index, line in enumerate(lines):
        number = index + 1
        if _FENCE_RE.match(line):
            flush_paragraph()
            flush_item()
            in_fence = not in_fence
            continue
        stripped = line.strip()
        if in_fence:
            if stripped:
                units.append(Unit("code", stripped, number))
            continue
        if not stripped:
            flush_paragraph()
            flush_item()
            continue
        if _INDENTED_CODE_RE.match(line) and not paragraph and not item and not in_list:
            units.append(Unit("code", stripped, number))
            continue
        if _HEADING_RE.match(line) or _RULE_RE.match(line):
            flush_paragraph()
            flush_item()
            in_list = False
            if _HEADING_RE.match(line):
                text = stripped.lstrip("#").strip().rstrip("#").strip()
                units.append(Unit("heading", text, number))
            continue
        if _TABLE_ROW_RE.match(line):
            flush_paragraph()
            flush_item()
            in_list = False
            if _TABLE_SEPARATOR_RE.match(line):
                continue
            following = lines[index + 1] if index + 1 < len(lines) else ""
            kind = "table_header" if _TABLE_SEPARATOR_RE.match(following) else "table_row"
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            units.append(Unit(kind, " | ".join(cells), number))
            continue
        list_match = _LIST_ITEM_RE.match(line)
        if list_match:
            flush_paragraph()
            flush_item()
            in_list = True
            item.append((number, list_match["text"]))
            continue
        if not _INDENTED_CODE_RE.match(line):
            in_list = False
        if item:
            item.append((number, stripped))  # a continuation (or lazy) line of the list item
            continue
        paragraph.append((number, stripped.removeprefix(">").strip()))
    flush_paragraph()
    flush_item()
    return units


def extract_claims(markdown: str) -> list[Claim]:
    """Every sentence, list item, table row or heading carrying at least one citation marker."""
    claims = []
    for unit in split_units(markdown):
        if unit.kind not in CLAIM_KINDS:
            continue
        markers = find_markers(unit.text)
        if not markers:
            continue
        items = [item for marker in markers for item in marker.items]
        locators = authors_locators(items)
        claims.append(
            Claim(
                text=unit.text,
                keys=tuple(locators),
                hash=claim_hash(unit.text),
                line=unit.line,
                locators=tuple(locators.items()),
            )
        )
    return claims


def states_number(text: str) -> bool:
    """True when the text (without markers, link targets and numbered chemical names such as
    7-OH) contains a digit."""
    text = _NAMED_NUMBER_RE.sub("", _LINK_TARGET_RE.sub("]", strip_markers(text)))
    return bool(_DIGIT_RE.search(text))


def without_hidden_text(text: str) -> str:
    """The text without what readers never see as a citation: inline code, HTML comments and
    backslash-escaped markers."""
    text = _CODE_SPAN_RE.sub(" ", text)
    text = _HTML_COMMENT_RE.sub(" ", text)
    return _ESCAPED_MARKER_RE.sub("(", text)


def has_visible_citation(text: str) -> bool:
    """True when the text carries a marker readers will see as a citation (not one inside
    inline code, an HTML comment or escaped with a backslash)."""
    return bool(MARKER_RE.search(without_hidden_text(text)))


def find_uncited_numbers(markdown: str) -> list[Unit]:
    """Every unit that states a number without a visible citation: sentences, list items, table
    rows and header rows, headings, and any line of code (which cannot cite at all). Such
    statements block submission for review."""
    return [
        unit
        for unit in split_units(markdown)
        if states_number(unit.text) and (unit.kind == "code" or not has_visible_citation(unit.text))
    ]


def code_spans(text: str) -> list[str]:
    """The inline code spans of a unit's text, backticks included."""
    return [match.group(0) for match in _CODE_SPAN_RE.finditer(text)]


def html_comments(markdown: str) -> list[tuple[int, str]]:
    """(line, comment) of every HTML comment, for the hidden-citation rule."""
    return [
        (markdown.count("\n", 0, match.start()) + 1, match.group(0))
        for match in _HTML_COMMENT_RE.finditer(markdown)
    ]


def escaped_markers(markdown: str) -> list[int]:
    """Lines of markers escaped with a backslash (``\\[@key]``): readers see the brackets."""
    return [markdown.count("\n", 0, m.start()) + 1 for m in _ESCAPED_MARKER_RE.finditer(markdown)]


def uncited_numbers_in_plain_fields(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, text) of every plain-text field (summary, main message, key point) that states a
    number. Those fields cannot carry citations, so numbers belong in the cited body."""
    return [(label, text) for label, text in fields if states_number(text)]


__all__ = [
    "CLAIM_KINDS",
    "Claim",
    "Unit",
    "claim_hash",
    "code_spans",
    "escaped_markers",
    "extract_claims",
    "find_uncited_numbers",
    "has_visible_citation",
    "html_comments",
    "normalise",
    "split_units",
    "states_number",
    "uncited_numbers_in_plain_fields",
    "without_hidden_text",
]
