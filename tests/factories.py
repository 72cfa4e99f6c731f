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
        key_points=key_points if key_points is not None else ["Point one.", "Point two."],
        author=author,
    )
    if publish:
        revision_publish_unreviewed(revision=revision)
        revision.refresh_from_db()
    return revision
