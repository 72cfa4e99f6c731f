"""Claim extraction: the units of an article that a reviewer checks against their sources.

A claim is a sentence, a list item or a table row that carries one or more ``[@key]``
markers. Paragraphs are split into sentences; a list item (with its continuation lines) and a
table row are one unit each. Headings, code blocks and table header/separator rows are not
claims. Pure functions only: no database, so ``check_content`` and the editorial services can
share them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Claim:
    """One checkable statement: its text as written (markers kept), its distinct source keys in
    order of appearance, a hash of its normalised text and the 1-based line it starts on."""

    text: str
    keys: tuple[str, ...]
    hash: str
    line: int


@dataclass(frozen=True)
class Unit:
    """A sentence, list item or table row, with the 1-based line it starts on."""

    kind: str  # "sentence", "list_item" or "table_row"
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
    """Sentences, list items and table body rows, each with the line it starts on."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    units: list[Unit] = []
    paragraph: list[tuple[int, str]] = []
    item: list[tuple[int, str]] = []
    in_fence = False

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
        if in_fence:
            continue
        stripped = line.strip()
        if not stripped or _HEADING_RE.match(line) or _RULE_RE.match(line):
            flush_paragraph()
            flush_item()
            continue
        if _TABLE_ROW_RE.match(line):
            flush_paragraph()
            flush_item()
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if _TABLE_SEPARATOR_RE.match(line) or _TABLE_SEPARATOR_RE.match(following):
                continue  # the separator row, or the header row above it
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            units.append(Unit("table_row", " | ".join(cells), number))
            continue
        list_match = _LIST_ITEM_RE.match(line)
        if list_match:
            flush_paragraph()
            flush_item()
            item.append((number, list_match["text"]))
            continue
        if item:
            item.append((number, stripped))  # a continuation (or lazy) line of the list item
            continue
        paragraph.append((number, stripped.removeprefix(">").strip()))
    flush_paragraph()
    flush_item()
    return units


def extract_claims(markdown: str) -> list[Claim]:
    """Every sentence, list item or table row carrying at least one citation marker."""
    claims = []
    for unit in split_units(markdown):
        markers = find_markers(unit.text)
        if not markers:
            continue
        keys = tuple(dict.fromkeys(item.key for marker in markers for item in marker.items))
        claims.append(Claim(text=unit.text, keys=keys, hash=claim_hash(unit.text), line=unit.line))
    return claims


def states_number(text: str) -> bool:
    """True when the text (without markers and link targets) contains a digit."""
    return bool(_DIGIT_RE.search(_LINK_TARGET_RE.sub("]", strip_markers(text))))


def find_uncited_numbers(markdown: str) -> list[tuple[int, str]]:
    """(line, text) of every sentence, list item or table row that states a number without
    citing a source. Such statements block submission for review."""
    return [
        (unit.line, unit.text)
        for unit in split_units(markdown)
        if not MARKER_RE.search(unit.text) and states_number(unit.text)
    ]


def uncited_numbers_in_plain_fields(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, text) of every plain-text field (summary, main message, key point) that states a
    number. Those fields cannot carry citations, so numbers belong in the cited body."""
    return [(label, text) for label, text in fields if states_number(text)]


__all__ = [
    "Claim",
    "Unit",
    "claim_hash",
    "extract_claims",
    "find_uncited_numbers",
    "normalise",
    "split_units",
    "uncited_numbers_in_plain_fields",
]
