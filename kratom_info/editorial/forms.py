from __future__ import annotations

from django import forms
from markdownx.widgets import AdminMarkdownxWidget

from kratom_info.articles.models import Revision
from kratom_info.articles.rendering import markdown_problem
from kratom_info.editorial.models import (
    ReviewSchedule,
)
from kratom_info.editorial.services import next_review_due_problem


class EditorMarkdownWidget(AdminMarkdownxWidget):
    """The Markdown text box alone: the edit screen places markdownx's preview in its own
    column (beside the whole form, under the reader-style header), inside one ``.markdownx``
    element that markdownx's script looks in."""

    template_name = "django/forms/widgets/textarea.html"


class RevisionEditForm(forms.Form):
    """Editing an article: updates the editor's own draft in place, or saves a new draft
    revision based on the one the editor opened."""

    based_on = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, help_text="The version this edit started from."
    )
    # Drafts change in place: the content hash of the version opened tells a later save of it
    # (by its author, in another tab or by someone else) from the state the editor saw.
    based_on_hash = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=500, help_text=Revision._meta.get_field("summary").help_text
    )
    main_message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=Revision._meta.get_field("main_message").help_text,
    )
    key_points = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One point per line; three to five short points for printed handouts.",
    )
    body = forms.CharField(
        widget=EditorMarkdownWidget(attrs={"rows": 24}),
        help_text=(
            "Markdown. Cite every claim with [@key]. A sentence, list item or table row that "
            "states a number without a citation blocks submission. The preview shows exactly "
            "what readers will see."
        ),
    )
    change_note = forms.CharField(
        max_length=500, help_text="Required: what changed and why. Shown in the public history."
    )
    # Set after an edit conflict: the number of the version the editor was shown and must merge.
    conflict_with = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    merged = forms.BooleanField(
        required=False,
        label="I have merged the other changes",
        help_text="Required after an edit conflict: tick it once your text includes the changes "
        "of the newer version, or they are lost.",
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        problem = markdown_problem(body)
        if problem:
            raise forms.ValidationError(
                f"The text cannot be saved: {problem}.", code="unrenderable_markdown"
            )
        return body

    def clean(self):
        cleaned = super().clean()
        conflict_with = cleaned.get("conflict_with")
        if conflict_with and not cleaned.get("merged"):
            raise forms.ValidationError(
                f"Not saved: version {conflict_with} was created while you were editing. Merge "
                "its changes into your text, tick “I have merged the other changes”, then save "
                "again. Saving without merging would throw their text away.",
                code="unmerged_conflict",
            )
        return cleaned

    @classmethod
    def initial_from(cls, revision: Revision | None, article) -> dict:
        if revision is None:
            return {"based_on": 0, "title": article.title, "summary": article.summary}
        return {
            "based_on": revision.number,
            "based_on_hash": revision.content_hash,
            "title": revision.title,
            "summary": revision.summary,
            "main_message": revision.main_message,
            "key_points": "\n".join(revision.key_points),
            "body": revision.body,
        }

    def key_point_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["key_points"].splitlines() if line.strip()
        ]


class NextReviewDueForm(forms.Form):
    next_review_due = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ClaimCheckForm(forms.Form):
    """The claim-check buttons' POST: which claim, which verdict, a note, and where each cited
    source supports it (``locator-1``, ``locator-2``... in the order the claim cites them;
    the service says which are missing)."""

    claim = forms.IntegerField(min_value=1)
    verdict = forms.CharField(max_length=20)
    note = forms.CharField(required=False, max_length=2000)

    @staticmethod
    def locator_name(index: int) -> str:
        return f"locator-{index}"

    def locators_for(self, keys) -> dict[str, str]:
        """key -> the locator typed (or confirmed) for it."""
        return {
            key: str(self.data.get(self.locator_name(index), ""))
            for index, key in enumerate(keys, start=1)
        }


class ReviewScheduleForm(forms.ModelForm):
    """Moving a review date in the admin: the service's bounds, shown as a form error."""

    class Meta:
        model = ReviewSchedule
        fields = ["next_review_due"]
        widgets = {"next_review_due": forms.DateInput(attrs={"type": "date"})}

    def clean_next_review_due(self):
        due = self.cleaned_data["next_review_due"]
        problem = next_review_due_problem(due)
        if problem:
            raise forms.ValidationError(problem)
        return due
