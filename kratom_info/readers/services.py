"""Writes for error reports: a reader submits, an editor resolves."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_info.articles.models import Article, Revision
from kratom_info.editorial.roles import AUTHOR, PUBLISHER, REVIEWER
from kratom_info.readers.models import (
    LOCATION_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    ErrorReport,
    ReportRateCount,
    ReportStatus,
)


class ReportRateLimited(Exception):
    """Raised when one address has sent too many reports in the last hour."""


def _address_hash(client_address: str) -> str:
    # Only a keyed hash of the address is kept, and only for the window's length.
    return hashlib.sha256(f"{settings.SECRET_KEY}:{client_address}".encode()).hexdigest()


def _window_start(now: datetime.datetime) -> datetime.datetime:
    """The start of the fixed window (ERROR_REPORT_RATE_WINDOW seconds) that ``now`` is in."""
    window = settings.ERROR_REPORT_RATE_WINDOW
    start = int(now.timestamp()) // window * window
    return datetime.datetime.fromtimestamp(start, tz=datetime.UTC)


@transaction.atomic
def report_rate_check(*, client_address: str) -> None:
    """Count one report from ``client_address``; raise ReportRateLimited past the limit.

    Counted in the database (ReportRateCount), in fixed windows: every worker and server
    shares the count, and no amount of page traffic evicts it, as it could from a cache.
    Rows of past windows are deleted as new reports come in."""
    window_start = _window_start(timezone.now())
    ReportRateCount.objects.filter(window_start__lt=window_start).delete()
    row, _created = ReportRateCount.objects.get_or_create(
        address_hash=_address_hash(client_address), window_start=window_start
    )
    # Locked, so that reports sent at the same moment through other workers wait their turn.
    row = ReportRateCount.objects.select_for_update().get(pk=row.pk)
    if row.count >= settings.ERROR_REPORT_RATE_LIMIT:
        raise ReportRateLimited(
            _(
                "Too many reports from your address: at most %(limit)s an hour. Please try "
                "again later."
            )
            % {"limit": settings.ERROR_REPORT_RATE_LIMIT}
        )
    row.count += 1
    row.save(update_fields=["count"])


@transaction.atomic
def error_report_submit(
    *,
    article: Article,
    revision: Revision,
    message: str,
    location: str = "",
    email: str = "",
    client_address: str,
) -> ErrorReport:
    """Store a reader's report on ``revision`` (a published version of ``article``).

    Raises ValidationError naming the field for bad input, ReportRateLimited past the limit;
    their messages are for the reader, in the language active for the request.
    """
    message, location, email = message.strip(), location.strip(), email.strip()
    errors = {}
    if not message:
        errors["message"] = _("Please say what is wrong.")
    elif len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = _("Please keep it under %(limit)s characters.") % {
            "limit": MESSAGE_MAX_LENGTH
        }
    if len(location) > LOCATION_MAX_LENGTH:
        errors["location"] = _("Please keep it under %(limit)s characters.") % {
            "limit": LOCATION_MAX_LENGTH
        }
    if revision.article_id != article.pk or not revision.is_public:
        errors["version"] = _("That version of the article is not published.")
    if errors:
        raise ValidationError(errors)
    report_rate_check(client_address=client_address)
    report = ErrorReport(
        article=article, revision=revision, message=message, location=location, email=email
    )
    report.full_clean()
    report.save()
    return report


def can_handle_reports(user) -> bool:
    """Editors (any editorial role, or the explicit permission) work the report queue."""
    return bool(
        user.is_active
        and user.is_staff
        and (
            user.is_superuser
            or user.has_perm("readers.change_errorreport")
            or user.groups.filter(name__in=[AUTHOR, REVIEWER, PUBLISHER]).exists()
        )
    )


@transaction.atomic
def error_report_resolve(
    *,
    report: ErrorReport,
    user,
    status: str,
    fixed_in: Revision | None = None,
    note: str | None = None,
) -> ErrorReport:
    """Accept, decline or mark a report fixed (in a published version of the same article)."""
    if not can_handle_reports(user):
        raise PermissionDenied("Only editors may resolve error reports.")
    if status not in ReportStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if status == ReportStatus.FIXED:
        if fixed_in is None:
            raise ValidationError({"fixed_in": "Name the published version that fixes it."})
        if fixed_in.article_id != report.article_id or not fixed_in.is_public:
            raise ValidationError(
                {"fixed_in": "The fixing version must be a published version of this article."}
            )
    else:
        fixed_in = None
    report = ErrorReport.objects.select_for_update().get(pk=report.pk)
    report.status, report.fixed_in = status, fixed_in
    if note is not None:
        report.editor_note = note
    report.save(update_fields=["status", "fixed_in", "editor_note", "updated_at"])
    return report
