"""Moving models between apps (issue 8) loses nothing: a database filled through the old migrations
is migrated to the new ones and every row, ID digest, relation, history entry and admin log entry is found.

The data is written with the models as the *old* migrations describe them (approvals.Region,
institutions.TreatmentSubject, accounts.OutboundMessage …), then the database is migrated forward and
read back with today's models (docregsys.reference, docregsys.messaging).
"""

import uuid

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from docregsys.identity.crypto import decrypt_id_number, encrypt_id_number, id_number_digest, mask_id_number
from tests.factories import make_resident_id

# The leaf migrations of every project app before the move, and the apps that did not exist yet.
BEFORE_THE_MOVE = [
    ("accounts", "0004_verified_contact_unique"),
    ("approvals", "0001_initial"),
    ("institutions", "0001_initial"),
    ("qualifications", "0003_import_upload_path"),
    ("registrations", "0002_doctor_accounts"),
    ("reference", None),
    ("messaging", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _identity(id_number):
    return {
        "id_number_cipher": encrypt_id_number(id_number),
        "id_number_digest": id_number_digest(id_number),
        "id_number_masked": mask_id_number(id_number),
    }


def _fill_old_schema(apps, id_number):
    """Rows in every moved table and in the tables that point at them, written through the old state."""
    Region = apps.get_model("approvals", "Region")
    Authority = apps.get_model("approvals", "Authority")
    HistoricalAuthority = apps.get_model("approvals", "HistoricalAuthority")
    Announcement = apps.get_model("approvals", "Announcement")
    TreatmentSubject = apps.get_model("institutions", "TreatmentSubject")
    Institution = apps.get_model("institutions", "Institution")
    InstitutionAuthority = apps.get_model("institutions", "InstitutionAuthority")
    ExamCategory = apps.get_model("qualifications", "ExamCategory")
    ExamResult = apps.get_model("qualifications", "ExamResult")
    PracticeScope = apps.get_model("registrations", "PracticeScope")
    Title = apps.get_model("registrations", "Title")
    PracticeRecord = apps.get_model("registrations", "PracticeRecord")
    HistoricalPracticeRecord = apps.get_model("registrations", "HistoricalPracticeRecord")
    User = apps.get_model("accounts", "User")
    OutboundMessage = apps.get_model("accounts", "OutboundMessage")

    province = Region.objects.create(code="990000", name="测试省", full_name="测试省", level="province")
    county = Region.objects.create(
        code="990102", name="测试区", full_name="测试省测试区", level="county", parent=province
    )
    authority = Authority.objects.create(name="测试省卫生健康委员会", level="province", region=province)
    HistoricalAuthority.objects.create(
        id=authority.pk,
        name=authority.name,
        kind="health",
        level="province",
        region=province,
        statutory_days=20,
        is_active=True,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="迁移前",
    )
    Announcement.objects.create(region=province, title="迁移前的通告", authority=authority)
    subject = TreatmentSubject.objects.create(code="99", name="测试科")
    institution = Institution.objects.create(name="迁移测试医院", registration_number="MIG-1", region=county)
    institution.subjects.add(subject)
    InstitutionAuthority.objects.create(institution=institution, category="clinical", authority=authority)
    exam_category = ExamCategory.objects.create(code="999", name="测试类别", level="physician", category="clinical")
    ExamResult.objects.create(
        real_name="迁移测",
        year=2025,
        exam_category=exam_category,
        admission_ticket="MIG0001",
        passed=True,
        **_identity(id_number),
    )
    scope = PracticeScope.objects.create(code="99", name="测试专业", category="clinical")
    Title.objects.create(code="999", name="测试资格")
    record = PracticeRecord.objects.create(
        real_name="迁移测",
        level="physician",
        category="clinical",
        location=province,
        main_institution=institution,
        authority=authority,
        **_identity(id_number),
    )
    record.scopes.add(scope)
    HistoricalPracticeRecord.objects.create(
        id=record.pk,
        real_name=record.real_name,
        certificate_number="",
        qualification_number="",
        level="physician",
        category="clinical",
        location=province,
        main_institution=institution,
        authority=authority,
        state="valid",
        history_date=timezone.now(),
        history_type="+",
        **_identity(id_number),
    )
    reviewer = User.objects.create(
        username="mig" + uuid.uuid4().hex[:6],
        role="reviewer",
        is_staff=True,
        authority=authority,
        password="!",
        date_joined=timezone.now(),
    )
    OutboundMessage.objects.create(channel="sms", destination="13800000000", body="迁移前的短信")
    region_type = ContentType.objects.get_or_create(app_label="approvals", model="region")[0]
    LogEntry.objects.create(
        action_time=timezone.now(),
        user_id=reviewer.pk,
        content_type_id=region_type.pk,
        object_id=province.pk,
        object_repr=str(province.full_name),
        action_flag=CHANGE,
        change_message="迁移前",
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_row():
    """Issue 8 §1: the old migrations' data, migrated forward, is all there under the new apps."""
    from accounts.models import User
    from docregsys.messaging.models import OutboundMessage
    from docregsys.reference.models import (
        Announcement,
        Authority,
        ExamCategory,
        PracticeScope,
        Region,
        Title,
        TreatmentSubject,
    )
    from institutions.models import Institution
    from qualifications.models import ExamResult
    from registrations.models import PracticeRecord

    leaves = _leaf_nodes()
    id_number = make_resident_id(region="110105", birth="19850101")
    old_apps = _migrate(BEFORE_THE_MOVE)
    try:
        _fill_old_schema(old_apps, id_number)
    finally:
        _migrate(leaves)

    province = Region.objects.get(code="990000")
    assert Region.objects.get(code="990102").parent == province
    authority = Authority.objects.get(region=province)
    assert [h.history_change_reason for h in authority.history.all()] == ["迁移前"]
    assert Announcement.objects.get(title="迁移前的通告").authority == authority
    institution = Institution.objects.get(registration_number="MIG-1")
    assert list(institution.subjects.all()) == [TreatmentSubject.objects.get(code="99")]
    assert institution.authority_settings.get().authority == authority

    result = ExamResult.objects.get(admission_ticket="MIG0001")
    assert result.exam_category == ExamCategory.objects.get(code="999")
    assert result.id_number_digest == id_number_digest(id_number)
    assert decrypt_id_number(result.id_number_cipher) == id_number

    record = PracticeRecord.objects.get(id_number_digest=id_number_digest(id_number))
    assert list(record.scopes.all()) == [PracticeScope.objects.get(code="99")]
    assert (record.location, record.authority, record.main_institution) == (province, authority, institution)
    assert record.history.count() == 1
    assert record.history.get().id_number_digest == id_number_digest(id_number)
    assert Title.objects.filter(code="999").exists()

    assert User.objects.get(authority=authority).role == "reviewer"
    assert OutboundMessage.objects.get(body="迁移前的短信").status == "pending"

    # Admin history and permissions follow the model: the content type was renamed, not replaced.
    entry = LogEntry.objects.get(change_message="迁移前")
    assert entry.content_type.model_class() is Region
    assert entry.get_edited_object() == province
    assert not ContentType.objects.filter(app_label="approvals", model="region").exists()
