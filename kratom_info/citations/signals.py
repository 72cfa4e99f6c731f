"""Signals that let the layers above citations react to a source changing, without citations
knowing about them (the editorial app records imports in its audit trail; page caches can
listen for public changes)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

#: Sent inside the import's transaction for every source ``content/sources.yaml`` created or
#: changed. Arguments: ``source``, ``created`` (bool) and ``changes`` (field name ->
#: (old, new) JSON-ready values; empty for a new source).
source_imported = Signal()

#: Sent after the transaction that changed what the public source pages show about
#: ``source`` has committed: an approved source change, or an import. Page caches connect here.
source_public_changed = Signal()


def announce_public_change(*, source) -> None:
    """Mark every cached public page stale with the current transaction (source pages and the
    pages that list sources show the change), and send :data:`source_public_changed` for
    ``source`` once it commits (at once outside a transaction)."""
    from kratom_info.citations.models import Source
    from kratom_info.pagecache.generation import public_content_changed

    public_content_changed()
    transaction.on_commit(lambda: source_public_changed.send(sender=Source, source=source))
