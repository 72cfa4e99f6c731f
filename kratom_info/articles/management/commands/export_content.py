from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from kratom_info.articles.exporting import export_content


class Command(BaseCommand):
    help = (
        "Write the live version of every article and the bibliography back to content/ in the "
        "files' format. Files whose text is unchanged are not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "content"), help="content folder"
        )

    def handle(self, *args, path, **options):
        report = export_content(Path(path))
        if options["verbosity"] == 0:
            return
        for name in report.written:
            self.stdout.write(f"  wrote {name}")
        self.stdout.write(
            f"Exported: {len(report.written)} file(s) written, {len(report.unchanged)} unchanged."
        )
