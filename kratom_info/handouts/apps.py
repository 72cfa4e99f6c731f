from django.apps import AppConfig


class HandoutsConfig(AppConfig):
    name = "kratom_info.handouts"
    verbose_name = "Clinic handouts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kratom_info.handouts import checks  # noqa: F401 (registers the system checks)
