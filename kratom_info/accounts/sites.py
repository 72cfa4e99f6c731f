"""The admin site: Django's, plus the second sign-in step.

After the password (checked, and throttled, by Django's login view and django-axes), a user
who has enrolled a second factor must enter a code, and a Reviewer or Publisher who has not
enrolled while ``EDITORIAL_REQUIRE_2FA`` is on must enrol, before any admin page opens. The
editorial services check the same thing again, so no other path gets around it.
"""

from __future__ import annotations

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from kratom_info.editorial import second_factor


class EditorialAdminSite(admin.AdminSite):
    # The site's own name in the header and the page titles, not "Django administration".
    @property
    def site_header(self) -> str:
        return f"{settings.SITE_NAME} · editorial"

    @property
    def site_title(self) -> str:
        return f"{settings.SITE_NAME} editorial"

    index_title = "Your work and the site's"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def gate(request, *args, **kwargs):
            step = second_factor.pending_step(request.user)
            logout = request.path == reverse("admin:logout", current_app=self.name)
            if step and not logout and super(EditorialAdminSite, self).has_permission(request):
                name = "second_factor_verify" if step == second_factor.VERIFY else "second_factor"
                return redirect_to_login(
                    request.get_full_path(), reverse(f"admin:{name}", current_app=self.name)
                )
            return inner(request, *args, **kwargs)

        return update_wrapper(gate, inner)

    def signed_in_view(self, view):
        """For the second-factor pages: the password step is enough to open them."""

        def inner(request, *args, **kwargs):
            if not super(EditorialAdminSite, self).has_permission(request):
                return redirect_to_login(
                    request.get_full_path(), reverse("admin:login", current_app=self.name)
                )
            return view(request, *args, **kwargs)

        return update_wrapper(csrf_protect(never_cache(inner)), view)

    def get_urls(self):
        from kratom_info.accounts import views

        return [
            path(
                "second-factor/",
                self.signed_in_view(views.second_factor),
                name="second_factor",
            ),
            path(
                "second-factor/verify/",
                self.signed_in_view(views.second_factor_verify),
                name="second_factor_verify",
            ),
            path(
                "second-factor/recovery-codes/",
                self.signed_in_view(views.recovery_codes_renew),
                name="second_factor_recovery_codes",
            ),
            *super().get_urls(),
        ]
