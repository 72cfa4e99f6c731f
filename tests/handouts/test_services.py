from unittest import mock

from django.test import TestCase

from kratom_info.articles.signals import live_revision_changed
from kratom_info.handouts.models import ShortCode
from kratom_info.handouts.services import short_code_assign
from tests.factories import make_article, make_revision
from tests.handouts.helpers import make_published_article


class ShortCodeAssignTests(TestCase):
    def test_publishing_gives_an_article_its_code(self):
        """The first publication of an article gives it a valid lowercase short code."""
        article = make_article("dose")
        make_revision(article)
        self.assertFalse(ShortCode.objects.filter(article=article).exists())
        make_revision(article, publish=True)
        short_code = ShortCode.objects.get(article=article)
        self.assertRegex(short_code.code, r"^[23456789abcdefghjkmnpqrstuvwxyz]{4}$")

    def test_drafts_get_no_code(self):
        """An article that was never published has no short code."""
        article = make_article("draft-only")
        make_revision(article)
        self.assertFalse(ShortCode.objects.filter(article=article).exists())

    def test_a_live_version_change_without_a_live_version_gives_no_code(self):
        """The publish signal's receiver skips an article readers cannot see (taken offline)."""
        article = make_article("offline")
        make_revision(article)
        live_revision_changed.send(sender=type(article), article_id=article.pk)
        self.assertFalse(ShortCode.objects.filter(article=article).exists())

    def test_later_versions_keep_the_code(self):
        """Publishing version 2 and 3 keeps the code given at version 1."""
        article = make_published_article("tolerance")
        code = article.short_code.code
        make_revision(article, "New text.\n", publish=True)
        make_revision(article, "Newer text.\n", publish=True)
        self.assertEqual(ShortCode.objects.get(article=article).code, code)
        self.assertEqual(ShortCode.objects.count(), 1)

    def test_assign_is_idempotent(self):
        """Calling the service again returns the existing code, never a new one."""
        article = make_published_article("sleep")
        self.assertEqual(short_code_assign(article=article), article.short_code)

    def test_collision_is_retried(self):
        """A random code that is already taken is skipped, and another one is given."""
        first = make_published_article("first")
        taken = first.short_code.code
        second = make_article("second")
        with mock.patch(
            "kratom_info.handouts.services.generate_code", side_effect=[taken, taken, "zz9z"]
        ):
            short_code = short_code_assign(article=second)
        self.assertEqual(short_code.code, "zz9z")
