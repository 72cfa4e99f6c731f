from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from kratom_info.articles.models import Revision
from kratom_info.readers.models import ErrorReport, ReportStatus
from kratom_info.readers.services import can_handle_reports, error_report_resolve


class ErrorReportResolveForm(forms.ModelForm):
    class Meta:
        model = ErrorReport
        fields = ["status", "fixed_in", "editor_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Only published versions of the reported article can be the fix.
            self.fields["fixed_in"].queryset = Revision.objects.public().filter(
                article_id=self.instance.article_id
            )
            self.fields["fixed_in"].label_from_instance = lambda r: f"Version {r.public_number}"

    def _post_clean(self):
        # The model's own checks run in the service (error_report_resolve), which save_model
        # calls; its ValidationError is shown on the form there.
        pass

    def clean(self):
        data = super().clean()
        if data.get("status") == ReportStatus.FIXED and not data.get("fixed_in"):
            self.add_error("fixed_in", "Name the published version that fixes it.")
        return data


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    """The queue of readers' error reports. Editors set the status; the report itself, and the
    version the reader saw, cannot be changed."""

    form = ErrorReportResolveForm
    list_display = ["created_at", "article", "version_seen", "status_column", "short_message"]
    list_filter = ["status", "article"]
    list_select_related = ["article", "revision", "fixed_in"]
    search_fields = ["message", "location", "article__slug"]
    readonly_fields = [
        "article", "version_seen", "message", "location", "email", "created_at", "updated_at",
    ]  # fmt: skip
    fields = [*readonly_fields, "status", "fixed_in", "editor_note"]
    date_hierarchy = "created_at"

    @admin.display(description="version seen", ordering="revision__number")
    def version_seen(self, report):
        return f"Version {report.revision.public_number}"

    @admin.display(description="status", ordering="status")
    def status_column(self, report):
        return report.status_display

    @admin.display(description="what is wrong")
    def short_message(self, report):
        return report.message if len(report.message) <= 80 else report.message[:79] + "…"

    def has_module_permission(self, request):
        return can_handle_reports(request.user)

    def has_view_permission(self, request, obj=None):
        return can_handle_reports(request.user)

    def has_change_permission(self, request, obj=None):
        return can_handle_reports(request.user)

    def has_add_permission(self, request):
        return False  # reports come from readers, through the public form

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            error_report_resolve(
                report=obj,
                user=request.user,
                status=form.cleaned_data["status"],
                fixed_in=form.cleaned_data.get("fixed_in"),
                note=form.cleaned_data.get("editor_note", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            raise PermissionDenied(str(exc)) from exc
