"""Short codes: the part of a printed short link (/h/<code>) that names an article.

A code is given to an article once, when the article is first published, and never changes,
moves to another article or disappears: paper handouts carry it for years.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation

from kratom_info.articles.models import Article
from kratom_info.handouts.codes import CODE_REGEX, MAX_LENGTH


class ShortCodeChangeError(Exception):
    """Raised on any attempt to change, move or delete a short code: printed links rely on it."""


class ShortCodeQuerySet(models.QuerySet):
    def published(self) -> ShortCodeQuerySet:
        """Codes of articles readers may see, with the article and its live revision loaded."""
        return self.filter(article__live_revision__isnull=False).select_related(
            "article", "article__live_revision"
        )

    def update(self, **kwargs):
        if {"code", "article", "article_id"} & set(kwargs):
            raise ShortCodeChangeError("Short codes never change once given.")
        return super().update(**kwargs)

    def delete(self):
        raise ShortCodeChangeError("Short codes are never deleted: printed handouts use them.")


class ShortCode(models.Model):
    """The short code of one article, printed on handouts as /h/<code>."""

    code = models.CharField(
        max_length=MAX_LENGTH,
        unique=True,
        validators=[RegexValidator(CODE_REGEX, "Lowercase letters and digits without 0 1 i l o.")],
        help_text="Given automatically when the article is first published. Never changes.",
    )
    article = models.OneToOneField(Article, on_delete=models.PROTECT, related_name="short_code")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShortCodeQuerySet.as_manager()

    class Meta:
        ordering = ["article__order", "article__slug"]
        constraints = [
            models.CheckConstraint(condition=Q(code=Lower("code")), name="short_code_lowercase"),
        ]

    def __str__(self) -> str:
        return self.code

    # Short links have one address in every language (/h/...): the code names the article,
    # and so its language.
    def get_absolute_url(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return reverse("handouts:live", kwargs={"code": self.code})

    def pinned_path(self, number: int) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return reverse("handouts:pinned", kwargs={"code": self.code, "number": number})

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = ShortCode.objects.filter(pk=self.pk).values("code", "article_id").first()
            if stored and (stored["code"], stored["article_id"]) != (self.code, self.article_id):
                raise ShortCodeChangeError(f"Short code {stored['code']} never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ShortCodeChangeError("Short codes are never deleted: printed handouts use them.")
