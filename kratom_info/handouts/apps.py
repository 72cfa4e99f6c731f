from django.apps import AppConfig


class HandoutsConfig(AppConfig):
    name = "kratom_info.handouts"
    verbose_name = "Clinic handouts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kratom_info.articles.signals import live_revision_changed
        from kratom_info.handouts import checks  # noqa: F401 (registers the system checks)
        from kratom_info.handouts.services import short_code_for_live_article

        # Short codes are given on publish by handouts itself: articles (below) never calls up.
        live_revision_changed.connect(
            short_code_for_live_article, dispatch_uid="handouts.short_code_on_publish"
        )
