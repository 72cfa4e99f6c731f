"""Tests that take the database back to an older migration, fill it as it was then, and
migrate forward to check what a migration did."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase


class MigrationTestCase(TransactionTestCase):
    """``self.migrate(targets)`` moves the database to ``targets`` (a list of (app, migration)
    pairs; ``(app, None)`` unapplies an app's every migration) and returns the app registry as
    it was there, for historical models. Every test ends with the database migrated to the
    latest state again."""

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        applied = [(app, name) for app, name in targets if name is not None]
        return executor.loader.project_state(applied).apps

    def tearDown(self):
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        super().tearDown()
