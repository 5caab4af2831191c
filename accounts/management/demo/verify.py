"""Demo data: 医师在外省注册情况 — the demo's path-a doctor also practises in 湖北省 (idempotent)."""

import datetime as dt

from docregsys.reference.models import Authority, Region
from institutions.models import Institution
from registrations.models import PracticeRecord

HOME_CERTIFICATE = "110430100012345"  # liujianguo at 长沙市第一医院 (load_demo's PRACTICE_RECORDS)
OUTSIDE = {"name": "武汉市中心医院", "registration_number": "42010078543010211A1003", "region": "420100"}


def load(command) -> None:
    home = PracticeRecord.objects.filter(certificate_number=HOME_CERTIFICATE).first()
    region = Region.objects.filter(code=OUTSIDE["region"]).first()
    authority = Authority.objects.filter(region_id=OUTSIDE["region"], kind=Authority.Kind.HEALTH).first()
    if home is None or region is None or authority is None or not home.id_number_digest:
        return
    if PracticeRecord.objects.filter(
        id_number_digest=home.id_number_digest, location__code__startswith=OUTSIDE["region"][:2]
    ).exists():
        return
    institution = Institution.objects.filter(registration_number=OUTSIDE["registration_number"]).first()
    if institution is None:
        institution = Institution.objects.create(
            name=OUTSIDE["name"], registration_number=OUTSIDE["registration_number"], region=region
        )
        command.created += 1
    record = PracticeRecord(
        real_name=home.real_name,
        certificate_number=home.certificate_number,  # one number for life (SPEC §6)
        qualification_number=home.qualification_number,
        level=home.level,
        category=home.category,
        location=region,
        main_institution=institution,
        authority=authority,
        approval_date=dt.date(2021, 5, 8),
        id_type=home.id_type,
        id_number_cipher=home.id_number_cipher,
        id_number_digest=home.id_number_digest,
        id_number_masked=home.id_number_masked,
    )
    record.save()
    record.scopes.set(home.scopes.all())
    command.created += 1
