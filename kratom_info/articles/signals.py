"""Signals that let the layers above articles react to an import or a change of live version,
without articles knowing about them (the editorial app records imports in its audit trail, so
every article's trail starts at its first version; the readers app keeps its search index)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside ``import_content``'s transaction for every revision it created from a file or
#: published without review. Arguments: ``revision``, ``action`` ("created" or "published"),
#: ``run_by`` (who ran the command: the operating-system user name, or "" when unknown).
revision_imported = Signal()

#: Sent inside the transaction that changed which version of an article readers see: a publish
#: (``revision_make_live``) or taking the article offline (editorial's ``article_unpublish``).
#: Arguments: ``article_id``. Receivers write in the same transaction, so they change with it
#: or not at all.
live_revision_changed = Signal()
