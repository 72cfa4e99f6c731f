"""Word-level differences between two revisions, for readers and reviewers."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kratom_info.articles.models import Revision
from kratom_info.citations.locators import locator_display
from kratom_info.citations.models import Source
from kratom_info.citations.syntax import MARKER_RE, cited_keys, parse_items

TOKEN_RE = re.compile(r"\s+|[^\s]+")
# The labels make a change readable without colour, strike-through or CSS.
DELETED = '<del><span class="diff-label">[removed: </span>{}<span class="diff-label">]</span></del>'
INSERTED = '<ins><span class="diff-label">[added: </span>{}<span class="diff-label">]</span></ins>'


@dataclass(frozen=True)
class DiffParagraph:
    """One paragraph of the newer text, with the changes inside it; ``change`` numbers the
    changed ones from 1 (0 for an unchanged paragraph)."""

    html: SafeString
    change: int = 0


@dataclass(frozen=True)
class UnchangedRun:
    """Consecutive unchanged paragraphs, which a reader may fold away."""

    paragraphs: list[DiffParagraph]


@dataclass
class DiffResult:
    html: SafeString
    words_added: int
    words_removed: int
    # (number, source) for the citation numbers a readable diff shows, in number order.
    sources: list[tuple[int, Source]] = field(default_factory=list)
    # The same text split at blank lines; a change that spans a blank line stays one paragraph.
    paragraphs: list[DiffParagraph] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.words_added or self.words_removed)

    @property
    def change_count(self) -> int:
        return sum(1 for paragraph in self.paragraphs if paragraph.change)

    def blocks(self) -> list[DiffParagraph | UnchangedRun]:
        """Changed paragraphs in order, with the unchanged ones between them gathered into
        runs: what the public diff page shows, and what it folds."""
        blocks: list[DiffParagraph | UnchangedRun] = []
        for paragraph in self.paragraphs:
            if paragraph.change:
                blocks.append(paragraph)
            elif blocks and isinstance(blocks[-1], UnchangedRun):
                blocks[-1].paragraphs.append(paragraph)
            else:
                blocks.append(UnchangedRun([paragraph]))
        return blocks


class _Paragraphs:
    """Collects a diff's HTML parts into paragraphs as they are produced."""

    def __init__(self):
        self.done: list[DiffParagraph] = []
        self.parts: list[str] = []
        self.changed = False
        self.changes = 0

    def add(self, html: str, *, changed: bool) -> None:
        self.parts.append(html)
        self.changed = self.changed or changed

    def add_equal(self, tokens: list[str]) -> None:
        for token in tokens:
            if token.isspace() and "\n\n" in token:
                self.close()
            else:
                self.add(format_html("{}", token), changed=False)

    def close(self) -> None:
        text = "".join(self.parts)
        if text.strip():
            if self.changed:
                self.changes += 1
            self.done.append(DiffParagraph(mark_safe(text), self.changes if self.changed else 0))  # noqa: S308 (parts escaped)
        self.parts, self.changed = [], False


def _revision_text(revision: Revision) -> str:
    points = "\n".join(f"- {point}" for point in revision.key_points)
    parts = [f"# {revision.title}", revision.summary, revision.main_message, points, revision.body]
    return "\n\n".join(part for part in parts if part)


def word_diff(old: str, new: str) -> DiffResult:
    """Escaped HTML of ``new`` with insertions in <ins> and deletions in <del>, each with a text
    label so the change is clear without colour or strike-through."""
    old_tokens, new_tokens = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    out: list[str] = []
    paragraphs = _Paragraphs()
    added = removed = 0
    for op, a1, a2, b1, b2 in _opcodes(old_tokens, new_tokens):
        if op == "equal":
            out.append(format_html("{}", "".join(new_tokens[b1:b2])))
            paragraphs.add_equal(new_tokens[b1:b2])
            continue
        if op in ("delete", "replace"):
            text = "".join(old_tokens[a1:a2])
            removed += len(text.split())
            out.append(format_html(DELETED, text))
            paragraphs.add(out[-1], changed=True)
        if op in ("insert", "replace"):
            text = "".join(new_tokens[b1:b2])
            added += len(text.split())
            out.append(format_html(INSERTED, text))
            paragraphs.add(out[-1], changed=True)
    paragraphs.close()
    html = mark_safe("".join(out))  # noqa: S308 (all parts escaped)
    return DiffResult(html, added, removed, paragraphs=paragraphs.done)


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher's opcodes, with the unchanged start and end matched directly first: an
    edit usually touches a small part of a long text, and the matcher's cost grows with the
    square of what it is given."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_end, new_end = len(old) - tail, len(new) - tail
    matcher = difflib.SequenceMatcher(a=old[head:old_end], b=new[head:new_end], autojunk=False)
    opcodes = [("equal", 0, head, 0, head)] if head else []
    opcodes += [
        (op, a1 + head, a2 + head, b1 + head, b2 + head)
        for op, a1, a2, b1, b2 in matcher.get_opcodes()
        if a1 != a2 or b1 != b2  # both sides empty: nothing changed in between
    ]
    if tail:
        opcodes.append(("equal", old_end, len(old), new_end, len(new)))
    return opcodes


def revision_diff(old: Revision, new: Revision) -> DiffResult:
    """The Markdown source compared, citation keys included: what reviewers check."""
    return word_diff(_revision_text(old), _revision_text(new))


_HEADING_RE = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$\n?", re.MULTILINE)
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")
_STRONG_RE = re.compile(r"(\*\*|__)(.+?)\1")
_EMPHASIS_RE = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?!\w)")
_BULLET_RE = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)


def _table_row(line: str) -> str:
    if not line.lstrip().startswith("|"):
        return line
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return " · ".join(cells)


def readable_text(markdown_text: str, numbers: dict[str, int]) -> str:
    """Markdown as a reader sees it: no heading marks, link syntax or table rules, and each
    citation marker as its number ("[2]", "[2, p. 4]")."""

    def marker(match: re.Match) -> str:
        parts = [
            f"{numbers[item.key]}, {locator_display(item.locator)}"
            if item.locator
            else str(numbers[item.key])
            for item in parse_items(match["items"])
        ]
        return f"[{'; '.join(parts)}]"

    text = MARKER_RE.sub(marker, markdown_text)
    text = _TABLE_RULE_RE.sub("", text)
    text = "\n".join(_table_row(line) for line in text.split("\n"))
    text = _HEADING_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _STRONG_RE.sub(r"\2", text)
    text = _EMPHASIS_RE.sub(r"\1", text)
    return _BULLET_RE.sub(r"\1• ", text)


def _reader_text(revision: Revision, numbers: dict[str, int]) -> str:
    points = "\n".join(f"• {point}" for point in revision.key_points)
    parts = [
        revision.title,
        revision.summary,
        revision.main_message,
        points,
        readable_text(revision.body, numbers),
    ]
    return "\n\n".join(part for part in parts if part)


def reader_revision_diff(old: Revision, new: Revision) -> DiffResult:
    """The readable text compared, for the public diff page. Citations are numbered as in the
    newer version's reference list (so renumbering is not shown as a change); sources cited
    only by the older version get the next numbers. One query for the sources."""
    keys = cited_keys(new.body)
    keys += [key for key in cited_keys(old.body) if key not in keys]
    numbers = {key: number for number, key in enumerate(keys, start=1)}
    result = word_diff(_reader_text(old, numbers), _reader_text(new, numbers))
    by_key = Source.objects.in_bulk(keys, field_name="key")
    result.sources = [(numbers[key], by_key[key]) for key in keys if key in by_key]
    return result
