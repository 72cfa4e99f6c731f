from django import template

from kratom_info.editorial.selectors import own_work, review_due_report

register = template.Library()


@register.inclusion_tag("admin/editorial/_dashboard.html", takes_context=True)
def editorial_dashboard(context, source_changes=()):
    """The editor's own work, then the review-due report, on the admin index, for anyone who
    may see articles. ``source_changes`` are the proposed source changes awaiting a decision
    (the admin index asks :mod:`kratom_info.source_review` for them): one more queue."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"report": None}
    report = review_due_report()
    return {
        "report": report,
        "own": own_work(user, report),
        "source_changes": source_changes,
    }


@register.filter
def review_duration(elapsed) -> str:
    """A timedelta as '1 h 5 min', '3 min 20 s' or '12 s', for the publish screen."""
    if elapsed is None:
        return ""
    seconds = int(elapsed.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {seconds} s"
    return f"{seconds} s"
