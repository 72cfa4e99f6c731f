"""Reviewer profiles: what readers see of an editor (name, role, declared interests) and the
languages they review in.

Below the apps that read them (editorial's four-eyes and publish rules, the public pages) and
managed from the people screens (:mod:`kratom_info.accounts.people`). The model belonged to
the editorial app until it got this app of its own; its table keeps its name (``db_table``),
so existing databases kept their rows (see migrations/0001_initial.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language_info


def default_review_languages() -> list[str]:
    """English: what every profile read before reviewers listed their languages."""
    return [settings.LANGUAGE_CODE]


def language_name(code: str) -> str:
    """The English name of a language code (the admin is in English): 'es' -> 'Spanish'."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def _no_languages_message() -> str:
    known = ", ".join(code for code, _ in settings.LANGUAGES)
    return f"List at least one language the reviewer reads, from: {known}."


def validate_review_languages(value) -> None:
    """A non-empty list of distinct language codes from ``settings.LANGUAGES``."""
    known = [code for code, _ in settings.LANGUAGES]
    if not isinstance(value, list) or not value:
        raise ValidationError(_no_languages_message(), code="no_languages")
    unknown = [str(code) for code in value if code not in known]
    if unknown:
        raise ValidationError(
            f"Unknown language code {', '.join(map(repr, unknown))}: choose from "
            + ", ".join(known)
            + ".",
            code="unknown_language",
        )
    if len(set(value)) != len(value):
        raise ValidationError("Each language is listed once.", code="duplicate_language")


def ordered_languages(codes) -> list[str]:
    """``codes`` without duplicates, in the order of ``settings.LANGUAGES``."""
    wanted = set(codes)
    return [code for code, _ in settings.LANGUAGES if code in wanted]


class ReviewerProfile(models.Model):
    """How an editor is named on public pages: 'Reviewed by NAME (ROLE) on DATE', and for an
    author who has one, 'Written by NAME (ROLE)'; with their declared interests, and the
    languages they review in (a translation's reviewer must read it and its original)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    display_name = models.CharField(
        max_length=200, help_text="Shown to readers, e.g. 'Dr Amira Hassan'."
    )
    role = models.CharField(
        max_length=200,
        help_text="Shown to readers in brackets, e.g. 'Addiction medicine physician'.",
    )
    declared_interests = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Conflicts of interest readers should know of (funding, consulting, ties to "
        "industry or advocacy groups), in their words. Empty: pages say 'none declared'.",
    )
    languages = models.JSONField(
        "languages reviewed in",
        default=default_review_languages,
        validators=[validate_review_languages],
        error_messages={"blank": _no_languages_message()},
        help_text="Language codes of the languages this person reads well enough to check "
        'claims against sources, e.g. ["en", "es"]. Reviewing a translation needs both '
        "its language and the original's (English).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "editorial_reviewerprofile"
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.role})"

    def save(self, *args, **kwargs):
        validate_review_languages(self.languages)  # never store a list the rule cannot read
        self.languages = ordered_languages(self.languages)
        super().save(*args, **kwargs)

    @property
    def language_names(self) -> str:
        """'English and Spanish', 'English only'."""
        names = [language_name(code) for code in self.languages]
        if len(names) == 1:
            return f"{names[0]} only"
        return ", ".join(names[:-1]) + f" and {names[-1]}"
