"""What readers see of an editor: a Publisher corrects the name, credentials and languages
(People → the person → Change what readers see); the person keeps only their declared
interests up to date themselves; every change is audited, and published versions keep what
they were published with."""

from django.urls import reverse

from kratom_info.accounts.people import (
    ProfileRefused,
    declared_interests_set,
    public_profile_set,
)
from kratom_info.editorial.models import AuditAction, AuditEvent
from kratom_info.editorial.services import EditorialPermissionDenied
from kratom_info.profiles.models import ReviewerProfile
from tests.editorial.base import EditorialTestCase
from tests.factories import make_editor, make_reviewed_live


def person_url(person, name="change") -> str:
    return reverse(f"admin:editorial_person_{name}", args=[person.pk])


def profile_changes(person):
    return AuditEvent.objects.filter(person=person, action=AuditAction.PROFILE_CHANGED)


class PublicProfileServiceTests(EditorialTestCase):
    def test_publisher_corrects_credentials_and_languages(self):
        profile = public_profile_set(
            user=self.publisher,
            person=self.reviewer,
            display_name=" Dr Rita Reyes ",
            credentials="Clinical pharmacist",
            declared_interests="",
            languages=["es", "en"],
        )
        profile.refresh_from_db()
        self.assertEqual(profile.display_name, "Dr Rita Reyes")
        self.assertEqual(profile.role, "Clinical pharmacist")
        self.assertEqual(profile.languages, ["en", "es"])
        (event,) = profile_changes(self.reviewer)
        self.assertEqual(event.user, self.publisher)
        self.assertIn("Now: Dr Rita Reyes (Clinical pharmacist)", event.detail)
        self.assertIn("reviews in en, es", event.detail)

    def test_published_versions_keep_what_they_were_published_with(self):
        """The live page still names the reviewer with the credentials the review was
        published under."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        before = self.reviewer.reviewer_profile.role
        public_profile_set(
            user=self.publisher,
            person=self.reviewer,
            display_name="Dr Rita Reyes",
            credentials="Changed credentials",
            languages=["en"],
        )
        page = self.client.get(self.article.get_absolute_url())
        self.assertContains(page, f"Reviewed by Dr Rita Reyes ({before})")
        self.assertNotContains(page, "Changed credentials")

    def test_refusals_name_the_problem_and_change_nothing(self):
        profile = self.reviewer.reviewer_profile
        cases = [
            ({"credentials": ""}, "credentials"),
            ({"display_name": ""}, "display_name"),
            ({"languages": []}, "languages"),
            ({"languages": ["pt"]}, "languages"),
            ({"credentials": "x" * 201}, "credentials"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                fields = {
                    "display_name": "Dr Rita Reyes",
                    "credentials": "Pharmacist",
                    "languages": ["en"],
                    **change,
                }
                with self.assertRaises(ProfileRefused) as caught:
                    public_profile_set(user=self.publisher, person=self.reviewer, **fields)
                self.assertIn(field, [name for name, _ in caught.exception.problems])
        self.assertEqual(ReviewerProfile.objects.get(pk=profile.pk).role, profile.role)
        self.assertFalse(profile_changes(self.reviewer).exists())

    def test_an_author_gets_a_profile_with_both_name_and_credentials(self):
        self.assertFalse(hasattr(self.author, "reviewer_profile"))
        with self.assertRaises(ProfileRefused):
            public_profile_set(
                user=self.publisher,
                person=self.author,
                display_name="Alice Adams",
                credentials="",
                languages=["en"],
            )
        public_profile_set(
            user=self.publisher,
            person=self.author,
            display_name="Alice Adams",
            credentials="Health writer",
            languages=["en"],
        )
        self.assertEqual(
            str(ReviewerProfile.objects.get(user=self.author)), "Alice Adams (Health writer)"
        )
        self.assertIn("was: no public profile", profile_changes(self.author).get().detail)

    def test_saving_the_same_profile_records_nothing(self):
        profile = self.reviewer.reviewer_profile
        public_profile_set(
            user=self.publisher,
            person=self.reviewer,
            display_name=profile.display_name,
            credentials=profile.role,
            declared_interests=profile.declared_interests,
            languages=profile.languages,
        )
        self.assertFalse(profile_changes(self.reviewer).exists())

    def test_who_may_change_profiles(self):
        """Nobody vouches for themselves; a Publisher cannot change a Publisher's or a
        superuser's profile; Authors and Reviewers change nobody's."""
        other_publisher = make_editor("pat", "Publisher", display_name="Pat P")
        fields = {"display_name": "Someone", "credentials": "Anything", "languages": ["en"]}
        for user, person in [
            (self.reviewer, self.reviewer),
            (self.author, self.reviewer),
            (self.publisher, self.publisher),
            (self.publisher, other_publisher),
        ]:
            with self.subTest(user=user.username, person=person.username):
                with self.assertRaises(EditorialPermissionDenied):
                    public_profile_set(user=user, person=person, **fields)
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGED).exists())


class PublicProfilePageTests(EditorialTestCase):
    def test_publisher_changes_what_readers_see_from_the_person_page(self):
        self.client.force_login(self.publisher)
        page = self.client.get(person_url(self.reviewer))
        self.assertContains(
            page, f'href="{person_url(self.reviewer, "profile")}" id="edit-profile"'
        )
        form = self.client.get(person_url(self.reviewer, "profile"))
        self.assertContains(form, 'value="Dr Rita Reyes"')
        self.assertIn("no-store", form["Cache-Control"])
        response = self.client.post(
            person_url(self.reviewer, "profile"),
            {
                "display_name": "Dr Rita Reyes",
                "credentials": "Clinical pharmacist",
                "declared_interests": "Speaker fees from a pharmacy chain",
                "languages": ["en", "es"],
            },
            follow=True,
        )
        self.assertEqual(response.redirect_chain[-1][0], person_url(self.reviewer))
        self.assertContains(response, "Saved what readers see of rita")
        self.assertContains(response, "Clinical pharmacist")
        self.assertContains(response, "Changed a public profile")
        profile = ReviewerProfile.objects.get(user=self.reviewer)
        self.assertEqual(profile.languages, ["en", "es"])

    def test_problems_are_shown_next_to_the_field(self):
        self.client.force_login(self.publisher)
        response = self.client.post(
            person_url(self.reviewer, "profile"),
            {"display_name": "Dr Rita Reyes", "credentials": "", "languages": ["en"]},
        )
        self.assertContains(response, "Nothing was changed")
        self.assertContains(response, "A reviewer&#x27;s credentials are shown to readers")
        self.assertFalse(profile_changes(self.reviewer).exists())

    def test_not_for_authors_reviewers_or_on_a_publisher(self):
        for user in (self.author, self.reviewer):
            self.client.force_login(user)
            self.assertEqual(self.client.get(person_url(self.reviewer, "profile")).status_code, 403)
        other = make_editor("pat", "Publisher")
        self.client.force_login(self.publisher)
        response = self.client.get(person_url(other, "profile"), follow=True)
        self.assertEqual(response.redirect_chain[-1][0], person_url(other))
        self.assertContains(response, "You cannot change the public profile of pat")
        self.assertNotContains(self.client.get(person_url(other)), 'id="edit-profile"')


class OwnProfileTests(EditorialTestCase):
    def test_reviewer_updates_declared_interests_but_not_credentials(self):
        """The reviewer's own profile page: declared interests are theirs to keep current;
        the name, credentials and languages are shown, not editable; the change is audited."""
        profile = self.reviewer.reviewer_profile
        url = reverse("admin:profiles_reviewerprofile_change", args=[profile.pk])
        self.client.force_login(self.reviewer)
        page = self.client.get(url)
        self.assertNotContains(page, 'name="role"')
        self.assertNotContains(page, 'name="display_name"')
        self.assertContains(page, 'name="declared_interests"')
        response = self.client.post(
            url,
            {
                "display_name": "Professor Rita Reyes",
                "role": "Chief of medicine",
                "declared_interests": "Consulting for a supplement maker (2025)",
            },
        )
        self.assertEqual(response.status_code, 302)
        profile.refresh_from_db()
        self.assertEqual(profile.display_name, "Dr Rita Reyes")
        self.assertNotEqual(profile.role, "Chief of medicine")
        self.assertEqual(profile.declared_interests, "Consulting for a supplement maker (2025)")
        (event,) = profile_changes(self.reviewer)
        self.assertEqual(event.user, self.reviewer)
        self.assertIn("rita changed their declared interests", event.detail)
        self.assertIn("Now: Consulting for a supplement maker (2025)", event.detail)

    def test_only_ones_own_interests(self):
        """The service refuses anyone else's profile; saving the same text records nothing."""
        profile = self.reviewer.reviewer_profile
        with self.assertRaises(EditorialPermissionDenied):
            declared_interests_set(
                user=self.publisher, profile=profile, declared_interests="Made up for them"
            )
        declared_interests_set(
            user=self.reviewer, profile=profile, declared_interests=profile.declared_interests
        )
        self.assertFalse(profile_changes(self.reviewer).exists())

    def test_administrator_edits_are_audited(self):
        admin_user = make_editor("root", is_superuser=True)
        profile = self.reviewer.reviewer_profile
        self.client.force_login(admin_user)
        response = self.client.post(
            reverse("admin:profiles_reviewerprofile_change", args=[profile.pk]),
            {
                "user": self.reviewer.pk,
                "display_name": "Dr Rita Reyes",
                "role": "Clinical pharmacist",
                "declared_interests": "",
                "languages": ["en"],
            },
        )
        self.assertEqual(response.status_code, 302)
        (event,) = profile_changes(self.reviewer)
        self.assertEqual(event.user, admin_user)
        self.assertIn("Changed Role in the public profile of rita", event.detail)
        self.assertIn("Now: Dr Rita Reyes (Clinical pharmacist)", event.detail)
