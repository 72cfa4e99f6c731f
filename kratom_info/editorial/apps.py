from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "kratom_info.editorial"
    verbose_name = "Editorial workflow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kratom_info.articles.models import Revision
        from kratom_info.articles.signals import revision_imported
        from kratom_info.editorial.imports import record_revision_import

        # Imports from content/ are the operator's path around the admin; audit them too
        # (sources: kratom_info.source_review.apps).
        revision_imported.connect(
            record_revision_import, sender=Revision, dispatch_uid="editorial_revision_imported"
        )
