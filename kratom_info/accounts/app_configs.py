"""App configs for the libraries sign-in is built on, named for editors in the admin, and
Django's admin with our site as ``admin.site``. (In their own module: apps.py may hold only
the accounts app's own config.)"""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class EditorialAdminConfig(AdminConfig):
    """Every ``@admin.register`` lands on :class:`~kratom_info.accounts.sites.EditorialAdminSite`,
    the site that asks for the second factor."""

    default_site = "kratom_info.accounts.sites.EditorialAdminSite"


class SignInAttemptsConfig(AxesAppConfig):
    verbose_name = "Sign-in attempts and lockouts"


class AuthenticatorAppsConfig(TOTPConfig):
    verbose_name = "Second factor: authenticator apps"


class RecoveryCodesConfig(StaticConfig):
    verbose_name = "Second factor: recovery codes"
