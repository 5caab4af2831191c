"""APP-5: migration 0005 fills the region of records imported before it, nothing else changed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from docregsys.identity.crypto import identity_columns
from tests.factories import make_resident_id

BEFORE = [("qualifications", "0004_reference_moves_out")]
AFTER = [("qualifications", "0005_record_region")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_region_of_existing_records():
    """APP-5: certificates and assessments from the holder's resident ID, exam results from 考区/考点."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps
    Region = apps.get_model("reference", "Region")
    province = Region.objects.create(code="420000", name="湖北省", full_name="湖北省", level="province")
    Region.objects.create(
        code="420100", name="武汉市", full_name="湖北省武汉市", level="city", parent=province
    )
    category = apps.get_model("reference", "ExamCategory").objects.create(
        code="110", name="临床执业医师", level="physician", category="clinical"
    )
    number = make_resident_id(region="430102", seq="501")
    cipher, digest, masked = identity_columns(number)
    identity = {"id_number_cipher": cipher, "id_number_digest": digest, "id_number_masked": masked}
    cert = apps.get_model("qualifications", "QualificationCertificate").objects.create(
        real_name="甲",
        number=f"200843110{number}",
        level="physician",
        category="clinical",
        year_obtained=2008,
        **identity,
    )
    passport = apps.get_model("qualifications", "AssessmentResult").objects.create(
        real_name="乙", id_type="passport", cycle="2021-2023", assessing_body="x", result="passed",
        id_number_cipher="", id_number_digest="d", id_number_masked="E1****78",
    )  # fmt: skip
    exam = apps.get_model("qualifications", "ExamResult").objects.create(
        real_name="丙", year=2025, exam_category=category, admission_ticket="T1",
        exam_area="湖北省", exam_site="武汉市第二考点", **identity,
    )  # fmt: skip
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps
        get = lambda name, pk: apps.get_model("qualifications", name).objects.get(pk=pk)  # noqa: E731
        assert get("QualificationCertificate", cert.pk).region_code == "430102"
        assert get("QualificationCertificate", cert.pk).id_number_digest == digest
        assert get("AssessmentResult", passport.pk).region_code == ""
        assert get("ExamResult", exam.pk).region_code == "420100"
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
