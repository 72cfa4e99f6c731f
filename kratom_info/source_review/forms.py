"""The form for proposing a new source or new values for one."""

from __future__ import annotations

from django import forms

from kratom_info.citations.models import Source


class SourceProposalForm(forms.ModelForm):
    """Proposing a new source or a change to one. It only validates; saving goes through
    :func:`kratom_info.source_review.services.source_change_propose`. Build it with
    :func:`source_proposal_form_class`, which takes the fields from ``Source.reviewable_fields``."""

    proposal_note = forms.CharField(
        label="Why this change",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the reviewer and kept in the audit trail, e.g. 'Corrected the "
        "title from the journal's page'.",
    )

    def proposed_values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in Source.reviewable_fields()}


def source_proposal_form_class(*, new: bool) -> type[SourceProposalForm]:
    """The form for a new source (key included) or for a change to one (key fixed)."""
    fields = ["key", *Source.reviewable_fields()] if new else Source.reviewable_fields()
    return forms.modelform_factory(Source, form=SourceProposalForm, fields=fields)
