"""People in the admin: the "Invite a person" screen, a person's page and its buttons, and the
page where the invited person chooses their password, then signs in."""

import datetime
import re
from unittest import mock

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from kratom_info.accounts.people import invitation_tokens
from kratom_info.editorial.models import AuditAction, AuditEvent
from kratom_info.editorial.roles import AUTHOR, PUBLISHER, REVIEWER
from kratom_info.profiles.models import ReviewerProfile
from tests.editorial.base import EditorialTestCase
from tests.factories import make_invitation, make_user

User = get_user_model()
INVITE = reverse("admin:editorial_person_add")
PEOPLE = reverse("admin:editorial_person_changelist")
PASSWORD = "Kratom-review-2031!"  # noqa: S105
REVIEWER_FORM = {
    "first_name": "Amira",
    "last_name": "Hassan",
    "email": "amira@example.org",
    "username": "amira",
    "role": REVIEWER,
    "display_name": "Dr Amira Hassan",
    "credentials": "Addiction medicine physician",
    "declared_interests": "",
    "languages": ["en"],  # ticked by default on the form
}


def person_url(person, name="change") -> str:
    return reverse(f"admin:editorial_person_{name}", args=[person.pk])


def shown_link(response) -> str:
    """The one-time link as the confirmation page shows it, as a path."""
    link = re.search(r'id="invitation-link" readonly value="([^"]+)"', response.content.decode())
    return re.sub(r"^https?://[^/]+", "", link.group(1))


