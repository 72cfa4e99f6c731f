"""Reads for the editorial screens and the review-due report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Prefetch
from django.utils import timezone

from kratom_info.articles.models import Article, Revision, RevisionStatus
from kratom_info.articles.rendering import reference_entries
from kratom_info.citations.claims import extract_claims
from kratom_info.citations.models import Source
from kratom_info.citations.syntax import CitationSyntaxError, cited_keys
from kratom_info.editorial.models import Claim, ClaimCheck, ReviewSchedule, Verdict

DUE_SOON_DAYS = 30


def previous_published(revision: Revision) -> Revision | None:
    """The newest published (live or superseded) version before ``revision``: what a reviewer
    compares against. Normally the live version."""
    return (
        Revision.objects.public()
        .filter(article_id=revision.article_id, number__lt=revision.number)
        .order_by("-number")
        .first()
    )


def chain_authors(revision: Revision) -> dict[int, list[int]]:
    """Who wrote text that ``revision`` carries: author id -> the numbers of the revisions they
    wrote, from the first revision after the last published version up to ``revision`` itself.

    An article's revisions form one line (every draft starts from the newest revision), so
    each of these builds on the one before: whoever wrote any of them is an author of the text
    under review, however little the last author changed.
    """
    base = previous_published(revision)
    authors: dict[int, list[int]] = {}
    rows = (
        Revision.objects.filter(
            article_id=revision.article_id,
            number__gt=base.number if base else 0,
            number__lte=revision.number,
            author__isnull=False,
        )
        .order_by("number")
        .values_list("author_id", "number")
    )
    for author_id, number in rows:
        authors.setdefault(author_id, []).append(number)
    return authors


def claims_for_review(revision: Revision) -> list[Claim]:
    """The revision's claims with their checks (and checkers) loaded."""
    return list(
        revision.claims.prefetch_related(
            Prefetch("checks", queryset=ClaimCheck.objects.select_related("checked_by"))
        )
    )


@dataclass
class ReviewPace:
    """How one reviewer checked a revision's claims, for the publisher: how many claims,
    where the locators came from, and how fast. Counts the claims whose current verdict is
    theirs; the pace is measured over the verdicts they gave themselves (not carried over)."""

    reviewer: object
    claims_checked: int = 0
    carried_over: int = 0
    locators_given: int = 0  # the reviewer's own, different from the author's
    locators_confirmed: int = 0  # the author's, confirmed as written
    first_at: datetime.datetime | None = None
    last_at: datetime.datetime | None = None
    threshold: int = 20

    @property
    def elapsed(self) -> datetime.timedelta | None:
        if self.first_at is None or self.last_at is None:
            return None
        return self.last_at - self.first_at

    @property
    def seconds_per_claim(self) -> float | None:
        """Average time between verdicts; None with fewer than two (nothing to measure)."""
        if self.elapsed is None or self.claims_checked < 2:
            return None
        return self.elapsed.total_seconds() / (self.claims_checked - 1)

    @property
    def is_fast(self) -> bool:
        """Faster than ``EDITORIAL_FAST_REVIEW_SECONDS_PER_CLAIM`` on average."""
        pace = self.seconds_per_claim
        return pace is not None and pace < self.threshold


def review_paces(claims: list[Claim]) -> list[ReviewPace]:
    """One :class:`ReviewPace` per reviewer whose verdict is the current one on a claim, in
    order of their first verdict. ``claims`` come from :func:`claims_for_review`."""
    threshold = settings.EDITORIAL_FAST_REVIEW_SECONDS_PER_CLAIM
    paces: dict[int, ReviewPace] = {}
    for claim in claims:
        check = claim.current_check()
        if check is None:
            continue
        pace = paces.setdefault(
            check.checked_by_id, ReviewPace(reviewer=check.checked_by, threshold=threshold)
        )
        if check.carried_over_from_id:
            pace.carried_over += 1
            continue
        pace.claims_checked += 1
        if check.verdict == Verdict.SUPPORTED:
            confirmed = len(check.locators_confirmed())
            pace.locators_confirmed += confirmed
            pace.locators_given += (
                sum(1 for key in claim.keys if check.locator_for(key)) - confirmed
            )
        pace.first_at = min(filter(None, [pace.first_at, check.checked_at]))
        pace.last_at = max(filter(None, [pace.last_at, check.checked_at]))
    return sorted(
        paces.values(), key=lambda p: (p.first_at is None, p.first_at or datetime.datetime.min)
    )


