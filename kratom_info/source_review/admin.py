"""Sources and their proposed changes in the admin: proposing a new source or an edit, and
someone else approving or rejecting it before the public source pages show it.

The change screens moved here from the editorial app with their models: their addresses are
now /admin/source_review/sourcechange/...; the old /admin/editorial/sourcechange/... ones
redirect here (:mod:`kratom_info.moved_admin`), so bookmarks and mailed links keep
working.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers

from kratom_info.articles.diff import word_diff
from kratom_info.citations.models import Source
from kratom_info.editorial import services
from kratom_info.editorial.admin.common import (
    ActionButtonsMixin,
    ReadOnlyMixin,
    object_id_or_404,
    post_only,
)
from kratom_info.editorial.models import AuditEvent
from kratom_info.source_review import services as source_changes
from kratom_info.source_review.forms import source_proposal_form_class
from kratom_info.source_review.models import SourceChange, SourceChangeStatus


class SourceAuditEventInline(ReadOnlyMixin, admin.TabularInline):
    model = AuditEvent
    fk_name = "source"
    fields = ["created_at", "user", "action", "detail"]
    readonly_fields = fields
    extra = 0
    ordering = ["-created_at", "-pk"]
    verbose_name_plural = "Audit trail (every change to this source; cannot be edited or deleted)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Sources are read-only here: new sources and changes are proposed (the "Add" button
    and "Propose a change"), and reach the Source row only when someone else approves them."""

    list_display = ["key", "authors", "year", "kind", "approved", "pending_changes"]
    list_filter = ["approved", "kind"]
    search_fields = ["key", "authors", "title", "doi", "pmid"]
    readonly_fields = ["approved", "created_at", "updated_at"]
    inlines = [SourceAuditEventInline]
    change_form_template = "admin/source_review/source_change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pending_count=Count("changes", filter=Q(changes__decision__isnull=True)))
        )

    @admin.display(description="Changes awaiting review", ordering="pending_count")
    def pending_changes(self, obj: Source) -> int:
        return obj.pending_count

    def view_on_site(self, obj: Source) -> str | None:
        return obj.get_absolute_url() if obj.approved else None  # not public until approved

    def has_add_permission(self, request):
        return request.user.has_perm(source_changes.PERM_PROPOSE_SOURCE)

    def has_change_permission(self, request, obj=None):
        return False  # nobody edits a source directly, superusers included: propose a change

    def has_delete_permission(self, request, obj=None):
        return False  # revisions cite sources; published ones keep their reference lists

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<number:pk>/propose/", wrap(self.propose_view), name="citations_source_propose"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return self.propose_view(request, pk=None)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        object_id_or_404(object_id)
        extra_context = {
            **(extra_context or {}),
            "source_changes": SourceChange.objects.filter(source_id=object_id).select_related(
                "proposed_by", "decision__decided_by"
            ),
            "can_propose": request.user.has_perm(source_changes.PERM_PROPOSE_SOURCE),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def propose_view(self, request, pk: int | None):
        """Propose a new source (``pk`` None) or new values for one."""
        if not request.user.has_perm(source_changes.PERM_PROPOSE_SOURCE):
            raise PermissionDenied
        source = get_object_or_404(Source, pk=pk) if pk is not None else None
        form_class = source_proposal_form_class(new=source is None)
        # The form validates against a copy, so nothing it sets reaches the real row.
        instance = Source.objects.get(pk=source.pk) if source else None
        if request.method == "POST":
            form = form_class(request.POST, instance=instance)
            if form.is_valid():
                try:
                    change = source_changes.source_change_propose(
                        user=request.user,
                        source=source,
                        key="" if source else form.cleaned_data["key"],
                        values=form.proposed_values(),
                        note=form.cleaned_data["proposal_note"],
                    )
                except services.EditorialError as exc:
                    for reason in exc.reasons:
                        form.add_error(None, reason)
                else:
                    messages.success(
                        request,
                        f"Proposed {change}. Readers see it only after a reviewer or publisher "
                        "other than you approves it.",
                    )
                    return HttpResponseRedirect(change.get_admin_url())
        else:
            form = form_class(instance=instance)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Propose a change to {source.key}" if source else "Propose a new source",
            "source": source,
            "form": form,
            "media": self.media + form.media,
            "pending": SourceChange.objects.pending().filter(source=source) if source else [],
        }
        response = TemplateResponse(request, "admin/source_review/source_propose.html", context)
        add_never_cache_headers(response)
        return response


class SourceChangeStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return SourceChangeStatus.choices

    def queryset(self, request, queryset):
        if self.value() == SourceChangeStatus.PROPOSED:
            return queryset.pending()
        if self.value() in (SourceChangeStatus.APPROVED, SourceChangeStatus.REJECTED):
            return queryset.filter(decision__decision=self.value())
        return queryset


@admin.register(SourceChange)
class SourceChangeAdmin(ActionButtonsMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Proposed source changes; each opens the review screen (field-by-field diff, approve,
    reject). Decisions go through :mod:`kratom_info.source_review.services`."""

    list_display = ["__str__", "source", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = [SourceChangeStatusFilter]
    list_select_related = ["source", "proposed_by", "decision__decided_by"]
    search_fields = ["source__key", "note", "proposed_by__username"]

    @admin.display(description="Status")
    def status(self, obj: SourceChange) -> str:
        return obj.get_status_display()

    @admin.display(description="Decided by")
    def decided_by(self, obj: SourceChange) -> str:
        decision = getattr(obj, "decision", None)
        return decision.decided_by.get_username() if decision else ""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<number:pk>/approve/",
                wrap(post_only(self.approve_view)),
                name="source_review_sourcechange_approve",
            ),
            path(
                "<number:pk>/reject/",
                wrap(post_only(self.reject_view)),
                name="source_review_sourcechange_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = get_object_or_404(
            SourceChange.objects.select_related("source", "proposed_by", "decision__decided_by"),
            pk=object_id_or_404(object_id),
        )
        if not self.has_view_permission(request, change):
            raise PermissionDenied
        rows = []
        for row in change.field_changes():
            diff = None
            if row.changed and isinstance(row.before, str) and isinstance(row.after, str):
                diff = word_diff(row.before, row.after).html
            rows.append({"field": row, "diff": diff})
        pending = change.status == SourceChangeStatus.PROPOSED
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{change}: {change.get_status_display()}",
            "change": change,
            "source": change.source,
            "rows": rows,
            "pending": pending,
            "stale": pending and change.is_stale(change.source),
            "decision": getattr(change, "decision", None),
            "can_decide": request.user.has_perm(source_changes.PERM_DECIDE_SOURCE),
            "is_proposer": change.proposed_by_id == request.user.pk,
            "audit_events": change.source.audit_events.select_related("user")[:20],
        }
        response = TemplateResponse(
            request, "admin/source_review/source_change_review.html", context
        )
        add_never_cache_headers(response)
        return response

    def approve_view(self, request, pk: int):
        change = get_object_or_404(SourceChange, pk=pk)
        return self.run_button(
            request,
            pk,
            lambda: source_changes.source_change_approve(
                change=change, user=request.user, note=request.POST.get("note", "")
            ),
            f"Approved {change}. The public source pages now show it.",
        )

    def reject_view(self, request, pk: int):
        change = get_object_or_404(SourceChange, pk=pk)
        return self.run_button(
            request,
            pk,
            lambda: source_changes.source_change_reject(
                change=change, user=request.user, note=request.POST.get("note", "")
            ),
            f"Rejected {change}. The source keeps its values.",
        )
