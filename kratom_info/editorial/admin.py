"""The editorial product in Django's admin: articles, the editor, the review screen, sources,
reviewer profiles, review dates and the audit trail.

Every button here calls a function in :mod:`kratom_info.editorial.services`; the rules (roles,
four-eyes, the publish gate) live there, not in this module.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from kratom_info.articles.diff import revision_diff
from kratom_info.articles.models import Article, Revision, RevisionStatus
from kratom_info.citations.claims import find_uncited_numbers
from kratom_info.citations.models import Source
from kratom_info.editorial import services
from kratom_info.editorial.forms import NextReviewDueForm, RevisionEditForm
from kratom_info.editorial.models import (
    AuditEvent,
    Claim,
    ReviewerProfile,
    ReviewSchedule,
    Verdict,
)
from kratom_info.editorial.selectors import (
    claims_for_review,
    earlier_checks,
    previous_published,
    sources_by_key,
)
from kratom_info.pagecache.generation import public_content_changed


def _report(request, exc: Exception) -> None:
    """Show a refused action to the user, every reason on its own line."""
    if isinstance(exc, services.EditorialError) and exc.reasons != [str(exc)]:
        messages.error(request, str(exc))
        for reason in exc.reasons:
            messages.error(request, reason)
    else:
        messages.error(request, str(exc))


class ReadOnlyMixin:
    """Append-only records: viewable, never added, changed or deleted through the admin."""

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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "live_version", "latest_version", "next_review_due", "edit"]
    list_select_related = ["live_revision", "review_schedule"]
    search_fields = ["slug", "title"]
    inlines = [AuditEventInline]
    change_form_template = "admin/editorial/article_change_form.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["slug", "title", "order"]
        return ["slug", "title", "summary", "order", "live_revision"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["slug", "title", "summary", "live_revision"]

    def has_delete_permission(self, request, obj=None):
        return False  # articles keep their printed URLs; take one offline with "Unpublish"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "order" in form.changed_data:
            public_content_changed()  # the home and clinics pages list articles in this order

    @admin.display(description="Live")
    def live_version(self, obj: Article) -> str:
        return f"v{obj.live_revision.number}" if obj.live_revision else "not published"

    @admin.display(description="Latest revision")
    def latest_version(self, obj: Article) -> str:
        latest = obj.latest_revision()
        return f"v{latest.number}: {latest.get_status_display()}" if latest else "none"

    @admin.display(description="Next review due")
    def next_review_due(self, obj: Article):
        schedule = getattr(obj, "review_schedule", None)
        return schedule.next_review_due if schedule else "not reviewed yet"

    @admin.display(description="Content")
    def edit(self, obj: Article) -> str:
        return format_html(
            '<a href="{}">Edit</a>', reverse("admin:articles_article_edit", args=[obj.pk])
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/edit/", wrap(self.edit_view), name="articles_article_edit"),
            path(
                "<int:pk>/unpublish/",
                wrap(require_POST(self.unpublish_view)),
                name="articles_article_unpublish",
            ),
            *super().get_urls(),
        ]

    def edit_view(self, request, pk: int):
        """The Markdown editor: starts from the latest revision, saves a new draft."""
        article = get_object_or_404(Article, pk=pk)
        if not request.user.has_perm(services.PERM_CREATE):
            raise PermissionDenied
        latest = article.revisions.select_related("author", "review_decision").first()
        conflict = None
        if request.method == "POST":
            form = RevisionEditForm(request.POST)
            if form.is_valid():
                try:
                    revision = services.revision_create_draft_from(
                        article=article,
                        user=request.user,
                        based_on=form.cleaned_data["based_on"],
                        title=form.cleaned_data["title"],
                        summary=form.cleaned_data["summary"],
                        main_message=form.cleaned_data["main_message"],
                        key_points=form.key_point_list(),
                        body=form.cleaned_data["body"],
                        change_note=form.cleaned_data["change_note"],
                    )
                except services.EditConflict as exc:
                    conflict = exc.newer
                    # Keep the editor's text; the next save is based on the newer version,
                    # which they have now been shown.
                    data = request.POST.copy()
                    data["based_on"] = str(conflict.number)
                    form = RevisionEditForm(data)
                    form.is_valid()
                    form.add_error(None, str(exc))
                except services.EditorialError as exc:
                    form.add_error(None, str(exc))
                except services.EditorialPermissionDenied as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        f"Saved {revision} as a draft. Check it, then submit it for review.",
                    )
                    return HttpResponseRedirect(
                        reverse("admin:articles_revision_change", args=[revision.pk])
                    )
        else:
            form = RevisionEditForm(initial=RevisionEditForm.initial_from(latest, article))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Edit “{article.title}”",
            "article": article,
            "latest": latest,
            "form": form,
            "media": self.media + form.media,
            "conflict": conflict,
        }
        response = TemplateResponse(request, "admin/editorial/article_edit.html", context)
        add_never_cache_headers(response)
        return response

    def unpublish_view(self, request, pk: int):
        article = get_object_or_404(Article, pk=pk)
        try:
            services.article_unpublish(
                article=article, user=request.user, reason=request.POST.get("reason", "")
            )
        except (services.EditorialError, services.EditorialPermissionDenied) as exc:
            _report(request, exc)
        else:
            messages.success(request, f"“{article}” is offline. Its version links still work.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "status", "author", "created_at", "change_note"]
    list_filter = ["status", "article"]
    list_select_related = ["article", "author"]
    search_fields = ["article__slug", "title", "change_note"]
    actions = ["submit_selected"]

    def has_add_permission(self, request):
        return False  # new revisions come from the editor ("Edit" on an article)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # content changes make a new revision; state changes use the buttons

    @admin.action(description="Submit selected drafts for review")
    def submit_selected(self, request, queryset):
        for revision in queryset.order_by("article", "number"):
            try:
                services.revision_submit(revision=revision, user=request.user)
            except (services.EditorialError, services.EditorialPermissionDenied) as exc:
                _report(request, exc)
            else:
                messages.success(request, f"Submitted {revision} for review.")

    def get_urls(self):
        wrap = self.admin_site.admin_view

        def action(name, view):
            return path(
                f"<int:pk>/{name}/",
                wrap(require_POST(view)),
                name=f"articles_revision_{name.replace('-', '_')}",
            )

        return [
            action("submit", self.submit_view),
            action("check", self.check_view),
            action("carry-over", self.carry_over_view),
            action("approve", self.approve_view),
            action("request-changes", self.request_changes_view),
            action("publish", self.publish_view),
            *super().get_urls(),
        ]

    # The review screen -------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = get_object_or_404(
            Revision.objects.select_related(
                "article__live_revision", "author", "review_decision__reviewer", "publication"
            ),
            pk=object_id,
        )
        if not self.has_view_permission(request, revision):
            raise PermissionDenied
        base = previous_published(revision)
        claims = claims_for_review(revision)
        earlier = earlier_checks(revision)
        sources = sources_by_key(claims)
        rows = []
        for claim in claims:
            current = claim.current_check()
            previous = earlier.get(claim.pk)
            rows.append(
                {
                    "claim": claim,
                    "check": current,
                    "history": list(claim.checks.all()),
                    "earlier": previous,
                    "sources": [sources.get(key) or key for key in claim.keys],
                    "carryable": current is None
                    and previous is not None
                    and previous.verdict == Verdict.SUPPORTED
                    and previous.checked_by_id != revision.author_id,
                }
            )
        user = request.user
        default_due = services.default_next_review_due()
        blockers = (
            services.publish_blockers(revision, next_review_due=default_due)
            if revision.status in (RevisionStatus.SUBMITTED, RevisionStatus.APPROVED)
            else []
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{revision}: {revision.get_status_display()}",
            "revision": revision,
            "article": revision.article,
            "base": base,
            "diff": revision_diff(base, revision) if base else None,
            "rows": rows,
            "carryable_count": sum(1 for row in rows if row["carryable"]),
            "uncited": find_uncited_numbers(revision.body)
            if revision.status == RevisionStatus.DRAFT
            else [],
            "blockers": blockers,
            "default_next_review_due": default_due,
            "decision": getattr(revision, "review_decision", None),
            "publication": getattr(revision, "publication", None),
            "verdicts": Verdict,
            "statuses": RevisionStatus,
            "can_submit": user.has_perm(services.PERM_SUBMIT),
            "can_review": user.has_perm(services.PERM_REVIEW),
            "can_publish": user.has_perm(services.PERM_PUBLISH),
            "audit_events": revision.audit_events.select_related("user"),
        }
        response = TemplateResponse(request, "admin/editorial/revision_review.html", context)
        add_never_cache_headers(response)
        return response

    def _back(self, pk: int) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:articles_revision_change", args=[pk]))

    def _run(self, request, pk: int, call, success: str) -> HttpResponseRedirect:
        try:
            call()
        except (services.EditorialError, services.EditorialPermissionDenied) as exc:
            _report(request, exc)
        else:
            messages.success(request, success)
        return self._back(pk)

    def submit_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        return self._run(
            request,
            pk,
            lambda: services.revision_submit(revision=revision, user=request.user),
            f"Submitted {revision} for review. Its text is now frozen.",
        )

    def check_view(self, request, pk: int):
        claim = get_object_or_404(Claim, pk=request.POST.get("claim"), revision_id=pk)
        verdict = request.POST.get("verdict", "")
        return self._run(
            request,
            pk,
            lambda: services.claim_check_record(
                claim=claim, user=request.user, verdict=verdict, note=request.POST.get("note", "")
            ),
            f"Claim {claim.position}: {Verdict(verdict).label if verdict in Verdict else verdict}.",
        )

    def carry_over_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        try:
            carried = services.claim_checks_carry_over(revision=revision, user=request.user)
        except (services.EditorialError, services.EditorialPermissionDenied) as exc:
            _report(request, exc)
        else:
            messages.success(request, f"Carried over {len(carried)} earlier verdict(s).")
        return self._back(pk)

    def approve_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        return self._run(
            request,
            pk,
            lambda: services.revision_approve(
                revision=revision, user=request.user, comment=request.POST.get("comment", "")
            ),
            f"Approved {revision}. A publisher can now publish it.",
        )

    def request_changes_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        return self._run(
            request,
            pk,
            lambda: services.revision_request_changes(
                revision=revision, user=request.user, comment=request.POST.get("comment", "")
            ),
            f"Sent {revision} back to its author.",
        )

    def publish_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        form = NextReviewDueForm(request.POST)
        due = form.cleaned_data["next_review_due"] if form.is_valid() else None
        return self._run(
            request,
            pk,
            lambda: services.revision_publish(
                revision=revision, user=request.user, next_review_due=due
            ),
            f"Published {revision}. Readers now see it.",
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "authors", "year", "kind", "doi", "pmid"]
    list_filter = ["kind"]
    search_fields = ["key", "authors", "title", "doi", "pmid"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A key is a promise made by every revision that cites it.
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revisions cite sources; published ones keep their reference lists


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """Each reviewer keeps their own profile; superusers manage everyone's."""

    list_display = ["display_name", "role", "user", "updated_at"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user")
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["user"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewSchedule)
class ReviewScheduleAdmin(admin.ModelAdmin):
    list_display = ["article", "next_review_due", "updated_at"]
    ordering = ["next_review_due"]
    fields = ["article", "next_review_due"]
    readonly_fields = ["article"]

    def has_add_permission(self, request):
        return False  # created when an article is published

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.review_schedule_set(
            article=obj.article, user=request.user, next_review_due=obj.next_review_due
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "article", "revision", "user", "action", "detail"]
    list_filter = ["action", "article"]
    list_select_related = ["article", "revision__article", "user"]
    search_fields = ["article__slug", "detail", "user__username"]
    date_hierarchy = "created_at"
