"""The public content generation: one row that says when anything readers see last changed.

Every publish, unpublish, review-date change and approved source change bumps it in the same
transaction as the change itself, so a page cached under the old generation can never be served
once the change is visible, on any worker or server that shares the database.
"""

from __future__ import annotations

from django.db import models

SINGLETON_ID = 1


class PublicContentGeneration(models.Model):
    """A single row (id 1). ``token`` is random, so a cache shared by a restored or reset
    database never mistakes an old generation's pages for the new one's."""

    number = models.PositiveBigIntegerField(default=1, help_text="Counts changes, for people.")
    token = models.CharField(max_length=32, help_text="Random; part of every page-cache key.")
    changed_at = models.DateTimeField(help_text="When public content last changed.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=SINGLETON_ID), name="public_content_generation_singleton"
            )
        ]

    def __str__(self) -> str:
        return f"generation {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
