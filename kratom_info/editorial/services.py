"""The editorial workflow's writes: draft, submit, check claims, approve or send back, publish,
unpublish. The admin, management commands and tests all call these functions; none of the
rules below lives in a view.

Every function is atomic, checks the acting user's permission (raising a ``PermissionDenied``
subclass), re-reads the revision under a row lock, and writes an :class:`AuditEvent`.

Four-eyes: nobody checks claims on, approves or requests changes to a revision whose text they
wrote, and a revision is published only after someone else approved it. "Wrote" covers every
unpublished revision it builds on since the last published version (see
:func:`~kratom_info.editorial.selectors.chain_authors`), so nobody can launder their own text
through a one-character edit by a colleague. The rule binds superusers too.

Languages: whoever checks claims on, approves or sends back a revision must read its language
and, for a translation, the original's (English), as their reviewer profile lists them
(:func:`review_language_problem`); the publish gate asks the same of the approving reviewer and
of every claim's checker, so checks and approvals from before the rule cannot slip through.

Second factor: when ``settings.EDITORIAL_REQUIRE_2FA`` is on (production), reviewing and
publishing also need a sign-in verified by a second factor. ``user`` must then be
``request.user`` of a verified session (django-otp's middleware marks it); any other user
object, e.g. one loaded in a management command, counts as not verified and is refused.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation

from kratom_info.accounts import signin
from kratom_info.articles.content_checks import ArticleText, check_text
from kratom_info.articles.models import Article, Revision, RevisionStatus
from kratom_info.articles.rendering import (
    UnknownCitationKeys,
    UnrenderableMarkdown,
    check_citations,
    render_markdown,
    sources_for,
)
from kratom_info.articles.services import (
    TranslationMismatch,
    revision_create,
    revision_make_live,
    revision_update_draft,
)
from kratom_info.articles.signals import live_revision_changed
from kratom_info.citations.claims import extract_claims
from kratom_info.citations.locators import MAX_LENGTH as LOCATOR_MAX_LENGTH
from kratom_info.citations.locators import normalise_locator
from kratom_info.citations.models import Source
from kratom_info.citations.syntax import CitationSyntaxError, find_markers
from kratom_info.editorial.models import (
    AuditAction,
    AuditEvent,
    Claim,
    ClaimCheck,
    Decision,
    Publication,
    ReviewDecision,
    ReviewerProfile,
    ReviewSchedule,
    Verdict,
    language_name,
)
from kratom_info.editorial.selectors import (
    ReviewPace,
    chain_authors,
    claims_for_review,
    earlier_checks,
    review_paces,
)
from kratom_info.pagecache.cache import shared_get, shared_set
from kratom_info.pagecache.generation import public_content_changed

PERM_CREATE = "articles.add_revision"
PERM_SUBMIT = "editorial.submit_revision"
PERM_REVIEW = "editorial.review_revision"
PERM_PUBLISH = "editorial.publish_revision"
PERM_SCHEDULE = "editorial.change_reviewschedule"
PERM_DECIDE_SOURCE = "editorial.decide_source_change"
PERM_INVITE = "editorial.invite_people"
# What readers are told changes through these (an invited Reviewer is named on the pages they
# review): they need a sign-in verified by a second factor.
SECOND_FACTOR_PERMISSIONS = (PERM_REVIEW, PERM_PUBLISH, PERM_DECIDE_SOURCE, PERM_INVITE)
MAX_REVIEW_AHEAD_YEARS = 3


# Errors ----------------------------------------------------------------------------------


class EditorialPermissionDenied(PermissionDenied):
    """The user may not perform this editorial action."""


class MissingPermission(EditorialPermissionDenied):
    """The user's roles do not include the permission the action needs."""


class FourEyesViolation(EditorialPermissionDenied):
    """The user wrote text in the revision they tried to review, approve or send back (in it,
    or in an unpublished revision it builds on)."""


class LanguageNotRead(EditorialPermissionDenied):
    """The reviewer's profile does not list every language the revision needs read: its own
    and, for a translation, the original's."""


class SecondFactorRequired(EditorialPermissionDenied):
    """A Reviewer or Publisher has not signed in with a second factor, which is required."""


class EditorialError(Exception):
    """An action that is not possible in the revision's current state; ``reasons`` lists every
    problem, not just the first."""

    def __init__(self, message: str, reasons: Sequence[str] = ()):
        self.reasons = list(reasons) or [message]
        super().__init__(message)


