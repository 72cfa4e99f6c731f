"""Demo editor logins for a local install: author, reviewer and publisher.

Each account is created only if missing, with a random password printed once. Nothing here
ever sets a fixed password.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kratom_info.editorial.roles import AUTHOR, PUBLISHER, REVIEWER, sync_role_groups
from kratom_info.profiles.models import ReviewerProfile
from kratom_info.shell import manage_py

ACCOUNTS = [
    ("author", AUTHOR, None),
    # Reads English and Spanish, so the demo can review Spanish translations too.
    ("reviewer", REVIEWER, ("Demo Reviewer", "Demo account, not a real reviewer", ["en", "es"])),
    ("publisher", PUBLISHER, None),
]


class Command(BaseCommand):
    help = "Create the demo editor accounts author, reviewer and publisher if they are missing."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            # Its reviewer is made up, and its name would appear on every page it reviewed.
            raise CommandError(
                "create_editor_accounts makes demo logins, including a made-up reviewer whose "
                "name would appear on published pages, so it runs only in development "
                "(DJANGO_DEBUG=1). In production create each real editor instead, e.g.: "
                + manage_py("create_editor", "alice", "--role", "publisher")
            )
        sync_role_groups()
        user_model = get_user_model()
        created, existing = [], []
        for username, role, profile in ACCOUNTS:
            if user_model.objects.filter(username=username).exists():
                existing.append(username)
                continue
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(
                username=username, password=password, is_staff=True
            )
            user.groups.add(Group.objects.get(name=role))
            if profile:
                ReviewerProfile.objects.create(
                    user=user, display_name=profile[0], role=profile[1], languages=profile[2]
                )
            created.append((username, role, password))
        if created:
            self.stdout.write(f"Editor accounts for {settings.SITE_URL}/admin/ (shown only once):")
            for username, role, password in created:
                self.stdout.write(f"  {username:<10} ({role:<9})  password: {password}")
        if existing:
            self.stdout.write(
                f"Editor accounts already exist: {', '.join(existing)}. "
                f"To set a new password: {manage_py('changepassword', 'NAME')}"
            )
