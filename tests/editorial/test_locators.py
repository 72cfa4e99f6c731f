"""A supported verdict names where: locators on verdicts, partly supported, carry-over."""

from kratom_info.editorial.models import ClaimCheck, Verdict
from kratom_info.editorial.services import (
    ApprovalBlocked,
    EditorialError,
    claim_check_record,
    claim_checks_carry_over,
    publish_blockers,
    revision_approve,
)
from tests.editorial.base import NEXT_YEAR, EditorialTestCase
from tests.factories import check_supported, make_editor, make_reviewed_live, make_submitted

BODY = "Doses vary [@k1, table 2]. Some feel it more [@k1; @k2, abstract].\n"


class SupportedNamesWhereTests(EditorialTestCase):
    def test_claims_keep_the_authors_locators_when_submitted(self):
        """Submission stores each claim's locators by key ("" where the author gave none)."""
        revision = make_submitted(self.article, BODY, author=self.author)
        first, second = revision.claims.all()
        self.assertEqual(first.locators, {"k1": "table 2"})
        self.assertEqual(second.locators, {"k1": "", "k2": "abstract"})

    def test_supported_needs_a_locator_for_every_source(self):
        """Without a locator for each cited source nothing is recorded, and the refusal names
        every missing one."""
        revision = make_submitted(self.article, BODY, author=self.author)
        claim = revision.claims.get(position=2)
        with self.assertRaises(EditorialError) as caught:
            claim_check_record(
                claim=claim, user=self.reviewer, verdict=Verdict.SUPPORTED, locators={"k2": " "}
            )
        self.assertEqual(len(caught.exception.reasons), 2)
        self.assertIn("Say where in [@k1] claim 2 is supported", caught.exception.reasons[0])
        self.assertIn("[@k2]", caught.exception.reasons[1])
        self.assertFalse(ClaimCheck.objects.filter(claim=claim).exists())

    def test_locators_for_sources_the_claim_does_not_cite_are_refused(self):
        """A locator for a key the claim does not cite is an error, not silently dropped."""
        revision = make_submitted(self.article, BODY, author=self.author)
        claim = revision.claims.get(position=1)
        with self.assertRaises(EditorialError) as caught:
            claim_check_record(
                claim=claim,
                user=self.reviewer,
                verdict=Verdict.SUPPORTED,
                locators={"k1": "table 2", "k2": "p. 3"},
            )
        self.assertIn("does not cite k2", caught.exception.reasons[0])

    def test_a_locator_of_200_characters_or_more_is_refused(self):
        """A locator is a place, not an essay: the refusal says how long it was."""
        revision = make_submitted(self.article, BODY, author=self.author)
        with self.assertRaises(EditorialError) as caught:
            claim_check_record(
                claim=revision.claims.get(position=1),
                user=self.reviewer,
                verdict=Verdict.SUPPORTED,
                locators={"k1": "x" * 201},
            )
        self.assertIn("201 characters long", str(caught.exception))

    def test_confirmed_and_own_locators_are_told_apart(self):
        """Keeping the author's locator confirms it; writing another is the reviewer's own.
        Both are in the audit trail."""
        revision = make_submitted(self.article, BODY, author=self.author)
        first, second = revision.claims.all()
        confirmed = check_supported(first, reviewer=self.reviewer)
        own = check_supported(second, reviewer=self.reviewer, k1="Results, para 2")
        self.assertEqual(confirmed.locators, {"k1": "table 2"})
        self.assertEqual(confirmed.locators_confirmed(), ["k1"])
        self.assertEqual(own.locators, {"k1": "Results, para 2", "k2": "abstract"})
        self.assertEqual(own.locators_confirmed(), ["k2"])
        self.assertIn(
            "Claim 2: Supported (k1: Results, para 2; k2: abstract)",
            revision.audit_events.values_list("detail", flat=True),
        )

    def test_partly_supported_needs_a_note_and_blocks_approval(self):
        """'Partly supported' is recorded only with a note, and like 'not supported' it keeps
        the revision from being approved."""
        revision = make_submitted(self.article, author=self.author)
        claim = revision.claims.get()
        with self.assertRaises(EditorialError) as caught:
            claim_check_record(claim=claim, user=self.reviewer, verdict=Verdict.PARTLY_SUPPORTED)
        self.assertIn("partly supported: a note is required", str(caught.exception))
        claim_check_record(
            claim=claim,
            user=self.reviewer,
            verdict=Verdict.PARTLY_SUPPORTED,
            note="The source reports a range, not one dose.",
        )
        with self.assertRaises(ApprovalBlocked) as blocked:
            revision_approve(revision=revision, user=self.reviewer)
        self.assertIn(
            "is marked partly supported: The source reports", blocked.exception.reasons[0]
        )

    def test_a_supported_verdict_naming_no_place_does_not_pass_the_gate(self):
        """A 'supported' row without locators (written before they were required, or around
        the services) blocks publishing and says to check again."""
        revision = make_submitted(self.article, author=self.author)
        ClaimCheck.objects.create(
            claim=revision.claims.get(), verdict=Verdict.SUPPORTED, checked_by=self.reviewer
        )
        reasons = publish_blockers(revision, next_review_due=NEXT_YEAR)
        self.assertTrue(any("without saying where in each source" in r for r in reasons))


class CarryOverLocatorTests(EditorialTestCase):
    def test_carry_over_keeps_the_locators_of_the_verdict_it_carries(self):
        """The carried check names the same places as the one it came from."""
        live = make_reviewed_live(
            self.article, BODY, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        new = make_submitted(self.article, BODY + "\nNew claim [@k2, p. 9].\n", author=self.author)
        second = make_editor("sam", "Reviewer")
        created = claim_checks_carry_over(revision=new, user=second)
        self.assertEqual([c.claim.position for c in created], [1, 2])
        self.assertEqual(created[1].locators, live.claims.get(position=2).current_check().locators)
        self.assertEqual(created[1].locators, {"k1": "abstract", "k2": "abstract"})

    def test_a_verdict_that_names_no_place_is_not_carried_over(self):
        """An earlier 'supported' without locators is checked afresh, never carried over."""
        live = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        ClaimCheck.objects.create(
            claim=live.claims.get(), verdict=Verdict.SUPPORTED, checked_by=self.reviewer
        )  # the newest check of the live claim, naming nowhere
        new = make_submitted(self.article, author=self.author)
        self.assertEqual(claim_checks_carry_over(revision=new, user=self.reviewer), [])
