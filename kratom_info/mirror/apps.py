from django.apps import AppConfig


class MirrorConfig(AppConfig):
    """The static mirror: ``manage.py export_site DIR`` writes the public site as files."""

    name = "kratom_info.mirror"
    verbose_name = "Static mirror"
