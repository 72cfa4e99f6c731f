from django import template

from kratom_info.source_review.models import SourceChange

register = template.Library()


@register.simple_tag
def pending_source_changes():
    """Source changes waiting for a decision, oldest first, for the admin index's dashboard."""
    return (
        SourceChange.objects.pending()
        .select_related("source", "proposed_by")
        .order_by("proposed_at")
    )
