"""Locators: where in a source a claim is supported (``[@key, p. 4]``, ``[@key, table 2]``).

Authors write them in English in both languages (a translation keeps the original's markers,
so its citations compare equal); readers see the labels in the page's language. Only a label
at the start of a part ("table 2; fig. 1") is translated; anything else is shown as written.
"""

from __future__ import annotations

import re

from django.utils.translation import pgettext_lazy

# Label as written (case folded) -> the label readers see.
LABELS = {
    "p.": pgettext_lazy("locator", "p."),
    "pp.": pgettext_lazy("locator", "pp."),
    "page": pgettext_lazy("locator", "page"),
    "pages": pgettext_lazy("locator", "pages"),
    "table": pgettext_lazy("locator", "table"),
    "tables": pgettext_lazy("locator", "tables"),
    "fig.": pgettext_lazy("locator", "fig."),
    "figs.": pgettext_lazy("locator", "figs."),
    "figure": pgettext_lazy("locator", "figure"),
    "abstract": pgettext_lazy("locator", "abstract"),
    "sec.": pgettext_lazy("locator", "sec."),
    "section": pgettext_lazy("locator", "section"),
    "para": pgettext_lazy("locator", "para"),
    "para.": pgettext_lazy("locator", "para."),
    "paragraph": pgettext_lazy("locator", "paragraph"),
    "chap.": pgettext_lazy("locator", "chap."),
    "chapter": pgettext_lazy("locator", "chapter"),
    "box": pgettext_lazy("locator", "box"),
    "results": pgettext_lazy("locator", "results"),
    "methods": pgettext_lazy("locator", "methods"),
    "discussion": pgettext_lazy("locator", "discussion"),
    "introduction": pgettext_lazy("locator", "introduction"),
    "conclusions": pgettext_lazy("locator", "conclusions"),
    "summary": pgettext_lazy("locator", "summary"),
}
# A part of a locator: its first word (a label or not), then the rest up to the next ";" or ",".
_PART_RE = re.compile(r"(?P<lead>^|[;,]\s*)(?P<word>[^\W\d_]+\.?)(?=\s|$|[;,])")
MAX_LENGTH = 200


def _translate(match: re.Match) -> str:
    word = match["word"]
    label = LABELS.get(word.casefold())
    if label is None:
        return match.group(0)
    shown = str(label)
    if word[:1].isupper():
        shown = shown[:1].upper() + shown[1:]
    return match["lead"] + shown


def locator_display(locator: str) -> str:
    """The locator as readers of the active language see it: 'table 2' -> 'tabla 2' in
    Spanish. Unknown words are left as written."""
    return _PART_RE.sub(_translate, locator.strip())


def normalise_locator(locator: str) -> str:
    """Whitespace collapsed: what 'the same locator' means when a reviewer confirms one."""
    return " ".join(locator.split())


def authors_locators(items) -> dict[str, str]:
    """key -> the locators written for it in one claim ("p. 4; table 2" when a key is cited
    twice at different places), in order, for citation items (``CitationItem``)."""
    found: dict[str, list[str]] = {}
    for item in items:
        places = found.setdefault(item.key, [])
        locator = normalise_locator(item.locator)
        if locator and locator not in places:
            places.append(locator)
    return {key: "; ".join(places) for key, places in found.items()}


__all__ = ["LABELS", "MAX_LENGTH", "authors_locators", "locator_display", "normalise_locator"]
