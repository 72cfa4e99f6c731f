"""The Markdown editor's endpoints, protected: only active staff who may edit articles get a
preview; image upload is turned off for everyone (articles show no images). And the page where
an invited person chooses their password."""

from __future__ import annotations

from functools import wraps

from django.contrib import admin, messages
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from kratom_info.accounts import signin
from kratom_info.articles.rendering import markdownify_preview
from kratom_info.editorial import accounts
from kratom_info.editorial.accounts import invitation_tokens
from kratom_info.editorial.services import PERM_CREATE, EditorialError


def editor_required(view):
    """403 unless the user is active staff with permission to edit articles and has passed the
    same second sign-in step the admin asks for (no redirect: these are called by the editor's
    script, never navigated to)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            raise PermissionDenied("Editor login required.")
        if not user.has_perm(PERM_CREATE):
            raise PermissionDenied("You do not have permission to edit articles.")
        if signin.pending_step(user):
            raise PermissionDenied("Sign in with your second factor first.")
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped


@require_POST
@editor_required
def markdownify(request):
    """The live preview: the same renderer as the public site, references included; text it
    refuses (over the size cap, nested too deeply) shows why, as the edit screen would."""
    content = request.POST.get("content", "")
    return HttpResponse(markdownify_preview(content))


@require_POST
@editor_required
def upload(request):
    """Image upload is off: the renderer's sanitizer allows no images in articles."""
    return JsonResponse(
        {"image": ["Image upload is turned off: articles do not show images."]}, status=403
    )


class InvitationAcceptView(PasswordResetConfirmView):
    """The invited person chooses their password (Django's set-password page and validators).

    The link's token moves into the session and the page redirects to an address without it,
    as Django's password reset does, so the token never leaks through a Referer header. A link
    that does not work gets a 410 page (accounts.invitation_problem says what it may tell).
    Never cached.
    """

    template_name = "editorial/invitation_accept.html"
    token_generator = invitation_tokens
    title = "Choose your password"

    def get_success_url(self) -> str:
        return f"{reverse('admin:login')}?next={reverse('admin:index')}"

    def _token(self) -> str | None:
        token = self.kwargs.get("token")
        if token == self.reset_url_token:
            return self.request.session.get(INTERNAL_RESET_SESSION_TOKEN)
        return token

    def get_context_data(self, **kwargs):
        context = {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}
        context["person"] = self.user
        context["is_nav_sidebar_enabled"] = False
        if not self.validlink:
            context["title"] = "This invitation link does not work"
            context["problem"] = accounts.invitation_problem(self.user, self._token())
        return context

    def render_to_response(self, context, **kwargs):
        if not self.validlink:
            kwargs["status"] = 410  # gone for good: used, expired, replaced or deactivated
        return super().render_to_response(context, **kwargs)

    def form_valid(self, form):
        try:
            person = accounts.invitation_accept(
                person=self.user,
                token=self._token() or "",
                password=form.cleaned_data["new_password1"],
            )
        except EditorialError as exc:  # the same link, used a moment ago in another tab
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(
            self.request,
            f"Your password is set. Sign in as {person.get_username()} with it.",
        )
        return HttpResponseRedirect(self.get_success_url())
