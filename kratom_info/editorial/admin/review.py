"""The review workspace and publishing: a revision's claims checked source by source, the
diff against what readers saw, approving, sending back, publishing and withdrawing.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers

from kratom_info.articles.diff import readable_text, revision_diff
from kratom_info.articles.models import Revision, RevisionStatus
from kratom_info.articles.services import next_public_number
from kratom_info.editorial import services
from kratom_info.editorial.admin.common import (
    ActionButtonsMixin,
    _report,
    _run_action,
    object_id_or_404,
    post_only,
)
from kratom_info.editorial.forms import (
    ClaimCheckForm,
    NextReviewDueForm,
)
from kratom_info.editorial.models import (
    Claim,
    Verdict,
)
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


@admin.register(Revision)
class RevisionAdmin(ActionButtonsMixin, admin.ModelAdmin):
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

    def submit_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        return self.run_button(
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
        return self.back_to_record(pk)

    def approve_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        return self.run_button(
            request,
            pk,
            lambda: services.revision_approve(
                revision=revision, user=request.user, comment=request.POST.get("comment", "")
            ),
            f"Approved {revision}. A publisher can now publish it.",
        )

    def request_changes_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        return self.run_button(
            request,
            pk,
            lambda: services.revision_request_changes(
                revision=revision, user=request.user, comment=request.POST.get("comment", "")
            ),
            f"Sent {revision} back to its author.",
        )

    def withdraw_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        return self.run_button(
            request,
            pk,
            lambda: services.revision_withdraw(revision=revision, user=request.user),
            f"Withdrew {revision} from review. Its text stays on record.",
        )

    def publish_view(self, request, pk: int):
        revision = get_object_or_404(Revision, pk=pk)
        form = NextReviewDueForm(request.POST)
        due = form.cleaned_data["next_review_due"] if form.is_valid() else None
        return self.run_button(
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
