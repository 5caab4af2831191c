"""factory_boy factories shared by every test package.

Records that hold an ID number share one base, ``EncryptedIdentityFactory``: pass the clear number as
``id_number=`` and it becomes ciphertext, digest and mask through the identity kernel, as in production.
States are Traits: ``DoctorFactory(activated=True)``, ``PracticeRecordFactory(deregistered=True)`` …
"""

import datetime as dt
import random

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from stdnum.cn import ric

from accounts.models import ActivationCode, ActivationPath, Question, User
from docregsys.identity.crypto import identity_columns
from docregsys.reference.models import Announcement, Authority, Category, ExamCategory, Level, Region
from institutions.models import Department, Institution
from qualifications.models import AssessmentResult, ExamResult, QualificationCertificate
from qualifications.regions import resident_region
from registrations.models import (
    Application,
    ExtraLocation,
    Kind,
    MultiInstitutionFiling,
    PracticeRecord,
    ProfileChange,
    State,
)


def make_resident_id(region: str = "430102", birth: str = "19900101", seq: str | None = None) -> str:
    """A valid 18-character resident ID number (GB 11643 check digit)."""
    seq = seq or f"{random.randint(0, 999):03d}"
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


class EncryptedIdentityFactory(factory.django.DjangoModelFactory):
    """One base for every model with an ID number: ``id_number=`` (clear) → cipher, digest, mask."""

    class Meta:
        abstract = True

    class Params:
        id_number = factory.LazyFunction(make_resident_id)
        # One encryption per object; the three columns are read off it.
        identity = factory.LazyAttribute(
            lambda o: identity_columns(o.id_number) if o.id_number else ("", "", "")
        )

    id_number_cipher = factory.LazyAttribute(lambda o: o.identity[0])
    id_number_digest = factory.LazyAttribute(lambda o: o.identity[1])
    id_number_masked = factory.LazyAttribute(lambda o: o.identity[2])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "430000"
    name = "湖南省"
    full_name = factory.LazyAttribute(lambda o: o.name)
    level = Region.Level.PROVINCE
    parent = None


def region_tree():
    """湖南省 → 长沙市 → 芙蓉区, 天心区: enough geography for scoping tests."""
    province = RegionFactory(code="430000", name="湖南省", level="province")
    city = RegionFactory(
        code="430100", name="长沙市", full_name="湖南省长沙市", level="city", parent=province
    )
    furong = RegionFactory(
        code="430102", name="芙蓉区", full_name="湖南省长沙市芙蓉区", level="county", parent=city
    )
    tianxin = RegionFactory(
        code="430103", name="天心区", full_name="湖南省长沙市天心区", level="county", parent=city
    )
    return province, city, furong, tianxin


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("kind", "region")

    name = factory.LazyAttribute(lambda o: f"{o.region.full_name}卫生健康委员会")
    kind = Authority.Kind.HEALTH
    level = factory.LazyAttribute(lambda o: o.region.level)
    region = factory.SubFactory(RegionFactory)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试医院{n}")
    registration_number = factory.Sequence(lambda n: f"PDY{n:08d}43010217A1001")
    licence_number = factory.Sequence(lambda n: f"LIC{n:06d}")
    address = "长沙市芙蓉区测试路1号"
    postcode = "410000"
    region = factory.SubFactory(RegionFactory)


class UserFactory(EncryptedIdentityFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n:05d}")
    real_name = "张三"
    role = User.Role.DOCTOR
    password = "Passw0rd2024"  # clear here; stored hashed (see _adjust_kwargs)

    class Params:
        id_number = None  # accounts start without one; sign-up and the qualification check add it
        officer = factory.Trait(role=User.Role.OFFICER, institution=factory.SubFactory(InstitutionFactory))
        reviewer = factory.Trait(
            role=User.Role.REVIEWER, is_staff=True, authority=factory.SubFactory(AuthorityFactory)
        )
        # Doctor states along ACC-3 → ACC-4 → ACC-5: checked, phone verified, activated (each implies the one before).
        checked = factory.Trait(checked_at=factory.LazyFunction(timezone.now))
        phone_verified = factory.Trait(
            checked=True,
            phone=factory.Sequence(lambda n: f"139{n:08d}"),
            phone_verified_at=factory.LazyFunction(timezone.now),
        )
        activated = factory.Trait(
            phone_verified=True,
            activated_at=factory.LazyFunction(timezone.now),
            activation_path=ActivationPath.CERTIFICATE,
        )

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Hash before the one INSERT: no second save, no second history row.
        kwargs["password"] = make_password(kwargs["password"])
        return kwargs


