from django.contrib import admin

from kratom_info.handouts.models import ShortCode


@admin.register(ShortCode)
class ShortCodeAdmin(admin.ModelAdmin):
    """Read-only: codes are given by publishing and never change (printed handouts use them)."""

    list_display = ["code", "article", "created_at"]
    search_fields = ["code", "article__slug", "article__title"]
    list_select_related = ["article"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
