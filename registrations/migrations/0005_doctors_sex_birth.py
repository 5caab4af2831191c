"""性别 and 出生日期 on practice records (INS-5): read off the ID number once, not decrypted per list row."""

from django.db import migrations, models


def fill(apps, schema_editor):
    """Existing records: decrypt each ID number once and store sex and birth date."""
    from docregsys.identity.crypto import decrypt_id_number
    from registrations.models import resident_sex_birth

    PracticeRecord = apps.get_model("registrations", "PracticeRecord")
    todo = PracticeRecord.objects.exclude(id_number_cipher="").filter(birth_date__isnull=True, sex="")
    batch = []
    for record in todo.only("pk", "id_type", "id_number_cipher").iterator(chunk_size=2000):
        record.sex, record.birth_date = resident_sex_birth(
            record.id_type, decrypt_id_number(record.id_number_cipher)
        )
        if record.birth_date is not None:
            batch.append(record)
        if len(batch) >= 2000:
            PracticeRecord.objects.bulk_update(batch, ["sex", "birth_date"])
            batch = []
    PracticeRecord.objects.bulk_update(batch, ["sex", "birth_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0004_console_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpracticerecord",
            name="birth_date",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="出生日期"),
        ),
        migrations.AddField(
            model_name="historicalpracticerecord",
            name="sex",
            field=models.CharField(
                blank=True,
                choices=[("M", "男"), ("F", "女")],
                editable=False,
                max_length=1,
                verbose_name="性别",
            ),
        ),
        migrations.AddField(
            model_name="practicerecord",
            name="birth_date",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="出生日期"),
        ),
        migrations.AddField(
            model_name="practicerecord",
            name="sex",
            field=models.CharField(
                blank=True,
                choices=[("M", "男"), ("F", "女")],
                editable=False,
                max_length=1,
                verbose_name="性别",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
