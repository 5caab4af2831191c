"""The outbox moved to docregsys.messaging: its table stays (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_verified_contact_unique'),
        ('reference', '0001_initial'),
        ('messaging', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name='OutboundMessage',
                ),
                migrations.AlterField(
                    model_name='historicaluser',
                    name='authority',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.authority', verbose_name='所属审批机关'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='authority',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviewers', to='reference.authority', verbose_name='所属审批机关'),
                ),
            ],
        ),
    ]
