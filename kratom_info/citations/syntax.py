"""The citation syntax: Pandoc-style markers ``[@key]``, ``[@a; @b]`` and ``[@key, p. 4]``.

This module only parses; resolving keys to Source records and rendering happen elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kratom_info.citations.models import KEY_PATTERN

_ITEM = rf"@(?P<key>{KEY_PATTERN})(?:\s*,\s*(?P<locator>[^;\]]*?))?"
ITEM_RE = re.compile(rf"\s*{_ITEM}\s*")
# A whole bracketed group: "[@a]", "[@a, p. 4; @b]".
MARKER_RE = re.compile(rf"\[(?P<items>\s*@{KEY_PATTERN}[^\[\]]*)\]")


@dataclass(frozen=True)
class CitationItem:
    key: str
    locator: str = ""


@dataclass(frozen=True)
class Marker:
    items: tuple[CitationItem, ...]
    line: int
    text: str


class CitationSyntaxError(ValueError):
    pass


def parse_items(inner: str) -> tuple[CitationItem, ...]:
    """Split the inside of a marker ("@a, p. 4; @b") into items, or raise CitationSyntaxError."""
    items = []
    for part in inner.split(";"):
        match = ITEM_RE.fullmatch(part)
        if not match:
            raise CitationSyntaxError(f"cannot read citation item {part.strip()!r}")
        items.append(CitationItem(match["key"], (match["locator"] or "").strip()))
    return tuple(items)


def find_markers(text: str) -> list[Marker]:
    """Every citation marker in ``text`` with its 1-based line number, in order of appearance."""
    markers = []
    for match in MARKER_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        try:
            items = parse_items(match["items"])
        except CitationSyntaxError as exc:
            raise CitationSyntaxError(f"line {line}: {exc} in {match.group(0)!r}") from exc
        markers.append(Marker(items=items, line=line, text=match.group(0)))
    return markers


def cited_keys(text: str) -> list[str]:
    """Distinct keys in order of first appearance."""
    seen: dict[str, None] = {}
    for marker in find_markers(text):
        for item in marker.items:
            seen.setdefault(item.key, None)
    return list(seen)


def strip_markers(text: str) -> str:
    """The text without its citation markers (for reading-level checks and claim hashing)."""
    return re.sub(r"\s*" + MARKER_RE.pattern, "", text)
