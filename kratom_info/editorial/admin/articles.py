"""The article list and the editor: drafting, saving and submitting a revision."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from kratom_info.articles.diff import word_diff
from kratom_info.articles.models import Article, RevisionStatus
from kratom_info.editorial import services
from kratom_info.editorial.admin.common import AuditEventInline, _run_action, post_only
from kratom_info.editorial.forms import (
    RevisionEditForm,
)
from kratom_info.pagecache.generation import public_content_changed


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
        return ["slug", "title", "summary", "order", "live_revision", *self.withdrawal_fields]

    withdrawal_fields = ["withdrawn_at", "withdrawal_reason"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["slug", "title", "summary", "live_revision", *self.withdrawal_fields]

    def has_delete_permission(self, request, obj=None):
        return False  # articles keep their printed URLs; take one offline with "Unpublish"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "order" in form.changed_data:
            public_content_changed()  # the home and clinics pages list articles in this order

    def response_add(self, request, obj, post_url_continue=None):
        """After "Add article", straight on to writing it (unless they asked to add another
        or to keep editing the record)."""
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        edit = reverse("admin:articles_article_edit", args=[obj.pk])
        messages.success(
            request,
            format_html(
                "Added “{}”. Write its first version below and save it as a draft "
                '(<a href="{}">the editor</a> is also under “Edit” in the article list).',
                obj.title,
                edit,
            ),
        )
        return HttpResponseRedirect(edit)

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
            path("<number:pk>/edit/", wrap(self.edit_view), name="articles_article_edit"),
            path(
                "<number:pk>/unpublish/",
                wrap(post_only(self.unpublish_view)),
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
        conflict = conflict_diff = None
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
                        based_on_hash=form.cleaned_data["based_on_hash"],
                    )
                except services.EditConflict as exc:
                    conflict = exc.newer
                    conflict_diff = self._conflict_diff(article, exc, form.cleaned_data["body"])
                    # Keep the editor's text; the next save is based on the newer version,
                    # which they have now been shown, and needs their word that they merged it.
                    data = request.POST.copy()
                    data["based_on"] = str(conflict.number)
                    data["based_on_hash"] = conflict.content_hash
                    data["conflict_with"] = str(conflict.number)
                    data.pop("merged", None)
                    form = RevisionEditForm(data)
                    form.is_valid()
                    form.errors.pop("__all__", None)
                    form.add_error(None, str(exc))
                except services.EditorialError as exc:
                    form.add_error(None, str(exc))
                except services.EditorialPermissionDenied as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        f"Saved {revision} as a draft (saving it again updates it, until you "
                        "submit it). Check it, then submit it for review.",
                    )
                    return HttpResponseRedirect(
                        reverse("admin:articles_revision_change", args=[revision.pk])
                    )
            elif form.has_error("__all__", "unmerged_conflict"):
                # Refused again until they confirm: show the version to merge once more.
                conflict = article.revisions.filter(
                    number=form.cleaned_data["conflict_with"]
                ).first()
                if conflict is not None:
                    conflict_diff = word_diff(form.cleaned_data.get("body", ""), conflict.body)
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
            "conflict_diff": conflict_diff,
            "edits_in_place": latest is not None
            and latest.status == RevisionStatus.DRAFT
            and latest.author_id == request.user.pk,
        }
        response = TemplateResponse(request, "admin/editorial/article_edit.html", context)
        add_never_cache_headers(response)
        return response

    @staticmethod
    def _conflict_diff(article: Article, exc, text: str):
        """The other person's change as a word diff: from the version the editor opened to
        the newer one; for a draft saved again in place (its earlier text is gone), from the
        editor's text to the newer one."""
        newer = exc.newer
        if exc.based_on and exc.based_on != newer.number:
            base = article.revisions.filter(number=exc.based_on).first()
            if base is not None:
                return word_diff(base.body, newer.body)
        return word_diff(text, newer.body)

    def unpublish_view(self, request, pk: int):
        article = get_object_or_404(Article, pk=pk)
        _run_action(
            request,
            lambda: services.article_unpublish(
                article=article, user=request.user, reason=request.POST.get("reason", "")
            ),
            f"“{article}” is offline. Its version links still work.",
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
