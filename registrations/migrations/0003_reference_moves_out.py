"""The code lists moved to docregsys.reference; the foreign keys follow (state only, tables unchanged)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reference', '0001_initial'),
        ('registrations', '0002_doctor_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name='DeregistrationReason',
                ),
                migrations.DeleteModel(
                    name='FilingReason',
                ),
                migrations.DeleteModel(
                    name='PracticeScope',
                ),
                migrations.DeleteModel(
                    name='Title',
                ),
                migrations.AlterField(
                    model_name='historicalpracticerecord',
                    name='authority',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.authority', verbose_name='审批机关'),
                ),
                migrations.AlterField(
                    model_name='historicalpracticerecord',
                    name='location',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.region', verbose_name='执业地点'),
                ),
                migrations.AlterField(
                    model_name='practicerecord',
                    name='authority',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.authority', verbose_name='审批机关'),
                ),
                migrations.AlterField(
                    model_name='practicerecord',
                    name='location',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.region', verbose_name='执业地点'),
                ),
                migrations.AlterField(
                    model_name='practicerecord',
                    name='scopes',
                    field=models.ManyToManyField(blank=True, to='reference.practicescope', verbose_name='执业范围'),
                ),
            ],
        ),
    ]
