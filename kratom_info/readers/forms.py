from django import forms
from django.utils.translation import gettext, gettext_lazy

from kratom_info.readers.models import LOCATION_MAX_LENGTH, MESSAGE_MAX_LENGTH

HONEYPOT_FIELD = "website"


class ErrorReportForm(forms.Form):
    """The reader's report. ``website`` is a honeypot: hidden from people, filled by bots.
    Labels, help texts and messages are in the page's language (English or /es/ Spanish)."""

    message = forms.CharField(
        label=gettext_lazy("What is wrong?"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH}),
        error_messages={
            "required": gettext_lazy("Please say what is wrong."),
            "max_length": gettext_lazy(
                "Please use at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    location = forms.CharField(
        label=gettext_lazy("Where? (optional)"),
        required=False,
        max_length=LOCATION_MAX_LENGTH,
        help_text=gettext_lazy("The section or sentence you mean."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your email address (optional)"),
        required=False,
        help_text=gettext_lazy("Only if you would like a reply. We use it for nothing else."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, in the language active for this request, with the limit filled in.
        self.fields["message"].help_text = gettext(
            "What you think is wrong, out of date or unclear, and any source that supports "
            "your point. Up to %(limit)s characters."
        ) % {"limit": MESSAGE_MAX_LENGTH}

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())
