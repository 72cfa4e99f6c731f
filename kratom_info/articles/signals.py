"""Signals that let the layers above articles react to an import, without articles knowing
about them (the editorial app records imports in its audit trail, so every article's trail
starts at its first version)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside ``import_content``'s transaction for every revision it created from a file or
#: published without review. Arguments: ``revision``, ``action`` ("created" or "published"),
#: ``run_by`` (who ran the command: the operating-system user name, or "" when unknown).
revision_imported = Signal()
