from django.db import IntegrityError, transaction
from django.test import TestCase

from kratom_info.handouts.models import ShortCode, ShortCodeChangeError
from tests.factories import make_article
from tests.handouts.helpers import make_published_article


class ShortCodeImmutabilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_published_article("tolerance")
        cls.other = make_published_article("sleep")

    def test_code_cannot_change(self):
        """Saving a short code with a different code raises: printed links rely on it."""
        short_code = self.article.short_code
        original = short_code.code
        short_code.code = "zzzz" if original != "zzzz" else "yyyy"
        with self.assertRaises(ShortCodeChangeError):
            short_code.save()
        self.assertEqual(ShortCode.objects.get(pk=short_code.pk).code, original)

    def test_code_cannot_move_to_another_article(self):
        """A short code never moves to another article, through save() or update()."""
        short_code = ShortCode.objects.get(article=self.article)
        short_code.article = self.other
        with self.assertRaises(ShortCodeChangeError):
            short_code.save()
        with self.assertRaises(ShortCodeChangeError):
            ShortCode.objects.filter(pk=short_code.pk).update(code="zzzz")

    def test_code_cannot_be_deleted(self):
        """Short codes are never deleted, one at a time or in bulk."""
        with self.assertRaises(ShortCodeChangeError):
            self.article.short_code.delete()
        with self.assertRaises(ShortCodeChangeError):
            ShortCode.objects.all().delete()
        self.assertEqual(ShortCode.objects.count(), 2)

    def test_database_refuses_uppercase_and_duplicate_codes(self):
        """The database keeps codes lowercase, unique, and one per article."""
        draft_only = make_article("draft-only")
        taken = self.other.short_code.code
        for article, code in (
            (draft_only, taken),  # a code already given
            (draft_only, "ABCD"),  # uppercase
            (self.article, "abcd"),  # a second code for one article
        ):
            with self.subTest(code=code), self.assertRaises(IntegrityError), transaction.atomic():
                ShortCode.objects.bulk_create([ShortCode(article=article, code=code)])
