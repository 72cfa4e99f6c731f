"""The weekly tracking sheet's table: one definition for the printed sheet and the blank CSV.

The columns are fixed here rather than in content/: the CSV is a data format that people keep
in spreadsheets for weeks, so its header must not drift when the sheet's wording is edited.
Their words are translated in the gettext catalogue (context "tracking sheet"), so that the
Spanish sheet and CSV are headed in Spanish; for the same reason, never reword a column's
translation once it is published.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

DAYS = 7
# Lines per day on the printed sheet: one for each time kratom is taken, most days.
LINES_PER_DAY = 3
PRODUCT_FORMS = (
    pgettext_lazy("tracking sheet", "leaf powder"),
    pgettext_lazy("tracking sheet", "capsule"),
    pgettext_lazy("tracking sheet", "extract"),
    pgettext_lazy("tracking sheet", "7-OH product"),
)
REASONS = (
    pgettext_lazy("tracking sheet", "pain"),
    pgettext_lazy("tracking sheet", "energy"),
    pgettext_lazy("tracking sheet", "mood"),
    pgettext_lazy("tracking sheet", "sleep"),
    pgettext_lazy("tracking sheet", "withdrawal"),
    pgettext_lazy("tracking sheet", "habit"),
    pgettext_lazy("tracking sheet", "other"),
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the CSV header and the printed column heading
    choices: tuple[str, ...] = ()  # printed under the heading, to pick from
    hint: str = ""  # printed under the heading
    per_day: bool = False  # one box per day on the printed sheet, not one per line


MOOD_HINT = pgettext_lazy("tracking sheet", "0 very low, 10 very good")
ANXIETY_HINT = pgettext_lazy("tracking sheet", "0 calm, 10 very anxious")

COLUMNS = (
    Column("when", pgettext_lazy("tracking sheet", "Date and time")),
    Column("product", pgettext_lazy("tracking sheet", "Product: name and form"),
           choices=PRODUCT_FORMS),
    Column("amount", pgettext_lazy("tracking sheet", "Amount")),
    Column("why", pgettext_lazy("tracking sheet", "Why I took it"), choices=REASONS),
    Column("mood_before", pgettext_lazy("tracking sheet", "Mood before (0-10)"), hint=MOOD_HINT),
    Column("mood_after", pgettext_lazy("tracking sheet", "Mood after (0-10)"), hint=MOOD_HINT),
    Column("anxiety_before", pgettext_lazy("tracking sheet", "Anxiety before (0-10)"),
           hint=ANXIETY_HINT),
    Column("anxiety_after", pgettext_lazy("tracking sheet", "Anxiety after (0-10)"),
           hint=ANXIETY_HINT),
    Column("sleep", pgettext_lazy("tracking sheet", "Sleep that night"), per_day=True),
)  # fmt: skip

# Excel reads a CSV in the computer's old code page unless the file starts with a UTF-8
# byte-order mark; the English header is plain ASCII and needs none.
UTF8_BOM = "\ufeff"


def blank_csv() -> str:
    """The header row alone, in the active language: a spreadsheet adds rows as they are
    filled in."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(str(column.label) for column in COLUMNS)
    header = buffer.getvalue()
    return header if header.isascii() else UTF8_BOM + header
