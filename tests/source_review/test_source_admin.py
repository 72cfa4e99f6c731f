from django.urls import reverse

from kratom_info.citations.models import Source
from kratom_info.editorial.models import AuditAction, AuditEvent
from kratom_info.source_review.models import SourceChange
from kratom_info.source_review.services import source_change_propose
from tests.editorial.base import EditorialTestCase
from tests.factories import make_editor, make_proposed_source


def form_data(source: Source, **overrides) -> dict:
    """The proposal form's fields as a browser posts them, from the source's current values."""
    data = {
        name: "" if value is None else value for name, value in source.reviewable_values().items()
    }
    data["proposal_note"] = ""
    data.update(overrides)
    return data


def review_url(change) -> str:
    return reverse("admin:source_review_sourcechange_change", args=[change.pk])


class SourceAdminTestCase(EditorialTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.source = Source.objects.get(key="k1")

    def propose_url(self):
        return reverse("admin:citations_source_propose", args=[self.source.pk])

    def public_page(self):
        return self.client.get(self.source.get_absolute_url())


class ProposeScreenTests(SourceAdminTestCase):
    def test_source_page_offers_propose_not_edit(self):
        """An author sees the source read-only with a "Propose a change" link and its
        proposals; there is no editable field and no save button."""
        change = source_change_propose(
            user=self.author, source=self.source, values={"title": "Pending title"}
        )
        self.client.force_login(self.author)
        response = self.client.get(reverse("admin:citations_source_change", args=[self.source.pk]))
        self.assertContains(response, f'href="{self.propose_url()}"')
        self.assertContains(response, f'href="{review_url(change)}"')
        self.assertContains(response, "Proposed, awaiting review")
        self.assertNotContains(response, 'name="title"')
        self.assertNotContains(response, 'name="_save"')

    def test_proposing_from_the_form_leaves_the_public_page_alone(self):
        """The propose form is prefilled; posting it records a proposal and an audit event,
        opens the review screen, and the public page still shows the old title."""
        self.client.force_login(self.author)
        page = self.client.get(self.propose_url())
        self.assertContains(page, 'value="A study called k1"')
        response = self.client.post(
            self.propose_url(),
            form_data(self.source, title="A corrected title", proposal_note="Per the journal."),
        )
        change = SourceChange.objects.get()
        self.assertRedirects(response, review_url(change))
        self.assertEqual(change.values["title"], "A corrected title")
        self.assertEqual(change.note, "Per the journal.")
        self.assertEqual(AuditEvent.objects.get().action, AuditAction.SOURCE_PROPOSED)
        self.client.logout()
        self.assertNotContains(self.public_page(), "A corrected title")

    def test_form_reports_bad_values_and_no_change(self):
        """Bad identifiers and a proposal that changes nothing are reported on the form."""
        self.client.force_login(self.author)
        bad = self.client.post(self.propose_url(), form_data(self.source, doi="doi.org/x"))
        self.assertContains(bad, "should look like 10.1234/abc")
        same = self.client.post(self.propose_url(), form_data(self.source))
        self.assertContains(same, "The proposal changes nothing in k1.")
        self.assertFalse(SourceChange.objects.exists())

    def test_reviewers_cannot_open_the_propose_form(self):
        """Only roles that may propose get the form."""
        self.client.force_login(self.reviewer)
        self.assertEqual(self.client.get(self.propose_url()).status_code, 403)

    def test_add_button_proposes_a_hidden_new_source(self):
        """ "Add source" proposes a new source: it is not public until approved."""
        self.client.force_login(self.author)
        self.assertContains(
            self.client.get(reverse("admin:citations_source_add")), "Propose a new source"
        )
        data = form_data(self.source, title="Brand new", doi="10.1000/new", key="new2024")
        response = self.client.post(reverse("admin:citations_source_add"), data)
        change = SourceChange.objects.get()
        self.assertRedirects(response, review_url(change))
        self.assertTrue(change.creates_source)
        self.assertFalse(Source.objects.get(key="new2024").approved)
        self.client.logout()
        self.assertEqual(self.client.get("/sources/new2024/").status_code, 404)
        self.assertNotContains(self.client.get("/sources/"), "Brand new")


class ReviewScreenTests(SourceAdminTestCase):
    def test_review_screen_shows_field_by_field_diff(self):
        """The reviewer sees each field before and as proposed, changed ones marked."""
        change = source_change_propose(
            user=self.author,
            source=self.source,
            values={"title": "A study called k1 revisited", "url": "https://example.org/k1"},
            note="Found the page.",
        )
        self.client.force_login(self.reviewer)
        response = self.client.get(review_url(change))
        self.assertContains(response, "Found the page.")
        self.assertContains(response, '<tr class="field-changed" id="field-title">')
        self.assertContains(response, '<tr class="field-changed" id="field-url">')
        self.assertContains(response, '<tr class="field-unchanged" id="field-authors">')
        self.assertContains(response, "[added: </span> revisited")
        self.assertContains(response, '<th scope="row">DOI</th>')
        self.assertContains(response, 'id="approve-source-change"')
        self.assertContains(response, 'id="reject-source-change"')

    def test_reviewer_approves_from_the_admin(self):
        """Approve writes the values; the public page shows them at once."""
        change = source_change_propose(
            user=self.author, source=self.source, values={"title": "Approved title"}
        )
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("admin:source_review_sourcechange_approve", args=[change.pk]), {"note": "OK"}
        )
        self.assertRedirects(response, review_url(change))
        self.client.logout()
        self.assertContains(self.public_page(), "Approved title")

    def test_proposer_gets_no_approve_button_and_is_refused(self):
        """The proposer's own approval is refused with the four-eyes message."""
        boss = make_editor("boss", "Author", "Reviewer", display_name="Dr Boss")
        change = source_change_propose(user=boss, source=self.source, values={"title": "Mine"})
        self.client.force_login(boss)
        screen = self.client.get(review_url(change))
        self.assertNotContains(screen, 'id="approve-source-change"')
        self.assertContains(screen, "someone else must approve it")
        response = self.client.post(
            reverse("admin:source_review_sourcechange_approve", args=[change.pk]), follow=True
        )
        self.assertContains(response, "four-eyes rule")
        self.assertEqual(Source.objects.get(pk=self.source.pk).title, "A study called k1")

    def test_reject_requires_a_note(self):
        """Rejecting without a note is refused; with one it is recorded."""
        change = source_change_propose(
            user=self.author, source=self.source, values={"title": "Nope"}
        )
        self.client.force_login(self.publisher)
        url = reverse("admin:source_review_sourcechange_reject", args=[change.pk])
        self.assertContains(self.client.post(url, {"note": ""}, follow=True), "a note is required")
        self.client.post(url, {"note": "Wrong journal."})
        self.assertEqual(SourceChange.objects.get(pk=change.pk).status, "rejected")
        self.assertContains(self.client.get(review_url(change)), "Wrong journal.")

    def test_changelist_filters_pending_and_dashboard_lists_them(self):
        """Pending proposals are listed in the admin and on the dashboard."""
        pending = make_proposed_source("fresh2024", proposer=self.author)
        self.client.force_login(self.reviewer)
        listing = self.client.get(
            reverse("admin:source_review_sourcechange_changelist"), {"status": "proposed"}
        )
        self.assertContains(listing, str(pending))
        dashboard = self.client.get(reverse("admin:index"))
        self.assertContains(dashboard, "Source changes awaiting review (1)")
        self.assertContains(dashboard, f'<a href="{review_url(pending)}">{pending}</a>', html=True)


