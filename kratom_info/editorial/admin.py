"""The editorial product in Django's admin: articles, the editor, the review screen, sources
and their proposed changes, reviewer profiles, review dates, the audit trail, and people
(Publishers invite Authors and Reviewers).

Every button here calls a function in :mod:`kratom_info.editorial.services`; the rules (roles,
four-eyes, the publish gate) live there, not in this module.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from kratom_info.articles.diff import readable_text, revision_diff, word_diff
from kratom_info.articles.models import Article, Revision, RevisionStatus
from kratom_info.articles.services import next_public_number
from kratom_info.citations.models import Source
from kratom_info.converters import database_integer
from kratom_info.editorial import accounts, services, source_changes
from kratom_info.editorial.forms import (
    ClaimCheckForm,
    InviteForm,
    NextReviewDueForm,
    PublicProfileForm,
    ReviewerProfileForm,
    ReviewScheduleForm,
    RevisionEditForm,
    source_proposal_form_class,
)
from kratom_info.editorial.models import (
    AuditEvent,
    Claim,
    Person,
    ReviewerProfile,
    ReviewSchedule,
    SourceChange,
    SourceChangeStatus,
    Verdict,
)
from kratom_info.editorial.roles import ROLE_PERMISSIONS
from kratom_info.editorial.selectors import (
    chain_authors,
    claim_context,
    claims_for_review,
    earlier_checks,
    fingerprints_of,
    frozen_references,
    previous_published,
    previous_reviewed,
    reader_numbers,
    review_paces,
    sources_by_key,
)
from kratom_info.pagecache.generation import public_content_changed


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


def _submit(form, service, **arguments):
    """Call an account service with a form's cleaned data: its result, or ``None`` with every
    refusal on the form, each problem next to its field (an invalid form calls nothing)."""
    if not form.is_valid():
        return None
    try:
        return service(**arguments, **form.cleaned_data)
    except accounts.FormProblems as exc:
        for field, message in exc.problems:
            form.add_error(field if field in form.fields else None, message)
    except services.EditorialPermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


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


def _source_groups(rows: list[dict], references, sources) -> list[dict]:
    """Claim rows grouped by the first source each cites, in reference-list order."""
    groups: dict[str, dict] = {}
    for row in rows:
        key = row["claim"].keys[0] if row["claim"].keys else ""
        number, entry = references.get(key, (None, ""))
        group = groups.setdefault(
            key,
            {"key": key, "number": number, "entry": entry, "source": sources.get(key), "rows": []},
        )
        group["rows"].append(row)
    return sorted(groups.values(), key=lambda g: (g["number"] is None, g["number"] or 0))


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
            _run_action(
                request,
                lambda revision=revision: services.revision_submit(
                    revision=revision, user=request.user
                ),
                f"Submitted {revision} for review.",
            )

    def get_urls(self):
        wrap = self.admin_site.admin_view

        def action(name, view):
            return path(
                f"<number:pk>/{name}/",
                wrap(post_only(view)),
                name=f"articles_revision_{name.replace('-', '_')}",
            )

        return [
            action("submit", self.submit_view),
            action("check", self.check_view),
            action("carry-over", self.carry_over_view),
            action("approve", self.approve_view),
            action("request-changes", self.request_changes_view),
            action("publish", self.publish_view),
            action("withdraw", self.withdraw_view),
            *super().get_urls(),
        ]

    # The review screen -------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = get_object_or_404(
            Revision.objects.select_related(
                "article__live_revision", "author", "review_decision__reviewer", "publication"
            ),
            pk=object_id_or_404(object_id),
        )
        if not self.has_view_permission(request, revision):
            raise PermissionDenied
        base = previous_published(revision)
        reviewed_base = previous_reviewed(revision)
        claims = claims_for_review(revision)
        earlier = earlier_checks(revision)
        sources = sources_by_key(claims)
        references = frozen_references(revision)
        authors = chain_authors(revision)
        numbers = reader_numbers(revision)
        unchanged = fingerprints_of(base)
        rows = []
        for claim in claims:
            current = claim.current_check()
            previous = earlier.get(claim.pk)
            before, text, after = claim_context(revision.body, claim, limit=1600)
            rows.append(
                {
                    "claim": claim,
                    "check": current,
                    "history": list(claim.checks.all()),
                    "earlier": previous,
                    # As readers see it: citations numbered as in the reference list, with
                    # their locators, no Markdown marks.
                    "context": [
                        readable_text(part, numbers).strip() for part in (before, text, after)
                    ],
                    # New or changed since the published version (every claim when none).
                    "is_new": base is None or claim.fingerprint not in unchanged,
                    # What readers get: the reference entries frozen at submission.
                    "references": [
                        (key, *references.get(key, (None, "")), sources.get(key))
                        for key in claim.keys
                    ],
                    "locators": [
                        {
                            "name": ClaimCheckForm.locator_name(index),
                            "key": key,
                            "number": references.get(key, (None, ""))[0],
                            "author": claim.author_locator(key),
                            "given": current.locator_for(key) if current else "",
                            "confirmed": bool(current) and key in current.locators_confirmed(),
                        }
                        for index, key in enumerate(claim.keys, start=1)
                    ],
                    "carryable": current is None and services.carryable(previous, authors),
                }
            )
        # Changed and new claims first, then the unchanged ones (which may carry over their
        # verdicts). In each part, claims are grouped by the first source they cite, each
        # source shown once, in reference order: a reviewer reads one source's record, then
        # checks every claim resting on it.
        parts = [
            {"name": name, "groups": _source_groups(part, references, sources)}
            for name, part in (
                ("changed", [row for row in rows if row["is_new"]]),
                ("unchanged", [row for row in rows if not row["is_new"]]),
            )
        ]
        # "Next unchecked" means the next one down the page, in the order shown.
        shown = [row for part in parts for group in part["groups"] for row in group["rows"]]
        unchecked = [row for row in shown if row["check"] is None]
        paces = review_paces(claims)
        user = request.user
        default_due = services.default_next_review_due()
        blockers = (
            services.publish_blockers(revision, next_review_due=default_due)
            if revision.status in (RevisionStatus.SUBMITTED, RevisionStatus.APPROVED)
            else []
        )
        language_blocker = (
            services.review_language_problem(reviewer_id=user.pk, article=revision.article)
            if revision.status == RevisionStatus.SUBMITTED and user.has_perm(services.PERM_REVIEW)
            else None
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
            "parts": parts,
            "new_count": sum(1 for row in rows if row["is_new"]),
            "paces": paces,
            "fast_paces": [pace for pace in paces if pace.is_fast],
            # A publisher opening an approved revision lands on the Publish section first.
            "publish_first": revision.status == RevisionStatus.APPROVED
            and user.has_perm(services.PERM_PUBLISH),
            "checked_count": len(rows) - len(unchecked),
            "next_unchecked": unchecked[0]["claim"] if unchecked else None,
            "reviewed_base": reviewed_base,
            "carryable_count": sum(1 for row in rows if row["carryable"]),
            "submission_problems": services.submission_problems(revision)
            if revision.status == RevisionStatus.DRAFT
            else [],
            "blockers": blockers,
            "default_next_review_due": default_due,
            "next_public_number": next_public_number(revision.article),
            "review_due_range": services.next_review_due_range(),
            "decision": getattr(revision, "review_decision", None),
            "publication": getattr(revision, "publication", None),
            "verdicts": Verdict,
            "statuses": RevisionStatus,
            "can_submit": user.has_perm(services.PERM_SUBMIT),
            # A reviewer who does not read the languages this revision needs sees why, and no
            # review buttons (the services refuse them anyway).
            "language_blocker": language_blocker,
            "can_review": user.has_perm(services.PERM_REVIEW) and not language_blocker,
            "can_publish": user.has_perm(services.PERM_PUBLISH),
            # Four-eyes: the revisions of this text the viewer wrote (they cannot review it).
            "written_by_viewer": authors.get(user.pk, [])
            if revision.status in (RevisionStatus.SUBMITTED, RevisionStatus.APPROVED)
            else [],
            "can_withdraw": revision.author_id == user.pk
            and revision.status
            in (RevisionStatus.SUBMITTED, RevisionStatus.APPROVED, RevisionStatus.OUTDATED),
            "audit_events": revision.audit_events.select_related("user"),
        }
        response = TemplateResponse(request, "admin/editorial/revision_review.html", context)
        add_never_cache_headers(response)
        return response

    def _back(self, pk: int) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:articles_revision_change", args=[pk]))

    def _run(self, request, pk: int, call, success: str) -> HttpResponseRedirect:
        _run_action(request, call, success)
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
        """Record a verdict. The review script asks for JSON and updates the page in place;
        without JavaScript the form's POST returns to the same claim's anchor."""
        wants_json = request.headers.get("Accept", "").startswith("application/json")
        form = ClaimCheckForm(request.POST)
        if not form.is_valid():
            problems = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
            )
            message = f"Cannot record this verdict ({problems})."
            if wants_json:
                return JsonResponse({"ok": False, "errors": [message]}, status=400)
            return HttpResponseBadRequest(message)
        claim = get_object_or_404(Claim, pk=form.cleaned_data["claim"], revision_id=pk)
        verdict = form.cleaned_data["verdict"]
        try:
            check = services.claim_check_record(
                claim=claim,
                user=request.user,
                verdict=verdict,
                note=form.cleaned_data["note"],
                locators=form.locators_for(claim.keys),
            )
        except (services.EditorialError, services.EditorialPermissionDenied) as exc:
            if wants_json:
                reasons = getattr(exc, "reasons", None) or [str(exc)]
                return JsonResponse({"ok": False, "errors": reasons}, status=400)
            _report(request, exc)
        else:
            if wants_json:
                claims = Claim.objects.filter(revision_id=pk)
                checked = claims.filter(checks__isnull=False).distinct().count()
                return JsonResponse(
                    {
                        "ok": True,
                        "position": claim.position,
                        "verdict": check.verdict,
                        "verdict_label": check.get_verdict_display(),
                        "checked_by": request.user.get_username(),
                        "note": check.note,
                        "locators": check.locators,
                        "checked": checked,
                        "total": claims.count(),
                    }
                )
            messages.success(request, f"Claim {claim.position}: {check.get_verdict_display()}.")
        return HttpResponseRedirect(
            reverse("admin:articles_revision_change", args=[pk]) + f"#claim-{claim.position}"
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

    def withdraw_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        return self._run(
            request,
            pk,
            lambda: services.revision_withdraw(revision=revision, user=request.user),
            f"Withdrew {revision} from review. Its text stays on record.",
        )

    def publish_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        form = NextReviewDueForm(request.POST)
        due = form.cleaned_data["next_review_due"] if form.is_valid() else None
        return self._run(
            request,
            pk,
            lambda: services.revision_publish(
                revision=revision,
                user=request.user,
                next_review_due=due,
                fast_review_reason=request.POST.get("fast_review_reason", ""),
            ),
            f"Published {revision}. Readers now see it.",
        )


class SourceAuditEventInline(ReadOnlyMixin, admin.TabularInline):
    model = AuditEvent
    fk_name = "source"
    fields = ["created_at", "user", "action", "detail"]
    readonly_fields = fields
    extra = 0
    ordering = ["-created_at", "-pk"]
    verbose_name_plural = "Audit trail (every change to this source; cannot be edited or deleted)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Sources are read-only here: new sources and changes are proposed (the "Add" button
    and "Propose a change"), and reach the Source row only when someone else approves them."""

    list_display = ["key", "authors", "year", "kind", "approved", "pending_changes"]
    list_filter = ["approved", "kind"]
    search_fields = ["key", "authors", "title", "doi", "pmid"]
    readonly_fields = ["approved", "created_at", "updated_at"]
    inlines = [SourceAuditEventInline]
    change_form_template = "admin/editorial/source_change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pending_count=Count("changes", filter=Q(changes__decision__isnull=True)))
        )

    @admin.display(description="Changes awaiting review", ordering="pending_count")
    def pending_changes(self, obj: Source) -> int:
        return obj.pending_count

    def view_on_site(self, obj: Source) -> str | None:
        return obj.get_absolute_url() if obj.approved else None  # not public until approved

    def has_add_permission(self, request):
        return request.user.has_perm(source_changes.PERM_PROPOSE_SOURCE)

    def has_change_permission(self, request, obj=None):
        return False  # nobody edits a source directly, superusers included: propose a change

    def has_delete_permission(self, request, obj=None):
        return False  # revisions cite sources; published ones keep their reference lists

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<number:pk>/propose/", wrap(self.propose_view), name="citations_source_propose"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return self.propose_view(request, pk=None)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        object_id_or_404(object_id)
        extra_context = {
            **(extra_context or {}),
            "source_changes": SourceChange.objects.filter(source_id=object_id).select_related(
                "proposed_by", "decision__decided_by"
            ),
            "can_propose": request.user.has_perm(source_changes.PERM_PROPOSE_SOURCE),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def propose_view(self, request, pk: int | None):
        """Propose a new source (``pk`` None) or new values for one."""
        if not request.user.has_perm(source_changes.PERM_PROPOSE_SOURCE):
            raise PermissionDenied
        source = get_object_or_404(Source, pk=pk) if pk is not None else None
        form_class = source_proposal_form_class(new=source is None)
        # The form validates against a copy, so nothing it sets reaches the real row.
        instance = Source.objects.get(pk=source.pk) if source else None
        if request.method == "POST":
            form = form_class(request.POST, instance=instance)
            if form.is_valid():
                try:
                    change = source_changes.source_change_propose(
                        user=request.user,
                        source=source,
                        key="" if source else form.cleaned_data["key"],
                        values=form.proposed_values(),
                        note=form.cleaned_data["proposal_note"],
                    )
                except services.EditorialError as exc:
                    for reason in exc.reasons:
                        form.add_error(None, reason)
                else:
                    messages.success(
                        request,
                        f"Proposed {change}. Readers see it only after a reviewer or publisher "
                        "other than you approves it.",
                    )
                    return HttpResponseRedirect(
                        reverse("admin:editorial_sourcechange_change", args=[change.pk])
                    )
        else:
            form = form_class(instance=instance)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Propose a change to {source.key}" if source else "Propose a new source",
            "source": source,
            "form": form,
            "media": self.media + form.media,
            "pending": SourceChange.objects.pending().filter(source=source) if source else [],
        }
        response = TemplateResponse(request, "admin/editorial/source_propose.html", context)
        add_never_cache_headers(response)
        return response


class SourceChangeStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return SourceChangeStatus.choices

    def queryset(self, request, queryset):
        if self.value() == SourceChangeStatus.PROPOSED:
            return queryset.pending()
        if self.value() in (SourceChangeStatus.APPROVED, SourceChangeStatus.REJECTED):
            return queryset.filter(decision__decision=self.value())
        return queryset


@admin.register(SourceChange)
class SourceChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Proposed source changes; each opens the review screen (field-by-field diff, approve,
    reject). Decisions go through :mod:`kratom_info.editorial.source_changes`."""

    list_display = ["__str__", "source", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = [SourceChangeStatusFilter]
    list_select_related = ["source", "proposed_by", "decision__decided_by"]
    search_fields = ["source__key", "note", "proposed_by__username"]

    @admin.display(description="Status")
    def status(self, obj: SourceChange) -> str:
        return obj.get_status_display()

    @admin.display(description="Decided by")
    def decided_by(self, obj: SourceChange) -> str:
        decision = getattr(obj, "decision", None)
        return decision.decided_by.get_username() if decision else ""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<number:pk>/approve/",
                wrap(post_only(self.approve_view)),
                name="editorial_sourcechange_approve",
            ),
            path(
                "<number:pk>/reject/",
                wrap(post_only(self.reject_view)),
                name="editorial_sourcechange_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = get_object_or_404(
            SourceChange.objects.select_related("source", "proposed_by", "decision__decided_by"),
            pk=object_id_or_404(object_id),
        )
        if not self.has_view_permission(request, change):
            raise PermissionDenied
        rows = []
        for row in change.field_changes():
            diff = None
            if row.changed and isinstance(row.before, str) and isinstance(row.after, str):
                diff = word_diff(row.before, row.after).html
            rows.append({"field": row, "diff": diff})
        pending = change.status == SourceChangeStatus.PROPOSED
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{change}: {change.get_status_display()}",
            "change": change,
            "source": change.source,
            "rows": rows,
            "pending": pending,
            "stale": pending and change.is_stale(change.source),
            "decision": getattr(change, "decision", None),
            "can_decide": request.user.has_perm(source_changes.PERM_DECIDE_SOURCE),
            "is_proposer": change.proposed_by_id == request.user.pk,
            "audit_events": change.source.audit_events.select_related("user")[:20],
        }
        response = TemplateResponse(request, "admin/editorial/source_change_review.html", context)
        add_never_cache_headers(response)
        return response

    def _decide(self, request, pk: int, call, success: str) -> HttpResponseRedirect:
        _run_action(request, call, success)
        return HttpResponseRedirect(reverse("admin:editorial_sourcechange_change", args=[pk]))

    def approve_view(self, request, pk: int):
        change = get_object_or_404(SourceChange, pk=pk)
        return self._decide(
            request,
            pk,
            lambda: source_changes.source_change_approve(
                change=change, user=request.user, note=request.POST.get("note", "")
            ),
            f"Approved {change}. The public source pages now show it.",
        )

    def reject_view(self, request, pk: int):
        change = get_object_or_404(SourceChange, pk=pk)
        return self._decide(
            request,
            pk,
            lambda: source_changes.source_change_reject(
                change=change, user=request.user, note=request.POST.get("note", "")
            ),
            f"Rejected {change}. The source keeps its values.",
        )


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """Each person keeps their own declared interests up to date; their name, credentials and
    languages are vouched for by a Publisher (People) or a superuser, never by themselves.
    Every change is in the audit trail."""

    list_display = ["display_name", "role", "language_names", "user", "updated_at"]
    form = ReviewerProfileForm

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user")
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        # Nobody vouches for their own name, credentials or languages: a Publisher sets them
        # (People), or a superuser here.
        if request.user.is_superuser:
            return []
        return ["user", "display_name", "role", "language_names"]

    def save_model(self, request, obj, form, change):
        if request.user.is_superuser:
            super().save_model(request, obj, form, change)
            changed = [str(form.fields[name].label or name) for name in form.changed_data]
            accounts.profile_change_record(user=request.user, profile=obj, fields=changed)
        else:
            accounts.declared_interests_set(
                user=request.user, profile=obj, declared_interests=obj.declared_interests
            )

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = forms.ModelForm  # without the languages checkboxes
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not request.user.is_superuser:
            fields = [name for name in fields if name != "languages"]
        return fields

    @admin.display(description="Languages reviewed in")
    def language_names(self, obj):
        return obj.language_names

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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """People: every editor account, and for Publishers "Invite a person" (Authors and
    Reviewers; only a superuser gives the Publisher role), a new invitation link, and
    deactivation. The rules are in :mod:`kratom_info.editorial.accounts`; superusers manage
    everything else about accounts under Users."""

    list_display = ["username", "full_name", "email", "roles", "status", "date_joined"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    change_list_template = "admin/editorial/person_change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(Q(is_staff=True) | Q(groups__name__in=list(ROLE_PERMISSIONS)))
            .distinct()
            .prefetch_related("groups")
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(accounts.PERM_INVITE)

    def has_add_permission(self, request):
        return request.user.has_perm(accounts.PERM_INVITE)

    def has_change_permission(self, request, obj=None):
        return False  # the buttons on a person's page call the services

    def has_delete_permission(self, request, obj=None):
        return False  # their names stay on what they wrote and reviewed: deactivate instead

    @admin.display(description="Name", ordering="last_name")
    def full_name(self, obj) -> str:
        return obj.get_full_name()

    @admin.display(description="Role")
    def roles(self, obj) -> str:
        return "Superuser" if obj.is_superuser else accounts.person_role(obj)

    @admin.display(description="Status")
    def status(self, obj) -> str:
        if not obj.is_active:
            return "Deactivated"
        if accounts.invitation_pending(obj):
            return "Invited: has not chosen a password yet"
        return "Active"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<number:pk>/resend/",
                wrap(post_only(self.resend_view)),
                name="editorial_person_resend",
            ),
            path(
                "<number:pk>/deactivate/",
                wrap(self.deactivate_view),
                name="editorial_person_deactivate",
            ),
            path(
                "<number:pk>/profile/",
                wrap(self.profile_view),
                name="editorial_person_profile",
            ),
            *super().get_urls(),
        ]

    def _page(self, request, template: str, **context) -> TemplateResponse:
        response = TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, **context},
        )
        add_never_cache_headers(response)
        return response

    def add_view(self, request, form_url="", extra_context=None):
        """Invite a person: the form, then (once) the link to hand over."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        roles = accounts.invitable_roles(request.user)
        if request.method == "POST":
            form = InviteForm(request.POST, roles=roles)
            invitation = _submit(form, accounts.person_invite, user=request.user)
            if invitation is not None:
                return self._invited(request, invitation, new=True)
        else:
            form = InviteForm(roles=roles, initial={"role": roles[0]})
        return self._page(
            request,
            "admin/editorial/person_invite.html",
            title="Invite a person",
            form=form,
            person_fields=[form[name] for name in InviteForm.PERSON_FIELDS],
            profile_fields=[form[name] for name in InviteForm.PROFILE_FIELDS],
            lifetime=accounts.invitation_lifetime(),
            email_configured=accounts.email_configured(),
        )

    def _invited(self, request, invitation, *, new: bool) -> TemplateResponse:
        person = invitation.person
        return self._page(
            request,
            "admin/editorial/person_invited.html",
            title=f"{'Invited' if new else 'New invitation link for'} {person.get_username()}",
            invitation=invitation,
            person=person,
            new=new,
            lifetime=accounts.invitation_lifetime(),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A person's page: who they are, their role and profile, what happened to their
        account, and the buttons (new link, deactivate) when this user may use them."""
        person = get_object_or_404(self.get_queryset(request), pk=object_id_or_404(object_id))
        if not self.has_view_permission(request, person):
            raise PermissionDenied
        try:
            accounts.require_manageable(request.user, person, "manage")
        except services.EditorialPermissionDenied as exc:
            manageable, reason = False, str(exc)
        else:
            manageable, reason = True, ""
        return self._page(
            request,
            "admin/editorial/person_detail.html",
            title=person.get_full_name() or person.get_username(),
            person=person,
            role=self.roles(person),
            status=self.status(person),
            profile=getattr(person, "reviewer_profile", None),
            pending=accounts.invitation_pending(person),
            manageable=manageable,
            not_manageable_reason=reason,
            audit_events=AuditEvent.objects.filter(person=person).select_related("user"),
        )

    def resend_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        person = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            invitation = accounts.invitation_resend(user=request.user, person=person)
        except (services.EditorialError, services.EditorialPermissionDenied) as exc:
            _report(request, exc)
            return HttpResponseRedirect(reverse("admin:editorial_person_change", args=[pk]))
        return self._invited(request, invitation, new=False)

    def profile_view(self, request, pk: int):
        """Correct what readers see of a person (accounts.public_profile_set): a page of its
        own with the form, back to the person's page once saved."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        person = get_object_or_404(self.get_queryset(request), pk=pk)
        back = reverse("admin:editorial_person_change", args=[pk])
        try:
            accounts.require_profile_changeable(request.user, person)
        except services.EditorialPermissionDenied as exc:
            _report(request, exc)
            return HttpResponseRedirect(back)
        profile = getattr(person, "reviewer_profile", None)
        if request.method == "POST":
            form = PublicProfileForm(request.POST)
            saved = _submit(form, accounts.public_profile_set, user=request.user, person=person)
            if saved is not None:
                messages.success(
                    request,
                    f"Saved what readers see of {person.get_username()}. Versions already "
                    "published keep the profile they were published with.",
                )
                return HttpResponseRedirect(back)
        elif profile is not None:
            initial = {
                field: getattr(profile, column)
                for field, column in accounts.PROFILE_MODEL_FIELDS.items()
            }
            form = PublicProfileForm(initial={**initial, "languages": profile.languages})
        else:
            form = PublicProfileForm()
        return self._page(
            request,
            "admin/editorial/person_profile.html",
            title=f"What readers see of {person.get_username()}",
            person=person,
            role=self.roles(person),
            form=form,
            fields=list(form),
            back=back,
        )

    def deactivate_view(self, request, pk: int):
        """Deactivating asks first, on a page of its own that says what it does (Django's
        delete confirmation works the same way); pressing its button deactivates."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        person = get_object_or_404(self.get_queryset(request), pk=pk)
        back = reverse("admin:editorial_person_change", args=[pk])
        if request.method != "POST":
            try:
                accounts.require_deactivatable(request.user, person)
            except services.EditorialPermissionDenied as exc:
                _report(request, exc)
                return HttpResponseRedirect(back)
            except services.EditorialError as exc:  # already done: nothing to confirm
                messages.info(request, str(exc))
                return HttpResponseRedirect(back)
            return self._page(
                request,
                "admin/editorial/person_deactivate.html",
                title=f"Deactivate {person.get_username()}?",
                person=person,
                role=self.roles(person),
                pending=accounts.invitation_pending(person),
                back=back,
            )
        _run_action(
            request,
            lambda: accounts.person_deactivate(user=request.user, person=person),
            f"Deactivated {person.get_username()}: they can no longer sign in, and any "
            "invitation link stops working. What they wrote and reviewed stays on record.",
        )
        return HttpResponseRedirect(reverse("admin:editorial_person_change", args=[pk]))
