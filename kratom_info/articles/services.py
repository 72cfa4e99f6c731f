"""Writes that create revisions and move an article's live pointer.

Every function is atomic. The editorial app builds the reviewed workflow (submit, approve,
publish) on top of these; the import command uses them for local, unreviewed publishing.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone, translation

from kratom_info.articles.models import (
    Article,
    FrozenRevisionError,
    Revision,
    RevisionStatus,
    content_hash,
)
from kratom_info.articles.rendering import render_markdown, sources_for
from kratom_info.articles.signals import live_revision_changed
from kratom_info.citations.models import citing_versions_add
from kratom_info.pagecache.generation import public_content_changed


class TranslationMismatch(ValueError):
    """A translation's ``translates`` is missing or is not a version of its original article,
    or an English revision was given one."""


def _check_translates(article: Article, translates: Revision | None) -> None:
    if article.is_original:
        if translates is not None:
            raise TranslationMismatch(f"{article.slug} is an original; it translates nothing.")
        return
    if translates is None:
        raise TranslationMismatch(
            f"Say which English version of {article.slug} this translation translates."
        )
    if translates.article_id != article.original_id:
        raise TranslationMismatch(
            f"{translates} is not a version of the English article {article.original.slug}."
        )


@transaction.atomic
def revision_create(
    *,
    article: Article,
    title: str,
    summary: str,
    body: str,
    change_note: str,
    main_message: str = "",
    key_points: list[str] | None = None,
    author=None,
    translates: Revision | None = None,
) -> Revision:
    """Render ``body`` and store it as the article's next draft revision.

    A translation (an article in another language) must name the published English version it
    translates; an English revision must not. Raises UnknownCitationKeys (nothing is written)
    if the body cites an unknown key, TranslationMismatch for a wrong ``translates``.
    """
    _check_translates(article, translates)
    key_points = list(key_points or [])
    sources = sources_for(body)
    # The stored rendering's own words (reference heading, labels) are in the article's language.
    with translation.override(article.language):
        rendered = render_markdown(body, sources)
    # Lock the article row so two editors cannot take the same revision number.
    Article.objects.select_for_update().filter(pk=article.pk).first()
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = Revision.objects.create(
        article=article,
        number=last + 1,
        title=title,
        summary=summary,
        main_message=main_message,
        key_points=key_points,
        body=body,
        change_note=change_note,
        author=author,
        translates=translates,
        body_html=rendered.body_html,
        toc_html=rendered.toc_html,
        references_html=rendered.references_html,
        content_hash=content_hash(
            title=title,
            summary=summary,
            main_message=main_message,
            key_points=key_points,
            body=body,
        ),
    )
    revision.sources.set(sources.values())
    return revision


@transaction.atomic
def revision_update_draft(
    *,
    revision: Revision,
    title: str,
    summary: str,
    body: str,
    change_note: str,
    main_message: str = "",
    key_points: list[str] | None = None,
    translates: Revision | None = None,
) -> Revision:
    """Store new text in a draft, in place (same revision, same number): fixing a typo in
    one's own draft makes no new version. Refused once the revision has left draft.

    For a translation, ``translates`` (when given) is the English version the text now
    matches; left out, the draft keeps the one it had. Raises UnknownCitationKeys (nothing is
    written) if the body cites an unknown key, TranslationMismatch for a wrong ``translates``.
    """
    key_points = list(key_points or [])
    sources = sources_for(body)
    revision = Revision.objects.select_for_update().select_related("article").get(pk=revision.pk)
    if translates is not None:
        _check_translates(revision.article, translates)
        revision.translates = translates
    with translation.override(revision.article.language):
        rendered = render_markdown(body, sources)
    if revision.status != RevisionStatus.DRAFT:
        raise FrozenRevisionError(
            f"{revision} is {revision.get_status_display().lower()}; only a draft is edited "
            "in place."
        )
    revision.title, revision.summary, revision.body = title, summary, body
    revision.main_message, revision.key_points = main_message, key_points
    revision.change_note = change_note
    revision.body_html = rendered.body_html
    revision.toc_html = rendered.toc_html
    revision.references_html = rendered.references_html
    revision.content_hash = content_hash(
        title=title, summary=summary, main_message=main_message, key_points=key_points, body=body
    )
    revision.save()
    revision.sources.set(sources.values())
    return revision


def next_public_number(article: Article) -> int:
    """The version number readers will see for the article's next published version: one more
    than the highest so far (published versions only, so there are no gaps)."""
    numbers = article.revisions.exclude(public_number__isnull=True)
    return (numbers.aggregate(top=models.Max("public_number"))["top"] or 0) + 1


@transaction.atomic
def revision_make_live(*, revision: Revision) -> Revision:
    """Publish ``revision``: it becomes live, the previous live revision (or the versions
    taken offline with a withdrawn article) becomes superseded, older revisions still in review
    become outdated, a withdrawal is cleared, and the article's pointer moves, all in one
    transaction (readers see old or new, never both).

    Callers enforce who may publish what; this only performs the move.
    """
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    previous = article.live_revision
    if previous is not None and previous.number > revision.number:
        raise FrozenRevisionError(
            f"{revision} is older than the live version v{previous.number}; publish a new revision."
        )
    now = timezone.now()
    if previous is not None and previous.pk != revision.pk:
        previous.status = RevisionStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    # A version taken offline with the article (article_unpublish) is now simply an older one.
    article.revisions.filter(status=RevisionStatus.UNPUBLISHED).update(
        status=RevisionStatus.SUPERSEDED
    )
    # Older revisions still in review can no longer be published: say so instead of leaving
    # them "awaiting review" forever.
    article.revisions.filter(
        status__in=[RevisionStatus.SUBMITTED, RevisionStatus.APPROVED], number__lt=revision.number
    ).update(status=RevisionStatus.OUTDATED)
    revision.status = RevisionStatus.PUBLISHED
    revision.published_at = now
    if revision.public_number is None:  # public for the first time
        revision.public_number = next_public_number(article)
        citing_versions_add(
            source_ids=list(revision.sources.values_list("pk", flat=True)),
            language=article.language,
        )
    if revision.submitted_at is None:
        revision.submitted_at = now
    revision.save(update_fields=["status", "published_at", "public_number", "submitted_at"])
    article.live_revision = revision
    article.title = revision.title
    article.summary = revision.summary
    article.withdrawn_at = None
    article.withdrawal_reason = ""
    if article.first_published_at is None:
        article.first_published_at = now
    article.save(
        update_fields=[
            "live_revision",
            "title",
            "summary",
            "first_published_at",
            "withdrawn_at",
            "withdrawal_reason",
        ]
    )
    # Receivers write in this transaction: handouts gives a newly published article its short
    # code, readers updates the search index.
    live_revision_changed.send(sender=Article, article_id=article.pk)
    public_content_changed(articles=[article])
    revision.article = article
    return revision


@transaction.atomic
def revision_publish_unreviewed(*, revision: Revision) -> Revision:
    """Publish an imported draft without review, for a local or demo install.

    The public page says plainly that such a version has not been reviewed by a named reviewer.
    """
    if revision.status != RevisionStatus.DRAFT or revision.author_id is not None:
        raise FrozenRevisionError(
            f"Only imported drafts can be published without review; {revision} is "
            f"{revision.get_status_display().lower()}."
        )
    return revision_make_live(revision=revision)
