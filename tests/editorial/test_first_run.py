"""docs/operating.md's production first run, step by step, with DEBUG off as in production: accounts
from create_editor, the content imported as drafts, then review and publication through the
services the admin calls."""

import io

from django.core.management import call_command
from django.test import TestCase, override_settings

from kratom_info.articles.models import Article
from kratom_info.editorial.services import (
    default_next_review_due,
    revision_approve,
    revision_publish,
    revision_submit,
)
from tests.editorial.base import FAST_HASHER
from tests.factories import check_supported, make_second_factor, totp_code, verified
from tests.production import ROOT


def create_editor(*args) -> tuple[object, str]:
    from django.contrib.auth import get_user_model

    out = io.StringIO()
    call_command("create_editor", *args, "--no-input", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    return get_user_model().objects.get(username=args[0]), password


@FAST_HASHER
@override_settings(EDITORIAL_REQUIRE_2FA=True)  # as in production
class ProductionFirstRunTests(TestCase):
    def test_readme_first_run_gives_a_reviewed_page_and_a_publisher_who_signs_in(self):
        """Publisher, author and reviewer accounts; drafts imported; one article submitted,
        checked, approved and published shows its real reviewer; nothing else is public."""
        alice, alice_password = create_editor("alice", "--role", "publisher")
        bob, _ = create_editor("bob", "--role", "author")
        sam, _ = create_editor(
            "sam", "--role", "reviewer", "--name", "Sam Lee", "--title", "Pharmacist"
        )
        call_command("import_content", str(ROOT / "content"), stdout=io.StringIO())
        self.assertFalse(Article.objects.published().exists())

        article = Article.objects.get(slug="what-kratom-is", language="en")
        draft = article.latest_revision()
        revision_submit(revision=draft, user=bob)
        # Reviewer and Publisher enrol their authenticator app at their first sign-in.
        sam = verified(sam, make_second_factor(sam)[0])
        alice_device, _ = make_second_factor(alice)
        alice_verified = verified(alice, alice_device)
        claims = list(draft.claims.all())
        self.assertTrue(claims)
        for claim in claims:
            check_supported(claim, reviewer=sam)
        revision_approve(revision=draft, user=sam)
        # The verdicts above came faster than a person gives them: a flagged fast review,
        # published only with the publisher's reason.
        revision_publish(
            revision=draft,
            user=alice_verified,
            next_review_due=default_next_review_due(),
            fast_review_reason="Test: verdicts recorded by the test, not a person.",
        )

        page = self.client.get("/articles/what-kratom-is/")
        self.assertContains(page, "Reviewed by Sam Lee (Pharmacist) on")
        self.assertNotContains(page, "has not been reviewed")
        self.assertEqual(self.client.get("/articles/dose-ranges-and-effects/").status_code, 404)
        self.client.post("/admin/login/", {"username": "alice", "password": alice_password})
        self.client.post(
            "/admin/second-factor/verify/", {"code": totp_code(alice_device), "next": "/admin/"}
        )
        self.assertEqual(self.client.get("/admin/").status_code, 200)
