"""The Person proxy the people screens manage (:mod:`kratom_info.accounts.admin.people`);
reviewer profiles are :mod:`kratom_info.profiles.models`."""

from __future__ import annotations

from django.contrib.auth.models import User


class Person(User):
    """An editor's account as Publishers manage it: invited with a role, deactivated when they
    leave. The rules (who may invite whom) are in :mod:`kratom_info.accounts.people`."""

    class Meta:
        proxy = True
        verbose_name = "person"
        verbose_name_plural = "people"
        ordering = ["username"]
        default_permissions = ()
        permissions = [
            (
                "invite_people",
                "Can invite Authors and Reviewers, send new invitation links and deactivate them",
            )
        ]
