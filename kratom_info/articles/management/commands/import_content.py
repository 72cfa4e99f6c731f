import getpass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kratom_info.articles.importing import import_content
from kratom_info.citations.importing import ContentError
from kratom_info.shell import manage_py


def _os_user() -> str:
    """Who ran the command, for the audit trail: the operating-system user (in a container,
    the user the command runs as)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. a container without passwd)
        return ""


class Command(BaseCommand):
    help = (
        "Import the bibliography and articles from content/ in one transaction. Unchanged files "
        "create nothing; a changed file creates a new revision."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "content"), help="content folder"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish imported revisions for local use (DJANGO_DEBUG=1 only). They are shown "
            "as NOT reviewed.",
        )
        parser.add_argument(
            "--publish-unreviewed-i-understand",
            action="store_true",
            dest="publish_unreviewed",
            help="Publish imported revisions WITHOUT review, also in production. Every such page "
            "says it has not been reviewed. Prefer importing drafts and reviewing them.",
        )

    def handle(self, *args, path, publish, publish_unreviewed, **options):
        if publish and not settings.DEBUG:
            raise CommandError(
                "--publish puts imported articles live without review; it is for local "
                "development (DJANGO_DEBUG=1). In production import them as drafts "
                f"({manage_py('import_content')}) and publish each one through review: an Author "
                "submits it, a Reviewer checks every claim and approves it, a Publisher publishes "
                "it (README, 'Production'). To publish unreviewed pages anyway, each labelled as "
                "not reviewed: " + manage_py("import_content", "--publish-unreviewed-i-understand")
            )
        publish = publish or publish_unreviewed
        try:
            report = import_content(Path(path), publish=publish, run_by=_os_user())
        except ContentError as exc:
            raise CommandError(f"Import stopped, nothing was changed.\n{exc}") from exc
        if options["verbosity"] == 0:
            return
        sources = report.sources
        self.stdout.write(
            f"Sources: {len(sources.created)} created, {len(sources.updated)} updated, "
            f"{len(sources.unchanged)} unchanged."
        )
        for name in report.created:
            self.stdout.write(f"  new revision {name}")
        self.stdout.write(
            f"Articles: {len(report.created)} new revision(s), {len(report.unchanged)} unchanged."
        )
        for name in report.held:
            self.stdout.write(
                self.style.WARNING(
                    f"  {name} left as a draft: the live version was published through review. "
                    "Submit it for review in the admin."
                )
            )
        if report.published:
            self.stdout.write(
                self.style.WARNING(
                    f"Published {len(report.published)} revision(s) WITHOUT review; "
                    "their pages say so."
                )
            )
        elif report.created and not publish:
            self.stdout.write(
                f"The new revision(s) are drafts. Publish each through review in the admin "
                f"({settings.SITE_URL}/admin/): an Author submits it, a Reviewer approves it, "
                "a Publisher publishes it."
            )
