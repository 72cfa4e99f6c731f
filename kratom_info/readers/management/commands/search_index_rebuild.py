"""manage.py search_index_rebuild: index every published article afresh.

Publishing and withdrawing keep the index up to date on their own; this is for after restoring
a database from a copy made without it, or to repair it.
"""

from django.core.management.base import BaseCommand

from kratom_info.readers.search_index import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the live version of every published article."

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(f"Indexed {count} published article{'s' if count != 1 else ''}.")