class SubmissionBlocked(EditorialError):
    """The draft cannot be submitted (uncited numbers, unknown keys, wrong state)."""


class ApprovalBlocked(EditorialError):
    """The revision cannot be approved yet (claims unchecked or not supported)."""


class PublishBlocked(EditorialError):
    """The publish gate refused; ``reasons`` lists every failing condition."""


class InvalidDraft(EditorialError):
    """The edited text cannot be stored (e.g. a citation key that does not exist)."""


class EditConflict(EditorialError):
    """Someone created a newer revision after the editor opened the article."""

    def __init__(self, *, newer: Revision, based_on: int):
        self.newer, self.based_on = newer, based_on
        by = f" by {newer.author.get_username()}" if newer.author else ""
        what = (
            f"version {newer.number} of this article was saved again{by} after you started "
            "editing it"
            if newer.number == based_on
            else f"version {newer.number} of this article was created{by} after you started "
            f"editing version {based_on}"
        )
        super().__init__(
            f"Edit conflict: {what}. Your text was not saved; "
            f"compare it with version {newer.number} and merge the changes before saving again."
        )


# Helpers ---------------------------------------------------------------------------------


def _require(user, permission: str, action: str) -> None:
    if user is None or not user.is_active or not user.has_perm(permission):
        raise MissingPermission(f"You do not have permission to {action}.")
    if permission in SECOND_FACTOR_PERMISSIONS and (
        signin.second_factor_required(user) and not signin.is_verified(user)
    ):
        raise SecondFactorRequired(
            f"To {action}, sign in with your second factor. Reviewers and Publishers must: "
            "set up an authenticator app under “Two-factor sign-in” in the admin "
            "(/admin/second-factor/), then sign in again with its code."
        )


def _not_author(user, revision: Revision, action: str) -> None:
    """Refuse anyone who wrote text in ``revision`` or in an unpublished revision it builds on."""
    written = chain_authors(revision).get(user.pk)
    if not written:
        return
    if revision.number in written:
        raise FourEyesViolation(
            f"You wrote {revision}, so you cannot {action} it: "
            "a reviewer other than the author must do that (four-eyes rule)."
        )
    versions = ", ".join(f"v{number}" for number in written)
    raise FourEyesViolation(
        f"You wrote {versions}, which {revision} builds on (unpublished text since the live "
        f"version), so you cannot {action} it: a reviewer who wrote none of that text must do "
        "that (four-eyes rule)."
    )


def review_languages_needed(article: Article) -> list[str]:
    """The languages a reviewer of ``article`` must read: the original's (English) first, then
    the translation's own."""
    if article.is_original:
        return [article.language]
    return [article.original.language, article.language]


def _languages_phrase(codes: Sequence[str]) -> str:
    names = [language_name(code) for code in codes]
    return names[0] if len(names) == 1 else "both " + " and ".join(names)


def review_language_problem(*, reviewer_id: int, article: Article) -> str | None:
    """Why the person ``reviewer_id`` may not review ``article`` for want of a language, or
    None. A reviewer without a profile is taken to read English (approval asks for a profile
    anyway), never a translation's language."""
    needed = review_languages_needed(article)
    profile = ReviewerProfile.objects.filter(user_id=reviewer_id).first()
    listed = profile.languages if profile else []
    if profile is None and article.is_original:
        return None
    missing = [code for code in needed if code not in listed]
    if not missing:
        return None
    what = (
        f"this {language_name(article.language)} translation"
        if not article.is_original
        else f"this {language_name(article.language)} article"
    )
    has = (
        f"your reviewer profile lists {profile.language_names}"
        if profile
        else "you have no reviewer profile listing the languages you read"
    )
    return (
        f"To review {what} you must read {_languages_phrase(needed)}; {has}. A Publisher can "
        "set the languages when inviting a reviewer, and an administrator can update them "
        "under Admin → Editorial workflow → Reviewer profiles."
    )


def _reads_languages(user, revision: Revision) -> None:
    """Refuse a reviewer whose profile lacks a language the revision needs read."""
    problem = review_language_problem(reviewer_id=user.pk, article=revision.article)
    if problem:
        raise LanguageNotRead(problem)


def _locked(revision: Revision) -> Revision:
    """The revision re-read under a row lock, so two people cannot move it at once."""
    return (
        Revision.objects.select_for_update(of=("self",))
        .select_related("article", "author")
        .get(pk=revision.pk)
    )


