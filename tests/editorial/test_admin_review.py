"""The review workspace and the publish screen."""

from kratom_info.editorial.models import Verdict
from kratom_info.editorial.services import claim_check_record
from tests.editorial.base import EditorialTestCase
from tests.editorial.test_admin import action_url, review_url
from tests.factories import (
    make_approved,
    make_reviewed_live,
    make_revision,
    make_source,
    make_submitted,
)

BODY = (
    "Kratom is a plant [@pn1]. It grows in Asia [@pn1].\n\n"
    "People report effects [@k2]. Some stop easily [@pn1; @k2].\n"
)


class ReviewWorkspaceTests(EditorialTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_source("pn1", public_note="A small survey.", notes="Self-selected sample.")

    def test_claims_grouped_by_source_with_notes_once(self):
        """Each source heads its claims once, with its public and reviewer notes; a claim
        citing a second source names it; claims show their paragraph around them."""
        revision = make_submitted(self.article, BODY, author=self.author)
        self.client.force_login(self.reviewer)
        html = self.client.get(review_url(revision)).content.decode()
        self.assertEqual(html.count("A small survey."), 2)  # the group, and the reference list
        self.assertEqual(html.count("Self-selected sample."), 1)
        self.assertIn('Reference 1 <span class="source-key">[@pn1]</span> · 3 claims', html)
        self.assertIn('Reference 2 <span class="source-key">[@k2]</span> · 1 claim', html)
        self.assertIn('Also cites <span class="source-key">[@k2]</span>', html)
        self.assertIn(
            '<span class="context">Kratom is a plant [@pn1]. </span>'
            '<mark class="claim-text">It grows in Asia [@pn1].</mark>',
            html,
        )
        # Grouped order: the claims of source 1 (positions 1, 2, 4), then of source 2 (3).
        positions = [html.index(f'id="claim-{n}"') for n in (1, 2, 4, 3)]
        self.assertEqual(positions, sorted(positions))

    def test_progress_and_next_unchecked(self):
        """'N of M checked' and a link to the next unchecked claim."""
        revision = make_submitted(self.article, BODY, author=self.author)
        claim_check_record(
            claim=revision.claims.get(position=1), user=self.reviewer, verdict=Verdict.SUPPORTED
        )
        self.client.force_login(self.reviewer)
        response = self.client.get(review_url(revision))
        self.assertContains(response, "1 of 4 checked")
        self.assertContains(
            response, '<a href="#claim-2" id="next-unchecked">Next unchecked claim (2)</a>'
        )
        self.assertContains(response, 'src="/static/js/review.js"')

    def test_verdict_without_script_returns_to_the_claim(self):
        """A plain form POST redirects to the same claim's anchor."""
        revision = make_submitted(self.article, BODY, author=self.author)
        claim = revision.claims.get(position=3)
        self.client.force_login(self.reviewer)
        response = self.client.post(
            action_url(revision, "check"), {"claim": claim.pk, "verdict": "supported"}
        )
        self.assertRedirects(response, review_url(revision) + "#claim-3")
        self.assertEqual(claim.current_check().verdict, Verdict.SUPPORTED)

    def test_verdict_with_script_answers_json(self):
        """The script's POST gets JSON (progress included); a refused one gets the reason."""
        revision = make_submitted(self.article, BODY, author=self.author)
        claim = revision.claims.get(position=2)
        self.client.force_login(self.reviewer)
        url = action_url(revision, "check")
        ok = self.client.post(
            url, {"claim": claim.pk, "verdict": "supported"}, HTTP_ACCEPT="application/json"
        )
        self.assertEqual((ok.json()["ok"], ok.json()["checked"], ok.json()["total"]), (True, 1, 4))
        refused = self.client.post(
            url, {"claim": claim.pk, "verdict": "not_supported"}, HTTP_ACCEPT="application/json"
        )
        self.assertEqual(refused.status_code, 400)
        self.assertIn("a note is required", refused.json()["errors"][0])

    def test_no_carry_over_for_never_reviewed_articles(self):
        """An article published only by import offers nothing to carry over."""
        make_revision(self.article, "Kratom is a plant [@k1].\n", publish=True)
        revision = make_submitted(self.article, "Kratom is a plant [@k1].\n", author=self.author)
        self.client.force_login(self.reviewer)
        response = self.client.get(review_url(revision))
        self.assertNotContains(response, 'id="carry-over"')
        self.assertContains(response, "never published through review")


class PublishScreenTests(EditorialTestCase):
    def test_publish_form_first_diff_collapsed_below(self):
        """An approved revision: the publish form is at the top, the diff in a closed
        <details> below the claims."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        revision = make_approved(
            make_submitted(self.article, "Kratom is a tree [@k1].\n", author=self.author),
            reviewer=self.reviewer,
        )
        self.client.force_login(self.publisher)
        html = self.client.get(review_url(revision)).content.decode()
        self.assertIn('value="Publish as public version 2" id="publish"', html)
        self.assertLess(html.index('id="publish"'), html.index('id="claims-heading"'))
        self.assertLess(html.index('id="claims-heading"'), html.index('id="diff-heading"'))
        self.assertIn('<details class="editorial-diff-details">', html)
        self.assertNotIn("publish-blockers", html)

    def test_no_publish_button_while_blocked(self):
        """Blocked: the reasons are listed first and there is no Publish button."""
        revision = make_submitted(self.article, author=self.author)
        self.client.force_login(self.publisher)
        html = self.client.get(review_url(revision)).content.decode()
        self.assertIn("publish-blockers", html)
        self.assertIn("only approved revisions are published", html)
        self.assertNotIn('id="publish"', html)
        self.assertLess(html.index("publish-blockers"), html.index('id="claims-heading"'))
