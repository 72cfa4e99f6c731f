"""What the editorial admin screens share (and the screens of the apps above editorial): ids
from the address bar, how a refused action is shown, POST-only action pages and the buttons
that post to them, and read-only admins for append-only records.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from kratom_info.converters import database_integer
from kratom_info.editorial import services
from kratom_info.editorial.models import (
    AuditEvent,
)


def object_id_or_404(object_id: str) -> int:
    """A change page's id as typed in the address bar: one that is not a number a row can have
    ("abc", "1.5", -1, twenty digits) is a page that does not exist."""
    try:
        return database_integer(object_id)
    except ValueError:
        raise Http404("No such object.") from None


def _report(request, exc: Exception) -> None:
    """Show a refused action to the user, every reason on its own line."""
    if isinstance(exc, services.EditorialError) and exc.reasons != [str(exc)]:
        messages.error(request, str(exc))
        for reason in exc.reasons:
            messages.error(request, reason)
    else:
        messages.error(request, str(exc))


def _run_action(request, call, success: str) -> None:
    """Run one admin button's service call: its success message, or every reason it was
    refused."""
    try:
        call()
    except (services.EditorialError, services.EditorialPermissionDenied) as exc:
        _report(request, exc)
    else:
        messages.success(request, success)


def post_only(view):
    """Like ``require_POST``, but a GET (someone opened an action's address, e.g. from the
    browser history) gets a page that says what happened and links back to the record,
    instead of a blank 405."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            return view(request, *args, **kwargs)
        back = request.path.rstrip("/").rsplit("/", 1)[0] + "/change/"
        response = TemplateResponse(
            request,
            "admin/editorial/method_not_allowed.html",
            {"title": "This address only takes a button press", "back": back},
            status=405,
        )
        response["Allow"] = "POST"
        add_never_cache_headers(response)
        return response

    return wrapped


class ActionButtonsMixin:
    """A change page whose buttons post to service calls: each button runs its call, shows
    the outcome, and returns to the record's page."""

    def back_to_record(self, pk: int) -> HttpResponseRedirect:
        opts = self.opts
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
        )

    def run_button(self, request, pk: int, call, success: str) -> HttpResponseRedirect:
        _run_action(request, call, success)
        return self.back_to_record(pk)


class ReadOnlyMixin:
    """Append-only records (and other apps' audit records, such as the sign-in log): viewable,
    never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditEventInline(ReadOnlyMixin, admin.TabularInline):
    model = AuditEvent
    fk_name = "article"
    fields = ["created_at", "user", "action", "revision", "detail"]
    readonly_fields = fields
    extra = 0
    ordering = ["-created_at", "-pk"]
    verbose_name_plural = "Audit trail (every editorial action; cannot be edited or deleted)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "revision")
