"""Reference data, moved here from approvals, institutions, qualifications and registrations: the models take over the existing tables (state only), their content types follow."""

import functools
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _content_types_follow(apps, schema_editor, *, old_label, new_label, models):
    """Admin log entries and permissions point at content types: rename them, do not create new ones."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if not ContentType.objects.filter(app_label=new_label, model=model).exists():
            ContentType.objects.filter(app_label=old_label, model=model).update(app_label=new_label)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('approvals', '0001_initial'),
        ('institutions', '0001_initial'),
        ('qualifications', '0003_import_upload_path'),
        ('registrations', '0002_doctor_accounts'),
        ('accounts', '0004_verified_contact_unique'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Authority',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('kind', models.CharField(choices=[('health', '卫生健康委'), ('tcm', '中医药管理局')], default='health', max_length=10, verbose_name='类型')),
                        ('level', models.CharField(choices=[('national', '国家级'), ('province', '省级'), ('city', '地市级'), ('county', '县级')], db_index=True, max_length=10, verbose_name='级别')),
                        ('statutory_days', models.PositiveSmallIntegerField(default=20, help_text='承诺时限可短于法定的20个工作日。', verbose_name='法定办理时限（工作日）')),
                        ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                    ],
                    options={
                        'verbose_name': '审批机关',
                        'verbose_name_plural': '审批机关',
                        'db_table': 'approvals_authority',
                        'ordering': ['region_id', 'kind'],
                    },
                ),
                migrations.CreateModel(
                    name='DeregistrationReason',
                    fields=[
                        ('code', models.CharField(max_length=10, primary_key=True, serialize=False, verbose_name='代码')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='顺序')),
                    ],
                    options={
                        'verbose_name': '注销情形',
                        'verbose_name_plural': '注销情形',
                        'db_table': 'registrations_deregistrationreason',
                        'ordering': ['order', 'code'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ExamCategory',
                    fields=[
                        ('code', models.CharField(max_length=3, primary_key=True, serialize=False, verbose_name='类别代码')),
                        ('name', models.CharField(max_length=30, verbose_name='名称')),
                        ('level', models.CharField(choices=[('physician', '执业医师'), ('assistant', '执业助理医师')], max_length=10, verbose_name='医师级别')),
                        ('category', models.CharField(choices=[('clinical', '临床'), ('dental', '口腔'), ('public_health', '公共卫生'), ('tcm', '中医')], max_length=20, verbose_name='医师类别')),
                    ],
                    options={
                        'verbose_name': '报考类别',
                        'verbose_name_plural': '报考类别',
                        'db_table': 'qualifications_examcategory',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='FilingReason',
                    fields=[
                        ('code', models.CharField(max_length=10, primary_key=True, serialize=False, verbose_name='代码')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='顺序')),
                    ],
                    options={
                        'verbose_name': '注册备案情形',
                        'verbose_name_plural': '注册备案情形',
                        'db_table': 'registrations_filingreason',
                        'ordering': ['order', 'code'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='PracticeScope',
                    fields=[
                        ('code', models.CharField(max_length=10, primary_key=True, serialize=False, verbose_name='代码')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='顺序')),
                        ('category', models.CharField(choices=[('clinical', '临床'), ('dental', '口腔'), ('public_health', '公共卫生'), ('tcm', '中医')], db_index=True, max_length=20, verbose_name='医师类别')),
                    ],
                    options={
                        'verbose_name': '执业范围',
                        'verbose_name_plural': '执业范围',
                        'db_table': 'registrations_practicescope',
                        'ordering': ['order', 'code'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Title',
                    fields=[
                        ('code', models.CharField(max_length=10, primary_key=True, serialize=False, verbose_name='代码')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='顺序')),
                    ],
                    options={
                        'verbose_name': '任职资格',
                        'verbose_name_plural': '任职资格',
                        'db_table': 'registrations_title',
                        'ordering': ['order', 'code'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Region',
                    fields=[
                        ('code', models.CharField(max_length=6, primary_key=True, serialize=False, verbose_name='区划代码')),
                        ('name', models.CharField(max_length=50, verbose_name='名称')),
                        ('full_name', models.CharField(max_length=120, verbose_name='全称')),
                        ('level', models.CharField(choices=[('province', '省级'), ('city', '地市级'), ('county', '县级')], db_index=True, max_length=10, verbose_name='级别')),
                        ('is_grouping', models.BooleanField(default=False, verbose_name='仅为分组')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='reference.region', verbose_name='上级区划')),
                    ],
                    options={
                        'verbose_name': '行政区划',
                        'verbose_name_plural': '行政区划',
                        'db_table': 'approvals_region',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAuthority',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('kind', models.CharField(choices=[('health', '卫生健康委'), ('tcm', '中医药管理局')], default='health', max_length=10, verbose_name='类型')),
                        ('level', models.CharField(choices=[('national', '国家级'), ('province', '省级'), ('city', '地市级'), ('county', '县级')], db_index=True, max_length=10, verbose_name='级别')),
                        ('statutory_days', models.PositiveSmallIntegerField(default=20, help_text='承诺时限可短于法定的20个工作日。', verbose_name='法定办理时限（工作日）')),
                        ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.region', verbose_name='所辖区划')),
                    ],
                    options={
                        'verbose_name': 'historical 审批机关',
                        'verbose_name_plural': 'historical 审批机关',
                        'db_table': 'approvals_historicalauthority',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAnnouncement',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=100, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='内容')),
                        ('is_active', models.BooleanField(default=True, verbose_name='发布')),
                        ('publish_from', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发布时间')),
                        ('publish_until', models.DateTimeField(blank=True, null=True, verbose_name='截止时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('authority', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.authority', verbose_name='发布机关')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, help_text='留空表示全国。', limit_choices_to={'level': 'province'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.region', verbose_name='省份')),
                    ],
                    options={
                        'verbose_name': 'historical 通告',
                        'verbose_name_plural': 'historical 通告',
                        'db_table': 'approvals_historicalannouncement',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddField(
                    model_name='authority',
                    name='region',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='authorities', to='reference.region', verbose_name='所辖区划'),
                ),
                migrations.CreateModel(
                    name='Announcement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=100, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='内容')),
                        ('is_active', models.BooleanField(default=True, verbose_name='发布')),
                        ('publish_from', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发布时间')),
                        ('publish_until', models.DateTimeField(blank=True, null=True, verbose_name='截止时间')),
                        ('authority', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='reference.authority', verbose_name='发布机关')),
                        ('region', models.ForeignKey(blank=True, help_text='留空表示全国。', limit_choices_to={'level': 'province'}, null=True, on_delete=django.db.models.deletion.PROTECT, to='reference.region', verbose_name='省份')),
                    ],
                    options={
                        'verbose_name': '通告',
                        'verbose_name_plural': '通告',
                        'db_table': 'approvals_announcement',
                        'ordering': ['-publish_from'],
                    },
                ),
                migrations.CreateModel(
                    name='TreatmentSubject',
                    fields=[
                        ('code', models.CharField(max_length=10, primary_key=True, serialize=False, verbose_name='代码')),
                        ('name', models.CharField(max_length=60, verbose_name='名称')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='reference.treatmentsubject', verbose_name='上级科目')),
                    ],
                    options={
                        'verbose_name': '诊疗科目',
                        'verbose_name_plural': '诊疗科目',
                        'db_table': 'institutions_treatmentsubject',
                        'ordering': ['code'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='authority',
                    constraint=models.UniqueConstraint(fields=('kind', 'region'), name='authority_one_per_kind_and_region'),
                ),
                migrations.AddConstraint(
                    model_name='authority',
                    constraint=models.CheckConstraint(condition=models.Q(('level', 'national'), ('region__isnull', False), _connector='OR'), name='authority_region_unless_national', violation_error_message='除国家级外，审批机关必须对应一个行政区划。'),
                ),
            ],
        ),
        migrations.RunPython(
            functools.partial(_content_types_follow, old_label='approvals', new_label='reference', models=['region', 'authority', 'announcement', 'historicalauthority', 'historicalannouncement']),
            functools.partial(_content_types_follow, old_label='reference', new_label='approvals', models=['region', 'authority', 'announcement', 'historicalauthority', 'historicalannouncement']),
        ),
        migrations.RunPython(
            functools.partial(_content_types_follow, old_label='institutions', new_label='reference', models=['treatmentsubject']),
            functools.partial(_content_types_follow, old_label='reference', new_label='institutions', models=['treatmentsubject']),
        ),
        migrations.RunPython(
            functools.partial(_content_types_follow, old_label='qualifications', new_label='reference', models=['examcategory']),
            functools.partial(_content_types_follow, old_label='reference', new_label='qualifications', models=['examcategory']),
        ),
        migrations.RunPython(
            functools.partial(_content_types_follow, old_label='registrations', new_label='reference', models=['practicescope', 'title', 'deregistrationreason', 'filingreason']),
            functools.partial(_content_types_follow, old_label='reference', new_label='registrations', models=['practicescope', 'title', 'deregistrationreason', 'filingreason']),
        ),
    ]
