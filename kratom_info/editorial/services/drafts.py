"""Drafts and submission: a new draft from a revision, the submission gate (citations that
resolve, approved sources, a translation's original, the content checks) and submitting.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone, translation

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
    revision_update_draft,
)
from kratom_info.citations.claims import extract_claims
from kratom_info.citations.models import Source
from kratom_info.citations.syntax import CitationSyntaxError, find_markers
from kratom_info.editorial.models import (
    AuditAction,
    Claim,
)
from kratom_info.editorial.services.guards import (
    PERM_CREATE,
    PERM_SUBMIT,
    EditConflict,
    InvalidDraft,
    SubmissionBlocked,
    _audit,
    _expect_status,
    _locked,
    _require,
)
from kratom_info.pagecache.cache import shared_get, shared_set


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
