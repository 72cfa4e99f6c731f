"""The three editorial roles as Django groups, and the permissions each one holds.

The data migration creates the groups; ``create_editor_accounts`` and the test factories call
:func:`sync_role_groups` too, so the groups exist even on a database that was flushed. The
services check these permissions and, separately, the four-eyes rule, which binds superusers.
"""

from __future__ import annotations

AUTHOR, REVIEWER, PUBLISHER = "Author", "Reviewer", "Publisher"

_READ = [
    "articles.view_article",
    "articles.view_revision",
    "citations.view_source",
    "editorial.view_claim",
    "editorial.view_claimcheck",
    "editorial.view_reviewdecision",
    "editorial.view_publication",
    "editorial.view_reviewschedule",
    "editorial.view_auditevent",
    "source_review.view_sourcechange",
    "source_review.view_sourcechangedecision",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    AUTHOR: [
        *_READ,
        "articles.add_article",
        "articles.add_revision",
        "editorial.submit_revision",
        "source_review.propose_source_change",
    ],
    REVIEWER: [
        *_READ,
        "editorial.review_revision",
        "profiles.view_reviewerprofile",
        "profiles.change_reviewerprofile",
        "source_review.decide_source_change",
    ],
    PUBLISHER: [
        *_READ,
        "editorial.publish_revision",
        "editorial.change_reviewschedule",
        "source_review.decide_source_change",
        # Authors and Reviewers only: the Publisher role is granted by a superuser
        # (kratom_info.accounts.people).
        "editorial.invite_people",
    ],
}


def sync_role_groups(apps=None, *, missing_ok: bool = False) -> None:
    """Create the role groups if missing and give each exactly its permissions.

    ``apps`` is the migration state's registry inside a data migration, else the real one.
    Permissions must already exist (the migration creates them first); an early migration
    passes ``missing_ok`` for those of models a later migration adds (which syncs again).
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None and not missing_ok:
                raise permission_model.DoesNotExist(f"Permission {name} does not exist.")
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


def resync_after_move(app_label: str):
    """A RunPython function for a migration that moved a model (and its content type) to
    ``app_label``: its permissions exist (created now if they never were), and the roles hold
    them under their new names."""
    from kratom_info.moved_models import create_app_permissions

    def resync(apps, schema_editor):
        create_app_permissions(apps, app_label)
        sync_role_groups(apps, missing_ok=True)

    return resync
