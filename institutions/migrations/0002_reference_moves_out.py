"""Treatment subjects moved to docregsys.reference; the foreign keys follow (state only, tables unchanged)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('institutions', '0001_initial'),
        ('reference', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalinstitution_subjects',
                    name='treatmentsubject',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.treatmentsubject'),
                ),
                migrations.AlterField(
                    model_name='historicalinstitution',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.region', verbose_name='所在区划'),
                ),
                migrations.AlterField(
                    model_name='historicalinstitutionauthority',
                    name='authority',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.authority', verbose_name='审批机关'),
                ),
                migrations.AlterField(
                    model_name='institution',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='institutions', to='reference.region', verbose_name='所在区划'),
                ),
                migrations.AlterField(
                    model_name='institution',
                    name='subjects',
                    field=models.ManyToManyField(blank=True, to='reference.treatmentsubject', verbose_name='诊疗科目'),
                ),
                migrations.AlterField(
                    model_name='institutionauthority',
                    name='authority',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='reference.authority', verbose_name='审批机关'),
                ),
                migrations.DeleteModel(
                    name='TreatmentSubject',
                ),
            ],
        ),
    ]
