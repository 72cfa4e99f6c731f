from django.apps import AppConfig


class MirrorConfig(AppConfig):
    """The static mirror: ``manage.py export_site DIR`` writes the public site as files, and
    ``settings.MIRROR_DIR`` keeps such a folder current after every public change."""

    name = "kratom_info.mirror"
    verbose_name = "Static mirror"

    def ready(self) -> None:
        from kratom_info.mirror.updates import public_content_committed
        from kratom_info.pagecache.generation import public_content_committed as committed

        committed.connect(public_content_committed, dispatch_uid="mirror_update_after_commit")
