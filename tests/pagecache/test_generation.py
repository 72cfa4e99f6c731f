"""The public content generation: bumped in the publishing transaction, read at most every
PAGE_CACHE_GENERATION_TTL seconds per process, and kept through a database outage."""

from unittest import mock

from django.db import DatabaseError, transaction
from django.test import TestCase, TransactionTestCase, override_settings

from kratom_info.pagecache import generation
from kratom_info.pagecache.generation import current_generation, public_content_changed
from kratom_info.pagecache.models import PublicContentGeneration


class GenerationTests(TestCase):
    def test_bump_changes_token_number_and_time(self):
        """Each change gets a new random token, the next number and a later time."""
        before = PublicContentGeneration.objects.get()
        public_content_changed()
        after = PublicContentGeneration.objects.get()
        self.assertNotEqual(after.token, before.token)
        self.assertEqual(after.number, before.number + 1)
        self.assertGreaterEqual(after.changed_at, before.changed_at)
        self.assertEqual(current_generation().token, after.token)

    def test_rolled_back_change_keeps_the_generation(self):
        """A bump inside a transaction that rolls back leaves the old generation."""
        before = PublicContentGeneration.objects.get().token
        with self.assertRaises(RuntimeError), transaction.atomic():
            public_content_changed()
            raise RuntimeError
        self.assertEqual(PublicContentGeneration.objects.get().token, before)

    @override_settings(PAGE_CACHE_GENERATION_TTL=0.5)
    def test_other_processes_changes_are_seen_within_the_ttl(self):
        """A change made elsewhere (another server) is read once the TTL has passed."""
        clock = [1000.0]
        with mock.patch.object(generation.time, "monotonic", lambda: clock[0]):
            seen = current_generation().token
            PublicContentGeneration.objects.update(token="changed-elsewhere")
            clock[0] += 0.4
            self.assertEqual(current_generation().token, seen)
            clock[0] += 0.2
            self.assertEqual(current_generation().token, "changed-elsewhere")

    @override_settings(PAGE_CACHE_GENERATION_TTL=0.5)
    def test_own_change_is_seen_at_once(self):
        """This process's own change is read on its next request, without waiting."""
        clock = [1000.0]
        with mock.patch.object(generation.time, "monotonic", lambda: clock[0]):
            seen = current_generation().token
            public_content_changed()
            self.assertNotEqual(current_generation().token, seen)

    def test_database_outage_keeps_the_last_generation(self):
        """If the generation cannot be read, the last one read is used (cached pages keep
        being served), and the read is tried again later."""
        known = current_generation()
        with mock.patch.object(generation, "_read", side_effect=DatabaseError("down")):
            with self.assertLogs("kratom_info.pagecache.generation", "WARNING"):
                self.assertEqual(current_generation(), known)
        self.assertEqual(current_generation(), known)

    def test_missing_row_turns_caching_off_until_the_next_change(self):
        """Without a generation row nothing is cached; the next change creates it."""
        PublicContentGeneration.objects.all().delete()
        self.assertIsNone(current_generation())
        self.assertEqual(self.client.get("/").status_code, 200)
        public_content_changed()
        self.assertIsNotNone(current_generation())


class MigrateTests(TransactionTestCase):
    def test_migrate_starts_a_new_generation(self):
        """Running migrate (the release step) bumps the generation, so a new release never
        serves pages the previous one cached in a shared cache."""
        from django.core.management import call_command

        public_content_changed()
        before = PublicContentGeneration.objects.get().token
        call_command("migrate", verbosity=0)
        self.assertNotEqual(PublicContentGeneration.objects.get().token, before)
