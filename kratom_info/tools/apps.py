from pathlib import Path

from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Reader tools: the weekly tracking sheet and the private warning-signs check.

    Sits above articles, citations and handouts and uses them; nothing below imports it.
    """

    name = "kratom_info.tools"
    verbose_name = "Reader tools"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kratom_info.tools import checks  # noqa: F401 (registers the system checks)

    def check_content_files(self, root: Path, known_keys: set[str]) -> list:
        """Called by ``manage.py check_content`` (kratom_info.articles.content_checks) for the
        files under content/tools/ and content/es/tools/, so that articles never imports this
        app."""
        from kratom_info.tools.content_checks import check_tools_content

        return check_tools_content(root, known_keys)
