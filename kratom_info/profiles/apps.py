from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    """How editors are named to readers, and the languages they review in."""

    name = "kratom_info.profiles"
    verbose_name = "Reviewer profiles"
    default_auto_field = "django.db.models.BigAutoField"