class InviteScreenTests(EditorialTestCase):
    def test_publisher_opens_the_screen_without_user_admin_rights(self):
        """A Publisher (not a superuser, without auth.add_user) gets People and "Invite a
        person", offering Author and Reviewer only; Django's own Users screens stay closed."""
        self.assertFalse(self.publisher.is_superuser)
        self.assertFalse(self.publisher.has_perm("auth.add_user"))
        self.client.force_login(self.publisher)
        self.assertContains(self.client.get("/admin/"), PEOPLE)
        self.assertContains(
            self.client.get(PEOPLE),
            f'href="{INVITE}" class="addlink" id="invite-person">Invite a person',
        )
        page = self.client.get(INVITE)
        self.assertContains(page, "Invite a person")
        self.assertContains(page, f'value="{AUTHOR}"')
        self.assertContains(page, f'value="{REVIEWER}"')
        self.assertNotContains(page, f'value="{PUBLISHER}"')
        self.assertIn("no-store", page["Cache-Control"])
        self.assertEqual(self.client.get(reverse("admin:auth_user_add")).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:auth_user_changelist")).status_code, 403)

    def test_publisher_invites_a_reviewer(self):
        """The form creates the account, the role and the profile, records who invited whom,
        e-mails the link and shows it once."""
        self.client.force_login(self.publisher)
        response = self.client.post(INVITE, REVIEWER_FORM)
        self.assertContains(response, "Created the account <strong>amira</strong>")
        self.assertContains(response, "“Dr Amira Hassan (Addiction medicine physician)”")
        self.assertContains(response, "The link was e-mailed to amira@example.org")
        self.assertIn("no-store", response["Cache-Control"])
        person = User.objects.get(username="amira")
        self.assertEqual(list(person.groups.values_list("name", flat=True)), [REVIEWER])
        self.assertEqual(person.reviewer_profile.display_name, "Dr Amira Hassan")
        self.assertFalse(person.is_superuser)
        link = shown_link(response)
        self.assertIn(link, mail.outbox[0].body)
        event = AuditEvent.objects.get(person=person)
        self.assertEqual((event.user, event.action), (self.publisher, AuditAction.PERSON_INVITED))
        # The person's page lists them with their status and the event.
        page = self.client.get(person_url(person))
        self.assertContains(page, "Invited: has not chosen a password yet")
        self.assertContains(page, "Invited a person")
        self.assertContains(page, 'id="resend-invitation"')

    @override_settings(MAILERS={"default": {"BACKEND": "kratom_info.accounts.mail.NoEmailBackend"}})
    def test_without_email_the_page_says_so_and_shows_the_link(self):
        """No mail server: the screen says nothing will be sent; the confirmation says nothing
        was, and shows the link to hand over."""
        self.client.force_login(self.publisher)
        self.assertContains(self.client.get(INVITE), "This site sends no e-mail")
        response = self.client.post(INVITE, REVIEWER_FORM)
        self.assertContains(response, "so nothing was sent")
        self.assertTrue(shown_link(response).startswith("/editorial/invitation/"))
        self.assertEqual(mail.outbox, [])

    def test_publisher_invites_an_author(self):
        """An Author needs no profile; the username may be left to the e-mail address."""
        self.client.force_login(self.publisher)
        response = self.client.post(
            INVITE,
            {"first_name": "Bob", "email": "bob.writer@example.org", "role": AUTHOR},
        )
        self.assertContains(response, "Created the account <strong>bob.writer</strong>")
        person = User.objects.get(username="bob.writer")
        self.assertEqual(list(person.groups.values_list("name", flat=True)), [AUTHOR])
        self.assertFalse(ReviewerProfile.objects.filter(user=person).exists())

    def test_errors_are_named_and_nothing_is_created(self):
        """Duplicate username and e-mail, and a reviewer without a profile: each error sits by
        its field, the form keeps what was typed, and no account or event is written."""
        make_user("amira", email="Amira@Example.org")
        users, events = User.objects.count(), AuditEvent.objects.count()
        self.client.force_login(self.publisher)
        response = self.client.post(
            INVITE, {**REVIEWER_FORM, "display_name": "", "credentials": ""}
        )
        self.assertContains(response, "Nothing was created")
        self.assertContains(response, "The username &#x27;amira&#x27; is taken")
        self.assertContains(response, "amira@example.org already belongs to the account")
        self.assertContains(response, "A reviewer is named on every page they review")
        self.assertContains(response, "credentials are shown to readers")
        self.assertContains(response, 'value="Hassan"')
        self.assertEqual((User.objects.count(), AuditEvent.objects.count()), (users, events))
        self.assertEqual(mail.outbox, [])

    def test_publisher_cannot_make_a_publisher_superuser_or_staff_with_powers(self):
        """The Publisher role is refused, and fields the form does not have (superuser,
        groups, permissions) are ignored: the account gets its one role and nothing more."""
        self.client.force_login(self.publisher)
        response = self.client.post(INVITE, {**REVIEWER_FORM, "role": PUBLISHER})
        self.assertContains(response, "Select a valid choice")
        self.assertFalse(User.objects.filter(username="amira").exists())
        publish = Group.objects.get(name=PUBLISHER).permissions.first()
        self.client.post(
            INVITE,
            {**REVIEWER_FORM, "is_superuser": "on", "groups": [Group.objects.get(
                name=PUBLISHER).pk], "user_permissions": [publish.pk]},
        )  # fmt: skip
        person = User.objects.get(username="amira")
        self.assertFalse(person.is_superuser)
        self.assertEqual(list(person.groups.values_list("name", flat=True)), [REVIEWER])
        self.assertFalse(person.user_permissions.exists())
        self.assertFalse(person.has_perm("editorial.publish_revision"))

    def test_superuser_may_invite_a_publisher(self):
        """Only a superuser sees and may give the Publisher role."""
        root = make_user("root", is_staff=True, is_superuser=True)
        self.client.force_login(root)
        self.assertContains(self.client.get(INVITE), f'value="{PUBLISHER}"')
        self.client.post(INVITE, {**REVIEWER_FORM, "role": PUBLISHER})
        person = User.objects.get(username="amira")
        self.assertEqual(list(person.groups.values_list("name", flat=True)), [PUBLISHER])


class PermissionTests(EditorialTestCase):
    def test_authors_and_reviewers_get_403_everywhere(self):
        """Authors and Reviewers cannot open People, the invite screen or a person's page, and
        a raw POST to the invite, re-send or deactivate address changes nothing."""
        invited = make_invitation(by=self.publisher, username="ivy").person
        for user in (self.author, self.reviewer):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                for url in (PEOPLE, INVITE, person_url(invited), person_url(invited, "deactivate")):
                    self.assertEqual(self.client.get(url).status_code, 403, url)
                self.assertEqual(self.client.post(INVITE, REVIEWER_FORM).status_code, 403)
                for name in ("resend", "deactivate"):
                    self.assertEqual(
                        self.client.post(person_url(invited, name)).status_code, 403, name
                    )
        self.assertFalse(User.objects.filter(username="amira").exists())
        invited.refresh_from_db()
        self.assertTrue(invited.is_active)
        self.assertEqual(AuditEvent.objects.filter(person=invited).count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_signed_out_visitor_is_sent_to_sign_in(self):
        """Nobody signed out reaches the screen."""
        response = self.client.get(INVITE)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])

    def test_publisher_cannot_act_on_a_publisher(self):
        """Another Publisher's page has no buttons and says why; a raw POST is refused."""
        other = make_user("pat", is_staff=True)
        other.groups.set(Group.objects.filter(name=PUBLISHER))
        self.client.force_login(self.publisher)
        page = self.client.get(person_url(other))
        self.assertContains(page, "only a superuser changes such accounts")
        self.assertNotContains(page, 'id="deactivate-person"')
        # Neither the confirmation page nor a raw POST.
        for response in (
            self.client.get(person_url(other, "deactivate"), follow=True),
            self.client.post(person_url(other, "deactivate"), follow=True),
        ):
            self.assertEqual(response.redirect_chain[-1][0], person_url(other))
            self.assertContains(response, "You cannot deactivate pat")
        other.refresh_from_db()
        self.assertTrue(other.is_active)

    def test_wrong_method_on_an_action_url_gets_the_designed_405(self):
        """GET on re-send: the 405 page with a link back to the person."""
        invited = make_invitation(by=self.publisher, username="ivy").person
        self.client.force_login(self.publisher)
        response = self.client.get(person_url(invited, "resend"))
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "POST")
        self.assertContains(
            response, f'href="{person_url(invited)}" id="back-to-record"', status_code=405
        )
        self.assertEqual(len(mail.outbox), 1)  # the invitation; no new link
        invited.refresh_from_db()
        self.assertTrue(invited.is_active)
        self.assertEqual(len(mail.outbox), 1)


