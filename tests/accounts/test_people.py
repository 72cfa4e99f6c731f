"""Invitations as services: who may invite whom, what an invitation creates, and how long and
how often its link works."""

import datetime
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import override_settings

from kratom_info.accounts import people
from kratom_info.accounts.people import (
    DEAD_INVITATION,
    InvitationRefused,
    NotYoursToManage,
    invitation_accept,
    invitation_problem,
    invitation_resend,
    invitation_tokens,
    person_deactivate,
    person_invite,
)
from kratom_info.editorial.models import AuditAction, AuditEvent
from kratom_info.editorial.roles import AUTHOR, PUBLISHER, REVIEWER
from kratom_info.editorial.services import (
    EditorialError,
    MissingPermission,
    SecondFactorRequired,
)
from kratom_info.profiles.models import ReviewerProfile
from tests.editorial.base import EditorialTestCase
from tests.factories import make_invitation, make_second_factor, make_user, verified

User = get_user_model()
PASSWORD = "Kratom-review-2031!"  # noqa: S105
NO_EMAIL = "kratom_info.accounts.mail.NoEmailBackend"


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


class InviteTests(EditorialTestCase):
    def test_publisher_invites_a_reviewer_with_the_profile_as_entered(self):
        """One call creates the staff account (no usable password, no superuser, no own
        permissions), the Reviewer role, the profile exactly as entered, and one audit event
        naming who invited whom as what; the link is e-mailed."""
        invitation = person_invite(
            user=self.publisher,
            email=" Amira.Hassan@Example.org ",
            first_name="Amira",
            last_name="Hassan",
            username="",
            role=REVIEWER,
            display_name="Dr Amira Hassan",
            credentials="Addiction medicine physician",
            declared_interests="None beyond her clinic post.",
        )
        person = invitation.person
        person.refresh_from_db()
        self.assertEqual(person.username, "amira.hassan")  # derived from the e-mail
        self.assertEqual(person.email, "Amira.Hassan@Example.org")
        self.assertTrue(person.is_staff)
        self.assertFalse(person.is_superuser)
        self.assertFalse(person.has_usable_password())
        self.assertFalse(person.user_permissions.exists())
        self.assertEqual(list(person.groups.values_list("name", flat=True)), [REVIEWER])
        self.assertTrue(person.has_perm("editorial.review_revision"))
        self.assertFalse(person.has_perm("editorial.publish_revision"))
        profile = ReviewerProfile.objects.get(user=person)
        self.assertEqual(
            (profile.display_name, profile.role, profile.declared_interests),
            ("Dr Amira Hassan", "Addiction medicine physician", "None beyond her clinic post."),
        )
        event = AuditEvent.objects.get(person=person)
        self.assertEqual((event.user, event.action), (self.publisher, AuditAction.PERSON_INVITED))
        self.assertIn("as Reviewer", event.detail)
        self.assertIn("Dr Amira Hassan (Addiction medicine physician)", event.detail)
        self.assertTrue(invitation.emailed)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["Amira.Hassan@Example.org"])
        self.assertIn(invitation.link, mail.outbox[0].body)
        self.assertIn("as Reviewer", mail.outbox[0].body)

    def test_author_needs_no_profile(self):
        """An Author may be invited without a public profile (pages use the account's name)."""
        person = make_invitation(by=self.publisher, role=AUTHOR, username="bob").person
        self.assertEqual(list(person.groups.values_list("name", flat=True)), [AUTHOR])
        self.assertFalse(ReviewerProfile.objects.filter(user=person).exists())

    def test_only_publishers_invite(self):
        """Authors, Reviewers and users without a role are refused; nothing is created."""
        outsider = make_user("outsider", is_staff=True)
        for user in (self.author, self.reviewer, outsider):
            with self.subTest(user=user.username), self.assertRaises(MissingPermission):
                make_invitation(by=user, username="eve")
        self.assertFalse(User.objects.filter(username="eve").exists())
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.PERSON_INVITED).exists())

    def test_publisher_cannot_give_the_publisher_role(self):
        """Only a superuser makes a Publisher; a Publisher is told whom they can invite."""
        with self.assertRaisesMessage(
            InvitationRefused, "Only a superuser can make someone a Publisher"
        ):
            make_invitation(by=self.publisher, role=PUBLISHER, username="pete")
        with self.assertRaisesMessage(InvitationRefused, "Unknown role 'Superuser'"):
            make_invitation(by=self.publisher, role="Superuser", username="pete")
        self.assertFalse(User.objects.filter(username="pete").exists())
        admin = make_user("root", is_staff=True, is_superuser=True)
        person = make_invitation(by=admin, role=PUBLISHER, username="pete").person
        self.assertEqual(list(person.groups.values_list("name", flat=True)), [PUBLISHER])
        self.assertFalse(person.is_superuser)

    def test_duplicates_and_missing_profile_are_named_and_create_nothing(self):
        """Every problem is reported with its field; no account, group or event is written."""
        make_user("sam", email="sam@example.org")
        users, events = User.objects.count(), AuditEvent.objects.count()
        with self.assertRaises(InvitationRefused) as caught:
            person_invite(
                user=self.publisher,
                email="SAM@example.org",
                first_name="Sam",
                username="Sam",
                role=REVIEWER,
            )
        problems = dict(caught.exception.problems)
        self.assertIn("already belongs to the account 'sam'", problems["email"])
        self.assertIn("The username 'Sam' is taken", problems["username"])
        self.assertIn("A reviewer is named on every page they review", problems["display_name"])
        self.assertIn("credentials are shown to readers", problems["credentials"])
        self.assertEqual((User.objects.count(), AuditEvent.objects.count()), (users, events))

    def test_bad_username_and_half_a_profile(self):
        """A username with spaces and an author profile with a name but no credentials."""
        with self.assertRaises(InvitationRefused) as caught:
            make_invitation(by=self.publisher, role=AUTHOR, username="bo b", display_name="Bob B")
        problems = caught.exception.problems
        self.assertIn(("username", "The username 'bo b' may hold only letters, digits and "
                                   ". + - _ (no spaces)."), problems)  # fmt: skip
        self.assertTrue(any(field is None and "both the name" in m for field, m in problems))

    @override_settings(MAILERS={"default": {"BACKEND": NO_EMAIL}})
    def test_without_email_the_link_is_still_made(self):
        """A site without e-mail still invites: the link comes back to be handed over."""
        invitation = make_invitation(by=self.publisher)
        self.assertFalse(invitation.emailed)
        self.assertEqual(invitation.email_problem, "")
        self.assertIn("/editorial/invitation/", invitation.link)

    @override_settings(MAILERS={"default": {"BACKEND": NO_EMAIL}})
    def test_no_email_backend_sends_nothing_and_logs_it(self):
        """Production without a mail server: a message sent anyway is dropped and logged,
        subject and recipient only."""
        with self.assertLogs("kratom_info.accounts.mail", "WARNING") as logs:
            sent = mail.send_mail("Hello", "secret link", None, ["x@example.org"])
        self.assertEqual(sent, 0)
        self.assertIn("not sent: 'Hello' to x@example.org", logs.output[0])
        self.assertNotIn("secret link", logs.output[0])

    def test_failing_mail_server_keeps_the_invitation(self):
        """An SMTP failure does not undo the account: the page shows the link and why."""
        with mock.patch.object(people, "send_mail", side_effect=ConnectionRefusedError("down")):
            invitation = make_invitation(by=self.publisher, username="kim")
        self.assertFalse(invitation.emailed)
        self.assertIn("down", invitation.email_problem)
        self.assertTrue(User.objects.filter(username="kim").exists())

    @override_settings(EDITORIAL_REQUIRE_2FA=True)
    def test_second_factor_required_to_invite(self):
        """In production a Publisher's sign-in must be verified to invite anyone."""
        with self.assertRaises(SecondFactorRequired):
            make_invitation(by=self.publisher, username="vic")
        device, _ = make_second_factor(self.publisher)
        make_invitation(by=verified(self.publisher, device), username="vic")
        self.assertTrue(User.objects.filter(username="vic").exists())


