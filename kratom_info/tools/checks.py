"""System check: the tools' content files load, so a broken file stops a deploy, not a reader."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from kratom_info.citations.importing import ContentError
from kratom_info.tools.content import site_check, site_sheet


@register()
def check_tools_content(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for loader in (site_check, site_sheet):
        for language, _name in settings.LANGUAGES:
            try:
                loader(language)
            except (ContentError, OSError) as exc:
                errors.append(
                    Error(
                        f"Reader tools content ({language}): {exc}",
                        hint="Fix the file and run `manage.py check_content`.",
                        id="tools.E001",
                    )
                )
    return errors