class SetPasswordPageTests(EditorialTestCase):
    def invite(self, **fields):
        self.client.force_login(self.publisher)
        response = self.client.post(INVITE, {**REVIEWER_FORM, **fields})
        self.client.logout()
        username = {**REVIEWER_FORM, **fields}["username"]
        return User.objects.get(username=username), shown_link(response)

    def choose(self, link, password=PASSWORD):
        """Open the link as the invited person does and set the password."""
        opened = self.client.get(link)
        self.assertEqual(opened.status_code, 302)  # the token moves into the session
        form_url = opened["Location"]
        self.assertTrue(form_url.endswith("/set-password/"))
        return self.client.post(form_url, {"new_password1": password, "new_password2": password})

    def test_link_sets_the_password_then_the_person_signs_in(self):
        """The link opens the set-password page (never cached), which leads to the sign-in;
        the person signs in with the new password and reaches the admin."""
        person, link = self.invite(role=AUTHOR, display_name="", credentials="")
        page = self.client.get(self.client.get(link)["Location"])
        self.assertContains(page, "Choose the password for your account <strong>amira</strong>")
        self.assertIn("no-store", page["Cache-Control"])
        self.assertIn("private", page["Cache-Control"])
        self.assertFalse(getattr(page, "public_page", False))
        response = self.client.post(
            page.wsgi_request.path, {"new_password1": PASSWORD, "new_password2": PASSWORD}
        )
        self.assertRedirects(
            response, f"{reverse('admin:login')}?next=/admin/", fetch_redirect_response=False
        )
        self.assertContains(self.client.get(response["Location"]), "Your password is set")
        person.refresh_from_db()
        self.assertTrue(person.check_password(PASSWORD))
        self.client.post(reverse("admin:login"), {"username": "amira", "password": PASSWORD})
        self.assertEqual(self.client.session[SESSION_KEY], str(person.pk))
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.assertTrue(
            AuditEvent.objects.filter(person=person, action=AuditAction.INVITATION_ACCEPTED)
        )

    def test_second_use_fails_with_a_clear_page(self):
        """Once used, the same link answers 410 with a page saying it works once."""
        _, link = self.invite()
        self.choose(link)
        self.client.logout()
        # The page the link led to, opened again (history, bookmark), says the same.
        self.assertContains(
            self.client.get(link.rsplit("/", 2)[0] + "/set-password/"),
            "An invitation link works once",
            status_code=410,
        )
        again = self.client.get(link)
        self.assertContains(again, "An invitation link works once", status_code=410)
        self.assertIn("no-store", again["Cache-Control"])

    def test_weak_password_refused_on_the_page(self):
        """Django's password validators speak on the page; the password stays unset."""
        person, link = self.invite()
        response = self.choose(link, password="password")
        self.assertContains(response, "This password is too common")
        person.refresh_from_db()
        self.assertFalse(person.has_usable_password())

    def test_expired_link(self):
        """After 3 days (PASSWORD_RESET_TIMEOUT) the link answers 410 and says it expired."""
        _, link = self.invite()
        later = datetime.datetime.now() + datetime.timedelta(days=3, hours=1)
        with mock.patch.object(invitation_tokens, "_now", return_value=later):
            response = self.client.get(link)
        self.assertContains(response, "This link has expired", status_code=410)

    def test_resend_replaces_the_link(self):
        """Send a new link from the person's page: it is shown once; the old link is dead."""
        person, old = self.invite()
        self.client.force_login(self.publisher)
        response = self.client.post(person_url(person, "resend"))
        self.assertContains(response, "Every earlier link for this account no longer works")
        new = shown_link(response)
        self.assertNotEqual(new, old)
        self.client.logout()
        self.assertContains(self.client.get(old), "only the newest one sent", status_code=410)
        self.assertEqual(self.choose(new).status_code, 302)
        person.refresh_from_db()
        self.assertTrue(person.check_password(PASSWORD))

    def test_deactivate_from_the_person_page(self):
        """The person's page leads to a page that asks first and changes nothing; its button
        deactivates, which stops the link and is recorded."""
        person, link = self.invite()
        self.client.force_login(self.publisher)
        confirm_url = person_url(person, "deactivate")
        self.assertContains(
            self.client.get(person_url(person)), f'href="{confirm_url}" id="deactivate-person"'
        )
        confirm = self.client.get(confirm_url)
        self.assertContains(confirm, "Deactivate amira?")
        self.assertContains(confirm, "Their invitation link stops working.")
        self.assertContains(confirm, 'id="confirm-deactivate"')
        self.assertContains(confirm, f'href="{person_url(person)}" id="cancel-deactivate"')
        self.assertIn("no-store", confirm["Cache-Control"])
        person.refresh_from_db()
        self.assertTrue(person.is_active)
        self.assertEqual(AuditEvent.objects.filter(person=person).count(), 1)  # invited only
        page = self.client.post(confirm_url, follow=True)
        self.assertEqual(page.redirect_chain[-1][0], person_url(person))
        self.assertContains(page, "Deactivated amira")
        self.assertContains(page, "Deactivated a person")
        self.client.logout()
        self.assertContains(self.client.get(link), "This link no longer works", status_code=410)
        # Asked again (history, a second tab): nothing to confirm.
        self.client.force_login(self.publisher)
        again = self.client.get(confirm_url, follow=True)
        self.assertContains(again, "The account amira is already deactivated.")
        self.assertEqual(
            AuditEvent.objects.filter(person=person, action=AuditAction.PERSON_DEACTIVATED).count(),
            1,
        )

    def test_garbled_link(self):
        """A link cut short or made up gets the same clear page, not an error."""
        response = self.client.get("/editorial/invitation/OTk5OQ/abc-def/")
        self.assertContains(response, "This link no longer works", status_code=410)

    def test_dead_links_all_look_alike(self):
        """A used link, a replaced one, a deactivated account's and a made-up one get the same
        page: trying account numbers tells nobody which accounts exist, are active or have a
        password."""
        used, used_link = self.invite()
        self.choose(used_link)
        self.client.logout()
        replaced, replaced_link = self.invite(username="bo", email="bo@example.org")
        self.client.force_login(self.publisher)
        self.client.post(person_url(replaced, "resend"))
        closed, closed_link = self.invite(username="cy", email="cy@example.org")
        self.client.force_login(self.publisher)
        self.client.post(person_url(closed, "deactivate"))
        self.client.logout()
        token = used_link.rstrip("/").rsplit("/", 1)[1]
        made_up = f"/editorial/invitation/OTk5OQ/{token}/"
        pages = {}
        for name, link in [
            ("used", used_link),
            ("replaced", replaced_link),
            ("deactivated", closed_link),
            ("no such account", made_up),
        ]:
            response = self.client.get(link)
            self.assertEqual(response.status_code, 410, name)
            # Nonces and CSRF tokens differ on every page; nothing else may.
            pages[name] = re.sub(r'(nonce|value)="[^"]*"', "", response.text)
        self.assertEqual(len(set(pages.values())), 1, list(pages))

    @override_settings(EDITORIAL_REQUIRE_2FA=True)
    def test_reviewer_enrols_a_second_factor_after_signing_in(self):
        """With the second factor required (production), an invited Reviewer who set their
        password lands on the enrolment page at their first sign-in."""
        with override_settings(EDITORIAL_REQUIRE_2FA=False):
            person, link = self.invite()
        self.choose(link)
        self.client.post(reverse("admin:login"), {"username": "amira", "password": PASSWORD})
        self.assertEqual(self.client.session[SESSION_KEY], str(person.pk))
        self.assertRedirects(
            self.client.get("/admin/"),
            f"{reverse('admin:second_factor')}?next=/admin/",
            fetch_redirect_response=False,
        )
