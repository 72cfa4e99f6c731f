"""django-axes' records in the admin: sign-in attempts that count towards a lockout (delete
them to unlock), and the permanent log of every sign-in and every failed one."""

from __future__ import annotations

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages

from kratom_info.editorial.admin.common import ReadOnlyMixin


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Failed sign-ins that count towards a lockout. "Unlock" forgets the selected ones; the
    failure log keeps them."""

    actions = ["unlock", *axes_admin.AccessAttemptAdmin.actions]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Unlock: forget the selected failed attempts", permissions=["delete"])
    def unlock(self, request, queryset):
        names = sorted({attempt.username or attempt.ip_address for attempt in queryset})
        count, _ = queryset.delete()
        messages.success(request, f"Unlocked {', '.join(names)} ({count} record(s) removed).")


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyMixin, axes_admin.AccessLogAdmin):
    """Every successful sign-in, with its address and when it ended."""


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyMixin, axes_admin.AccessFailureLogAdmin):
    """Every failed sign-in, and whether it was refused because of a lockout."""
