from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "kratom_info.health"
    verbose_name = "Health checks"