def previous_reviewed(revision: Revision) -> Revision | None:
    """The newest version before ``revision`` that was published through review (it has a
    :class:`~kratom_info.editorial.models.Publication`): the only source of carried-over
    verdicts. Versions imported without review carry nothing: each claim must be seen once
    by a person."""
    return (
        Revision.objects.public()
        .filter(
            article_id=revision.article_id,
            number__lt=revision.number,
            publication__isnull=False,
        )
        .order_by("-number")
        .first()
    )


def earlier_checks(revision: Revision) -> dict[int, ClaimCheck]:
    """claim pk -> the current check of the claim with the same text hash and keys on the
    last reviewed version (:func:`previous_reviewed`), for claims unchanged since then."""
    base = previous_reviewed(revision)
    if base is None:
        return {}
    by_fingerprint: dict[tuple, ClaimCheck] = {}
    for claim in claims_for_review(base):
        check = claim.current_check()
        if check is not None:
            by_fingerprint.setdefault(claim.fingerprint, check)
    return {
        claim.pk: by_fingerprint[claim.fingerprint]
        for claim in revision.claims.all()
        if claim.fingerprint in by_fingerprint
    }


def frozen_references(revision: Revision) -> dict[str, tuple[int, str]]:
    """key -> (reference number, entry HTML) from the revision's stored reference list: what
    the reviewer checks is what readers get, even if a Source record changed since."""
    entries = reference_entries(revision.references_html)
    try:
        keys = cited_keys(revision.body)  # numbered in order of first citation, as rendered
    except CitationSyntaxError:
        return {}
    return {
        key: (number, entries[number])
        for number, key in enumerate(keys, start=1)
        if number in entries
    }


def fingerprints_of(revision: Revision | None) -> set[tuple[str, tuple[str, ...]]]:
    """(text hash, sorted keys) of every claim in ``revision``'s text, extracted afresh (a
    version imported without review has no stored claims): what 'unchanged' compares."""
    if revision is None:
        return set()
    try:
        return {(claim.hash, tuple(sorted(claim.keys))) for claim in extract_claims(revision.body)}
    except CitationSyntaxError:
        return set()


def reader_numbers(revision: Revision) -> dict[str, int]:
    """key -> the number readers see for it in ``revision`` (order of first citation)."""
    try:
        return {key: number for number, key in enumerate(cited_keys(revision.body), start=1)}
    except CitationSyntaxError:
        return {}


def claim_context(body: str, claim: Claim, *, limit: int = 700) -> tuple[str, str, str]:
    """(text before, the claim, text after) within the paragraph, list or table the claim
    stands in, so a reviewer reads it as readers will. Trimmed to about ``limit`` characters
    around the claim."""
    lines = body.replace("\r\n", "\n").split("\n")
    start = end = min(max(claim.line - 1, 0), len(lines) - 1) if lines else 0
    while start > 0 and lines[start - 1].strip():
        start -= 1
    while end + 1 < len(lines) and lines[end + 1].strip():
        end += 1
    block = "\n".join(lines[start : end + 1])
    at = block.find(claim.text)
    if at < 0:
        return "", claim.text, ""
    before, after = block[:at], block[at + len(claim.text) :]
    half = limit // 2
    if len(before) > half:
        before = "…" + before[-half:]
    if len(after) > half:
        after = after[:half] + "…"
    return before, claim.text, after


def sources_by_key(claims: list[Claim]) -> dict[str, Source]:
    keys = {key for claim in claims for key in claim.keys}
    return Source.objects.in_bulk(keys, field_name="key")


