"""Regions, authorities and announcements moved to docregsys.reference: the tables stay (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_outbox_moves_to_messaging'),
        ('approvals', '0001_initial'),
        ('institutions', '0002_reference_moves_out'),
        ('registrations', '0003_reference_moves_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='authority',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='historicalannouncement',
                    name='authority',
                ),
                migrations.RemoveField(
                    model_name='historicalannouncement',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalannouncement',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='historicalauthority',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalauthority',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='region',
                    name='parent',
                ),
                migrations.DeleteModel(
                    name='Announcement',
                ),
                migrations.DeleteModel(
                    name='Authority',
                ),
                migrations.DeleteModel(
                    name='HistoricalAnnouncement',
                ),
                migrations.DeleteModel(
                    name='HistoricalAuthority',
                ),
                migrations.DeleteModel(
                    name='Region',
                ),
            ],
        ),
    ]
