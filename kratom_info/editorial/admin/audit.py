"""The audit trail: every editorial action, read-only."""

from __future__ import annotations

from django.contrib import admin

from kratom_info.editorial.admin.common import ReadOnlyMixin
from kratom_info.editorial.models import (
    AuditEvent,
)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "created_at", "article", "revision", "source", "person", "user", "action", "detail"
    ]  # fmt: skip
    list_filter = ["action", "article"]
    list_select_related = ["article", "revision__article", "source", "person", "user"]
    search_fields = [
        "article__slug", "source__key", "detail", "user__username", "person__username"
    ]  # fmt: skip
    date_hierarchy = "created_at"
