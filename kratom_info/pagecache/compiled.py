"""Querysets compiled to SQL once per database connection and run again with new values.

Django turns a queryset into SQL on every evaluation. For the article page's query (an article,
its live version, that version's author and publication, the review schedule: five tables, sixty
columns) that compilation costs several times what the database spends running it, on every page
not cached yet. A :class:`CompiledQuery` compiles once per connection, with placeholders for the
values that change, and then hands Django's own row-to-object code (``ModelIterable``) the same
SQL with the request's values: the objects are exactly those the queryset would give.
"""

from __future__ import annotations

import copy
import weakref
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable


def placeholder(name: str) -> str:
    """The stand-in value for ``name`` in a queryset given to :class:`CompiledQuery`."""
    return f"\x00{name}\x00"


class CompiledQuery:
    """``queryset`` (filtered with :func:`placeholder` values) compiled once per connection.

    ``fetch(name=value, ...)`` returns the list the queryset would return with those values in
    place of the placeholders; ``get(...)`` the one object, or raises the model's DoesNotExist.
    Only for plain model querysets (no ``values()``, no prefetching)."""

    def __init__(self, queryset: QuerySet, *names: str):
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise ValueError("CompiledQuery takes a plain model queryset without prefetching.")
        self.queryset = queryset
        self.names = names
        # One compiled copy per connection (each thread has its own), dropped with it.
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _compile(self, connection) -> tuple[Any, str, tuple, list[tuple[int, str]], QuerySet]:
        compiler = self.queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        # The columns' converters (dates, booleans...) depend only on the columns: found once.
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        compiler.get_converters = lambda expressions: converters
        slots = {placeholder(name): name for name in self.names}
        positions = [(i, slots[value]) for i, value in enumerate(params) if value in slots]
        missing = set(self.names) - {name for _, name in positions}
        if missing:
            raise ValueError(f"placeholders not found in the query's parameters: {missing}")
        # A copy of the queryset that ModelIterable reads; its query hands out the compiler.
        runner = self.queryset._chain()
        runner.query = self.queryset.query.clone()
        return compiler, sql, tuple(params), positions, runner

    def fetch(self, **values: Any) -> list[Model]:
        if set(values) != set(self.names):
            raise TypeError(f"expected values for {sorted(self.names)}, got {sorted(values)}")
        connection = connections[self.queryset.db]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        compiler, sql, params, positions, runner = compiled
        params = list(params)
        for i, name in positions:
            params[i] = values[name]
        run = copy.copy(compiler)
        run.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        # Used by this connection's thread only, so setting it for this call is safe.
        runner.query.get_compiler = lambda *args, **kwargs: run
        return list(ModelIterable(runner))

    def get(self, **values: Any) -> Model:
        found = self.fetch(**values)
        if len(found) == 1:
            return found[0]
        model = self.queryset.model
        if not found:
            raise model.DoesNotExist(f"No {model._meta.object_name} matches {values}.")
        raise model.MultipleObjectsReturned(f"More than one {model._meta.object_name}: {values}.")
