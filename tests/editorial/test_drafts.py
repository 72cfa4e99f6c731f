"""Drafts are edited in place until submitted; readers see gapless version numbers."""

from django.test import Client

from kratom_info.articles.models import FrozenRevisionError, RevisionStatus
from kratom_info.articles.services import revision_update_draft
from kratom_info.editorial.models import AuditAction
from kratom_info.editorial.services import (
    EditConflict,
    default_next_review_due,
    revision_request_changes,
    revision_submit,
)
from tests.editorial.base import EditorialTestCase, draft
from tests.factories import make_editor, make_reviewed_live, make_revision, make_submitted


class DraftInPlaceTests(EditorialTestCase):
    def test_saving_own_draft_again_updates_it(self):
        """A typo fix in one's own draft keeps its number and re-renders it; audited."""
        first = draft(self.article, self.author, "Kratom is a plnat [@k1].\n")
        again = draft(
            self.article, self.author, "Kratom is a plant [@k1].\n", based_on=first.number
        )
        self.assertEqual((again.pk, again.number), (first.pk, 1))
        self.assertEqual(self.article.revisions.count(), 1)
        self.assertIn("a plant", again.body_html)
        self.assertNotIn("plnat", again.body_html)
        self.assertEqual(self.actions(again), [AuditAction.CREATED, AuditAction.DRAFT_UPDATED])

    def test_someone_elses_draft_is_never_changed(self):
        """Saving over another person's draft makes a new draft building on it."""
        first = draft(self.article, self.author, "Alice wrote this [@k1].\n")
        bob = make_editor("bob", "Author")
        second = draft(self.article, bob, "Bob wrote this [@k1].\n", based_on=first.number)
        self.assertEqual(second.number, 2)
        first.refresh_from_db()
        self.assertEqual(first.body, "Alice wrote this [@k1].\n")

    def test_a_draft_saved_again_after_opening_is_a_conflict(self):
        """Opened at one state of a draft, saved after its author changed it: refused."""
        first = draft(self.article, self.author, "First text [@k1].\n")
        opened_hash = first.content_hash
        draft(self.article, self.author, "Second text [@k1].\n", based_on=1)
        bob = make_editor("bob", "Author")
        with self.assertRaises(EditConflict) as caught:
            draft(self.article, bob, "Bob's text [@k1].\n", based_on=1, based_on_hash=opened_hash)
        self.assertIn("saved again by alice", str(caught.exception))
        self.assertEqual(self.article.revisions.count(), 1)

    def test_submitted_draft_is_not_updated_in_place(self):
        """Once submitted, a save by its author makes a new revision; the frozen one stays."""
        submitted = make_submitted(self.article, author=self.author)
        newer = draft(self.article, self.author, "Changed [@k1].\n", based_on=submitted.number)
        self.assertEqual(newer.number, submitted.number + 1)
        with self.assertRaises(FrozenRevisionError):
            revision_update_draft(
                revision=submitted, title="T", summary="S.", body="x", change_note="c"
            )

    def test_sent_back_revision_is_revised_in_a_new_draft(self):
        """A revision sent back for changes stays frozen; the revision is a new draft that is
        then edited in place."""
        submitted = make_submitted(self.article, author=self.author)
        revision_request_changes(revision=submitted, user=self.reviewer, comment="Cite more.")
        frozen_body = submitted.body
        revised = draft(self.article, self.author, "Revised [@k1].\n", based_on=submitted.number)
        again = draft(self.article, self.author, "Revised again [@k1].\n", based_on=revised.number)
        self.assertEqual((revised.number, again.pk), (submitted.number + 1, revised.pk))
        submitted.refresh_from_db()
        self.assertEqual((submitted.status, submitted.body), (RevisionStatus.REJECTED, frozen_body))


class GaplessPublicNumberTests(EditorialTestCase):
    def test_public_numbers_count_published_versions_only(self):
        """v1, a rejected revision, then v2: the second published version is public v2, its
        permanent links answer at 2, and revision number 3 is no public address."""
        first = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        rejected = make_submitted(self.article, "A rejected text [@k1].\n", author=self.author)
        revision_request_changes(revision=rejected, user=self.reviewer, comment="No.")
        second = make_reviewed_live(
            self.article,
            "The second published text [@k2].\n",
            author=self.author,
            reviewer=self.reviewer,
            publisher=self.publisher,
        )
        self.assertEqual((first.public_number, rejected.public_number), (1, None))
        self.assertEqual((second.number, second.public_number), (3, 2))
        self.assertEqual(second.get_absolute_url(), "/articles/dose/v2/")
        client = Client()
        page = client.get("/articles/dose/v2/")
        self.assertContains(page, "The second published text")
        self.assertContains(page, "Version 2, published")
        self.assertEqual(client.get("/articles/dose/v3/").status_code, 404)
        self.assertContains(client.get("/articles/dose/v2/handout/"), "Version 2, published")
        self.assertContains(
            client.get("/articles/dose/diff/1/2/"), 'href="/articles/dose/v2/">version 2'
        )
        code = self.article.short_code.code
        self.assertRedirects(client.get(f"/h/{code}/2"), "/articles/dose/v2/", status_code=301)
        history = client.get("/articles/dose/history/")
        self.assertContains(history, 'href="/articles/dose/v2/"')
        self.assertNotContains(history, "Version 3")

    def test_public_number_never_changes(self):
        """A published version's public number is frozen like its text."""
        live = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        live.public_number = 5
        with self.assertRaises(FrozenRevisionError):
            live.save()
        with self.assertRaises(FrozenRevisionError):
            type(live).objects.filter(pk=live.pk).update(public_number=7)

    def test_submitting_keeps_no_public_number(self):
        """Only publishing gives a public number."""
        revision = revision_submit(revision=draft(self.article, self.author), user=self.author)
        self.assertIsNone(revision.public_number)
        self.assertIsNotNone(default_next_review_due())


class ReviewRecordTests(EditorialTestCase):
    def test_review_record_is_the_publication_or_none(self):
        """A version published through the review gate has its Publication; one published
        without review has None (no exception for templates to swallow)."""
        reviewed = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        unreviewed = make_revision(self.article, "Imported text [@k1].\n", publish=True)
        reviewed.refresh_from_db()
        self.assertEqual(reviewed.review_record, reviewed.publication)
        self.assertEqual(reviewed.review_record.reviewer_name, reviewed.publication.reviewer_name)
        self.assertIsNone(unreviewed.review_record)
