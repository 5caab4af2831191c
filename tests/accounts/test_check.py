"""ACC-3: the qualification check (医师信息校验) and the correction of the name/ID typed at sign-up."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services.signup import account_identity_update, qualification_check_run
from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import id_number_digest
from tests.factories import (
    CertificateFactory,
    ExamResultFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

ID_NUMBER = make_resident_id(seq="321")
NAME = "李四"


@pytest.fixture
def doctor():
    return UserFactory(real_name=NAME, id_number=ID_NUMBER, username="lisi2024")


def check_page(client, user):
    client.force_login(user)
    return client.get(reverse("accounts:check"))


def test_certificate_passes_and_the_button_goes_on_to_phone_verification(client, doctor):
    """ACC-3: a qualification certificate under name + ID passes; the button records it, next 验证手机."""
    CertificateFactory(real_name=NAME, id_number=ID_NUMBER)
    response = check_page(client, doctor)
    html = response.content.decode()
    assert "医师账户激活第一步 医师信息校验" in html
    assert "恭喜，您已经通过医师资格信息校验！" in html
    assert "点击此处验证手机" in html and f'action="{reverse("accounts:check")}"' in html
    response = client.post(reverse("accounts:check"))
    assert response.status_code == 302 and response.url == reverse("accounts:verify_phone")
    doctor.refresh_from_db()
    assert doctor.checked_at is not None


def test_the_check_page_get_writes_nothing(client, doctor):
    """ACC-3, issue 8 §3 (no writes on GET): showing the outcome changes no row; only the POST records it."""
    CertificateFactory(real_name=NAME, id_number=ID_NUMBER)
    client.force_login(doctor)
    before = list(User.objects.values().order_by("pk"))
    history = doctor.history.count()
    assert "恭喜" in client.get(reverse("accounts:check")).content.decode()
    assert client.get(reverse("accounts-api:check")).json()["passed"]
    assert list(User.objects.values().order_by("pk")) == before
    assert doctor.history.count() == history


def test_the_check_page_get_does_not_clear_a_stale_check(client):
    """ACC-3: records withdrawn since the check: GET shows the failure, only the POST clears `checked_at`."""
    user = UserFactory(real_name=NAME, id_number=ID_NUMBER, checked=True)
    client.force_login(user)
    assert "很抱歉，您未通过医师资格校验！" in client.get(reverse("accounts:check")).content.decode()
    user.refresh_from_db()
    assert user.checked_at is not None
    response = client.post(reverse("accounts:check"))
    assert response.url == reverse("accounts:check")
    user.refresh_from_db()
    assert user.checked_at is None


def test_passing_exam_result_passes(client, doctor):
    ExamResultFactory(real_name=NAME, id_number=ID_NUMBER, passed=True)
    assert "恭喜，您已经通过医师资格信息校验！" in check_page(client, doctor).content.decode()


def test_practice_record_alone_passes_as_registration(client, doctor):
    PracticeRecordFactory(real_name=NAME, id_number=ID_NUMBER)
    html = check_page(client, doctor).content.decode()
    assert "恭喜，您已经通过医师执业注册信息校验！" in html


def test_verified_phone_goes_on_to_activation(client):
    user = UserFactory(real_name=NAME, id_number=ID_NUMBER, phone_verified=True)
    CertificateFactory(real_name=NAME, id_number=ID_NUMBER)
    html = check_page(client, user).content.decode()
    assert "激活我的账户" in html and "点击此处验证手机" not in html
    assert client.post(reverse("accounts:check")).url == reverse("accounts:activation")


def test_nothing_found_shows_the_seed_failure_page(client, doctor):
    """ACC-3: 未查询到… with masked ID, the guide, the correction link and the three guides."""
    html = check_page(client, doctor).content.decode()
    for text in (
        "未查询到医师资格信息！",
        "很抱歉，您未通过医师资格校验！",
        "未查询到医师执业注册信息！",
        "您的姓名",
        NAME,
        "身份证号码",
        doctor.id_number_masked,
        "关于补办或修改医师资格信息指南",
        "检查和更新我的身份信息",
        "老人老办法医师资格信息修改及补录指南",
        "新人新办法医师资格信息修改及补录指南",
        "军队离休及复转退人员医师资格信息补录指南",
        "简称“老人老办法资格”",
        "简称“新人新办法资格”",
    ):
        assert text in html, text
    assert ID_NUMBER not in html
    assert f'href="{reverse("accounts:identity_update")}"' in html
    for origin in ("legacy", "exam", "military"):
        assert reverse("qualifications:guide", args=[origin]) in html
    assert "重新校验" in html
    assert client.post(reverse("accounts:check")).url == reverse("accounts:check")  # 重新校验: still nothing
    doctor.refresh_from_db()
    assert doctor.checked_at is None


def test_failed_exam_only_does_not_pass(client, doctor):
    ExamResultFactory(real_name=NAME, id_number=ID_NUMBER, passed=False)
    html = check_page(client, doctor).content.decode()
    assert "未查询到医师资格信息！" in html


def test_name_mismatch_does_not_pass(client, doctor):
    """ACC-3: name *and* ID number must match."""
    CertificateFactory(real_name="李思", id_number=ID_NUMBER)
    html = check_page(client, doctor).content.decode()
    assert "很抱歉，您未通过医师资格校验！" in html


def test_check_needs_login(client):
    response = client.get(reverse("accounts:check"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_check_writes_only_when_the_outcome_changes(doctor, django_assert_num_queries):
    """ACC-3: the conditional UPDATE runs once; later passes only read."""
    CertificateFactory(real_name=NAME, id_number=ID_NUMBER)
    qualification_check_run(user=doctor)
    first = doctor.checked_at
    # certificates, passed exams, practice records: reads only, no UPDATE.
    with django_assert_num_queries(3):
        qualification_check_run(user=doctor)
    assert doctor.checked_at == first


def test_identity_update_fixes_a_typo_and_passes_at_once(client):
    """ACC-3: 检查和更新我的身份信息 → re-checked at once."""
    typo = make_resident_id(seq="322")
    user = UserFactory(real_name="李西", id_number=typo)
    CertificateFactory(real_name=NAME, id_number=ID_NUMBER)
    client.force_login(user)
    page = client.get(reverse("accounts:identity_update")).content.decode()
    assert 'value="李西"' in page
    response = client.post(reverse("accounts:identity_update"), {"real_name": NAME, "id_number": ID_NUMBER})
    assert response.status_code == 302 and response.url == reverse("accounts:check")
    user.refresh_from_db()
    assert user.real_name == NAME and user.id_number_digest == id_number_digest(ID_NUMBER)
    html = client.get(response.url).content.decode()
    assert "恭喜，您已经通过医师资格信息校验！" in html


def test_identity_update_refuses_another_accounts_number_without_naming_it(client, doctor):
    other = UserFactory(real_name="王五")
    client.force_login(other)
    response = client.post(reverse("accounts:identity_update"), {"real_name": NAME, "id_number": ID_NUMBER})
    html = response.content.decode()
    assert response.status_code == 200
    assert "该身份证号已注册过账户。" in html
    assert "lisi2024" not in html
    other.refresh_from_db()
    assert other.real_name == "王五"


def test_identity_update_validates_like_sign_up(client, doctor):
    client.force_login(doctor)
    bad = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    html = client.post(
        reverse("accounts:identity_update"), {"real_name": "Li Si", "id_number": bad}
    ).content.decode()
    assert 'id="id_real_name_error"' in html and 'id="id_id_number_error"' in html


def test_identity_update_is_refused_after_activation(client):
    """ACC-3: an activated account's identity is no longer the doctor's to change."""
    user = UserFactory(real_name=NAME, id_number=ID_NUMBER, activated=True)
    client.force_login(user)
    assert client.get(reverse("accounts:identity_update")).status_code == 403
    response = client.post(reverse("accounts:identity_update"), {"real_name": "李西", "id_number": ID_NUMBER})
    assert response.status_code == 403
    assert "您的账户已激活" in response.content.decode()
    user.refresh_from_db()
    assert user.real_name == NAME
    with pytest.raises(TransitionRefused):
        account_identity_update(user=user, real_name="李西", id_number=ID_NUMBER)


def test_changing_identity_away_from_the_records_clears_the_check(doctor):
    CertificateFactory(real_name=NAME, id_number=ID_NUMBER)
    qualification_check_run(user=doctor)
    assert doctor.checked_at is not None
    account_identity_update(user=doctor, real_name="李西", id_number=ID_NUMBER)
    qualification_check_run(user=doctor)
    assert User.objects.get(pk=doctor.pk).checked_at is None
