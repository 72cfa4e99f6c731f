"""Sign-in pages: the lockout page (django-axes), entering a second-factor code, enrolling an
authenticator app, and recovery codes; and the page where an invited person chooses their
password. The rules live in :mod:`.services`, :mod:`.people` and (who must use a second
factor) :mod:`kratom_info.editorial.second_factor`.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kratom_info.accounts import people, services
from kratom_info.accounts.forms import CodeForm, EnrolForm
from kratom_info.accounts.people import invitation_tokens
from kratom_info.editorial import second_factor as second_factor_rule
from kratom_info.editorial.services import EditorialError

log = logging.getLogger(__name__)


def lockout(request, original_response=None, credentials=None):
    """django-axes' response to a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): what happened
    and when to try again. Every failure during the lockout starts the wait again."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
        "retry_at": timezone.now() + cool_off,
    }
    return TemplateResponse(request, "accounts/lockout.html", context, status=429).render()


def _next_url(request) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def _page(request, template: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        template,
        {
            **admin.site.each_context(request),
            "is_nav_sidebar_enabled": False,
            "next": _next_url(request),
            "next_field": REDIRECT_FIELD_NAME,
            **context,
        },
    )


def second_factor_verify(request):
    """The sign-in's second step: a code from the authenticator app or a recovery code."""
    user = request.user
    if second_factor_rule.is_verified(user):
        return HttpResponseRedirect(_next_url(request))
    if second_factor_rule.pending_step(user) != second_factor_rule.VERIFY:
        return HttpResponseRedirect(reverse("admin:second_factor"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except services.InvalidCode as exc:
            log.warning("Wrong second-factor code for %s", user.get_username())
            form.add_error("code", str(exc))
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = services.recovery_codes_left(user)
                log.info("%s signed in with a recovery code; %d left", user, left)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. If your phone is lost, "
                    "set up the app again under “Two-factor sign-in”.",
                )
            return HttpResponseRedirect(_next_url(request))
    return _page(request, "accounts/second_factor_verify.html", title="Enter your code", form=form)


def _enrol_page(request, device: TOTPDevice, form: EnrolForm) -> TemplateResponse:
    secret = b32encode(device.bin_key).decode()
    return _page(
        request,
        "accounts/second_factor_enrol.html",
        title="Set up two-factor sign-in",
        form=form,
        # segno draws the SVG itself; the only text in it is the fixed title.
        qr_code=mark_safe(  # noqa: S308
            segno.make(device.config_url, error="m").svg_inline(
                scale=5, border=4, light="#fff", title="QR code for your authenticator app"
            )
        ),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        required=second_factor_rule.second_factor_required(request.user),
    )


def second_factor(request):
    """Enrol an authenticator app (QR code and secret, then a code to confirm), or, once
    enrolled, see the set-up and replace the app or the recovery codes."""
    user = request.user
    if second_factor_rule.pending_step(user) == second_factor_rule.VERIFY:
        query = urlencode({REDIRECT_FIELD_NAME: request.path})
        return HttpResponseRedirect(f"{reverse('admin:second_factor_verify')}?{query}")
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "confirm":
        form = EnrolForm(request.POST)
        if form.is_valid():
            try:
                device, codes = services.totp_device_confirm(
                    user=user, code=form.cleaned_data["code"]
                )
            except services.InvalidCode as exc:
                form.add_error("code", str(exc))
            else:
                request.session.cycle_key()
                django_otp.login(request, device)
                log.info("%s enrolled an authenticator app", user.get_username())
                return _page(
                    request,
                    "accounts/recovery_codes.html",
                    title="Your recovery codes",
                    codes=codes,
                    enrolled=True,
                )
        return _enrol_page(request, services.totp_device_start(user=user), form)
    if confirmed is None or action == "replace":
        return _enrol_page(request, services.totp_device_start(user=user), EnrolForm())
    return _page(
        request,
        "accounts/second_factor_status.html",
        title="Two-factor sign-in",
        device=confirmed,
        codes_left=services.recovery_codes_left(user),
        required=second_factor_rule.second_factor_required(user),
    )


@require_POST
def recovery_codes_renew(request):
    """New recovery codes, shown once; only after signing in with the second factor."""
    user = request.user
    if not second_factor_rule.is_verified(user):
        return HttpResponseRedirect(reverse("admin:second_factor"))
    codes = services.recovery_codes_replace(user=user)
    log.info("%s made new recovery codes", user.get_username())
    return _page(request, "accounts/recovery_codes.html", title="Your recovery codes", codes=codes)


class InvitationAcceptView(PasswordResetConfirmView):
    """The invited person chooses their password (Django's set-password page and validators).

    The link's token moves into the session and the page redirects to an address without it,
    as Django's password reset does, so the token never leaks through a Referer header. A link
    that does not work gets a 410 page (people.invitation_problem says what it may tell).
    Never cached.
    """

    template_name = "accounts/invitation_accept.html"
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
            context["problem"] = people.invitation_problem(self.user, self._token())
        return context

    def render_to_response(self, context, **kwargs):
        if not self.validlink:
            kwargs["status"] = 410  # gone for good: used, expired, replaced or deactivated
        return super().render_to_response(context, **kwargs)

    def form_valid(self, form):
        try:
            person = people.invitation_accept(
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