class LinkTests(EditorialTestCase):
    def setUp(self):
        self.invitation = make_invitation(by=self.publisher, role=REVIEWER, username="rae")
        self.person = self.invitation.person
        self.token = token_of(self.invitation.link)

    def test_link_sets_the_password_once(self):
        """The token works until the password is set (Django hashes the password into it),
        then never again; accepting is audited."""
        self.assertIsNone(invitation_problem(self.person, self.token))
        invitation_accept(person=self.person, token=self.token, password=PASSWORD)
        self.person.refresh_from_db()
        self.assertTrue(self.person.check_password(PASSWORD))
        self.assertFalse(invitation_tokens.check_token(self.person, self.token))
        self.assertIn("works once", invitation_problem(self.person, self.token))
        with self.assertRaisesMessage(EditorialError, "works once"):
            invitation_accept(person=self.person, token=self.token, password="Other-pass-2032!")
        self.person.refresh_from_db()
        self.assertTrue(self.person.check_password(PASSWORD))
        self.assertEqual(
            AuditEvent.objects.filter(
                person=self.person, action=AuditAction.INVITATION_ACCEPTED
            ).count(),
            1,
        )

    def test_weak_password_refused(self):
        """The site's password validators apply; the link still works afterwards."""
        with self.assertRaisesMessage(EditorialError, "This password is too common"):
            invitation_accept(person=self.person, token=self.token, password="password")
        self.assertIsNone(invitation_problem(self.person, self.token))

    def test_link_expires(self):
        """After PASSWORD_RESET_TIMEOUT (3 days) the link is refused as expired."""
        later = datetime.datetime.now() + datetime.timedelta(days=3, minutes=1)
        with mock.patch.object(invitation_tokens, "_now", return_value=later):
            problem = invitation_problem(self.person, self.token)
        self.assertIn("This link has expired (links work for 3 days)", problem)
        almost = datetime.datetime.now() + datetime.timedelta(days=2, hours=23)
        with mock.patch.object(invitation_tokens, "_now", return_value=almost):
            self.assertIsNone(invitation_problem(self.person, self.token))

    def test_a_password_reset_token_is_no_invitation(self):
        """Django's own reset tokens have another salt: they do not open the invitation."""
        from django.contrib.auth.tokens import default_token_generator

        token = default_token_generator.make_token(self.person)
        self.assertIsNotNone(invitation_problem(self.person, token))

    def test_resend_replaces_the_link(self):
        """A new link works; the earlier one is refused as replaced; the resend is audited."""
        again = invitation_resend(user=self.publisher, person=self.person)
        new_token = token_of(again.link)
        self.person.refresh_from_db()
        self.assertIn("only the newest one sent does", invitation_problem(self.person, self.token))
        self.assertIsNone(invitation_problem(self.person, new_token))
        self.assertTrue(
            AuditEvent.objects.filter(
                person=self.person, action=AuditAction.INVITATION_RESENT, user=self.publisher
            ).exists()
        )
        self.assertEqual(len(mail.outbox), 2)

    def test_no_resend_after_the_password_is_set(self):
        """A Publisher cannot use a new link to take over an account already in use."""
        invitation_accept(person=self.person, token=self.token, password=PASSWORD)
        with self.assertRaisesMessage(EditorialError, "has already set a password"):
            invitation_resend(user=self.publisher, person=self.person)

    def test_deactivation_voids_the_link(self):
        """A deactivated person cannot use their link; deactivation is audited."""
        person_deactivate(user=self.publisher, person=self.person)
        self.person.refresh_from_db()
        self.assertFalse(self.person.is_active)
        self.assertEqual(invitation_problem(self.person, self.token), DEAD_INVITATION)
        self.assertTrue(
            AuditEvent.objects.filter(
                person=self.person, action=AuditAction.PERSON_DEACTIVATED
            ).exists()
        )

    def test_publisher_cannot_manage_publishers_superusers_or_themselves(self):
        """Re-sending and deactivating are for Authors and Reviewers only."""
        other = make_user("pat", is_staff=True)
        other.groups.set(Group.objects.filter(name=PUBLISHER))
        root = make_user("root", is_staff=True, is_superuser=True)
        for target in (other, root, self.publisher):
            with self.subTest(target=target.username):
                with self.assertRaises(NotYoursToManage):
                    person_deactivate(user=self.publisher, person=target)
                with self.assertRaises(NotYoursToManage):
                    invitation_resend(user=self.publisher, person=target)
                target.refresh_from_db()
                self.assertTrue(target.is_active)
