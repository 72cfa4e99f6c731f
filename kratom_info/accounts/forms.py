"""The sign-in forms (a second-factor code) and the people forms (an invitation, a public
profile, a reviewer profile)."""

from __future__ import annotations

from django import forms
from django.conf import settings

from kratom_info.profiles.models import ReviewerProfile, default_review_languages, language_name


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or a recovery code.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=16,
        help_text="After adding the account to your app, type the 6-digit code it shows.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def review_languages_field(**kwargs) -> forms.MultipleChoiceField:
    """Checkboxes for the languages a reviewer reads, English ticked by default."""
    return forms.MultipleChoiceField(
        label="Languages reviewed in",
        choices=[(code, language_name(code)) for code, _ in settings.LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        initial=default_review_languages,
        help_text="The languages they read well enough to check claims against sources. "
        "Reviewing a translation needs both its language and English, the original's.",
        error_messages={"required": "Tick at least one language the reviewer reads."},
        **kwargs,
    )


class ReviewerProfileForm(forms.ModelForm):
    """A reviewer profile in the admin, its languages as checkboxes."""

    languages = review_languages_field()

    class Meta:
        model = ReviewerProfile
        fields = "__all__"


class PublicProfileForm(forms.Form):
    """What readers see of an Author or Reviewer: on the invitation, and as a Publisher corrects
    it later. The rules live in :mod:`kratom_info.accounts.people`; this form only shapes
    the input."""

    display_name = forms.CharField(
        label="Name shown to readers",
        max_length=200,
        required=False,
        help_text="Required for a reviewer (“Reviewed by NAME”), optional for an author "
        "(“Written by NAME”). As the person gives it, e.g. “Dr Amira Hassan”.",
    )
    credentials = forms.CharField(
        label="Credentials shown to readers",
        max_length=200,
        required=False,
        help_text="Shown in brackets after the name, e.g. “Addiction medicine physician”. "
        "Enter what the person states and you have checked; the site shows it as entered.",
    )
    declared_interests = forms.CharField(
        label="Declared interests",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=ReviewerProfile._meta.get_field("declared_interests").help_text,
    )
    languages = review_languages_field(required=False)


class InviteForm(PublicProfileForm):
    """Inviting a person: their account, their role, and for a reviewer what readers see. The
    rules (who may give which role, duplicates, a reviewer's profile) are checked by
    :func:`kratom_info.accounts.people.person_invite`; this form only shapes the input."""

    first_name = forms.CharField(max_length=150, help_text="Used to greet them in the e-mail.")
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(
        label="E-mail address", help_text="The invitation link is sent here. One account each."
    )
    username = forms.CharField(
        max_length=150,
        required=False,
        help_text="What they sign in with: letters, digits and . + - _. Empty: the part of the "
        "e-mail address before the @.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        widget=forms.RadioSelect,
        help_text="Authors write and submit drafts and propose sources. Reviewers check claims "
        "and approve; they sign in with a second factor.",
    )

    PERSON_FIELDS = ("first_name", "last_name", "email", "username", "role")
    PROFILE_FIELDS = ("display_name", "credentials", "declared_interests", "languages")

    def __init__(self, *args, roles: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, role) for role in roles]
