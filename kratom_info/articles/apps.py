from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "kratom_info.articles"
    verbose_name = "Articles"
