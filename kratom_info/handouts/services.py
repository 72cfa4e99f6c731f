"""Giving articles their short codes."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from kratom_info.articles.models import Article
from kratom_info.handouts.codes import LENGTH, generate_code
from kratom_info.handouts.models import ShortCode

ATTEMPTS_PER_LENGTH = 20


@transaction.atomic
def short_code_assign(*, article: Article) -> ShortCode:
    """Return the article's short code, giving it a new random one if it has none yet.

    Called when an article is published (so every published article has one) and safe to call
    again: an existing code is returned unchanged, never replaced.
    """
    existing = ShortCode.objects.filter(article=article).first()
    if existing is not None:
        return existing
    # A collision is rare (tens of articles among 923,521 codes); retry, then lengthen.
    for length in (LENGTH, LENGTH + 1, LENGTH + 2):
        for _ in range(ATTEMPTS_PER_LENGTH):
            code = generate_code(length)
            if ShortCode.objects.filter(code=code).exists():
                continue
            try:
                with transaction.atomic():
                    return ShortCode.objects.create(article=article, code=code)
            except IntegrityError:
                # Another transaction took this code, or gave this article its code, meanwhile.
                existing = ShortCode.objects.filter(article=article).first()
                if existing is not None:
                    return existing
    raise RuntimeError(f"Could not find a free short code for {article.slug}.")


def short_code_for_live_article(sender, *, article_id: int, **kwargs) -> None:
    """``live_revision_changed`` receiver: every published article has a short code for printed
    handouts (a no-op after the first; nothing for an article just taken offline)."""
    article = Article.objects.filter(pk=article_id, live_revision__isnull=False).first()
    if article is not None:
        short_code_assign(article=article)
