"""Shared blocks: cited Markdown written once in content/blocks/ and used by many articles.

An article file asks for a block with a line of its own, ``{{ emergency-steps }}``. Importing
writes the block's text in its place, so a revision holds every word readers see and a
reviewer checks (frozen like the rest of the body); exporting puts the line back wherever the
block's exact text stands. The emergency steps live here so that no two articles can give
different steps: ``check_content`` requires the block in every section that sends readers to
911 (see :func:`kratom_info.articles.content_checks.emergency_sections_carry_shared_block`).

English blocks are ``content/blocks/<name>.md``; their Spanish versions are
``content/es/blocks/<name>.md``, translated like an article (same keys, same numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from kratom_info.citations.importing import ContentError

BLOCKS_DIR = "blocks"
SOURCE_LANGUAGE = "en"
EMERGENCY_STEPS = "emergency-steps"
BLOCK_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A block line: the block's name in double braces, alone on its line.
BLOCK_LINE_RE = re.compile(r"^[ \t]*\{\{[ \t]*([A-Za-z0-9_-]+)[ \t]*\}\}[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    name: str
    language: str
    path: Path
    text: str  # the Markdown, without leading or trailing blank lines

    @property
    def line(self) -> str:
        """The line an article file writes to use this block."""
        return block_line(self.name)


def block_line(name: str) -> str:
    return "{{ " + name + " }}"


def blocks_folder(root: Path, language: str) -> Path:
    return root / BLOCKS_DIR if language == SOURCE_LANGUAGE else root / language / BLOCKS_DIR


def load_blocks(root: Path, language: str = SOURCE_LANGUAGE) -> dict[str, Block]:
    """The blocks of one language under ``root`` (none is fine); raise ContentError naming a
    file that cannot be read, is badly named, is empty, or holds a heading or a block line."""
    folder = blocks_folder(root, language)
    blocks: dict[str, Block] = {}
    if not folder.is_dir():
        return blocks
    for path in sorted(folder.glob("*.md")):
        name = path.stem
        if not BLOCK_NAME_RE.match(name):
            raise ContentError(
                path, None, f"block name {name!r} must be lowercase words joined by '-'"
            )
        try:
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n").strip("\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise ContentError(path, None, f"cannot read file: {exc}") from exc
        if not text.strip():
            raise ContentError(path, 1, "the block is empty")
        for number, line in enumerate(text.split("\n"), start=1):
            if re.match(r"^\s{0,3}#{1,6}\s", line):
                # A block sits inside the article's own section; a heading would split it.
                raise ContentError(path, number, "a block cannot hold a heading")
            if BLOCK_LINE_RE.match(line):
                raise ContentError(path, number, "a block cannot use another block")
        blocks[name] = Block(name=name, language=language, path=path, text=text)
    return blocks


@cache
def site_blocks(language: str = SOURCE_LANGUAGE) -> dict[str, Block]:
    """The blocks that ship with the site (content/ in the project folder), for checks on
    revisions written in the admin."""
    return load_blocks(Path(settings.BASE_DIR) / "content", language)


def block_lines(body: str) -> list[tuple[int, str]]:
    """(1-based line, block name) for every block line in ``body``."""
    return [
        (body.count("\n", 0, match.start()) + 1, match.group(1))
        for match in BLOCK_LINE_RE.finditer(body)
    ]


def expand_blocks(
    body: str, blocks: dict[str, Block], *, path: Path | None = None, line_offset: int = 0
) -> str:
    """``body`` with every block line replaced by its block's text. Raises ContentError at
    the line of a block that does not exist."""
    for line, name in block_lines(body):
        if name not in blocks:
            known = ", ".join(sorted(blocks)) or "none"
            raise ContentError(
                path, line + line_offset, f"unknown block {name!r} (blocks: {known})"
            )
    return BLOCK_LINE_RE.sub(lambda match: blocks[match.group(1)].text, body)


def collapse_blocks(body: str, blocks: dict[str, Block]) -> str:
    """The reverse of :func:`expand_blocks`: each block's exact text, standing as whole lines,
    becomes its block line again. Text that differs from the block by one character stays
    as written (and ``check_content`` then reports the section that lacks the block)."""
    for block in sorted(blocks.values(), key=lambda b: len(b.text), reverse=True):
        pattern = re.compile(r"(?m)^" + re.escape(block.text) + r"$")
        body = pattern.sub(lambda _match, line=block.line: line, body)
    return body


def contains_block(text: str, block: Block) -> bool:
    """Whether ``text`` uses ``block``: its block line, or its exact text as whole lines."""
    if any(name == block.name for _line, name in block_lines(text)):
        return True
    return re.search(r"(?m)^" + re.escape(block.text) + r"$", text) is not None
