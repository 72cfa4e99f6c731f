from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kratom_info.articles.content_checks import (
    MAX_READING_GRADE,
    MIN_SPANISH_READING_EASE,
    check_content,
)


class Command(BaseCommand):
    help = (
        "Check content/: citation keys, uncited numbers, source identifiers, values longer than "
        "their database fields, reading grade "
        f"(Flesch-Kincaid at most {MAX_READING_GRADE:g}; SMOG reported beside it), link domains, "
        "summaries and key points, people-first language, jargon, naloxone in emergency steps, "
        "the shared emergency-steps block (blocks/) in every emergency section, 988 beside any "
        "mention of self-harm, 911 and naloxone at once (never 'then call'), no advice that "
        "trusts a 7-OH label, an animal poison line where pets meet Poison Help, one position "
        "per article. "
        "Spanish translations in es/articles/ get the same checks with Spanish wording rules, "
        f"Fernández-Huerta reading ease at least {MIN_SPANISH_READING_EASE:g} (Szigriszt-Pazos "
        "beside it), and front matter naming the English article and version they translate."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.BASE_DIR / "content"))

    def handle(self, *args, path, **options):
        report = check_content(Path(path))
        header = (
            f"{'article':<32} {'words':>6} {'citations':>9} {'sources':>7} {'grade':>5} {'smog':>5}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in report.stats:
            self.stdout.write(
                f"{row.slug:<32} {row.words:>6} {row.citations:>9} "
                f"{row.distinct_sources:>7} {row.reading_grade:>5} {row.smog_grade:>5}"
            )
        if report.translations:
            header = (
                f"{'translation':<38} {'words':>6} {'citations':>9} {'sources':>7} "
                f"{'f-huerta':>8} {'szigriszt':>9}"
            )
            self.stdout.write("")
            self.stdout.write(header)
            self.stdout.write("-" * len(header))
            for row in report.translations:
                label = f"{row.language}/{row.slug} (v{row.translates or '?'})"
                self.stdout.write(
                    f"{label:<38} {row.words:>6} {row.citations:>9} "
                    f"{row.distinct_sources:>7} {row.reading_ease:>8} {row.szigriszt:>9}"
                )
        if not report.ok:
            raise CommandError(
                f"{len(report.problems)} problem(s):\n" + "\n".join(str(p) for p in report.problems)
            )
        self.stdout.write(self.style.SUCCESS("Content checks passed."))
