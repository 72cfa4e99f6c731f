from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "kratom_info.citations"
    verbose_name = "Citations and sources"
