"""People: reviewer profiles, and Publishers inviting, managing and deactivating Authors and
Reviewers.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers

from kratom_info.accounts import people
from kratom_info.accounts.forms import (
    InviteForm,
    PublicProfileForm,
    ReviewerProfileForm,
)
from kratom_info.editorial import services
from kratom_info.editorial.admin.common import _report, _run_action, object_id_or_404, post_only
from kratom_info.editorial.models import AuditEvent, Person
from kratom_info.editorial.roles import ROLE_PERMISSIONS
from kratom_info.profiles.models import ReviewerProfile


def _submit(form, service, **arguments):
    """Call an account service with a form's cleaned data: its result, or ``None`` with every
    refusal on the form, each problem next to its field (an invalid form calls nothing)."""
    if not form.is_valid():
        return None
    try:
        return service(**arguments, **form.cleaned_data)
    except people.FormProblems as exc:
        for field, message in exc.problems:
            form.add_error(field if field in form.fields else None, message)
    except services.EditorialPermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


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
            people.profile_change_record(user=request.user, profile=obj, fields=changed)
        else:
            people.declared_interests_set(
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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """People: every editor account, and for Publishers "Invite a person" (Authors and
    Reviewers; only a superuser gives the Publisher role), a new invitation link, and
    deactivation. The rules are in :mod:`kratom_info.accounts.people`; superusers manage
    everything else about accounts under Users."""

    list_display = ["username", "full_name", "email", "roles", "status", "date_joined"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    change_list_template = "admin/accounts/person_change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(Q(is_staff=True) | Q(groups__name__in=list(ROLE_PERMISSIONS)))
            .distinct()
            .prefetch_related("groups")
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(people.PERM_INVITE)

    def has_add_permission(self, request):
        return request.user.has_perm(people.PERM_INVITE)

    def has_change_permission(self, request, obj=None):
        return False  # the buttons on a person's page call the services

    def has_delete_permission(self, request, obj=None):
        return False  # their names stay on what they wrote and reviewed: deactivate instead

    @admin.display(description="Name", ordering="last_name")
    def full_name(self, obj) -> str:
        return obj.get_full_name()

    @admin.display(description="Role")
    def roles(self, obj) -> str:
        return "Superuser" if obj.is_superuser else people.person_role(obj)

    @admin.display(description="Status")
    def status(self, obj) -> str:
        if not obj.is_active:
            return "Deactivated"
        if people.invitation_pending(obj):
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
        roles = people.invitable_roles(request.user)
        if request.method == "POST":
            form = InviteForm(request.POST, roles=roles)
            invitation = _submit(form, people.person_invite, user=request.user)
            if invitation is not None:
                return self._invited(request, invitation, new=True)
        else:
            form = InviteForm(roles=roles, initial={"role": roles[0]})
        return self._page(
            request,
            "admin/accounts/person_invite.html",
            title="Invite a person",
            form=form,
            person_fields=[form[name] for name in InviteForm.PERSON_FIELDS],
            profile_fields=[form[name] for name in InviteForm.PROFILE_FIELDS],
            lifetime=people.invitation_lifetime(),
            email_configured=people.email_configured(),
        )

    def _invited(self, request, invitation, *, new: bool) -> TemplateResponse:
        person = invitation.person
        return self._page(
            request,
            "admin/accounts/person_invited.html",
            title=f"{'Invited' if new else 'New invitation link for'} {person.get_username()}",
            invitation=invitation,
            person=person,
            new=new,
            lifetime=people.invitation_lifetime(),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A person's page: who they are, their role and profile, what happened to their
        account, and the buttons (new link, deactivate) when this user may use them."""
        person = get_object_or_404(self.get_queryset(request), pk=object_id_or_404(object_id))
        if not self.has_view_permission(request, person):
            raise PermissionDenied
        try:
            people.require_manageable(request.user, person, "manage")
        except services.EditorialPermissionDenied as exc:
            manageable, reason = False, str(exc)
        else:
            manageable, reason = True, ""
        return self._page(
            request,
            "admin/accounts/person_detail.html",
            title=person.get_full_name() or person.get_username(),
            person=person,
            role=self.roles(person),
            status=self.status(person),
            profile=getattr(person, "reviewer_profile", None),
            pending=people.invitation_pending(person),
            manageable=manageable,
            not_manageable_reason=reason,
            audit_events=AuditEvent.objects.filter(person=person).select_related("user"),
        )

    def resend_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        person = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            invitation = people.invitation_resend(user=request.user, person=person)
        except (services.EditorialError, services.EditorialPermissionDenied) as exc:
            _report(request, exc)
            return HttpResponseRedirect(reverse("admin:editorial_person_change", args=[pk]))
        return self._invited(request, invitation, new=False)

    def profile_view(self, request, pk: int):
        """Correct what readers see of a person (people.public_profile_set): a page of its
        own with the form, back to the person's page once saved."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        person = get_object_or_404(self.get_queryset(request), pk=pk)
        back = reverse("admin:editorial_person_change", args=[pk])
        try:
            people.require_profile_changeable(request.user, person)
        except services.EditorialPermissionDenied as exc:
            _report(request, exc)
            return HttpResponseRedirect(back)
        profile = getattr(person, "reviewer_profile", None)
        if request.method == "POST":
            form = PublicProfileForm(request.POST)
            saved = _submit(form, people.public_profile_set, user=request.user, person=person)
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
                for field, column in people.PROFILE_MODEL_FIELDS.items()
            }
            form = PublicProfileForm(initial={**initial, "languages": profile.languages})
        else:
            form = PublicProfileForm()
        return self._page(
            request,
            "admin/accounts/person_profile.html",
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
                people.require_deactivatable(request.user, person)
            except services.EditorialPermissionDenied as exc:
                _report(request, exc)
                return HttpResponseRedirect(back)
            except services.EditorialError as exc:  # already done: nothing to confirm
                messages.info(request, str(exc))
                return HttpResponseRedirect(back)
            return self._page(
                request,
                "admin/accounts/person_deactivate.html",
                title=f"Deactivate {person.get_username()}?",
                person=person,
                role=self.roles(person),
                pending=people.invitation_pending(person),
                back=back,
            )
        _run_action(
            request,
            lambda: people.person_deactivate(user=request.user, person=person),
            f"Deactivated {person.get_username()}: they can no longer sign in, and any "
            "invitation link stops working. What they wrote and reviewed stays on record.",
        )
        return HttpResponseRedirect(reverse("admin:editorial_person_change", args=[pk]))