@dataclass
class ReviewDueReport:
    today: datetime.date
    overdue: list[ReviewSchedule] = field(default_factory=list)
    due_soon: list[ReviewSchedule] = field(default_factory=list)
    awaiting_review: list[Revision] = field(default_factory=list)
    awaiting_publication: list[Revision] = field(default_factory=list)
    outdated: list[Revision] = field(default_factory=list)
    sent_back: list[Revision] = field(default_factory=list)
    never_reviewed: list[Article] = field(default_factory=list)
    stale_translations: list[Article] = field(default_factory=list)

    @property
    def has_overdue(self) -> bool:
        return bool(self.overdue)


def review_due_report(today: datetime.date | None = None) -> ReviewDueReport:
    """Published articles overdue or due for review within 30 days, revisions awaiting review
    or publication, outdated ones (a newer version went live first), revisions sent back
    for changes (unless a newer revision exists), and live
    articles (English and translations) that were never reviewed through the workflow."""
    today = today or timezone.localdate()
    report = ReviewDueReport(today=today)
    schedules = ReviewSchedule.objects.filter(article__live_revision__isnull=False).select_related(
        "article"
    )
    for schedule in schedules.order_by("next_review_due"):
        if schedule.next_review_due < today:
            report.overdue.append(schedule)
        elif schedule.next_review_due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
            report.due_soon.append(schedule)
    revisions = Revision.objects.select_related("article", "author", "review_decision__reviewer")
    report.awaiting_review = list(
        revisions.filter(status=RevisionStatus.SUBMITTED).order_by("submitted_at")
    )
    report.awaiting_publication = list(
        revisions.filter(status=RevisionStatus.APPROVED).order_by("submitted_at")
    )
    report.outdated = list(
        revisions.filter(status=RevisionStatus.OUTDATED).order_by("article__slug", "number")
    )
    for revision in revisions.filter(status=RevisionStatus.REJECTED).order_by("-submitted_at"):
        if not revision.article.revisions.filter(number__gt=revision.number).exists():
            report.sent_back.append(revision)
    # In every language: a translation imported for local use is as unreviewed as English.
    report.never_reviewed = list(
        Article.objects.filter(live_revision__isnull=False, live_revision__publication__isnull=True)
        .select_related("live_revision")
        .order_by("order", "slug", "language")
    )
    report.stale_translations = stale_translations()
    return report


@dataclass
class OwnWork:
    """What the signed-in editor has to do, for the top of the dashboard."""

    awaiting_your_review: list[Revision] = field(default_factory=list)
    your_drafts: list[Revision] = field(default_factory=list)
    sent_back_to_you: list[Revision] = field(default_factory=list)
    approved_waiting: list[Revision] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.awaiting_your_review
            or self.your_drafts
            or self.sent_back_to_you
            or self.approved_waiting
        )


def own_work(user, report: ReviewDueReport) -> OwnWork:
    """``user``'s own work: submitted revisions they may review (wrote none of the text),
    their drafts and their revisions sent back (unless a newer revision exists), and, for a
    Publisher, approved revisions waiting to be published. Reads the lists of ``report``."""
    work = OwnWork()
    if user.has_perm("editorial.review_revision"):
        work.awaiting_your_review = [
            revision
            for revision in report.awaiting_review
            if user.pk not in chain_authors(revision)
        ]
    if user.has_perm("editorial.publish_revision"):
        work.approved_waiting = list(report.awaiting_publication)
    work.sent_back_to_you = [r for r in report.sent_back if r.author_id == user.pk]
    drafts = (
        Revision.objects.filter(author=user, status=RevisionStatus.DRAFT)
        .select_related("article")
        .order_by("-created_at")
    )
    work.your_drafts = [
        draft
        for draft in drafts
        if not draft.article.revisions.filter(number__gt=draft.number).exists()
    ]
    return work


def stale_translations() -> list[Article]:
    """Live translations whose English original has a newer live version than the one they
    translate, oldest lag first; each with ``lag`` (a TranslationLag)."""
    translations = (
        Article.objects.filter(original__isnull=False, live_revision__isnull=False)
        .filter(original__live_revision__number__gt=F("live_revision__translates__number"))
        .select_related("live_revision__translates", "original__live_revision")
        .order_by("original__live_revision__published_at")
    )
    stale = []
    for article in translations:
        article.lag = article.live_revision.translation_lag()
        stale.append(article)
    return stale
