from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "kratom_info.editorial"
    verbose_name = "Editorial workflow"
    default_auto_field = "django.db.models.BigAutoField"
