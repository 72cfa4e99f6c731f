"""When an article's next review is due: the default, the dates allowed, and setting it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from kratom_info.articles.models import Article
from kratom_info.editorial.models import (
    AuditAction,
    ReviewSchedule,
)
from kratom_info.editorial.services.guards import (
    MAX_REVIEW_AHEAD_YEARS,
    PERM_SCHEDULE,
    EditorialError,
    _audit,
    _require,
)
from kratom_info.pagecache.generation import public_content_changed


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_next_review_due(published: datetime.date | None = None) -> datetime.date:
    """Twelve months after publication (28 February for a 29 February publication)."""
    return _years_after(published or timezone.localdate(), 1)


def next_review_due_range(
    today: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """The dates a next review may be due on: from tomorrow to three years ahead. A review
    date in the past or decades away would tell readers nothing."""
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=1), _years_after(today, MAX_REVIEW_AHEAD_YEARS)


def next_review_due_problem(next_review_due: datetime.date | None) -> str | None:
    """Why ``next_review_due`` is not an acceptable review date, or None."""
    if next_review_due is None:
        return "Set a next-review-due date."
    earliest, latest = next_review_due_range()
    if not earliest <= next_review_due <= latest:
        return (
            f"The next review must be due between tomorrow ({earliest:%Y-%m-%d}) and "
            f"{MAX_REVIEW_AHEAD_YEARS} years ahead ({latest:%Y-%m-%d}); "
            f"{next_review_due:%Y-%m-%d} is outside that range."
        )
    return None


@transaction.atomic
def review_schedule_set(
    *, article: Article, user, next_review_due: datetime.date
) -> ReviewSchedule:
    """Move an article's next-review-due date (between tomorrow and three years ahead)."""
    _require(user, PERM_SCHEDULE, "change review dates")
    problem = next_review_due_problem(next_review_due)
    if problem:
        raise EditorialError(problem)
    schedule = ReviewSchedule.objects.select_for_update().filter(article=article).first()
    before = schedule.next_review_due if schedule else None
    schedule, _ = ReviewSchedule.objects.update_or_create(
        article=article, defaults={"next_review_due": next_review_due}
    )
    public_content_changed(articles=[article])  # the live page shows the date
    _audit(
        user=user,
        action=AuditAction.REVIEW_DATE_CHANGED,
        article=article,
        revision=article.live_revision,
        detail=f"From {before or 'unset'} to {next_review_due:%Y-%m-%d}.",
    )
    return schedule
