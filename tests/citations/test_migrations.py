from importlib import import_module

from django.apps import apps
from django.test import TestCase

from kratom_info.citations.models import Source
from tests.factories import make_source

approval_migration = import_module("kratom_info.citations.migrations.0003_source_approval")


class SourceApprovalMigrationTests(TestCase):
    def test_sources_that_existed_before_review_stay_public(self):
        """Sources already shown to readers before the review step are marked approved."""
        source = make_source("old2019")
        Source.objects.filter(pk=source.pk).update(approved=False)
        approval_migration.approve_existing_sources(apps, None)
        self.assertTrue(Source.objects.get(pk=source.pk).approved)
