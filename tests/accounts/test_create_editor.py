import io
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from kratom_info.editorial.roles import PUBLISHER, REVIEWER
from tests.editorial.base import FAST_HASHER
from tests.factories import make_editor


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_editor", *args, stdout=out)
    return out.getvalue()


@FAST_HASHER
class CreateEditorTests(TestCase):
    """create_editor: real accounts, in production too (the test runner runs with DEBUG off)."""

    def test_first_publisher_with_a_random_password_printed_once(self):
        """Without a terminal, a random password is set and printed once; the Publisher can
        sign in and holds the publish permission."""
        output = run("alice", "--role", "publisher", "--no-input")
        user = get_user_model().objects.get(username="alice")
        password = next(
            line.split("password: ")[1] for line in output.splitlines() if "password: " in line
        )
        self.assertTrue(user.check_password(password))
        self.assertTrue(user.is_staff)
        self.assertFalse(user.is_superuser)
        self.assertEqual(list(user.groups.values_list("name", flat=True)), [PUBLISHER])
        self.assertTrue(user.has_perm("editorial.publish_revision"))
        self.assertIn("python manage.py changepassword alice", output)
        self.client.post("/admin/login/", {"username": "alice", "password": password})
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_password_prompted_at_a_terminal_and_validated(self):
        """At a terminal the password is asked twice and must pass the site's validators."""
        with (
            mock.patch("sys.stdin.isatty", return_value=True),
            mock.patch("getpass.getpass", side_effect=["Kratom-review-2031!"] * 2),
        ):
            output = run("bea", "--role", "author")
        self.assertNotIn("password:", output)
        self.assertTrue(
            get_user_model().objects.get(username="bea").check_password("Kratom-review-2031!")
        )
        with (
            mock.patch("sys.stdin.isatty", return_value=True),
            mock.patch("getpass.getpass", side_effect=["password", "password"]),
            self.assertRaisesMessage(CommandError, "Password refused: This password is too common"),
        ):
            run("cat", "--role", "author")
        self.assertFalse(get_user_model().objects.filter(username="cat").exists())

    def test_different_passwords_create_nothing(self):
        """A mistyped confirmation stops without creating the account."""
        with (
            mock.patch("sys.stdin.isatty", return_value=True),
            mock.patch("getpass.getpass", side_effect=["Kratom-review-2031!", "typo"]),
            self.assertRaisesMessage(CommandError, "The two passwords differ"),
        ):
            run("dan", "--role", "author")
        self.assertFalse(get_user_model().objects.filter(username="dan").exists())

    def test_reviewer_needs_a_real_name_and_title(self):
        """A reviewer is named on public pages: without --name and --title nothing is created."""
        with self.assertRaisesMessage(CommandError, "give --name"):
            run("sam", "--role", "reviewer", "--no-input")
        self.assertFalse(get_user_model().objects.filter(username="sam").exists())
        run("sam", "--role", "reviewer", "--name", "Sam Lee", "--title", "Pharmacist", "--no-input")
        user = get_user_model().objects.get(username="sam")
        self.assertEqual(str(user.reviewer_profile), "Sam Lee (Pharmacist)")
        self.assertEqual(list(user.groups.values_list("name", flat=True)), [REVIEWER])

    def test_existing_username_is_refused_with_the_reset_command(self):
        """An existing user is left alone; the message says how to set a new password."""
        make_editor("alice", "Author")
        with self.assertRaisesMessage(CommandError, "python manage.py changepassword alice"):
            run("alice", "--role", "publisher", "--no-input")
        self.assertFalse(
            get_user_model().objects.get(username="alice").has_perm("editorial.publish_revision")
        )

    def test_unknown_role_is_refused(self):
        """Roles are author, reviewer or publisher."""
        with self.assertRaisesMessage(CommandError, "invalid choice: 'editor'"):
            run("eve", "--role", "editor", "--no-input")
