"""Writes that create revisions and move an article's live pointer.

Every function is atomic. The editorial app builds the reviewed workflow (submit, approve,
publish) on top of these; the import command uses them for local, unreviewed publishing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation

from kratom_info.articles.models import (
    Article,
    FrozenRevisionError,
    Revision,
    RevisionStatus,
    content_hash,
)
from kratom_info.articles.rendering import render_markdown, sources_for
from kratom_info.handouts.services import short_code_assign


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
def revision_make_live(*, revision: Revision) -> Revision:
    """Publish ``revision``: it becomes live, the previous live revision becomes superseded,
    and the article's pointer moves, all in one transaction (readers see old or new, never both).

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
    revision.status = RevisionStatus.PUBLISHED
    revision.published_at = now
    if revision.submitted_at is None:
        revision.submitted_at = now
    revision.save(update_fields=["status", "published_at", "submitted_at"])
    article.live_revision = revision
    article.title = revision.title
    article.summary = revision.summary
    article.save(update_fields=["live_revision", "title", "summary"])
    # Every published article has a short code for printed handouts (a no-op after the first).
    short_code_assign(article=article)
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
