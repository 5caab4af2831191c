"""The outbox, moved here from accounts: the model takes over the existing table (state only), its content type follows."""

import functools

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
        ('accounts', '0004_verified_contact_unique'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='OutboundMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('sms', '短信'), ('email', '电子邮件')], max_length=5, verbose_name='渠道')),
                        ('destination', models.CharField(max_length=254, verbose_name='接收方')),
                        ('subject', models.CharField(blank=True, max_length=100, verbose_name='主题')),
                        ('body', models.TextField(verbose_name='内容')),
                        ('status', models.CharField(choices=[('pending', '待发送'), ('sent', '已发送'), ('failed', '发送失败')], default='pending', max_length=10, verbose_name='状态')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='发送次数')),
                        ('last_error', models.CharField(blank=True, max_length=200, verbose_name='最近错误')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('next_attempt_at', models.DateTimeField(auto_now_add=True, verbose_name='下次发送时间')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                    ],
                    options={
                        'verbose_name': '待发消息',
                        'verbose_name_plural': '待发消息',
                        'db_table': 'accounts_outboundmessage',
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='outbox_due')],
                    },
                ),
            ],
        ),
        migrations.RunPython(
            functools.partial(_content_types_follow, old_label='accounts', new_label='messaging', models=['outboundmessage']),
            functools.partial(_content_types_follow, old_label='messaging', new_label='accounts', models=['outboundmessage']),
        ),
    ]
