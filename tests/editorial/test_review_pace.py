"""The publisher sees how the review was done; a fast review is published only with a reason,
and readers are told how many claims were checked, by whom."""

import datetime
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from kratom_info.editorial.models import AuditAction, AuditEvent
from kratom_info.editorial.selectors import claims_for_review, review_paces
from kratom_info.editorial.services import (
    PublishBlocked,
    claim_checks_carry_over,
    fast_reviews,
    revision_publish,
)
from tests.editorial.base import NEXT_YEAR, EditorialTestCase
from tests.editorial.test_admin import review_url
from tests.factories import (
    check_supported,
    make_approved,
    make_editor,
    make_reviewed_live,
    make_submitted,
)

BODY = "Kratom is a plant [@k1, p. 2]. It grows in Asia [@k2]. Leaves are dried [@k1].\n"


def at(moment):
    """What happens inside is recorded at ``moment`` (the clock the database rows read)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


class ReviewPaceTests(EditorialTestCase):
    def test_pace_counts_claims_locators_and_time_per_reviewer(self):
        """Claims checked, the reviewer's own locators against the author's confirmed, and
        the time from first to last verdict, per claim."""
        revision = make_submitted(self.article, BODY, author=self.author)
        first, second, third = revision.claims.all()
        start = timezone.now()
        with at(start):
            check_supported(first, reviewer=self.reviewer)  # confirms "p. 2"
        with at(start + datetime.timedelta(seconds=30)):
            check_supported(second, reviewer=self.reviewer, k2="table 1")  # own
        with at(start + datetime.timedelta(seconds=60)):
            check_supported(third, reviewer=self.reviewer, k1="fig. 3")  # own
        (pace,) = review_paces(claims_for_review(revision))
        self.assertEqual(pace.reviewer, self.reviewer)
        self.assertEqual(
            (pace.claims_checked, pace.locators_confirmed, pace.locators_given), (3, 1, 2)
        )
        self.assertEqual(pace.elapsed, datetime.timedelta(seconds=60))
        self.assertEqual(pace.seconds_per_claim, 30)
        self.assertFalse(pace.is_fast)

    def test_faster_than_the_threshold_is_flagged(self):
        """Three verdicts in two seconds: under 20 s per claim, so flagged; with the setting
        at 0 nothing is."""
        revision = make_submitted(self.article, BODY, author=self.author)
        make_approved(revision, reviewer=self.reviewer)
        self.assertEqual([p.reviewer for p in fast_reviews(revision)], [self.reviewer])
        with override_settings(EDITORIAL_FAST_REVIEW_SECONDS_PER_CLAIM=0):
            self.assertEqual(fast_reviews(revision), [])

    def test_one_verdict_is_not_measured(self):
        """A single verdict has no pace: never flagged."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        (pace,) = review_paces(claims_for_review(revision))
        self.assertIsNone(pace.seconds_per_claim)
        self.assertFalse(pace.is_fast)

    def test_carried_over_verdicts_are_counted_apart_and_not_timed(self):
        """Carried-over verdicts are shown on their own and do not make a review fast."""
        make_reviewed_live(
            self.article, BODY, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        new = make_submitted(self.article, BODY, author=self.author)
        second = make_editor("sam", "Reviewer", display_name="Sam Lee")
        claim_checks_carry_over(revision=new, user=second)
        (pace,) = review_paces(claims_for_review(new))
        self.assertEqual((pace.carried_over, pace.claims_checked), (3, 0))
        self.assertEqual(fast_reviews(new), [])


class FastReviewPublishTests(EditorialTestCase):
    def setUp(self):
        self.revision = make_approved(
            make_submitted(self.article, BODY, author=self.author), reviewer=self.reviewer
        )

    def test_a_fast_review_is_not_published_without_a_reason(self):
        """No reason: refused, saying how fast and what to do; nothing published."""
        with self.assertRaises(PublishBlocked) as caught:
            revision_publish(revision=self.revision, user=self.publisher, next_review_due=NEXT_YEAR)
        (reason,) = caught.exception.reasons
        self.assertIn("The review was fast (rita checked 3 claims at", reason)
        self.assertIn("say why publishing it is right anyway", reason)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "approved")
        with self.assertRaises(PublishBlocked):
            revision_publish(
                revision=self.revision,
                user=self.publisher,
                next_review_due=NEXT_YEAR,
                fast_review_reason="   ",
            )

    def test_the_reason_is_audited_and_readers_see_how_many_claims_were_checked(self):
        """Published with a reason: the audit trail keeps it; the page says "3 claims checked
        against their sources by NAME"."""
        revision_publish(
            revision=self.revision,
            user=self.publisher,
            next_review_due=NEXT_YEAR,
            fast_review_reason="I went through every claim with Rita by phone.",
        )
        event = AuditEvent.objects.get(
            revision=self.revision, action=AuditAction.FAST_REVIEW_ACCEPTED
        )
        self.assertEqual(event.user, self.publisher)
        self.assertIn("rita checked 3 claims", event.detail)
        self.assertIn("Reason: I went through every claim with Rita by phone.", event.detail)
        publication = self.revision.publication
        self.assertEqual(
            (publication.claims_checked, publication.claims_carried_over, publication.claims_total),
            (3, 0, 3),
        )
        page = self.client.get("/articles/dose/")
        self.assertContains(
            page,
            '3 claims checked against <a href="#references">their sources</a> by Dr Rita Reyes, '
            "naming where each source supports them.",
        )
        self.assertContains(page, '[<a aria-label="Source 1: Doe et al., 2020, p. 2"')
        self.assertContains(page, '<span class="backlink-locator">(p. 2)</span>')

    def test_publish_screen_shows_the_pace_and_asks_for_the_reason(self):
        """The publisher lands on Publish: the table of how each reviewer checked, the flag,
        and a required reason field; without JavaScript the form posts it."""
        self.client.force_login(self.publisher)
        html = self.client.get(review_url(self.revision)).content.decode()
        self.assertLess(html.index('id="publish-heading"'), html.index('id="claims-heading"'))
        self.assertIn('<th scope="row">rita</th><td>3</td><td>2</td><td>1</td><td>0</td>', html)
        self.assertIn("fast: under 20 s per claim", html)
        self.assertIn('name="fast_review_reason" id="fast-review-reason" rows="2" required', html)
        response = self.client.post(
            review_url(self.revision).replace("change/", "publish/"),
            {"next_review_due": NEXT_YEAR.isoformat(), "fast_review_reason": "Checked by phone."},
            follow=True,
        )
        self.assertContains(response, "Readers now see it")
        self.assertTrue(AuditEvent.objects.filter(action=AuditAction.FAST_REVIEW_ACCEPTED).exists())


class SpanishReviewLineTests(EditorialTestCase):
    reviewer_languages = ["en", "es"]

    def test_spanish_page_says_it_in_spanish(self):
        """A reviewed Spanish translation says how many claims were checked, in Spanish."""
        from tests.factories import make_translation

        english = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        spanish = make_translation(self.article, title="Dosis")
        make_reviewed_live(
            spanish,
            "El kratom es una planta [@k1, table 2].\n",
            author=self.author,
            reviewer=self.reviewer,
            publisher=self.publisher,
            translates=english.public_number,
        )
        page = self.client.get("/es/articles/dose/")
        self.assertContains(page, "1 afirmación comprobada con")
        self.assertContains(page, ">1, tabla 2</a>")
