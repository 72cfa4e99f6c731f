"""Shared set-up for the editorial tests: three editors in their roles and a few sources."""

import datetime

from django.test import TestCase, override_settings
from django.utils import timezone

from kratom_info.editorial.models import AuditEvent
from kratom_info.editorial.services import revision_create_draft_from
from tests.factories import KEY_POINTS, make_article, make_editor, make_source

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)
NOT_APPROVED = (
    "No reviewer other than its authors (of this revision and of any unpublished revision it "
    "builds on) has approved it."
)


def draft(article, user, body="Kratom is a plant [@k1].\n", based_on=None, **fields):
    if based_on is None:
        latest = article.latest_revision()
        based_on = latest.number if latest else 0
    return revision_create_draft_from(
        article=article,
        user=user,
        based_on=based_on,
        title=fields.get("title", "Title"),
        summary=fields.get("summary", "Summary."),
        body=body,
        change_note=fields.get("change_note", "Edited."),
        main_message=fields.get("main_message", ""),
        key_points=fields.get("key_points", list(KEY_POINTS)),
        based_on_hash=fields.get("based_on_hash", ""),
    )


FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST_HASHER
class EditorialTestCase(TestCase):
    # The languages the reviewer's profile lists (None: the default, English only). Classes
    # that review translations give ["en", "es"].
    reviewer_languages: list[str] | None = None

    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        make_source("k2")
        cls.author = make_editor("alice", "Author")
        cls.reviewer = make_editor(
            "rita", "Reviewer", display_name="Dr Rita Reyes", languages=cls.reviewer_languages
        )
        cls.publisher = make_editor("paul", "Publisher")
        cls.article = make_article("dose")

    def actions(self, revision):
        return list(
            AuditEvent.objects.filter(revision=revision)
            .order_by("created_at", "pk")
            .values_list("action", flat=True)
        )
