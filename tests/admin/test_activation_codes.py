"""INS-4 in the admin until the institution console: issuing activation codes, scoped; codes read-only."""

import pytest
from django.urls import reverse

from accounts.models import ActivationCode
from tests.factories import ActivationCodeFactory, PracticeRecordFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db

LIST = reverse("admin:accounts_activationcode_changelist")
ADD = reverse("admin:accounts_activationcode_add")


def registered_doctor(institution, seq, **traits):
    id_number = make_resident_id(seq=seq)
    traits.setdefault("phone_verified", True)
    user = UserFactory(real_name=f"医师{seq}", id_number=id_number, **traits)
    PracticeRecordFactory(real_name=user.real_name, id_number=id_number, main_institution=institution)
    return user


def test_superuser_action_issues_and_sends(client, superuser, institutions, sms_inbox):
    """INS-4: the User-admin action 生成账户激活码 issues a code and the SMS lands in the outbox."""
    doctor = registered_doctor(institutions["furong"], "701")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "issue_activation_codes", "_selected_action": [doctor.pk]},
        follow=True,
    )
    code = ActivationCode.objects.get(doctor=doctor)
    assert code.institution == institutions["furong"] and code.issued_by == superuser
    assert code.code in response.content.decode()
    texts = [m["text"] for m in sms_inbox() if m["to"] == doctor.phone]
    assert texts and code.code in texts[-1] and "芙蓉医院" in texts[-1]


def test_action_refusal_is_a_message_not_an_error(client, superuser, institutions):
    """INS-4: a doctor who is not checked gets a refusal message, no code, no 500."""
    doctor = registered_doctor(institutions["furong"], "702", phone_verified=False)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "issue_activation_codes", "_selected_action": [doctor.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "该医师尚未通过医师信息校验" in response.content.decode()
    assert not ActivationCode.objects.exists()


def test_reviewer_issues_for_a_doctor_in_scope(client, county_reviewer, institutions, sms_inbox):
    """INS-4: a reviewer picks one of their doctors on 增加账户激活码; the code is sent."""
    doctor = registered_doctor(institutions["furong"], "703")
    client.force_login(county_reviewer)
    page = client.get(ADD).content.decode()
    assert "医师703" in page
    response = client.post(ADD, {"doctor": doctor.pk}, follow=True)
    assert response.status_code == 200
    code = ActivationCode.objects.get(doctor=doctor)
    assert code.issued_by == county_reviewer
    assert any(code.code in m["text"] for m in sms_inbox())


def test_reviewer_cannot_issue_out_of_scope(client, county_reviewer, institutions):
    """INS-4 / APP-3: a doctor registered at an institution outside the reviewer's region is not offered
    and a forged post is refused; the User-admin action does not reach them either."""
    outsider = registered_doctor(institutions["jiangan"], "704")
    client.force_login(county_reviewer)
    assert "医师704" not in client.get(ADD).content.decode()
    response = client.post(ADD, {"doctor": outsider.pk})
    assert response.status_code == 200 and "errornote" in response.content.decode()
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "issue_activation_codes", "_selected_action": [outsider.pk]},
    )
    assert not ActivationCode.objects.exists()


def test_codes_list_is_scoped_and_read_only(client, county_reviewer, institutions):
    """INS-4: a reviewer sees the codes of institutions in scope only; nothing can be edited or deleted."""
    mine = ActivationCodeFactory(institution=institutions["furong"], code="MINE2345")
    other = ActivationCodeFactory(institution=institutions["jiangan"], code="THEIR234")
    client.force_login(county_reviewer)
    body = client.get(LIST).content.decode()
    assert "MINE2345" in body and "THEIR234" not in body
    change = reverse("admin:accounts_activationcode_change", args=[mine.pk])
    body = client.get(change).content.decode()
    assert "MINE2345" in body and 'name="_save"' not in body
    assert client.get(reverse("admin:accounts_activationcode_change", args=[other.pk])).status_code == 404
    delete = reverse("admin:accounts_activationcode_delete", args=[mine.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ActivationCode.objects.filter(pk=mine.pk).exists()


def test_doctor_and_officer_get_no_codes_admin(client, institutions):
    """APP-3: only reviewers and the superuser enter the admin."""
    client.force_login(UserFactory(officer=True, institution=institutions["furong"]))
    assert client.get(LIST).status_code == 302


def test_load_demo_gives_liujianguo_a_code_once(db):
    """ACC-5 demo: liujianguo (path a) has a valid record and a printed code; chenxiaomei (path b) a
    deregistered one; all demo doctors checked and phone-verified, none activated; a rerun adds nothing."""
    import io

    from django.core.management import call_command

    from accounts.models import User
    from accounts.selectors import doctor_records
    from qualifications.models import AssessmentResult
    from registrations.models import PracticeRecord
    from tests.factories import region_tree

    region_tree()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    code = ActivationCode.objects.get(doctor__username="liujianguo")
    assert code.code in out.getvalue() and code.institution.name == "长沙市第一医院"
    liu = User.objects.get(username="liujianguo")
    (record,) = doctor_records(liu).valid_records
    assert record.main_institution.name == "长沙市第一医院" and str(record.approval_date) == "2014-03-17"
    assert AssessmentResult.objects.filter(id_number_digest=liu.id_number_digest, cycle="2021-2023").exists()
    chen = User.objects.get(username="chenxiaomei")
    assert [r.state for r in doctor_records(chen).practice_records] == [PracticeRecord.State.DEREGISTERED]
    doctors = User.objects.filter(username__in=["liujianguo", "chenxiaomei", "zhaoxue01", "limingxuan"])
    assert all(d.phone_verified and d.checked_at and not d.is_activated for d in doctors)
    counts = (
        ActivationCode.objects.count(),
        PracticeRecord.objects.count(),
        AssessmentResult.objects.count(),
    )
    second = io.StringIO()
    call_command("load_demo", stdout=second)
    assert "本次新建 0 条记录" in second.getvalue() and code.code in second.getvalue()
    assert counts == (
        ActivationCode.objects.count(),
        PracticeRecord.objects.count(),
        AssessmentResult.objects.count(),
    )
