from django import forms

from kratom_info.readers.models import LOCATION_MAX_LENGTH, MESSAGE_MAX_LENGTH

HONEYPOT_FIELD = "website"


class ErrorReportForm(forms.Form):
    """The reader's report. ``website`` is a honeypot: hidden from people, filled by bots."""

    message = forms.CharField(
        label="What is wrong?",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=f"What you think is wrong, out of date or unclear, and any source that "
        f"supports your point. Up to {MESSAGE_MAX_LENGTH} characters.",
    )
    location = forms.CharField(
        label="Where? (optional)",
        required=False,
        max_length=LOCATION_MAX_LENGTH,
        help_text="The section or sentence you mean.",
    )
    email = forms.EmailField(
        label="Your email address (optional)",
        required=False,
        help_text="Only if you would like a reply. We use it for nothing else.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())
