"""Demo data: applications (REG-2 … REG-7) in the states each side works on, filed through the services so
that every timeline is real: a new passer's 注册 waiting for 长沙市第一医院 (机构审核中), a 变更 of scope the
hospital agreed to, waiting for 芙蓉区 (卫健委审批中), and an approved 注册 with its certificate number."""

from __future__ import annotations

from django.utils import timezone
from stdnum.cn import ric

from accounts.models import ActivationPath, User
from approvals.services import application_approve
from docregsys.reference.models import Category, ExamCategory, Level, PracticeScope, Region
from qualifications.models import ExamResult, QualificationCertificate
from registrations.models import Application, Kind, PracticeRecord
from registrations.rules import Draft
from registrations.services.applications import application_agree, application_file

FIRST = "44500078543010211A1001"  # 长沙市第一医院 (芙蓉区)

# (username, name, region + birth + sequence, phone, exam year, state of the demo)
PEOPLE = [
    ("zhouxin01", "周欣", ("430102", "20000416", "025"), "13800000011", "submitted"),
    ("wujing01", "吴静", ("430103", "19870623", "046"), "13800000012", "agreed"),
    ("hetao01", "何涛", ("430102", "19990101", "017"), "13800000013", "approved"),
]
LOGINS = [username for username, *_rest in PEOPLE]


def _resident_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


# The two scopes the demo names, with load_reference's codes (fixtures/reference/practice_scopes.csv): created
# here when the reference lists were not loaded (the tests load regions only), found otherwise.
SCOPE_CODES = {"内科专业": "11", "外科专业": "12"}


def _scope(name: str) -> PracticeScope:
    found = PracticeScope.objects.filter(category=Category.CLINICAL, name=name).first()
    if found is None:
        found, _created = PracticeScope.objects.get_or_create(
            code=SCOPE_CODES[name], defaults={"name": name, "category": Category.CLINICAL}
        )
    return found


def _doctor(command, username, real_name, id_number, phone) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    from accounts.management.commands.load_demo import DEMO_PASSWORD

    now = timezone.now()
    user = User(
        username=username,
        real_name=real_name,
        role=User.Role.DOCTOR,
        phone=phone,
        phone_verified_at=now,
        checked_at=now,
        activated_at=now,
        activation_path=ActivationPath.ADMISSION_TICKET,
    )
    user.set_id_number(id_number)
    user.set_password(DEMO_PASSWORD)
    user.save()
    command.created += 1
    return user


def _qualification(command, real_name, id_number, year):
    category = ExamCategory.objects.filter(code="110").first()
    if (
        category is not None
        and not ExamResult.objects.filter(admission_ticket=f"{year}110{id_number[-8:]}").exists()
    ):
        result = ExamResult(
            real_name=real_name,
            year=year,
            exam_category=category,
            admission_ticket=f"{year}110{id_number[-8:]}",
            exam_area="湖南省",
            exam_site="长沙市",
            written_score=410,
            pass_line=360,
            passed=True,
        )
        result.set_id_number(id_number)
        result.save()
        command.created += 1
    number = f"{year}43110{id_number}"
    certificate = QualificationCertificate.objects.filter(number=number).first()
    if certificate is None:
        certificate = QualificationCertificate(
            real_name=real_name,
            number=number,
            level=Level.PHYSICIAN,
            category=Category.CLINICAL,
            year_obtained=year,
            school="中南大学",
            major="临床医学",
            issuing_authority="国家卫生健康委员会",
        )
        certificate.set_id_number(id_number)
        certificate.save()
        command.created += 1
    return certificate


def _registration(institution, certificate) -> Draft:
    province = Region.objects.get(code=institution.region_id[:2] + "0000")
    return Draft(
        kind=Kind.REGISTER,
        institution=institution,
        level=Level.PHYSICIAN,
        category=Category.CLINICAL,
        location=province,
        scopes=[_scope("内科专业")],
        qualification=certificate,
        statement="新考试通过人员首次注册",
    )


def load(command) -> None:
    institution = command.institutions[FIRST]
    officer = User.objects.filter(username="csyyadmin").first()
    reviewer = User.objects.filter(username="frreviewer").first()
    year = timezone.localdate().year
    for username, real_name, (region, birth, seq), phone, target in PEOPLE:
        id_number = _resident_id(region, birth, seq)
        doctor = _doctor(command, username, real_name, id_number, phone)
        if Application.objects.filter(doctor=doctor).exists():
            continue
        certificate = _qualification(command, real_name, id_number, year if target != "agreed" else 2012)
        if target == "agreed":
            # 吴静 practises at 长沙市第一医院 (内科) and asks to change her scope to 外科.
            record = PracticeRecord.objects.filter(id_number_digest=doctor.id_number_digest).first()
            if record is None:
                setting = institution.authority_settings.filter(category=Category.CLINICAL).first()
                record = PracticeRecord(
                    real_name=real_name,
                    certificate_number="110430100030001",
                    qualification_number=certificate.number,
                    level=Level.PHYSICIAN,
                    category=Category.CLINICAL,
                    location=Region.objects.get(code="430000"),
                    main_institution=institution,
                    authority=setting.authority,
                    approval_date=timezone.localdate().replace(year=2014),
                )
                record.set_id_number(id_number)
                record.save()
                record.scopes.set([_scope("内科专业")])
            draft = Draft(
                kind=Kind.CHANGE,
                institution=institution,
                record=record,
                level=record.level,
                category=record.category,
                location=record.location,
                scopes=[_scope("外科专业")],
                statement="变更执业范围",
            )
        else:
            draft = _registration(institution, certificate)
        application = application_file(doctor=doctor, draft=draft)
        if target in ("agreed", "approved") and officer is not None:
            application_agree(officer=officer, application_id=application.pk)
        if target == "approved" and reviewer is not None:
            application_approve(reviewer=reviewer, application_id=application.pk)
        command.created += 1
