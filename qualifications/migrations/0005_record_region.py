"""APP-5: exam-centre records get the region a reviewer's scope is decided by, filled for existing rows."""

from django.db import migrations, models

from docregsys.identity.crypto import decrypt_id_number
from qualifications.regions import ExamRegionResolver, resident_region


def _clear(cipher):
    # A row that cannot be decrypted keeps an empty region (seen only nationally) rather than stop the upgrade.
    try:
        return decrypt_id_number(cipher)
    except Exception:  # noqa: BLE001 - cryptography's InvalidTag, a truncated token …
        return ""


def fill_region_codes(apps, schema_editor):
    """APP-5: exam results get the region of their exam, certificates and assessments the holder's."""
    Region = apps.get_model("reference", "Region")
    resolve = ExamRegionResolver(
        Region.objects.filter(is_grouping=False).values_list("code", "name", "full_name", "level")
    )
    ExamResult = apps.get_model("qualifications", "ExamResult")
    pairs = list(ExamResult.objects.values_list("exam_area", "exam_site").distinct())
    for area, site in pairs:
        code = resolve(area, site)
        if code:
            ExamResult.objects.filter(exam_area=area, exam_site=site).update(region_code=code)
    for name in ("QualificationCertificate", "AssessmentResult"):
        model = apps.get_model("qualifications", name)
        rows = model.objects.filter(id_type="resident").exclude(id_number_cipher="").order_by("pk")
        last = 0
        while chunk := list(rows.filter(pk__gt=last).values_list("pk", "id_number_cipher")[:5000]):
            last = chunk[-1][0]
            changed = [
                model(pk=pk, region_code=code)
                for pk, cipher in chunk
                if (code := resident_region("resident", _clear(cipher)))
            ]
            model.objects.bulk_update(changed, ["region_code"])


class Migration(migrations.Migration):

    dependencies = [
        ('qualifications', '0004_reference_moves_out'),
        ('reference', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessmentresult',
            name='region_code',
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name='所属地区代码'),
        ),
        migrations.AddField(
            model_name='examresult',
            name='region_code',
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name='所属地区代码'),
        ),
        migrations.AddField(
            model_name='historicalassessmentresult',
            name='region_code',
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name='所属地区代码'),
        ),
        migrations.AddField(
            model_name='historicalexamresult',
            name='region_code',
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name='所属地区代码'),
        ),
        migrations.AddField(
            model_name='historicalqualificationcertificate',
            name='region_code',
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name='所属地区代码'),
        ),
        migrations.AddField(
            model_name='qualificationcertificate',
            name='region_code',
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name='所属地区代码'),
        ),
        migrations.RunPython(fill_region_codes, migrations.RunPython.noop),
    ]
