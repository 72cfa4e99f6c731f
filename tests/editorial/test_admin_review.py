"""The review workspace and the publish screen."""

from kratom_info.editorial.models import Verdict
from tests.editorial.base import EditorialTestCase
from tests.editorial.test_admin import action_url, review_url
from tests.factories import (
    check_supported,
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
        # As readers see it: the citation as its number, no Markdown.
        self.assertIn(
            '<span class="context">Kratom is a plant [1].</span> '
            '<mark class="claim-text">It grows in Asia [1].</mark>',
            html,
        )
        # Grouped order: the claims of source 1 (positions 1, 2, 4), then of source 2 (3).
        positions = [html.index(f'id="claim-{n}"') for n in (1, 2, 4, 3)]
        self.assertEqual(positions, sorted(positions))

    def test_progress_and_next_unchecked(self):
        """'N of M checked' and a link to the next unchecked claim."""
        revision = make_submitted(self.article, BODY, author=self.author)
        check_supported(revision.claims.get(position=1), reviewer=self.reviewer)
        self.client.force_login(self.reviewer)
        response = self.client.get(review_url(revision))
        self.assertContains(response, "1 of 4 checked")
        self.assertContains(
            response,
            '<a href="#claim-2" id="next-unchecked">Go to claim 2, the first not yet checked</a>',
        )
        self.assertContains(response, 'src="/static/js/review.js"')

    def test_verdict_without_script_returns_to_the_claim(self):
        """A plain form POST, naming where, redirects to the same claim's anchor."""
        revision = make_submitted(self.article, BODY, author=self.author)
        claim = revision.claims.get(position=3)
        self.client.force_login(self.reviewer)
        response = self.client.post(
            action_url(revision, "check"),
            {"claim": claim.pk, "verdict": "supported", "locator-1": "Results, para 2"},
        )
        self.assertRedirects(response, review_url(revision) + "#claim-3")
        check = claim.current_check()
        self.assertEqual(
            (check.verdict, check.locators), (Verdict.SUPPORTED, {"k2": "Results, para 2"})
        )

    def test_supported_without_a_locator_is_refused_and_says_which(self):
        """No locator for a cited source: nothing recorded, and the message names the source."""
        revision = make_submitted(self.article, BODY, author=self.author)
        claim = revision.claims.get(position=4)
        self.client.force_login(self.reviewer)
        response = self.client.post(
            action_url(revision, "check"),
            {"claim": claim.pk, "verdict": "supported", "locator-1": "table 1"},
            follow=True,
        )
        self.assertContains(response, "Say where in [@k2] claim 4 is supported")
        self.assertIsNone(claim.current_check())

    def test_author_locators_are_prefilled_and_shown(self):
        """The locator field starts with the author's locator, which is named beside it."""
        revision = make_submitted(
            self.article, "Kratom is a plant [@pn1, table 2; @k2].\n", author=self.author
        )
        self.client.force_login(self.reviewer)
        html = self.client.get(review_url(revision)).content.decode()
        self.assertIn('name="locator-1" id="locator-1-', html)
        self.assertIn('value="table 2" data-author="table 2"', html)
        self.assertIn("The author cites table 2.", html)
        self.assertIn("The author gave no locator.", html)
        self.assertIn('<mark class="claim-text">Kratom is a plant [1, table 2; 2].</mark>', html)

    def test_verdict_with_script_answers_json(self):
        """The script's POST gets JSON (progress included); a refused one gets the reason."""
        revision = make_submitted(self.article, BODY, author=self.author)
        claim = revision.claims.get(position=2)
        self.client.force_login(self.reviewer)
        url = action_url(revision, "check")
        ok = self.client.post(
            url,
            {"claim": claim.pk, "verdict": "supported", "locator-1": "abstract"},
            HTTP_ACCEPT="application/json",
        )
        self.assertEqual((ok.json()["ok"], ok.json()["checked"], ok.json()["total"]), (True, 1, 4))
        self.assertEqual(ok.json()["locators"], {"pn1": "abstract"})
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
    def test_publish_form_first_then_the_change(self):
        """An approved revision, seen by a publisher: the Publish section (with how the review
        was done) at the top, then the diff, then the changed claims, marked."""
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
        self.assertLess(html.index('id="publish-heading"'), html.index('id="diff-heading"'))
        self.assertLess(html.index('id="diff-heading"'), html.index('id="claims-heading"'))
        self.assertIn('id="review-paces"', html)
        self.assertIn("claim--new", html)
        self.assertIn("New and changed claims since version 1", html)
        self.assertNotIn("publish-blockers", html)
        self.assertNotIn("fast-review-reason", html)  # one claim: no pace to measure

    def test_no_publish_button_while_blocked(self):
        """Blocked: the reasons are a count that opens to the list, and there is no Publish
        button; a submitted revision shows its claims first."""
        revision = make_submitted(self.article, author=self.author)
        self.client.force_login(self.publisher)
        html = self.client.get(review_url(revision)).content.decode()
        self.assertIn("Publishing is blocked by 3 problems", html)
        self.assertIn('<details id="publish-blockers">', html)
        self.assertIn("only approved revisions are published", html)
        self.assertNotIn('id="publish"', html)
        self.assertLess(html.index('id="claims-heading"'), html.index("publish-blockers"))
