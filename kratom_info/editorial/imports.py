"""The audit trail of imports from content/: the editorial side of
:data:`kratom_info.articles.signals.revision_imported` (connected in the app config)."""

from __future__ import annotations

from kratom_info.editorial.models import AuditAction, AuditEvent


def record_revision_import(*, revision, action: str, run_by: str = "", **_) -> AuditEvent:
    """The audit event for a revision ``import_content`` created or published without review
    (connected to :data:`~kratom_info.articles.signals.revision_imported`), so an imported
    article's trail starts at its first version. Nobody signed in ran it: the detail names
    the operating-system user who ran the command."""
    who = f"OS user {run_by!r}" if run_by else "an unknown OS user"
    if action == "published":
        return AuditEvent.objects.create(
            article=revision.article,
            revision=revision,
            action=AuditAction.PUBLISHED_UNREVIEWED,
            detail=f"import_content run by {who} published v{revision.number} as public "
            f"version {revision.public_number}, without review (its page says so).",
        )
    return AuditEvent.objects.create(
        article=revision.article,
        revision=revision,
        action=AuditAction.IMPORTED,
        detail=f"import_content run by {who} created v{revision.number} from content/. "
        f"{revision.change_note}",
    )
