import datetime
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import timezone

from kratom_info.editorial.models import ReviewSchedule
from kratom_info.editorial.services import revision_request_changes
from tests.editorial.base import FAST_HASHER, EditorialTestCase
from tests.factories import make_article, make_reviewed_live, make_submitted


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@FAST_HASHER
@override_settings(DEBUG=True)  # demo accounts are for development; the test runner turns it off
class CreateEditorAccountsTests(TestCase):
    def test_creates_three_accounts_in_roles_with_random_passwords(self):
        """Demo accounts get their role group, staff status and a random password printed once."""
        output = run("create_editor_accounts")
        users = get_user_model().objects.in_bulk(
            ["author", "reviewer", "publisher"], field_name="username"
        )
        self.assertEqual(len(users), 3)
        for name, role in [
            ("author", "Author"),
            ("reviewer", "Reviewer"),
            ("publisher", "Publisher"),
        ]:
            user = users[name]
            self.assertTrue(user.is_staff)
            self.assertEqual(list(user.groups.values_list("name", flat=True)), [role])
            password = next(
                line.split("password: ")[1]
                for line in output.splitlines()
                if line.strip().startswith(name)
            )
            self.assertGreaterEqual(len(password), 16)
            self.assertTrue(user.check_password(password))
        self.assertEqual(users["reviewer"].reviewer_profile.display_name, "Demo Reviewer")
        # The demo reviewer reads Spanish too, so the local demo can review translations.
        self.assertEqual(users["reviewer"].reviewer_profile.languages, ["en", "es"])

    def test_passwords_differ_between_installs(self):
        """Passwords are random, never fixed."""
        first = run("create_editor_accounts")
        get_user_model().objects.all().delete()
        second = run("create_editor_accounts")
        self.assertNotEqual(first, second)

    def test_second_run_creates_nothing_and_explains_reset(self):
        """Existing accounts are left alone; the output says how to reset a password."""
        run("create_editor_accounts")
        output = run("create_editor_accounts")
        self.assertNotIn("shown only once", output)
        self.assertIn("already exist: author, reviewer, publisher", output)
        self.assertIn("manage.py changepassword NAME", output)
        self.assertEqual(get_user_model().objects.count(), 3)


class ReviewDueCommandTests(EditorialTestCase):
    def test_lists_each_section_and_succeeds_when_nothing_overdue(self):
        """Due-soon, awaiting-review and sent-back items are printed; exit status 0."""
        soon = timezone.localdate() + datetime.timedelta(days=10)
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher,
            next_review_due=soon,
        )  # fmt: skip
        make_submitted(make_article("waiting"), author=self.author)
        sent_back = make_submitted(make_article("sent-back"), author=self.author)
        revision_request_changes(revision=sent_back, user=self.reviewer, comment="Add a source.")
        output = run("review_due")
        self.assertIn("Overdue for review (0)", output)
        self.assertIn(f"dose: due {soon:%Y-%m-%d}", output)
        self.assertIn("Awaiting review (1)\n  - waiting v1 by alice", output)
        self.assertIn("Sent back for changes (1)\n  - sent-back v1 by alice: Add a source.", output)

    def test_overdue_exits_non_zero(self):
        """Anything overdue makes the command fail, for cron."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        ReviewSchedule.objects.filter(article=self.article).update(
            next_review_due=timezone.localdate() - datetime.timedelta(days=1)
        )
        out = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("review_due", stdout=out)
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("Overdue for review (1)\n  - dose: review was due", out.getvalue())


class CreateEditorAccountsInProductionTests(TestCase):
    def test_refused_when_debug_is_off(self):
        """Demo logins (with a made-up reviewer) are refused in production, naming create_editor."""
        with self.assertRaises(CommandError) as raised:
            run("create_editor_accounts")
        message = str(raised.exception)
        self.assertIn("runs only in development (DJANGO_DEBUG=1)", message)
        self.assertIn("python manage.py create_editor alice --role publisher", message)
        self.assertFalse(get_user_model().objects.exists())
