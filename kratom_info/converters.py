"""Path converters shared by the apps' URLs.

``<number:...>`` is Django's ``<int:...>`` bounded by what an integer column holds: a number
no row can have (``/diff/1/99999999999999999999/``) matches no address, so it is a 404 on
every database instead of an overflow error inside the query (SQLite raises on numbers past
64 bits). Importing this module registers it.
"""

from __future__ import annotations

from django.urls import register_converter

# The largest value of an IntegerField / PositiveIntegerField on every supported database
# (PostgreSQL's integer). Versions, public numbers and primary keys all stay far below it.
DATABASE_INTEGER_MAX = 2**31 - 1


def database_integer(value: str) -> int:
    """``value`` (digits from an address) as an int that a database integer column can hold;
    ValueError otherwise."""
    if not value.isascii() or not value.isdigit() or len(value) > len(str(DATABASE_INTEGER_MAX)):
        raise ValueError(f"{value!r} is not a number a database row can have")
    number = int(value)
    if number > DATABASE_INTEGER_MAX:
        raise ValueError(f"{value!r} is not a number a database row can have")
    return number


class DatabaseIntegerConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return database_integer(value)  # ValueError: the address does not match, a 404

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatabaseIntegerConverter, "number")