def _expect_status(revision: Revision, *statuses: str, action: str) -> None:
    if revision.status not in statuses:
        raise EditorialError(
            f"Cannot {action} {revision}: it is {revision.get_status_display().lower()}."
        )


def _audit(
    *, user, action: str, article: Article, revision: Revision | None = None, detail: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(
        article=article, revision=revision, user=user, action=action, detail=detail
    )


def _unresolved_keys(body: str) -> list[str]:
    known = set(Source.objects.values_list("key", flat=True))
    try:
        check_citations(body, known)
    except UnknownCitationKeys as exc:
        return [f"Citation key '{key}' on line {line} has no source." for key, line in exc.problems]
    except CitationSyntaxError as exc:
        return [f"Citation syntax error: {exc}"]
    return []


def _unapproved_sources(body: str) -> list[str]:
    """A reason for each cited source nobody has approved yet (a proposed new source)."""
    try:
        keys = {item.key for marker in find_markers(body) for item in marker.items}
    except CitationSyntaxError:
        return []  # reported by _unresolved_keys
    pending = Source.objects.filter(key__in=keys, approved=False).values_list("key", flat=True)
    return [
        f"Source '{key}' is a proposed new source that nobody has approved yet: a reviewer "
        "or publisher must approve it (admin → Source changes) first."
        for key in sorted(pending)
    ]


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _translation_problems(revision: Revision) -> list[str]:
    """A translation's own gate: the English version it translates must be published. (Its
    Spanish wording rules run with the rest in :func:`submission_problems`.)"""
    if revision.article.is_original:
        return []
    if revision.translates_id is None:
        return ["Say which English version this translation translates."]
    if not revision.translates.is_public:
        return [f"It translates {revision.translates}, which is not published."]
    return []


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


# Drafts ----------------------------------------------------------------------------------


@transaction.atomic
def revision_create_draft_from(
    *,
    article: Article,
    user,
    based_on: int,
    title: str,
    summary: str,
    body: str,
    change_note: str,
    main_message: str = "",
    key_points: list[str] | None = None,
    based_on_hash: str = "",
    translates: int | None = None,
) -> Revision:
    """Save an edit: in place when the newest revision is the user's own draft (a typo fix
    makes no new version), otherwise as the article's next draft revision.

    ``based_on`` is the number of the revision the editor opened (0 for a new article) and
    ``based_on_hash`` its content hash when opened (drafts change in place). If a newer
    revision exists, or the draft opened was saved again since, raise :class:`EditConflict`
    naming it and write nothing: no edit silently overwrites another. Someone else's draft is
    never changed: saving over it makes a new draft that builds on it (so both authors count
    for the four-eyes rule). A submitted or sent-back revision stays frozen; revising it
    makes a new draft built on it.

    For a translation, ``translates`` is the public number of the published English version
    the text now matches; left out, it stays what the revision edited claimed (an edit that is
    not a re-translation must not claim to match a newer English text).
    """
    _require(user, PERM_CREATE, "edit articles")
    if not change_note.strip():
        raise InvalidDraft("Write a change note: what changed and why.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    latest = article.revisions.select_related("author").order_by("-number").first()
    if (latest.number if latest else 0) != based_on or (
        latest is not None and based_on_hash and latest.content_hash != based_on_hash
    ):
        raise EditConflict(newer=latest, based_on=based_on)
    text = {
        "title": title.strip(),
        "summary": summary.strip(),
        "body": body.replace("\r\n", "\n"),
        "change_note": change_note.strip(),
        "main_message": main_message.strip(),
        "key_points": [point.strip() for point in key_points or [] if point.strip()],
    }
    original_revision = None
    if not article.is_original:
        if translates is None and latest is not None:
            original_revision = latest.translates
        elif translates is not None:
            original_revision = (
                article.original.revisions.public().filter(public_number=translates).first()
            )
            if original_revision is None:
                raise InvalidDraft(
                    f"The English article has no published version {translates} to translate."
                )
    in_place = (
        latest is not None
        and latest.status == RevisionStatus.DRAFT
        and latest.author_id is not None
        and latest.author_id == user.pk
    )
    try:
        if in_place:
            revision = revision_update_draft(
                revision=latest,
                translates=original_revision if translates is not None else None,
                **text,
            )
        else:
            revision = revision_create(
                article=article, author=user, translates=original_revision, **text
            )
    except (
        UnknownCitationKeys,
        UnrenderableMarkdown,
        CitationSyntaxError,
        TranslationMismatch,
    ) as exc:
        raise InvalidDraft(f"The text cannot be saved: {exc}.") from exc
    if in_place:
        _audit(
            user=user,
            action=AuditAction.DRAFT_UPDATED,
            article=article,
            revision=revision,
            detail=revision.change_note,
        )
        return revision
    _audit(
        user=user,
        action=AuditAction.CREATED,
        article=article,
        revision=revision,
        detail=f"Based on v{based_on}. {revision.change_note}"
        if based_on
        else revision.change_note,
    )
    return revision


# How long the content rules' verdict on one text is kept (it cannot go stale: the key holds
# everything the rules read; the limit only lets a deploy's changed rules take over).
SUBMISSION_PROBLEMS_TIMEOUT = 60 * 60


def submission_problems(revision: Revision) -> list[str]:
    """Every content-rule problem that blocks submitting ``revision``: the same rule set
    ``manage.py check_content`` runs (uncited numbers, hidden citations, unknown keys, links
    outside the allowlist, reading grade, summary and key points...).

    Worked out once per text, not per view: kept in the cache under a digest of everything
    the rules read (the revision's fields, its language, the bibliography's keys and the
    shared blocks' text an emergency section must carry), so
    opening a draft's review page again costs one query, and an edit to the draft or a new
    source is a new entry.
    """
    text = ArticleText(
        title=revision.title,
        summary=revision.summary,
        main_message=revision.main_message,
        key_points=tuple(revision.key_points),
        body=revision.body,
        known_keys=frozenset(Source.objects.values_list("key", flat=True)),
        language=revision.article.language,
        expands_blocks=False,
    )
    blocks = sorted((name, block.text) for name, block in text.shared_blocks.items())
    read = [text.title, text.summary, text.main_message, list(text.key_points), text.body,
            sorted(text.known_keys), text.language, blocks]  # fmt: skip
    digest = hashlib.sha256(json.dumps(read, ensure_ascii=False).encode()).hexdigest()
    cache_key = f"submission-problems:{digest}"
    # Through the page cache's breaker: a cache outage only means working them out again.
    problems = shared_get(cache_key)
    if problems is None:
        problems = [str(problem) for problem in check_text(text)]
        shared_set(cache_key, problems, SUBMISSION_PROBLEMS_TIMEOUT)
    return list(problems)


@transaction.atomic
def revision_submit(*, revision: Revision, user) -> Revision:
    """Freeze a draft and send it for review: render it (text and reference list) from the
    current Source records and extract its claims (sentences, list items, table rows and
    headings with citations). Blocked, with every reason, when a newer revision exists or any
    content rule fails (:func:`submission_problems`)."""
    _require(user, PERM_SUBMIT, "submit revisions for review")
    revision = _locked(revision)
    _expect_status(revision, RevisionStatus.DRAFT, action="submit")
    reasons = []
    newest = revision.article.revisions.order_by("-number").values_list("number", flat=True)[0]
    if newest > revision.number:
        reasons.append(f"A newer revision (v{newest}) exists; submit that one instead.")
    reasons += submission_problems(revision)
    reasons += _unapproved_sources(revision.body)
    reasons += _translation_problems(revision)
    if reasons:
        raise SubmissionBlocked(f"{revision} cannot be submitted.", reasons)
    # Freeze what the reviewer will check and readers will get: rendered now, from the Source
    # records as they are at submission, not as they were when the draft was saved.
    sources = sources_for(revision.body)
    with translation.override(revision.article.language):
        rendered = render_markdown(revision.body, sources)
    revision.body_html = rendered.body_html
    revision.toc_html = rendered.toc_html
    revision.references_html = rendered.references_html
    revision.sources.set(sources.values())
    claims = extract_claims(revision.body)
    Claim.objects.bulk_create(
        Claim(
            revision=revision,
            position=position,
            line=claim.line,
            text=claim.text,
            keys=list(claim.keys),
            text_hash=claim.hash,
            locators=dict(claim.locators),
        )
        for position, claim in enumerate(claims, start=1)
    )
    revision.status = RevisionStatus.SUBMITTED
    revision.submitted_at = timezone.now()
    revision.save(
        update_fields=["status", "submitted_at", "body_html", "toc_html", "references_html"]
    )
    _audit(
        user=user,
        action=AuditAction.SUBMITTED,
        article=revision.article,
        revision=revision,
        detail=f"{len(claims)} claim(s) to check.",
    )
    return revision


# Review ----------------------------------------------------------------------------------


def claim_locator_problems(claim: Claim, locators: Mapping[str, str]) -> list[str]:
    """Why ``locators`` (key -> where in the source) cannot back a "supported" verdict on
    ``claim``: every source it cites needs one, short enough to read."""
    problems = []
    for key in claim.keys:
        place = normalise_locator(locators.get(key, ""))
        if not place:
            problems.append(
                f"Say where in [@{key}] claim {claim.position} is supported (a page, table, "
                "figure, section or “abstract”): confirm the author's locator or write your own."
            )
        elif len(place) > LOCATOR_MAX_LENGTH:
            problems.append(
                f"The locator for [@{key}] is {len(place)} characters long; keep it under "
                f"{LOCATOR_MAX_LENGTH} (e.g. “Results, para 2; table 3”)."
            )
    unknown = sorted(set(locators) - set(claim.keys))
    if unknown:
        problems.append(
            f"Claim {claim.position} does not cite {', '.join(unknown)}; locators are given only "
            "for the sources it cites."
        )
    return problems


@transaction.atomic
def claim_check_record(
    *,
    claim: Claim,
    user,
    verdict: str,
    note: str = "",
    locators: Mapping[str, str] | None = None,
) -> ClaimCheck:
    """Record a reviewer's verdict on one claim: supported, naming where in each cited source
    (``locators``: key -> the author's locator, confirmed, or the reviewer's own); partly
    supported or not supported, with a note. A later verdict on the same claim replaces the
    earlier one; both stay on record."""
    _require(user, PERM_REVIEW, "check claims")
    revision = _locked(claim.revision)
    _not_author(user, revision, "check the claims of")
    _reads_languages(user, revision)
    _expect_status(revision, RevisionStatus.SUBMITTED, action="check claims on")
    if verdict not in Verdict.values:
        raise EditorialError(f"Unknown verdict {verdict!r}.")
    note = note.strip()
    places: dict[str, str] = {}
    if verdict == Verdict.SUPPORTED:
        problems = claim_locator_problems(claim, locators or {})
        if problems:
            raise EditorialError(problems[0], problems)
        places = {key: normalise_locator(locators[key]) for key in claim.keys}
    elif not note:
        raise EditorialError(
            f"Say why the claim is {Verdict(verdict).label.lower()}: a note is required."
        )
    check = ClaimCheck.objects.create(
        claim=claim, verdict=verdict, note=note, checked_by=user, locators=places
    )
    where = "; ".join(f"{key}: {place}" for key, place in places.items())
    _audit(
        user=user,
        action=AuditAction.CLAIM_CHECKED,
        article=revision.article,
        revision=revision,
        detail=f"Claim {claim.position}: {check.get_verdict_display()}"
        + (f" ({where})" if where else "")
        + (f". {note}" if note else ""),
    )
    return check


@transaction.atomic
def claim_checks_carry_over(*, revision: Revision, user) -> list[ClaimCheck]:
    """One action: every not-yet-checked claim whose text hash and keys match a claim checked
    "supported" on the previous published version gets that verdict again, with its locators,
    recorded as the acting reviewer's. Verdicts given by anyone who wrote text in the revision
    (or in an unpublished revision it builds on) are not carried over, nor verdicts that do
    not name where each source supports the claim (recorded before locators existed)."""
    _require(user, PERM_REVIEW, "check claims")
    revision = _locked(revision)
    _not_author(user, revision, "check the claims of")
    _reads_languages(user, revision)
    _expect_status(revision, RevisionStatus.SUBMITTED, action="check claims on")
    earlier = earlier_checks(revision)
    authors = chain_authors(revision)
    claims = revision.claims.prefetch_related("checks")
    created = []
    for claim in claims:
        previous = earlier.get(claim.pk)
        if not carryable(previous, authors) or claim.current_check() is not None:
            continue
        created.append(
            ClaimCheck.objects.create(
                claim=claim,
                verdict=Verdict.SUPPORTED,
                checked_by=user,
                carried_over_from=previous,
                locators={key: previous.locator_for(key) for key in claim.keys},
            )
        )
    if created:
        _audit(
            user=user,
            action=AuditAction.CLAIMS_CARRIED_OVER,
            article=revision.article,
            revision=revision,
            detail="Claims "
            + ", ".join(str(check.claim.position) for check in created)
            + ": supported (unchanged since the published version).",
        )
    return created


def carryable(previous: ClaimCheck | None, authors: Mapping[int, object]) -> bool:
    """Whether an earlier version's check may be carried over: supported, naming where in
    each source, and given by someone who wrote none of the text under review."""
    return (
        previous is not None
        and previous.verdict == Verdict.SUPPORTED
        and previous.names_every_place
        and previous.checked_by_id not in authors
    )


def _claim_problems(revision: Revision) -> list[str]:
    authors = chain_authors(revision)
    unread: dict[int, str | None] = {}  # checker id -> their language problem, once each
    problems = []
    for claim in revision.claims.prefetch_related("checks"):
        check = claim.current_check()
        label = f"Claim {claim.position} (line {claim.line}) “{claim.text[:80]}”"
        if check is None:
            problems.append(f"{label} has not been checked.")
        elif check.verdict != Verdict.SUPPORTED:
            problems.append(
                f"{label} is marked {check.get_verdict_display().lower()}: {check.note}"
            )
        elif check.checked_by_id in authors:
            problems.append(
                f"{label} was checked by someone who wrote text in this revision or in an "
                "unpublished revision it builds on; another reviewer must check it."
            )
        elif not check.names_every_place:
            problems.append(
                f"{label} was marked supported without saying where in each source; check it "
                "again, naming the place (page, table, section or abstract)."
            )
        elif not revision.article.is_original:
            if check.checked_by_id not in unread:
                unread[check.checked_by_id] = review_language_problem(
                    reviewer_id=check.checked_by_id, article=revision.article
                )
            if unread[check.checked_by_id]:
                needed = _languages_phrase(review_languages_needed(revision.article))
                problems.append(
                    f"{label} was checked by someone whose reviewer profile does not list "
                    f"{needed}; a reviewer who reads them must check it."
                )
    return problems


@transaction.atomic
def revision_approve(*, revision: Revision, user, comment: str = "") -> ReviewDecision:
    """Approve a submitted revision once every claim is checked and supported. The approving
    reviewer needs a reviewer profile: readers are told who reviewed the page."""
    _require(user, PERM_REVIEW, "approve revisions")
    revision = _locked(revision)
    _not_author(user, revision, "approve")
    _reads_languages(user, revision)
    _expect_status(revision, RevisionStatus.SUBMITTED, action="approve")
    if not ReviewerProfile.objects.filter(user_id=user.pk).exists():
        raise ApprovalBlocked(
            f"You cannot approve {revision} yet: you have no reviewer profile, and readers are "
            "told who reviewed each page. Ask an administrator to add yours (Admin → Editorial "
            "workflow → Reviewer profiles → Add: your name and role as readers should see "
            "them), then approve again."
        )
    problems = _claim_problems(revision)
    if problems:
        raise ApprovalBlocked(f"{revision} cannot be approved yet.", problems)
    decision = ReviewDecision.objects.create(
        revision=revision, reviewer=user, decision=Decision.APPROVED, comment=comment.strip()
    )
    revision.status = RevisionStatus.APPROVED
    revision.save(update_fields=["status"])
    _audit(
        user=user,
        action=AuditAction.APPROVED,
        article=revision.article,
        revision=revision,
        detail=decision.comment,
    )
    return decision


@transaction.atomic
def revision_request_changes(*, revision: Revision, user, comment: str) -> ReviewDecision:
    """Send a submitted revision back to its author with a comment they see. The author
    continues in a new draft (see :func:`revision_create_draft_from`)."""
    _require(user, PERM_REVIEW, "request changes")
    revision = _locked(revision)
    _not_author(user, revision, "request changes to")
    _reads_languages(user, revision)
    _expect_status(revision, RevisionStatus.SUBMITTED, action="request changes to")
    if not comment.strip():
        raise EditorialError("Tell the author what to change: a comment is required.")
    decision = ReviewDecision.objects.create(
        revision=revision,
        reviewer=user,
        decision=Decision.CHANGES_REQUESTED,
        comment=comment.strip(),
    )
    revision.status = RevisionStatus.REJECTED
    revision.save(update_fields=["status"])
    _audit(
        user=user,
        action=AuditAction.CHANGES_REQUESTED,
        article=revision.article,
        revision=revision,
        detail=decision.comment,
    )
    return decision


# Publishing ------------------------------------------------------------------------------


def publish_blockers(revision: Revision, *, next_review_due: datetime.date | None) -> list[str]:
    """Every reason ``revision`` cannot be published now; empty when the gate is open."""
    reasons = []
    if revision.status != RevisionStatus.APPROVED:
        reasons.append(
            f"{revision} is {revision.get_status_display().lower()}; only approved revisions "
            "are published."
        )
    decision = (
        ReviewDecision.objects.select_related("reviewer__reviewer_profile")
        .filter(revision=revision, decision=Decision.APPROVED)
        .first()
    )
    if decision is None or decision.reviewer_id in chain_authors(revision):
        reasons.append(
            "No reviewer other than its authors (of this revision and of any unpublished "
            "revision it builds on) has approved it."
        )
    elif not ReviewerProfile.objects.filter(user_id=decision.reviewer_id).exists():
        reasons.append(
            f"The approving reviewer ({decision.reviewer.get_username()}) has no reviewer "
            "profile: readers must see their name and role."
        )
    elif review_language_problem(reviewer_id=decision.reviewer_id, article=revision.article):
        needed = _languages_phrase(review_languages_needed(revision.article))
        reasons.append(
            f"The approving reviewer ({decision.reviewer.get_username()}) does not list "
            f"{needed} in their reviewer profile; a reviewer who reads them must review it."
        )
    reasons += _unresolved_keys(revision.body)
    reasons += _unapproved_sources(revision.body)
    missing_sources = {i.key for m in find_markers(revision.body) for i in m.items} - set(
        revision.sources.values_list("key", flat=True)
    )
    if missing_sources:
        reasons.append(
            f"The stored reference list lacks {', '.join(sorted(missing_sources))}; "
            "start a new draft."
        )
    reasons += _claim_problems(revision)
    due_problem = next_review_due_problem(next_review_due)
    if due_problem:
        reasons.append(due_problem)
    live = revision.article.live_revision
    if live is not None and live.number > revision.number:
        reasons.append(f"A newer version (v{live.number}) is already live.")
    return reasons


def fast_reviews(revision: Revision) -> list[ReviewPace]:
    """The reviewers whose verdicts on ``revision`` came faster than the threshold per claim
    (``EDITORIAL_FAST_REVIEW_SECONDS_PER_CLAIM``): publishing needs a reason."""
    return [pace for pace in review_paces(claims_for_review(revision)) if pace.is_fast]


def _fast_review_text(paces: Sequence[ReviewPace]) -> str:
    return "; ".join(
        f"{pace.reviewer.get_username()} checked {pace.claims_checked} claims at "
        f"{pace.seconds_per_claim:.0f} s per claim (threshold {pace.threshold} s)"
        for pace in paces
    )


@transaction.atomic
def revision_publish(
    *,
    revision: Revision,
    user,
    next_review_due: datetime.date | None,
    fast_review_reason: str = "",
) -> Revision:
    """Make an approved revision live, if the publish gate is open.

    Gate: the revision is approved by a reviewer who wrote none of its text (and has a reviewer
    profile), every citation resolves, every claim is supported by such a reviewer, and a
    next-review-due date between tomorrow and three years ahead is set. Older revisions still in
    review become outdated. Otherwise :class:`PublishBlocked` lists
    every reason. One transaction: readers see the old version or the new one, never a mix.

    A review faster than the threshold per claim (:func:`fast_reviews`) is published only
    with ``fast_review_reason``, typed by the publisher and kept in the audit trail.
    """
    _require(user, PERM_PUBLISH, "publish revisions")
    # Lock the article first (as revision_make_live does), then re-read the revision.
    Article.objects.select_for_update().filter(pk=revision.article_id).first()
    revision = _locked(revision)
    reasons = publish_blockers(revision, next_review_due=next_review_due)
    fast = fast_reviews(revision)
    fast_review_reason = fast_review_reason.strip()
    if fast and not fast_review_reason:
        reasons.append(
            f"The review was fast ({_fast_review_text(fast)}): say why publishing it is right "
            "anyway (e.g. “claims re-read with the reviewer by phone”); the reason is audited."
        )
    if reasons:
        raise PublishBlocked(f"{revision} cannot be published.", reasons)
    claims = claims_for_review(revision)
    current = [claim.current_check() for claim in claims]
    decision = ReviewDecision.objects.select_related("reviewer__reviewer_profile").get(
        revision=revision
    )
    profile = decision.reviewer.reviewer_profile
    outdated = list(
        revision.article.revisions.filter(
            status__in=[RevisionStatus.SUBMITTED, RevisionStatus.APPROVED],
            number__lt=revision.number,
        )
    )
    revision = revision_make_live(revision=revision)
    author_profile = ReviewerProfile.objects.filter(user_id=revision.author_id).first()
    Publication.objects.create(
        revision=revision,
        published_by=user,
        reviewer=decision.reviewer,
        reviewer_name=profile.display_name,
        reviewer_role=profile.role,
        reviewer_interests=profile.declared_interests,
        reviewer_languages=profile.languages,
        author_name=author_profile.display_name if author_profile else "",
        author_role=author_profile.role if author_profile else "",
        author_interests=author_profile.declared_interests if author_profile else "",
        reviewed_on=timezone.localdate(decision.decided_at),
        next_review_due=next_review_due,
        claims_checked=sum(
            1
            for check in current
            if check.checked_by_id == decision.reviewer_id and not check.carried_over_from_id
        ),
        claims_carried_over=sum(1 for check in current if check.carried_over_from_id),
        claims_total=len(claims),
    )
    ReviewSchedule.objects.update_or_create(
        article=revision.article, defaults={"next_review_due": next_review_due}
    )
    _audit(
        user=user,
        action=AuditAction.PUBLISHED,
        article=revision.article,
        revision=revision,
        detail=f"Reviewed by {profile.display_name}; next review due {next_review_due:%Y-%m-%d}.",
    )
    if fast:
        _audit(
            user=user,
            action=AuditAction.FAST_REVIEW_ACCEPTED,
            article=revision.article,
            revision=revision,
            detail=f"{_fast_review_text(fast)}. Reason: {fast_review_reason}",
        )
    for old in outdated:
        _audit(
            user=user,
            action=AuditAction.OUTDATED,
            article=revision.article,
            revision=old,
            detail=f"v{revision.number} went live first; its author can withdraw it.",
        )
    return revision


@transaction.atomic
def revision_withdraw(*, revision: Revision, user) -> Revision:
    """Take one's own revision out of review, typically an outdated one (a newer version went
    live first). Only its author may; its text stays on record."""
    _require(user, PERM_SUBMIT, "withdraw revisions from review")
    revision = _locked(revision)
    if revision.author_id is None or revision.author_id != user.pk:
        raise EditorialPermissionDenied(f"Only the author of {revision} can withdraw it.")
    _expect_status(
        revision,
        RevisionStatus.SUBMITTED,
        RevisionStatus.APPROVED,
        RevisionStatus.OUTDATED,
        action="withdraw",
    )
    revision.status = RevisionStatus.WITHDRAWN
    revision.save(update_fields=["status"])
    _audit(user=user, action=AuditAction.WITHDRAWN, article=revision.article, revision=revision)
    return revision


@transaction.atomic
def article_unpublish(*, article: Article, user, reason: str) -> Article:
    """Take an article offline: ``live_revision`` is cleared, so it leaves the home page and
    its live URL says it was withdrawn (410).

    The withdrawal date and reason are stored on the article, and the live revision becomes
    "unpublished" with its frozen content: every permanent version link
    (``/articles/<slug>/v<N>/``, ``/h/<code>/<N>``) printed on a handout keeps working and says
    when and why the article was withdrawn. Nothing is deleted. Publishing a new revision later
    clears the withdrawal and marks the unpublished one superseded.
    """
    _require(user, PERM_PUBLISH, "unpublish articles")
    if not reason.strip():
        raise EditorialError("Give a reason for taking the article offline.")
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("live_revision")
        .get(pk=article.pk)
    )
    withdrawn = article.live_revision
    if withdrawn is None:
        raise EditorialError(f"{article} is not published.")
    withdrawn.status = RevisionStatus.UNPUBLISHED
    withdrawn.save(update_fields=["status"])
    article.live_revision = None
    article.withdrawn_at = timezone.now()
    article.withdrawal_reason = reason.strip()
    article.save(update_fields=["live_revision", "withdrawn_at", "withdrawal_reason"])
    live_revision_changed.send(sender=Article, article_id=article.pk)
    public_content_changed(articles=[article])
    _audit(
        user=user,
        action=AuditAction.UNPUBLISHED,
        article=article,
        revision=withdrawn,
        detail=reason.strip(),
    )
    return article


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
