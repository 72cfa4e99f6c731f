from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kratom_info.mirror.export import ExportError, site_export
from kratom_info.mirror.files import UnmirrorablePage


class Command(BaseCommand):
    help = (
        "Write the whole public site (every page, version, short link and QR code, in every "
        "language) as files a static web server serves; see deploy/ for its configs. Run it "
        "again after a change: only the pages that may show what changed since the export "
        "already in DIR are rendered, and only changed files are written. Not export_content, "
        "which writes articles back to content/."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder to write the site into (created if missing)")
        parser.add_argument(
            "--full",
            action="store_true",
            help="render every page, not only those that may show what changed since the last "
            "export (a new release of the code does so by itself)",
        )

    def handle(self, *args, directory, full, **options):
        try:
            report = site_export(Path(directory), full=full)
        except (ExportError, UnmirrorablePage) as error:
            raise CommandError(str(error)) from error
        for page, target in report.broken_links:
            self.stderr.write(f"Broken link: {page} links to {target}, which answers 404.")
        if options["verbosity"] == 0:
            return
        if report.up_to_date:
            self.stdout.write(
                f"Up to date: nothing readers see has changed ({report.files} files)."
            )
            return
        if options["verbosity"] > 1:
            for path in report.rendered:
                self.stdout.write(f"  rendered {path}")
            for name in report.written:
                self.stdout.write(f"  wrote {name}")
            for name in report.removed:
                self.stdout.write(f"  removed {name}")
        self.stdout.write(
            f"Exported {report.pages} pages and {report.redirects} redirects to {directory} "
            f"({len(report.rendered)} addresses rendered, the others unchanged since the last "
            f"export): {len(report.written)} file(s) written, {len(report.removed)} removed, "
            f"{report.files} in all."
        )
