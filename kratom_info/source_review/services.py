"""Changing the bibliography: a new source or new values for a source are proposed by one
person, approved (or rejected) by another, and recorded in the audit trail. Only approval
writes to the :class:`~kratom_info.citations.models.Source` row, so the public source pages
never show values nobody checked. Revisions submitted earlier keep their frozen reference
lists either way.

Like :mod:`kratom_info.editorial.services` (whose errors and permission checks these share),
every function is atomic, permission-checked and audited, and the four-eyes rule binds
superusers too. The admin and the tests call these.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kratom_info.citations.models import Source
from kratom_info.citations.signals import announce_public_change
from kratom_info.editorial.models import AuditAction, AuditEvent
from kratom_info.editorial.services.guards import (
    PERM_DECIDE_SOURCE,
    EditorialError,
    FourEyesViolation,
    _require,
)
from kratom_info.source_review.models import SourceChange, SourceChangeDecision, SourceChangeStatus

PERM_PROPOSE_SOURCE = "source_review.propose_source_change"
DETAIL_VALUE_CHARS = 120


class InvalidSourceChange(EditorialError):
    """The proposed values cannot be stored; ``reasons`` names each bad field."""


def _audit(*, user, action: str, source: Source, detail: str) -> AuditEvent:
    return AuditEvent.objects.create(source=source, user=user, action=action, detail=detail)


def _short(value: object) -> str:
    text = "empty" if value in (None, "") else repr(value)
    return text if len(text) <= DETAIL_VALUE_CHARS else text[: DETAIL_VALUE_CHARS - 1] + "…"


def differences(before: Mapping, after: Mapping) -> dict[str, tuple[object, object]]:
    """field name -> (before, after) for every field whose value differs."""
    return {
        name: (before.get(name), value)
        for name, value in after.items()
        if value != before.get(name)
    }


def describe_changes(changes: Mapping[str, tuple[object, object]]) -> str:
    """'title: 'Old' → 'New'; url: empty → '…'' for an audit event's detail."""
    return "; ".join(
        f"{name}: {_short(old)} → {_short(new)}" for name, (old, new) in changes.items()
    )


def _validated(source: Source, values: Mapping[str, object], *, check_key: bool) -> Source:
    """``source`` with ``values`` applied (in memory) and validated like the admin form does;
    raises :class:`InvalidSourceChange` listing every problem."""
    fields = Source.reviewable_fields()
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise InvalidSourceChange(
            f"Unknown or non-reviewable source field(s): {', '.join(unknown)}.",
            [f"'{name}' is not a field a source change can set." for name in unknown],
        )
    reasons = []
    for name, value in values.items():
        try:
            setattr(source, name, Source._meta.get_field(name).to_python(value))
        except ValidationError as exc:
            reasons.append(f"{name}: {' '.join(exc.messages)}")
    if not reasons:
        try:
            source.full_clean(exclude=None if check_key else ["key"])
        except ValidationError as exc:
            reasons = [
                f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                for name, messages in exc.message_dict.items()
            ]
    if reasons:
        raise InvalidSourceChange("The proposed source values are not valid.", reasons)
    return source


@transaction.atomic
def source_change_propose(
    *,
    user,
    values: Mapping[str, object],
    source: Source | None = None,
    key: str = "",
    note: str = "",
) -> SourceChange:
    """Propose new values for ``source``, or (``source=None``) a new source with ``key``.

    Nothing public changes: a new source is stored unapproved (drafts may cite it, but no
    revision citing it can be submitted or published, and the public pages do not list it),
    and an existing source keeps its values until :func:`source_change_approve`.
    """
    _require(user, PERM_PROPOSE_SOURCE, "propose sources or source changes")
    note = note.strip()
    if source is None:
        if not key:
            raise InvalidSourceChange("A new source needs a citation key.")
        candidate = _validated(Source(key=key.strip()), values, check_key=True)
        try:
            candidate.save()  # approved=False: invisible to readers until approved
        except IntegrityError as exc:  # the same key proposed at the same moment
            raise InvalidSourceChange(f"The key {candidate.key} is already taken.") from exc
        snapshot = candidate.reviewable_values()
        change = SourceChange.objects.create(
            source=candidate,
            creates_source=True,
            values=snapshot,
            based_on=snapshot,
            note=note,
            proposed_by=user,
        )
        _audit(
            user=user,
            action=AuditAction.SOURCE_PROPOSED,
            source=candidate,
            detail=f"Change #{change.pk}: new source {candidate.key}."
            + (f" {note}" if note else ""),
        )
        return change
    if key and key != source.key:
        raise InvalidSourceChange(
            f"A source's key never changes ({source.key}): every citation depends on it."
        )
    current = Source.objects.select_for_update().get(pk=source.pk)
    based_on = current.reviewable_values()
    proposed = _validated(current, values, check_key=False).reviewable_values()
    changes = differences(based_on, proposed)
    if not changes:
        raise InvalidSourceChange(f"The proposal changes nothing in {source.key}.")
    change = SourceChange.objects.create(
        source=current, values=proposed, based_on=based_on, note=note, proposed_by=user
    )
    _audit(
        user=user,
        action=AuditAction.SOURCE_PROPOSED,
        source=current,
        detail=f"Change #{change.pk}: {describe_changes(changes)}." + (f" {note}" if note else ""),
    )
    return change


