"""Create a real editor account: the first Publisher in production, and every editor after.

    python manage.py create_editor alice --role publisher
    python manage.py create_editor sam --role reviewer --name "Sam Lee" --title "Pharmacist"
    python manage.py create_editor ana --role reviewer --name "Ana Ruiz" --title "Nurse" \
        --languages en,es

Asks for the password twice at a terminal; with --no-input (or no terminal) it sets a random
one and prints it once, to be changed after the first sign-in.
"""

import getpass
import secrets
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kratom_info.accounts.people import AccountError, editor_account_create
from kratom_info.editorial.roles import ROLE_PERMISSIONS
from kratom_info.shell import manage_py

ROLE_CHOICES = {role.lower(): role for role in ROLE_PERMISSIONS}


class Command(BaseCommand):
    help = (
        "Create a staff account in one or more editorial roles (author, reviewer, publisher). "
        "Works in production; the demo accounts are create_editor_accounts (development only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=sorted(ROLE_CHOICES),
            help="Editorial role; repeat for several.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="Reviewer's name shown to readers.")
        parser.add_argument(
            "--title", default="", help="Reviewer's role shown to readers, e.g. 'Pharmacist'."
        )
        parser.add_argument(
            "--languages",
            default="",
            help="Languages a reviewer reviews in, as codes separated by commas, e.g. 'en,es' "
            "(default: en). A translation's reviewer must read it and English.",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not prompt: set a random password and print it once.",
        )

    def handle(self, *args, username, role, email, name, title, languages, interactive, **options):
        prompt = interactive and sys.stdin.isatty()
        password = self.ask_password() if prompt else secrets.token_urlsafe(15)
        try:
            user = editor_account_create(
                username=username,
                roles=[ROLE_CHOICES[r] for r in role],
                password=password,
                email=email,
                reviewer_name=name,
                reviewer_role=title,
                reviewer_languages=[code.strip() for code in languages.split(",")]
                if languages.strip()
                else None,
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        roles = ", ".join(sorted(group.name for group in user.groups.all()))
        self.stdout.write(
            f"Created {user.username} ({roles}). Sign in at {settings.SITE_URL}/admin/"
        )
        if not prompt:
            self.stdout.write(
                f"  password: {password}\n"
                "  (shown only once; change it after signing in, or set one now with: "
                f"{manage_py('changepassword', user.username)})"
            )

    def ask_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        return password
