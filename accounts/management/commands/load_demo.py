"""Demo data for a first look: reviewers, two institutions with officers, exam-centre records, a notice.

Idempotent: every row is found by its natural key first and only created when missing, so a second
run neither fails nor duplicates (and passwords are hashed only for new users). Needs the regions of
`load_reference`.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from accounts.management import demo
from accounts.models import ActivationCode, User
from accounts.services.activation import activation_code_issue
from docregsys.identity.crypto import id_number_digest
from docregsys.reference.models import (
    Announcement,
    Authority,
    Category,
    ExamCategory,
    Level,
    PracticeScope,
    Region,
    TreatmentSubject,
)
from institutions.models import Institution, InstitutionAuthority
from qualifications.models import AssessmentResult, ExamResult, QualificationCertificate
from registrations.models import PracticeRecord

DEMO_PASSWORD = "Demo2026pass"

REGIONS = ("430000", "430100", "430102", "430103")

# (kind, region code, level, name): the authorities the demo needs, as load_reference names them.
AUTHORITIES = [
    ("health", "430000", "province", "湖南省卫生健康委员会"),
    ("tcm", "430000", "province", "湖南省中医药管理局"),
    ("health", "430100", "city", "湖南省长沙市卫生健康委员会"),
    ("health", "430102", "county", "湖南省长沙市芙蓉区卫生健康局"),
    ("health", "430103", "county", "湖南省长沙市天心区卫生健康局"),
]

SUBJECTS = [
    ("02", "全科医疗科"),
    ("03", "内科"),
    ("03.01", "呼吸内科专业"),
    ("04", "外科"),
    ("04.01", "普通外科专业"),
    ("12", "口腔科"),
    ("50", "中医科"),
]

INSTITUTIONS = [
    {
        "name": "长沙市第一医院",
        "registration_number": "44500078543010211A1001",
        "licence_number": "PDY00078543010211A1001",
        "licence_valid_until": dt.date(2029, 12, 31),
        "address": "湖南省长沙市芙蓉区营盘路311号",
        "postcode": "410005",
        "region": "430102",
        "subjects": ["02", "03", "03.01", "04", "04.01", "12", "50"],
        # INS-2: category → (kind, region) of the approving authority
        "authorities": {
            Category.CLINICAL: ("health", "430102"),
            Category.DENTAL: ("health", "430102"),
            Category.PUBLIC_HEALTH: ("health", "430100"),
            Category.TCM: ("tcm", "430000"),
        },
        "officer": ("csyyadmin", "周敏", "13907310001"),
    },
    {
        "name": "湘雅测试医院",
        "registration_number": "44500091243010311A1002",
        "licence_number": "PDY00091243010311A1002",
        "licence_valid_until": dt.date(2028, 6, 30),
        "address": "湖南省长沙市天心区书院路88号",
        "postcode": "410002",
        "region": "430103",
        "subjects": ["02", "03", "04", "12"],
        "authorities": {
            Category.CLINICAL: ("health", "430103"),
            Category.DENTAL: ("health", "430103"),
        },
        "officer": ("xyceadmin", "黄丽", "13907310002"),
    },
]

EXAM_CATEGORIES = [("110", "临床执业医师", Level.PHYSICIAN, Category.CLINICAL)]


def _resident_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


# The exam centre's records for the ACC-5 activation paths. Synthetic people, valid check digits.
CERTIFICATES = [
    # (situation, demo username, name, ID number, certificate number, year, origin)
    (
        "a 在册医师（执业注册有效，凭机构激活码激活）",
        "liujianguo",
        "刘建国",
        _resident_id("430102", "19800312", "031"),
        "200843110430102198003120315",
        2008,
        QualificationCertificate.Origin.EXAM,
    ),
    (
        "b 有资格、无有效注册（凭资格证书编码自助激活）",
        "chenxiaomei",
        "陈晓梅",
        _resident_id("430103", "19920705", "042"),
        "201843110430103199207050426",
        2018,
        QualificationCertificate.Origin.EXAM,
    ),
    (
        "d 来自未开展电子化注册地区（直接申请，批准后自动激活）",
        "zhaoxue01",
        "赵雪",
        _resident_id("540102", "19880520", "064"),
        "201254110540102198805200648",
        2012,
        QualificationCertificate.Origin.EXAM,
    ),
]
EXAM_RESULTS = [
    # (situation, demo username or "" for no account, name, ID number, ticket, score, passed)
    (
        "c 新考试通过人员（凭准考证号激活）",
        "limingxuan",
        "李明轩",
        _resident_id("430104", "19990918", "013"),
        "2025110430100013",
        402,
        True,
    ),
    (
        "考试未通过（无法激活）",
        "",
        "孙浩",
        _resident_id("430105", "19980130", "057"),
        "2025110430100057",
        331,
        False,
    ),
]

# ACC-5: every demo doctor has passed the check and verified this phone, so activation shows at once;
# none is activated (the demo is about activating).
DEMO_PHONES = {
    "liujianguo": "13800000001",
    "chenxiaomei": "13800000002",
    "zhaoxue01": "13800000003",
    "limingxuan": "13800000004",
}

# 执业注册 (SPEC §6): (username, institution registration number, state, approval date, certificate number)
PRACTICE_RECORDS = [
    # path a: valid at 长沙市第一医院 → the institution's activation code
    (
        "liujianguo",
        "44500078543010211A1001",
        PracticeRecord.State.VALID,
        dt.date(2014, 3, 17),
        "110430100012345",
    ),
    # path b: an older registration, deregistered → no valid record, self-activation with the certificate
    (
        "chenxiaomei",
        "44500091243010311A1002",
        PracticeRecord.State.DEREGISTERED,
        dt.date(2019, 8, 2),
        "110430100054321",
    ),
]

ANNOUNCEMENT_TITLE = "医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知"


class Command(BaseCommand):
    help = "Load demo reviewers, institutions, officers, exam-centre records and a notice (idempotent)."

    def handle(self, *args, **options):
        found = set(Region.objects.filter(code__in=REGIONS).values_list("code", flat=True))
        if missing := sorted(set(REGIONS) - found):
            raise CommandError(
                f"行政区划缺失（{', '.join(missing)}）：请先运行 python manage.py load_reference，再运行 load_demo。"
            )
        self.created = 0
        self.institutions = {}
        with transaction.atomic():
            authorities = self._authorities()
            subjects = self._subjects()
            logins = [
                self._user("admin", "系统管理员", role=User.Role.DOCTOR, is_staff=True, is_superuser=True),
                self._user(
                    "hnreviewer",
                    "湖南省审批员",
                    role=User.Role.REVIEWER,
                    is_staff=True,
                    authority=authorities[("health", "430000")],
                ),
                self._user(
                    "csreviewer",
                    "长沙市审批员",
                    role=User.Role.REVIEWER,
                    is_staff=True,
                    authority=authorities[("health", "430100")],
                ),
                self._user(
                    "frreviewer",
                    "芙蓉区审批员",
                    role=User.Role.REVIEWER,
                    is_staff=True,
                    authority=authorities[("health", "430102")],
                ),
            ]
            for spec in INSTITUTIONS:
                institution = self._institution(spec, subjects, authorities)
                self.institutions[spec["registration_number"]] = institution
                username, real_name, phone = spec["officer"]
                logins.append(
                    self._user(
                        username, real_name, role=User.Role.OFFICER, phone=phone, institution=institution
                    )
                )
            records = self._exam_records()
            self._practice_records()
            self._doctors_ready()
            code = self._activation_code()
            self._announcement(authorities[("health", "430000")])
            for area in demo.AREAS:  # the institution console's areas (accounts/management/demo/)
                area.load(self)
        demo_doctors = [c[1] for c in CERTIFICATES + EXAM_RESULTS if c[1]] + demo.applications.LOGINS
        logins += list(
            User.objects.filter(username__in=demo_doctors).order_by(
                "id"
            )
        )

        self._print(logins, records, code)

    # ------------------------------------------------------------------ rows

    def _authorities(self):
        result = {}
        for kind, code, level, name in AUTHORITIES:
            authority, created = Authority.objects.get_or_create(
                kind=kind, region_id=code, defaults={"level": level, "name": name}
            )
            self.created += created
            result[(kind, code)] = authority
        return result

    def _subjects(self):
        result = {}
        for code, name in SUBJECTS:
            parent = code.rpartition(".")[0] or None
            subject, created = TreatmentSubject.objects.get_or_create(
                code=code, defaults={"name": name, "parent_id": parent}
            )
            self.created += created
            result[code] = subject
        return result

    def _user(self, username, real_name, *, role, is_staff=False, is_superuser=False, phone="", **tenant):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                real_name=real_name,
                role=role,
                is_staff=is_staff,
                is_superuser=is_superuser,
                phone=phone,
                **tenant,
            )
            user.set_password(DEMO_PASSWORD)  # hashing is slow: only for new users
            user.save()
            self.created += 1
        return user

    def _institution(self, spec, subjects, authorities):
        institution = Institution.objects.filter(registration_number=spec["registration_number"]).first()
        if institution is None:
            institution = Institution.objects.create(
                name=spec["name"],
                registration_number=spec["registration_number"],
                licence_number=spec["licence_number"],
                licence_valid_until=spec["licence_valid_until"],
                address=spec["address"],
                postcode=spec["postcode"],
                region_id=spec["region"],
            )
            institution.subjects.set([subjects[code] for code in spec["subjects"]])
            self.created += 1
        for category, key in spec["authorities"].items():
            _setting, created = InstitutionAuthority.objects.get_or_create(
                institution=institution, category=category, defaults={"authority": authorities[key]}
            )
            self.created += created
        return institution

    def _exam_records(self):
        for code, name, level, category in EXAM_CATEGORIES:
            ExamCategory.objects.get_or_create(
                code=code, defaults={"name": name, "level": level, "category": category}
            )
        rows = []
        for situation, username, name, id_number, number, year, origin in CERTIFICATES:
            if not QualificationCertificate.objects.filter(number=number).exists():
                cert = QualificationCertificate(
                    real_name=name,
                    number=number,
                    level=Level.PHYSICIAN,
                    category=Category.CLINICAL,
                    year_obtained=year,
                    school="中南大学",
                    major="临床医学",
                    issuing_authority="国家卫生健康委员会",
                    issue_date=dt.date(year, 12, 1),
                    origin=origin,
                    admission_ticket="",
                )
                cert.set_id_number(id_number)
                cert.save()
                self.created += 1
            rows.append((situation, name, id_number, f"资格证书编码 {number}"))
            self._doctor(username, name, id_number)
        for situation, username, name, id_number, ticket, score, passed in EXAM_RESULTS:
            if not ExamResult.objects.filter(year=2025, admission_ticket=ticket).exists():
                result = ExamResult(
                    real_name=name,
                    year=2025,
                    exam_category_id="110",
                    admission_ticket=ticket,
                    exam_area="湖南省",
                    exam_site="长沙市",
                    written_score=score,
                    pass_line=360,
                    passed=passed,
                )
                result.set_id_number(id_number)
                result.save()
                self.created += 1
            rows.append((situation, name, id_number, f"准考证号 {ticket}"))
            self._doctor(username, name, id_number)
        return rows

    def _doctor(self, username, real_name, id_number):
        """A signed-up doctor account for one ACC-5 situation (activation itself comes with issue 4)."""
        if not username or User.objects.filter(username=username).exists():
            return
        user = User(username=username, real_name=real_name, role=User.Role.DOCTOR)
        user.set_id_number(id_number)
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.created += 1

    def _people(self):
        """username → (name, ID number) of the demo doctors."""
        rows = [(c[1], c[2], c[3]) for c in CERTIFICATES] + [(r[1], r[2], r[3]) for r in EXAM_RESULTS]
        return {username: (name, id_number) for username, name, id_number in rows if username}

    def _practice_records(self):
        """执业注册 for paths a and b, plus liujianguo's 定期考核 (REG-10)."""
        people = self._people()
        scope = PracticeScope.objects.filter(category=Category.CLINICAL, name__contains="内科").first()
        for username, registration_number, state, approved, number in PRACTICE_RECORDS:
            if PracticeRecord.objects.filter(certificate_number=number).exists():
                continue
            name, id_number = people[username]
            institution = self.institutions[registration_number]
            setting = institution.authority_settings.filter(category=Category.CLINICAL).first()
            qualification = QualificationCertificate.objects.filter(
                id_number_digest=id_number_digest(id_number)
            ).first()
            record = PracticeRecord(
                real_name=name,
                certificate_number=number,
                qualification_number=qualification.number if qualification else "",
                level=Level.PHYSICIAN,
                category=Category.CLINICAL,
                location_id="430000",
                main_institution=institution,
                authority=setting.authority,
                approval_date=approved,
                state=state,
            )
            record.set_id_number(id_number)
            record.save()
            if scope is not None:
                record.scopes.add(scope)
            self.created += 1
        name, id_number = people["liujianguo"]
        if not AssessmentResult.objects.filter(
            id_number_digest=id_number_digest(id_number), cycle="2021-2023"
        ).exists():
            result = AssessmentResult(
                real_name=name,
                cycle="2021-2023",
                assessing_body="长沙市医师协会",
                result=AssessmentResult.Result.PASSED,
                certificate_number=PRACTICE_RECORDS[0][4],
            )
            result.set_id_number(id_number)
            result.save()
            self.created += 1

    def _doctors_ready(self):
        """Checked, phone verified, not activated: each demo doctor lands on the activation page."""
        now = timezone.now()
        for username, phone in DEMO_PHONES.items():
            user = User.objects.filter(username=username, role=User.Role.DOCTOR).first()
            if user is None or user.is_activated:
                continue
            changed = []
            if not user.phone:
                user.phone, user.phone_verified_at = phone, now
                changed += ["phone", "phone_verified_at"]
            if user.checked_at is None:
                user.checked_at = now
                changed.append("checked_at")
            if changed:
                user.save(update_fields=changed)

    def _activation_code(self):
        """liujianguo's code from 长沙市第一医院 (path a): issued once, while it works it is reused."""
        user = User.objects.filter(username="liujianguo").first()
        if user is None or user.is_activated or not user.phone_verified:
            return None
        institution = self.institutions[PRACTICE_RECORDS[0][1]]
        code = ActivationCode.objects.filter(
            doctor=user, institution=institution, used_at__isnull=True, expires_at__gt=timezone.now()
        ).first()
        if code is None:
            code = activation_code_issue(doctor=user, institution=institution, issued_by=None)
            self.created += 1
        return code

    def _announcement(self, authority):
        _notice, created = Announcement.objects.get_or_create(
            region_id="430000",
            title=ANNOUNCEMENT_TITLE,
            defaults={
                "body": "湖南省医师资格考试通过人员的电子化注册业务尚未开始，请等待通知。",
                "authority": authority,
            },
        )
        self.created += created

    # ------------------------------------------------------------------ output

    def _print(self, logins, records, code=None):
        out = self.stdout
        out.write(self.style.SUCCESS(f"演示数据已就绪（本次新建 {self.created} 条记录）。"))
        out.write("\n演示登录（密码相同）：")
        out.write(f"{'用户名':<12}{'角色':<14}{'所属':<24}密码")
        for user in logins:
            role = "系统管理员" if user.is_superuser else user.get_role_display()
            tenant = user.institution or user.authority or "—"
            out.write(f"{user.username:<12}{role:<14}{str(tenant):<24}{DEMO_PASSWORD}")
        out.write("\n考试中心演示记录（医师注册时使用；均为虚构身份）：")
        for situation, name, id_number, key in records:
            out.write(f"  {situation}：{name} {id_number} {key}")
        out.write("\n演示医师均已通过医师信息校验并验证手机（13800000001…4），尚未激活。")
        out.write(
            "  已激活、有业务申请的演示医师：zhouxin01（注册·机构审核中）、wujing01（变更·卫健委审批中）、"
            "hetao01（注册·已办结）。"
        )
        if code is not None:
            expires = timezone.localtime(code.expires_at).strftime("%Y-%m-%d %H:%M")
            out.write(
                f"  liujianguo 的账户激活码（{code.institution.name} 生成，{expires} 前有效）：{code.code}"
            )
