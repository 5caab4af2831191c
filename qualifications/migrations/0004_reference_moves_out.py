"""Exam categories moved to docregsys.reference; the foreign keys follow (state only, tables unchanged)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('qualifications', '0003_import_upload_path'),
        ('reference', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalexamresult',
                    name='exam_category',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.examcategory', verbose_name='报考类别'),
                ),
                migrations.AlterField(
                    model_name='examresult',
                    name='exam_category',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='reference.examcategory', verbose_name='报考类别'),
                ),
                migrations.DeleteModel(
                    name='ExamCategory',
                ),
            ],
        ),
    ]
