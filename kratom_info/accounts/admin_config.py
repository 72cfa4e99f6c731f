"""Django's admin app with our site as ``admin.site`` (in its own module: apps.py may hold only
the accounts app's own config)."""

from django.contrib.admin.apps import AdminConfig


class EditorialAdminConfig(AdminConfig):
    """Every ``@admin.register`` lands on :class:`~kratom_info.accounts.sites.EditorialAdminSite`,
    the site that asks for the second factor."""

    default_site = "kratom_info.accounts.sites.EditorialAdminSite"
