"""The check's cited texts as HTML, through the site's one Markdown renderer.

Unlike a revision, these texts are rendered when the page is built: the result page depends on
the answers and may never be cached or stored, and the texts are a few hundred words.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kratom_info.articles.rendering import Rendered, render_markdown, sources_for
from kratom_info.tools.content import CheckContent
from kratom_info.tools.scoring import CheckResult


def _render(text: str) -> Rendered:
    return render_markdown(text, sources_for(text))


def render_intro(content: CheckContent) -> Rendered:
    return _render(content.intro)


def result_markdown(content: CheckContent, result: CheckResult) -> str:
    """One document, so that citations are numbered once and share one reference list. The
    headings are in the active language, like the texts the view loaded for it."""
    parts = [result.band.text]
    if result.yes:
        parts.append("## " + _("The signs you answered yes to"))
        parts.append(
            "\n".join(
                f"- **{question.text}**" + (f" {question.note}" if question.note else "")
                for question in result.yes
            )
        )
    parts.append("## " + _("Levels of care"))
    for level in content.care_levels:
        parts.append(f"### {level.title}\n\n{level.text}")
    return "\n\n".join(parts) + "\n"


def render_result(content: CheckContent, result: CheckResult) -> Rendered:
    return _render(result_markdown(content, result))
