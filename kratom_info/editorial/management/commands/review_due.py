"""Print what needs editorial attention; exit with status 1 when a review is overdue (cron)."""

from django.core.management.base import BaseCommand, CommandError

from kratom_info.editorial.selectors import DUE_SOON_DAYS, review_due_report


class Command(BaseCommand):
    help = (
        "List articles overdue for review, due within 30 days, revisions awaiting review or "
        "publication and revisions sent back. Exits non-zero when anything is overdue."
    )

    def handle(self, *args, **options):
        report = review_due_report()
        out = self.stdout.write

        def section(title, items, line):
            out(f"{title} ({len(items)})")
            for item in items:
                out(f"  - {line(item)}")
            if not items:
                out("  none")

        section(
            "Overdue for review",
            report.overdue,
            lambda s: f"{s.article.slug}: review was due {s.next_review_due:%Y-%m-%d}",
        )
        section(
            f"Due within {DUE_SOON_DAYS} days",
            report.due_soon,
            lambda s: f"{s.article.slug}: due {s.next_review_due:%Y-%m-%d}",
        )
        section(
            "Awaiting review",
            report.awaiting_review,
            lambda r: f"{r} by {r.author or 'import'}, submitted {r.submitted_at:%Y-%m-%d}",
        )
        section(
            "Approved, waiting to be published",
            report.awaiting_publication,
            lambda r: f"{r}, approved by {r.review_decision.reviewer}",
        )
        if report.outdated:
            section(
                "Outdated (a newer version went live first; the author can withdraw it)",
                report.outdated,
                lambda r: f"{r} by {r.author or 'import'}",
            )
        section(
            "Sent back for changes",
            report.sent_back,
            lambda r: f"{r} by {r.author}: {r.review_decision.comment}",
        )
        if report.never_reviewed:
            section(
                "Live but never reviewed through the workflow",
                report.never_reviewed,
                lambda a: (
                    f"{a.slug}{'' if a.is_original else f' ({a.language})'} "
                    f"(v{a.live_revision.number}, imported)"
                ),
            )
        if report.has_overdue:
            raise CommandError(
                f"{len(report.overdue)} article(s) overdue for review.", returncode=1
            )
