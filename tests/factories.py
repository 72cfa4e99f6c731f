"""Plain factory functions that go through the services, so fixtures cannot build states the
site itself could never reach."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from kratom_info.articles.models import Article, Revision
from kratom_info.articles.services import (
    revision_create,
    revision_publish_unreviewed,
)
from kratom_info.citations.models import Source, SourceKind

_counter = itertools.count(1)
KEY_POINTS = ("Start low.", "Go slow.", "Ask for help.")


def make_user(username: str | None = None, **extra):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username, password=extra.pop("password", "test-password-123"), **extra
    )


def make_source(key: str | None = None, **fields) -> Source:
    key = key or f"source{next(_counter)}"
    defaults = {
        "kind": SourceKind.JOURNAL_ARTICLE,
        "authors": "Doe J, Roe R",
        "year": 2020,
        "title": f"A study called {key}",
        "container": "Journal of Examples",
        "volume_pages": "1(2):3-4",
        "doi": f"10.1000/{key}",
    }
    defaults.update(fields)
    source = Source(key=key, **defaults)
    source.full_clean()
    source.save()
    return source


def make_article(slug: str | None = None, **fields) -> Article:
    slug = slug or f"article-{next(_counter)}"
    return Article.objects.create(
        slug=slug, title=fields.pop("title", slug.replace("-", " ").title()), **fields
    )


def make_revision(
    article: Article | None = None,
    body: str = "Kratom is a plant.\n",
    *,
    title: str | None = None,
    summary: str = "A short summary.",
    change_note: str = "A change.",
    key_points: list[str] | None = None,
    main_message: str = "The main message.",
    author=None,
    publish: bool = False,
) -> Revision:
    """A new draft revision; ``publish=True`` makes an author-less one live without review."""
    article = article or make_article()
    revision = revision_create(
        article=article,
        title=title or article.title,
        summary=summary,
        body=body,
        change_note=change_note,
        main_message=main_message,
        key_points=key_points if key_points is not None else list(KEY_POINTS),
        author=author,
    )
    if publish:
        revision_publish_unreviewed(revision=revision)
        revision.refresh_from_db()
    return revision


# Editorial workflow (kratom_info.editorial) --------------------------------------------------


def make_editor(username: str | None = None, *roles: str, display_name: str = "", **extra):
    """A staff user in the given role groups ("Author", "Reviewer", "Publisher"); a reviewer
    gets a reviewer profile unless ``display_name`` is None."""
    from django.contrib.auth.models import Group

    from kratom_info.editorial.models import ReviewerProfile
    from kratom_info.editorial.roles import REVIEWER, sync_role_groups

    sync_role_groups()  # the groups come from a data migration; a flushed test DB lacks them
    extra.setdefault("is_staff", True)
    user = make_user(username, **extra)
    user.groups.set(Group.objects.filter(name__in=roles))
    if REVIEWER in roles and display_name is not None:
        ReviewerProfile.objects.create(
            user=user,
            display_name=display_name or f"Dr {user.get_username().title()}",
            role="Pharmacist",
        )
    return user


def make_submitted(
    article: Article | None = None, body: str = "Kratom is a plant [@k1].\n", *, author, **fields
) -> Revision:
    """A draft by ``author`` (created through the editor's service) and submitted."""
    from kratom_info.editorial.services import revision_create_draft_from, revision_submit

    fields.setdefault("key_points", list(KEY_POINTS))  # the content rules ask for 3 to 5
    article = article or make_article()
    latest = article.latest_revision()
    revision = revision_create_draft_from(
        article=article,
        user=author,
        based_on=latest.number if latest else 0,
        title=fields.pop("title", article.title),
        summary=fields.pop("summary", "A short summary."),
        body=body,
        change_note=fields.pop("change_note", "An edit."),
        **fields,
    )
    return revision_submit(revision=revision, user=author)


def make_approved(revision: Revision, *, reviewer) -> Revision:
    """Every claim marked supported by ``reviewer``, then approved."""
    from kratom_info.editorial.models import Verdict
    from kratom_info.editorial.services import claim_check_record, revision_approve

    for claim in revision.claims.all():
        claim_check_record(claim=claim, user=reviewer, verdict=Verdict.SUPPORTED)
    revision_approve(revision=revision, user=reviewer)
    revision.refresh_from_db()
    return revision


def make_reviewed_live(
    article: Article | None = None,
    body: str = "Kratom is a plant [@k1].\n",
    *,
    author,
    reviewer,
    publisher,
    next_review_due=None,
) -> Revision:
    """A revision taken through the whole workflow and published."""
    from kratom_info.editorial.services import default_next_review_due, revision_publish

    revision = make_approved(make_submitted(article, body, author=author), reviewer=reviewer)
    revision_publish(
        revision=revision,
        user=publisher,
        next_review_due=next_review_due or default_next_review_due(),
    )
    revision.refresh_from_db()
    return revision
