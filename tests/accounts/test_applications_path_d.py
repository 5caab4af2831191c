"""ACC-5d: a doctor from a region without e-registration files 注册 or 变更 before activation; nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.selectors import may_file_before_activation
from registrations.models import PracticeRecord
from tests import personas
from tests.factories import CertificateFactory, DoctorFactory, PracticeRecordFactory, make_resident_id

pytestmark = pytest.mark.django_db

ID = make_resident_id("430102", "19830404", "115")


@pytest.fixture
def returning_doctor():
    """Checked (their record was found) but not activated: the only record moved away (变更出) — no valid
    record (path a), no certificate here (path b), no exam result (path c)."""
    x = personas.institution(personas.X)
    PracticeRecordFactory(
        real_name="孙回",
        id_number=ID,
        main_institution=x,
        location=x.region,
        authority=personas.authority("furong"),
        approval_date=dt.date(2012, 1, 1),
        state=PracticeRecord.State.TRANSFERRED_OUT,
    )
    return DoctorFactory(real_name="孙回", id_number=ID, phone_verified=True)


def test_the_predicate_reads_the_records(returning_doctor, unactivated_doctor, doctor_a):
    """ACC-5d holds for a checked doctor without a valid record here; not before the check, not once active."""
    assert may_file_before_activation(returning_doctor)
    assert not may_file_before_activation(unactivated_doctor)  # not checked yet
    assert not may_file_before_activation(doctor_a)  # activated
    with_certificate = DoctorFactory(
        real_name="周证", id_number=make_resident_id("430102", "19840505", "117"), phone_verified=True
    )
    CertificateFactory(real_name="周证", id_number=with_certificate.id_number)
    assert may_file_before_activation(with_certificate)  # path b or d: both are theirs


def test_the_menu_lists_business_before_activation(client, returning_doctor):
    client.force_login(returning_doctor)
    page = client.get("/accounts/activation/").content.decode()
    assert 'href="/accounts/apply/"' in page and 'href="/accounts/applications/"' in page
    assert 'href="/accounts/reissue/"' not in page


def test_only_registration_and_change_are_offered(client, returning_doctor):
    """ACC-5d: 注册 and 变更 open; every other type (and 证书补办) says activation comes first."""
    client.force_login(returning_doctor)
    response = client.get("/accounts/apply/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "在账户激活前您可以提交“注册”和“变更”业务" in page
    assert 'value="practise"' in page and 'value="change"' in page
    assert 'value="deregister"' not in page and 'value="also"' not in page
    assert page.count("点击进入") == 2
    assert client.get("/accounts/apply/register/").status_code == 200
    assert client.get("/accounts/apply/change/").status_code == 200
    for kind in ("deregister", "filing", "upgrade", "reissue"):
        response = client.get(f"/accounts/apply/{kind}/")
        assert response.status_code == 403, kind
        assert "账户尚未激活" in response.content.decode()
    assert client.get("/accounts/reissue/").status_code == 403
    assert client.get("/accounts/applications/").status_code == 200


def test_an_unchecked_doctor_may_not_file(client, unactivated_doctor):
    client.force_login(unactivated_doctor)
    for url in ("/accounts/apply/", "/accounts/apply/register/", "/accounts/applications/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "医师信息校验" in response.content.decode()


def test_a_path_d_doctor_files_a_registration_the_rules_decide(client, returning_doctor):
    """The page lets them file; whether it succeeds is the rules' answer (shown like anyone else's)."""
    from registrations.models import Application
    from tests.applications import route, scope

    x = personas.institution(personas.X)
    route(x)
    client.force_login(returning_doctor)
    response = client.post(
        "/accounts/apply/register/",
        {
            "institution": x.pk,
            "level": "physician",
            "category": "clinical",
            "scopes": [scope("内科专业").pk],
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get(doctor=returning_doctor).state == "draft"


def test_the_activation_page_leads_a_path_d_doctor_to_the_applications(client, returning_doctor):
    """ACC-5d: 医师账户激活 links 业务申请 and 业务查询 for a doctor who may file before activation."""
    client.force_login(returning_doctor)
    page = client.get(reverse("accounts:activation")).content.decode()
    assert reverse("accounts:apply") in page and reverse("accounts:applications") in page
