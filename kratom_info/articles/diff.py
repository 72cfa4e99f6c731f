"""Word-level differences between two revisions, for readers and reviewers."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kratom_info.articles.models import Revision

TOKEN_RE = re.compile(r"\s+|[^\s]+")
# The labels make a change readable without colour, strike-through or CSS.
DELETED = '<del><span class="diff-label">[removed: </span>{}<span class="diff-label">]</span></del>'
INSERTED = '<ins><span class="diff-label">[added: </span>{}<span class="diff-label">]</span></ins>'


@dataclass
class DiffResult:
    html: SafeString
    words_added: int
    words_removed: int

    @property
    def has_changes(self) -> bool:
        return bool(self.words_added or self.words_removed)


def _revision_text(revision: Revision) -> str:
    points = "\n".join(f"- {point}" for point in revision.key_points)
    parts = [f"# {revision.title}", revision.summary, revision.main_message, points, revision.body]
    return "\n\n".join(part for part in parts if part)


def word_diff(old: str, new: str) -> DiffResult:
    """Escaped HTML of ``new`` with insertions in <ins> and deletions in <del>, each with a text
    label so the change is clear without colour or strike-through."""
    old_tokens, new_tokens = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    out: list[str] = []
    added = removed = 0
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(format_html("{}", "".join(new_tokens[b1:b2])))
            continue
        if op in ("delete", "replace"):
            text = "".join(old_tokens[a1:a2])
            removed += len(text.split())
            out.append(format_html(DELETED, text))
        if op in ("insert", "replace"):
            text = "".join(new_tokens[b1:b2])
            added += len(text.split())
            out.append(format_html(INSERTED, text))
    return DiffResult(mark_safe("".join(out)), added, removed)  # noqa: S308 (all parts escaped)


def revision_diff(old: Revision, new: Revision) -> DiffResult:
    return word_diff(_revision_text(old), _revision_text(new))