class DoctorFactory(UserFactory):
    """A doctor's account (ACC-1); states as Traits: ``checked``, ``phone_verified``, ``activated``."""

    role = User.Role.DOCTOR


class OfficerFactory(UserFactory):
    """A 医疗机构注册管理员 of one institution (INS-1)."""

    role = User.Role.OFFICER
    institution = factory.SubFactory(InstitutionFactory)


class ReviewerFactory(UserFactory):
    """An 审批人员: staff, of one authority whose region is the reviewer's reach (APP-1)."""

    role = User.Role.REVIEWER
    is_staff = True
    authority = factory.SubFactory(AuthorityFactory)


class HolderRegionFactory(EncryptedIdentityFactory):
    """Records that belong to the holder's region (APP-5), as the import and set_id_number() store it."""

    class Meta:
        abstract = True

    region_code = factory.LazyAttribute(
        lambda o: resident_region(getattr(o, "id_type", "resident"), o.id_number or "")
    )


class ExamCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamCategory
        django_get_or_create = ("code",)

    code = "110"
    name = "临床执业医师"
    level = Level.PHYSICIAN
    category = Category.CLINICAL


class ExamResultFactory(EncryptedIdentityFactory):
    class Meta:
        model = ExamResult

    real_name = "李四"
    year = 2025
    exam_category = factory.SubFactory(ExamCategoryFactory)
    admission_ticket = factory.Sequence(lambda n: f"2025110{n:08d}")
    exam_area = "湖南省"
    exam_site = "长沙市"
    written_score = 400
    pass_line = 360
    passed = True

    class Params:
        failed = factory.Trait(written_score=300, passed=False)


class CertificateFactory(HolderRegionFactory):
    class Meta:
        model = QualificationCertificate

    real_name = "李四"
    number = factory.Sequence(lambda n: f"2025110430{n:017d}")
    level = Level.PHYSICIAN
    category = Category.CLINICAL
    year_obtained = 2025
    school = "中南大学"
    major = "临床医学"
    issuing_authority = "国家卫生健康委员会"
    origin = QualificationCertificate.Origin.EXAM


class AssessmentResultFactory(HolderRegionFactory):
    class Meta:
        model = AssessmentResult

    real_name = "李四"
    cycle = "2021-2023"
    assessing_body = "长沙市医师协会"
    result = AssessmentResult.Result.PASSED

    class Params:
        failed = factory.Trait(result=AssessmentResult.Result.FAILED)


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    title = "医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知"
    body = ""


class PracticeRecordFactory(EncryptedIdentityFactory):
    """A valid practice location (执业注册); pass id_number= and real_name= to tie it to a doctor."""

    class Meta:
        model = PracticeRecord

    real_name = "李四"
    certificate_number = factory.Sequence(lambda n: f"1104301{n:08d}")
    level = Level.PHYSICIAN
    category = Category.CLINICAL
    location = factory.LazyAttribute(lambda o: o.main_institution.region)
    main_institution = factory.SubFactory(InstitutionFactory)
    authority = factory.SubFactory(AuthorityFactory)
    approval_date = dt.date(2020, 3, 17)
    state = PracticeRecord.State.VALID

    class Params:
        # States other than 有效: a record that lapsed (注销), was filed (备案) or moved away (变更出).
        deregistered = factory.Trait(state=PracticeRecord.State.DEREGISTERED)
        lapsed = factory.Trait(deregistered=True)
        filed = factory.Trait(state=PracticeRecord.State.FILED)
        transferred_out = factory.Trait(state=PracticeRecord.State.TRANSFERRED_OUT)


class ActivationCodeFactory(factory.django.DjangoModelFactory):
    """ACC-5a: an institution's code for one doctor, valid for a week."""

    class Meta:
        model = ActivationCode

    doctor = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"ACT{n:05d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class DepartmentFactory(factory.django.DjangoModelFactory):
    """INS-3: a department of an institution (give subjects=[…] to map treatment subjects)."""

    class Meta:
        model = Department
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"科室{n}")

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        if create and extracted:
            self.subjects.set(extracted)