def _locked_pending(change: SourceChange, action: str) -> tuple[SourceChange, Source]:
    """The source locked (serialising every decision on it) and the change re-read."""
    source = Source.objects.select_for_update().get(pk=change.source_id)
    change = SourceChange.objects.select_related("proposed_by").get(pk=change.pk)
    if SourceChangeDecision.objects.filter(change=change).exists():
        raise EditorialError(f"Cannot {action} {change}: it was already decided.")
    return change, source


@transaction.atomic
def source_change_approve(*, change: SourceChange, user, note: str = "") -> SourceChangeDecision:
    """Approve a proposed source change and write its values to the source in the same
    transaction (a new source becomes public). Refused for the proposer, and for whoever
    proposed a not-yet-approved source the change builds on (four-eyes rule); refused if the
    source changed after the proposal (propose again from its current values).

    This is the one place an editor's source change reaches readers: page caches are told
    through :func:`kratom_info.citations.signals.announce_public_change` once it commits."""
    _require(user, PERM_DECIDE_SOURCE, "approve source changes")
    change, source = _locked_pending(change, "approve")
    if change.proposed_by_id == user.pk:
        raise FourEyesViolation(
            f"You proposed {change}, so you cannot approve it: someone else must check it "
            "(four-eyes rule)."
        )
    if not source.approved:
        creators = source.changes.filter(creates_source=True).values_list(
            "proposed_by_id", flat=True
        )
        if user.pk in creators:
            raise FourEyesViolation(
                f"You proposed the source {source.key}, which is not approved yet, so you "
                f"cannot approve {change}: someone else must check it (four-eyes rule)."
            )
    if change.is_stale(source):
        raise EditorialError(
            f"Cannot approve {change}: {source.key} has changed since it was proposed. "
            "Reject it and propose the change again from the current values."
        )
    before = source.reviewable_values()
    _validated(source, change.values, check_key=False)
    was_public = source.approved
    source.approved = True
    source.save()
    decision = SourceChangeDecision.objects.create(
        change=change, decision=SourceChangeStatus.APPROVED, decided_by=user, note=note.strip()
    )
    changes = differences(before, source.reviewable_values())
    summary = describe_changes(changes) if changes else "no field changed"
    _audit(
        user=user,
        action=AuditAction.SOURCE_APPROVED,
        source=source,
        detail=f"Change #{change.pk} by {change.proposed_by.get_username()}"
        + ("" if was_public else "; the source is now public")
        + f": {summary}."
        + (f" {decision.note}" if decision.note else ""),
    )
    announce_public_change(source=source)
    return decision


@transaction.atomic
def source_change_reject(*, change: SourceChange, user, note: str) -> SourceChangeDecision:
    """Reject a proposed source change with a note the proposer sees; the source keeps its
    values (a rejected new source stays unpublished)."""
    _require(user, PERM_DECIDE_SOURCE, "reject source changes")
    if not note.strip():
        raise EditorialError("Tell the proposer why: a note is required to reject a change.")
    change, source = _locked_pending(change, "reject")
    decision = SourceChangeDecision.objects.create(
        change=change, decision=SourceChangeStatus.REJECTED, decided_by=user, note=note.strip()
    )
    _audit(
        user=user,
        action=AuditAction.SOURCE_REJECTED,
        source=source,
        detail=f"Change #{change.pk} by {change.proposed_by.get_username()}: {decision.note}",
    )
    return decision


def record_source_import(
    *, source: Source, created: bool, changes: Mapping[str, tuple[object, object]], **_
) -> AuditEvent:
    """The audit event for a source created or changed by ``import_content`` (connected to
    :data:`~kratom_info.citations.signals.source_imported` in this app's config)."""
    if created:
        detail = f"Created {source.key} from content/sources.yaml."
    elif changes:
        detail = f"Changed from content/sources.yaml: {describe_changes(changes)}."
    else:
        detail = f"Approved {source.key} as listed in content/sources.yaml."
    return _audit(user=None, action=AuditAction.SOURCE_IMPORTED, source=source, detail=detail)
