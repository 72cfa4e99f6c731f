"""People management: the Person proxy (with the invite permission, given to Publishers) and
audit events about a person (invited, new link, password set, deactivated)."""

import django.contrib.auth.models
import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from kratom_info.editorial.roles import sync_role_groups


def resync_role_groups(apps, schema_editor):
    """As in 0004: create the new permission now, then give it to the Publisher role."""
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    sync_role_groups(apps, missing_ok=True)



class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0004_article_language_and_translations'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('citations', '0003_source_approval'),
        ('editorial', '0008_declared_interests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Person',
            fields=[
            ],
            options={
                'verbose_name': 'person',
                'verbose_name_plural': 'people',
                'ordering': ['username'],
                'permissions': [('invite_people', 'Can invite Authors and Reviewers, send new invitation links and deactivate them')],
                'proxy': True,
                'default_permissions': (),
                'indexes': [],
                'constraints': [],
            },
            bases=('auth.user',),
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.RemoveConstraint(
            model_name='auditevent',
            name='auditevent_has_subject',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='person',
            field=models.ForeignKey(blank=True, help_text='The account an invitation or deactivation concerns.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_events_about', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('created', 'Created draft'), ('draft_updated', 'Updated own draft in place'), ('imported', 'Imported from content/ (import_content)'), ('published_unreviewed', 'Published without review (import_content)'), ('submitted', 'Submitted for review'), ('claim_checked', 'Recorded claim verdict'), ('claims_carried_over', 'Carried over claim verdicts'), ('approved', 'Approved'), ('changes_requested', 'Requested changes'), ('published', 'Published'), ('unpublished', 'Unpublished'), ('outdated', 'Marked outdated (a newer version went live)'), ('withdrawn', 'Withdrawn from review by its author'), ('review_date_changed', 'Changed next review date'), ('source_proposed', 'Proposed a source change'), ('source_approved', 'Approved a source change'), ('source_rejected', 'Rejected a source change'), ('source_imported', 'Imported a source from content/'), ('person_invited', 'Invited a person'), ('invitation_resent', 'Sent a new invitation link'), ('invitation_accepted', 'Set their password (invitation link)'), ('person_deactivated', 'Deactivated a person')], max_length=30),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.CheckConstraint(condition=models.Q(('article__isnull', False), ('source__isnull', False), ('person__isnull', False), _connector='OR'), name='auditevent_has_subject', violation_error_message='An audit event concerns an article, a source or a person.'),
        ),
        # Publishers invite people: give the role its new permission.
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