class FilingFactory(factory.django.DjangoModelFactory):
    """多执业机构备案: the record's doctor also practises at `institution` (valid unless cancelled=True)."""

    class Meta:
        model = MultiInstitutionFiling
        skip_postgeneration_save = True

    record = factory.SubFactory(PracticeRecordFactory)
    institution = factory.SubFactory(InstitutionFactory)
    filed_on = dt.date(2021, 5, 10)
    state = MultiInstitutionFiling.State.VALID

    class Params:
        cancelled = factory.Trait(
            state=MultiInstitutionFiling.State.CANCELLED, cancelled_on=dt.date(2023, 1, 5)
        )

    @factory.post_generation
    def scopes(self, create, extracted, **kwargs):
        if create and extracted:
            self.scopes.set(extracted)


class ExtraLocationFactory(factory.django.DjangoModelFactory):
    """多地点 (old policy): the record's doctor also practises at `institution`."""

    class Meta:
        model = ExtraLocation

    record = factory.SubFactory(PracticeRecordFactory)
    institution = factory.SubFactory(InstitutionFactory)
    location = factory.LazyAttribute(lambda o: o.institution.region)
    approved_on = dt.date(2014, 9, 1)
    state = ExtraLocation.State.VALID


class ProfileChangeFactory(factory.django.DjangoModelFactory):
    """REG-8: a pending information change of `doctor`, reviewed by `institution`."""

    class Meta:
        model = ProfileChange

    doctor = factory.SubFactory(UserFactory, activated=True)
    institution = factory.SubFactory(InstitutionFactory)
    info_changed = True
    education = "硕士研究生"
    school = "中南大学"
    major = "临床医学"
    title = "主治医师"


class QuestionFactory(factory.django.DjangoModelFactory):
    """INS-12: a question to customer service."""

    class Meta:
        model = Question

    asker = factory.SubFactory(UserFactory)
    title = "如何完成账户激活"
    description = "医师注册后没有收到激活码，怎么办？"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A 注册 application of an activated doctor at an institution, as a draft unless a state Trait is given.

    Traits: ``submitted``, ``agreed`` (with an authority and a due date), ``approved``, ``returned``,
    ``disagreed``, ``withdrawn``. The factory writes no log rows and checks no rules: tests of the
    workflow itself go through the services (registrations.services.applications, approvals.services).
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    kind = Kind.REGISTER
    doctor = factory.SubFactory(
        DoctorFactory, activated=True, real_name="李四", id_number=factory.LazyFunction(make_resident_id)
    )
    real_name = factory.LazyAttribute(lambda o: o.doctor.real_name if o.doctor else "李四")
    id_number_digest = factory.LazyAttribute(lambda o: o.doctor.id_number_digest if o.doctor else "")
    id_number_masked = factory.LazyAttribute(lambda o: o.doctor.id_number_masked if o.doctor else "")
    institution = factory.SubFactory(InstitutionFactory)
    level = Level.PHYSICIAN
    category = Category.CLINICAL
    location = factory.LazyAttribute(lambda o: o.institution.region)
    statement = "申请执业注册"

    class Params:
        submitted = factory.Trait(state=State.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))
        agreed = factory.Trait(
            submitted=True,
            state=State.AGREED,
            authority=factory.SubFactory(AuthorityFactory),
            agreed_at=factory.LazyFunction(timezone.now),
            due_date=factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=28)),
        )
        approved = factory.Trait(
            agreed=True, state=State.APPROVED, decided_at=factory.LazyFunction(timezone.now)
        )
        returned = factory.Trait(
            agreed=True, state=State.RETURNED, decided_at=factory.LazyFunction(timezone.now)
        )
        disagreed = factory.Trait(
            submitted=True, state=State.DISAGREED, decided_at=factory.LazyFunction(timezone.now)
        )
        withdrawn = factory.Trait(state=State.WITHDRAWN)

    @factory.post_generation
    def scopes(self, create, extracted, **kwargs):
        if create and extracted:
            self.scopes.set(extracted)
