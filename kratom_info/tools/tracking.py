"""The weekly tracking sheet's table: one definition for the printed sheet and the blank CSV.

The columns are fixed here rather than in content/: the CSV is a data format that people keep
in spreadsheets for weeks, so its header must not drift when the sheet's wording is edited.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

DAYS = 7
PRODUCT_FORMS = ("leaf powder", "capsule", "extract", "7-OH product")
REASONS = ("pain", "energy", "mood", "sleep", "withdrawal", "habit", "other")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the CSV header and the printed column heading
    choices: tuple[str, ...] = ()  # printed under the heading, to circle
    hint: str = ""  # printed under the heading


MOOD_HINT = "0 very low, 10 very good"
ANXIETY_HINT = "0 calm, 10 very anxious"

COLUMNS = (
    Column("when", "Date and time"),
    Column("product", "Product: name and form", choices=PRODUCT_FORMS),
    Column("amount", "Amount"),
    Column("why", "Why I took it", choices=REASONS),
    Column("mood_before", "Mood before (0-10)", hint=MOOD_HINT),
    Column("mood_after", "Mood after (0-10)", hint=MOOD_HINT),
    Column("anxiety_before", "Anxiety before (0-10)", hint=ANXIETY_HINT),
    Column("anxiety_after", "Anxiety after (0-10)", hint=ANXIETY_HINT),
    Column("sleep", "Sleep that night"),
)


def blank_csv() -> str:
    """The header row alone: a spreadsheet adds rows as they are filled in."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(column.label for column in COLUMNS)
    return buffer.getvalue()
