from django import template

from kratom_info.editorial.models import SourceChange
from kratom_info.editorial.selectors import review_due_report

register = template.Library()


@register.inclusion_tag("admin/editorial/_dashboard.html", takes_context=True)
def editorial_dashboard(context):
    """The review-due report on the admin index, for anyone who may see articles."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"report": None}
    return {
        "report": review_due_report(),
        "source_changes": SourceChange.objects.pending()
        .select_related("source", "proposed_by")
        .order_by("proposed_at"),
    }
