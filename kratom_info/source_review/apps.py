from django.apps import AppConfig


class SourceReviewConfig(AppConfig):
    """Changes to the bibliography, proposed by one editor and approved by another."""

    name = "kratom_info.source_review"
    verbose_name = "Source review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kratom_info.citations.models import Source
        from kratom_info.citations.signals import source_imported
        from kratom_info.source_review.services import record_source_import

        # Imports from content/ are the operator's path around the admin; audit them too.
        source_imported.connect(
            record_source_import, sender=Source, dispatch_uid="source_review_source_imported"
        )