class MovedAddressTests(SourceAdminTestCase):
    def test_addresses_from_the_editorial_app_redirect_permanently(self):
        """The screens' addresses from before the source review had an app of its own
        (/admin/editorial/sourcechange/...) redirect to the same screen, query kept."""
        change = make_proposed_source("moved2024", proposer=self.author)
        self.client.force_login(self.reviewer)
        changelist = reverse("admin:source_review_sourcechange_changelist")
        for old, new in [
            ("/admin/editorial/sourcechange/", changelist),
            ("/admin/editorial/sourcechange/?status=proposed", changelist + "?status=proposed"),
            (f"/admin/editorial/sourcechange/{change.pk}/change/", review_url(change)),
        ]:
            with self.subTest(old=old):
                response = self.client.get(old)
                self.assertRedirects(response, new, status_code=301)
        self.assertContains(self.client.get(review_url(change)), str(change))


class AttackTests(SourceAdminTestCase):
    def test_raw_post_to_the_change_url_changes_nothing(self):
        """An author (or a superuser) posting straight to the Source change URL is refused,
        and the public page keeps its values."""
        boss = make_editor("boss", is_superuser=True)
        url = reverse("admin:citations_source_change", args=[self.source.pk])
        for user in (self.author, boss):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.post(
                    url, form_data(self.source, title="Hijacked", url="https://shop.example")
                )
                self.assertEqual(response.status_code, 403)
        self.client.logout()
        page = self.public_page()
        self.assertNotContains(page, "Hijacked")
        self.assertNotContains(page, "shop.example")
        self.assertEqual(Source.objects.get(pk=self.source.pk).title, "A study called k1")
        self.assertFalse(SourceChange.objects.exists())

    def test_author_cannot_approve_by_posting(self):
        """An author posting to the approve URL is refused and nothing changes."""
        change = source_change_propose(
            user=make_editor("bob", "Author"), source=self.source, values={"title": "Sneaky"}
        )
        self.client.force_login(self.author)
        response = self.client.post(
            reverse("admin:source_review_sourcechange_approve", args=[change.pk]), follow=True
        )
        self.assertContains(response, "You do not have permission to approve source changes.")
        self.client.logout()
        self.assertNotContains(self.public_page(), "Sneaky")
