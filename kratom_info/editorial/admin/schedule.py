"""Review dates: when each article is next due for review."""

from __future__ import annotations

from django.contrib import admin

from kratom_info.converters import database_integer
from kratom_info.editorial import services
from kratom_info.editorial.forms import (
    ReviewScheduleForm,
)
from kratom_info.editorial.models import (
    ReviewSchedule,
)


@admin.register(ReviewSchedule)
class ReviewScheduleAdmin(admin.ModelAdmin):
    list_display = ["article", "next_review_due", "updated_at"]
    ordering = ["next_review_due"]
    fields = ["article", "next_review_due"]
    readonly_fields = ["article"]
    form = ReviewScheduleForm

    def has_add_permission(self, request):
        return False  # created when an article is published

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        # Its key is the article's: Django bounds plain integer keys for the database, not
        # a one-to-one key, and SQLite raises on twenty digits. None: Django's "not found".
        try:
            database_integer(object_id)
        except ValueError:
            return None
        return super().get_object(request, object_id, from_field)

    def save_model(self, request, obj, form, change):
        services.review_schedule_set(
            article=obj.article, user=request.user, next_review_due=obj.next_review_due
        )
