"""The doctor's 业务申请 (智能引导, one form per type), 业务查询 (timeline, withdraw, amend) and 证书补办 pages (REG-2 … REG-9)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Category, Level
from registrations import rules
from registrations.models import Action, Application, ApplicationEvent, Attachment, Kind, State
from registrations.services.applications import (
    application_agree,
    application_file,
    application_save,
)
from tests import personas
from tests.applications import new_passer, registered_doctor, registration_draft, route, scope
from tests.photos import photo_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


def stored_files(root: Path) -> list[Path]:
    folder = root / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def has_option(page: str, pk: int, name: str, *, selected: bool = False) -> bool:
    """An institution option of the picker (it carries the province and county it gives as data-*)."""
    found = re.search(rf'<option value="{pk}"([^>]*)>{name}（', page)
    return bool(found) and 'data-province="湖南省"' in found[1] and (" selected" in found[1]) == selected


def jpg(name: str = "身份证.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(), content_type="image/jpeg")


@pytest.fixture
def x():
    return personas.institution(personas.X)


@pytest.fixture
def passer(x):
    """A new passer (certificate this year, no record) and X routed to 芙蓉区 for 临床."""
    route(x)
    scope("内科专业")
    return new_passer()


def register_post(institution, **extra) -> dict:
    data = {
        "institution": institution.pk,
        "level": Level.PHYSICIAN,
        "category": Category.CLINICAL,
        "scopes": [scope("内科专业").pk],
        "statement": "申请执业注册",
        "action": "submit",
    }
    data.update(extra)
    return data


# ------------------------------------------------------------------------------------ 智能引导


def test_guide_answers_with_the_type_the_materials_and_the_way_to_the_form(client, passer, x):
    """REG-2 智能引导: "practise at X" → 注册, nothing in the way, the province's materials, a link to the form."""
    client.force_login(passer)
    response = client.get("/accounts/apply/", {"want": "practise", "institution": x.pk, "action": "guide"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "建议办理：注册" in page
    assert "可以办理此项业务" in page
    assert "身份证复印件" in page and "《医师执业、变更执业、多机构备案申请审核表》" in page
    assert f'href="/accounts/apply/register/?institution={x.pk}"' in page


def test_guide_shows_the_person_rules_that_fail(client, passer, x):
    """REG-5 before any form: an open 注册 is named, with what to do."""
    application_save(doctor=passer, draft=registration_draft(institution=x))
    client.force_login(passer)
    page = client.get("/accounts/apply/", {"want": "practise", "institution": x.pk}).content.decode()
    assert "您已有一件“注册”业务正在办理中" in page
    assert "以下条件尚不满足" in page


def test_guide_searches_institutions_by_name_and_registration_number(client, passer, x):
    """The picker: a GET search fills the select with the matches only (no script needed)."""
    y = personas.institution(personas.Y)
    client.force_login(passer)
    page = client.get("/accounts/apply/", {"q": "芙蓉", "action": "search"}).content.decode()
    assert has_option(page, x.pk, "芙蓉医院")
    assert "天心医院" not in page
    assert "找到1家医疗机构" in page
    page = client.get("/accounts/apply/", {"q": y.registration_number, "action": "search"}).content.decode()
    assert has_option(page, y.pk, "天心医院") and "芙蓉医院（" not in page


def test_guide_lists_the_nine_types_word_for_word_and_the_in_person_cases(client, passer):
    """Seed 002 §2.4 业务说明, and the business that is explained, not offered."""
    client.force_login(passer)
    page = client.get("/accounts/apply/").content.decode()
    for text in (
        "凡取得国内医师资格的，均可申请医师执业注册。",
        "助师升医师完成后，助理医师注册信息自动失效。",
        "军队的医师要变更到本卫生计生委下的医疗机构进行执业，请在此处操作",
        "重要提示，变更到军队业务完成后，地方的注册信息全部失效。",
        "(10)、本人主动申请的",
        "按原医师多地点注册政策办理的医师多地点注册信息，可以查询和取消。不可新增。",
        "以下业务需到卫生计生行政主管部门或其指定机构直接办理：",
        "港澳台医师内地资格认定。",
    ):
        assert text in page, text
    assert page.count("点击进入") == 9


def test_guide_without_an_answer_says_so_next_to_the_question(client, passer):
    client.force_login(passer)
    response = client.get("/accounts/apply/", {"action": "guide", "want": "nonsense"})
    assert response.status_code == 400
    assert "请选择您要办理的业务。" in response.content.decode()


# ------------------------------------------------------------------------------------ the 注册 form


def test_register_form_shows_only_its_fields_and_the_location_the_institution_gives(client, passer, x):
    """REG-1/REG-2: institution, level, category, scopes, statement, attachments; 执业地点 shown, not asked."""
    client.force_login(passer)
    response = client.get(f"/accounts/apply/register/?institution={x.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert {"institution", "level", "category", "scopes", "statement"} <= set(form.fields)
    assert not {"record", "filing", "extra_location", "deregistration_reason", "military_unit"} & set(
        form.fields
    )
    assert "file_training" in form.fields and "file_id_card" in form.fields
    page = response.content.decode()
    assert has_option(page, x.pk, "芙蓉医院", selected=True)
    assert 'data-county="湖南省长沙市芙蓉区"' in page
    assert 'name="location"' not in page
    assert "选择医疗机构和医师级别后确定" in page  # no level yet


def test_a_new_passer_files_a_registration_with_an_attachment(client, passer, x, private_root):
    """REG-2, REG-4, ID-7: 提交申请 files it (机构审核中), the scan is stored privately, the log has two rows."""
    client.force_login(passer)
    response = client.post("/accounts/apply/register/", register_post(x, file_id_card=jpg()))
    application = Application.objects.get(doctor=passer)
    assert response.status_code == 302 and response.url == f"/accounts/applications/{application.pk}/"
    assert application.state == State.SUBMITTED
    assert application.institution == x and application.location.code == "430000"
    assert list(application.scopes.values_list("name", flat=True)) == ["内科专业"]
    attachment = application.attachments.get()
    assert attachment.kind == Attachment.Kind.ID_CARD and attachment.original_name == "身份证.jpg"
    assert [p.name for p in stored_files(private_root)] == [attachment.stored_name]
    assert list(application.events.values_list("action", flat=True)) == [Action.CREATE, Action.SUBMIT]
    page = client.get(response.url).content.decode()
    assert "申请已提交，请等待芙蓉医院确认" in page and "机构审核中" in page


def test_a_refused_filing_keeps_the_answers_shows_each_rule_and_stores_nothing(
    client, passer, x, private_root, assert_nothing_changed
):
    """REG-5 and the rules on 提交: every refusal next to its field (or above the form), nothing kept —
    no application, no attachment row, no file."""
    application_save(doctor=passer, draft=registration_draft(institution=x))  # an open 注册 already

    def scope_rule(ctx):
        return TransitionRefused("执业范围须属于您的资格类别。", code="scope_category", field="scopes")

    client.force_login(passer)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(rules.RULES, Kind.REGISTER, [rules.request_rule(scope_rule)])
        files_before = stored_files(private_root)
        with assert_nothing_changed("a refused 注册"):
            response = client.post("/accounts/apply/register/", register_post(x, file_id_card=jpg()))
    assert response.status_code == 400
    page = response.content.decode()
    assert "您已有一件“注册”业务正在办理中" in page  # REG-5, on the form
    assert '<ul class="field-errors" id="id_scopes_error"><li>执业范围须属于您的资格类别。' in page
    assert 'aria-describedby="id_scopes_error"' in page
    assert "申请未能提交" in page
    assert "申请执业注册</textarea>" in page  # the answers are kept
    assert stored_files(private_root) == files_before


def test_check_shows_the_failing_rules_without_saving(client, passer, x, assert_nothing_changed):
    """检查是否符合条件: the FORM-stage rules on the answers, nothing saved."""

    def institution_rule(ctx):
        return TransitionRefused("该机构不在您可注册的地区。", code="region", field="location")

    client.force_login(passer)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(rules.RULES, Kind.REGISTER, [rules.request_rule(institution_rule)])
        with assert_nothing_changed("检查"):
            response = client.post("/accounts/apply/register/", register_post(x, action="check"))
    page = response.content.decode()
    assert "检查未通过" in page and "申请未能提交" not in page
    # The 执业地点 follows the institution: the refusal stands next to the institution picker.
    assert '<ul class="field-errors" id="id_institution_error"><li>该机构不在您可注册的地区。' in page


def test_the_training_certificate_requirement_shows_before_filing_and_by_its_input(client, passer, x):
    """REG-6: a refusal about the attachments (the 医师执业培训合格证书) is listed as soon as the form opens,
    and after 提交 stands next to that file input."""

    def training_rule(ctx):
        if "training" in ctx.draft.attachment_kinds:
            return None
        return TransitionRefused(
            "须上传《医师执业培训合格证书》。", code="training_required", field="attachments"
        )

    client.force_login(passer)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(rules.RULES, Kind.REGISTER, [rules.request_rule(training_rule)])
        page = client.get(f"/accounts/apply/register/?institution={x.pk}").content.decode()
        assert "您目前还不能提交此项申请" in page and "须上传《医师执业培训合格证书》。" in page
        response = client.post("/accounts/apply/register/", register_post(x))
        assert (
            '<ul class="field-errors" id="id_file_training_error"><li>须上传《医师执业培训合格证书》。'
            in (response.content.decode())
        )
        assert not Application.objects.exists()
        response = client.post(
            "/accounts/apply/register/", register_post(x, file_training=jpg("培训合格证书.jpg"))
        )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.attachments.get().kind == Attachment.Kind.TRAINING
    # The record approval creates carries the qualification the 注册 rests on (the new passer's certificate).
    assert application.qualification is not None and application.qualification.level == Level.PHYSICIAN


def test_check_passes_when_no_rule_fails(client, passer, x):
    client.force_login(passer)
    response = client.post("/accounts/apply/register/", register_post(x, action="check"))
    assert "检查通过" in response.content.decode()
    assert not Application.objects.exists()


def test_save_draft_then_amend_and_submit(client, passer, x):
    """保存草稿 keeps a draft; 修改 opens the same form prefilled; 提交申请 from the detail page files it."""
    client.force_login(passer)
    response = client.post("/accounts/apply/register/", register_post(x, action="save"))
    application = Application.objects.get(doctor=passer)
    assert application.state == State.DRAFT
    assert response.url == f"/accounts/applications/{application.pk}/"
    page = client.get(response.url).content.decode()
    assert "草稿已保存" in page and "修改" in page
    response = client.get(f"/accounts/apply/register/?application={application.pk}")
    assert response.context["form"].initial["institution"] == x
    assert f'name="application" value="{application.pk}"' in response.content.decode()
    client.post(f"/accounts/applications/{application.pk}/submit/")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_upgrade_refused_as_a_change_offers_the_change_form(client, x):
    """REG-2 助理医师升执业医师: a refusal with code upgrade_is_change links to the 变更 form."""
    doctor, record = registered_doctor(at=x, level=Level.ASSISTANT)

    def upgrade_rule(ctx):
        return TransitionRefused(
            "主要执业机构、执业范围或类别与原注册不同，应办理“变更”。",
            code="upgrade_is_change",
            field="institution",
        )

    client.force_login(doctor)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(rules.RULES, Kind.UPGRADE, [rules.request_rule(upgrade_rule)])
        response = client.get("/accounts/apply/upgrade/")
    page = response.content.decode()
    # The one assistant record is preselected, with its institution, category and scope.
    assert response.context["form"].initial["record"] == record
    assert "应办理“变更”" in page
    assert f'href="/accounts/apply/change/?institution={x.pk}"' in page and "改为办理“变更”" in page


def test_an_html_file_named_jpg_is_refused_next_to_its_input(
    client, passer, x, private_root, assert_nothing_changed
):
    """ID-7: decoded and checked by content; the name lies, the page says so; nothing stored."""
    client.force_login(passer)
    fake = SimpleUploadedFile(
        "scan.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    with assert_nothing_changed("HTML as .jpg"):
        response = client.post("/accounts/apply/register/", register_post(x, file_id_card=fake))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_file_id_card_error"' in page
    assert stored_files(private_root) == []


def test_an_oversize_attachment_is_refused(client, passer, x, private_root, assert_nothing_changed):
    """ID-7: at most 5MB, refused before reading it."""
    client.force_login(passer)
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF", "application/pdf"
    )
    with assert_nothing_changed("oversize"):
        response = client.post("/accounts/apply/register/", register_post(x, file_contract=big))
    assert response.status_code == 400
    assert "附件不能超过5MB" in response.content.decode()
    assert stored_files(private_root) == []


def test_too_long_text_is_refused_next_to_the_field(client, passer, x, assert_nothing_changed):
    client.force_login(passer)
    with assert_nothing_changed("long statement"):
        response = client.post("/accounts/apply/register/", register_post(x, statement="长" * 501))
    assert response.status_code == 400
    assert 'id="id_statement_error"' in response.content.decode()


def test_invisible_characters_are_refused_next_to_the_field(client, passer, x, assert_nothing_changed):
    """The service's text check (NFKC, no zero-width or direction marks) lands next to its field."""
    client.force_login(passer)
    with assert_nothing_changed("zero-width"):
        response = client.post("/accounts/apply/register/", register_post(x, statement="申请\u200b注册"))
    assert response.status_code == 400
    assert (
        '<ul class="field-errors" id="id_statement_error"><li>含有看不见的特殊字符'
        in response.content.decode()
    )


def test_an_unknown_type_is_404_and_institution_types_are_not_offered(client, passer):
    client.force_login(passer)
    assert client.get("/accounts/apply/nothing/").status_code == 404
    assert client.get("/accounts/apply/rename/").status_code == 404  # INS-10: the institution's own


def test_each_doctor_type_has_a_form_with_only_its_fields(client, x):
    """REG-2: one form per type; the record-based ones offer the doctor's valid records only."""
    doctor, record = registered_doctor(at=x)
    client.force_login(doctor)
    expected = {
        Kind.CHANGE: {"record", "institution", "category", "scopes"},
        Kind.FILING: {"record", "institution", "scopes"},
        Kind.FILING_CANCEL: {"filing"},
        Kind.DEREGISTER: {"record", "deregistration_reason"},
        Kind.MILITARY_IN: {"institution", "level", "category", "scopes", "military_unit"},
        Kind.TO_MILITARY: {"record", "military_unit"},
        Kind.LOCATION_CANCEL: {"extra_location"},
        Kind.REISSUE: {"record"},
        Kind.E_CERTIFICATE: {"record"},
    }
    for kind, fields in expected.items():
        response = client.get(f"/accounts/apply/{kind}/")
        assert response.status_code == 200, kind
        form = response.context["form"]
        asked = {name for name in form.fields if not name.startswith("file_")} - {"statement"}
        assert asked == fields, kind
        if "record" in fields:
            assert list(form.fields["record"].queryset) == [record]


def test_a_deregistration_is_filed_with_its_reason_and_routed_to_the_main_institution(client, x):
    """注销: record + one of the ten reasons; the confirming institution follows from the record."""
    from tests.applications import reason

    doctor, record = registered_doctor(at=x)
    ten = reason("10")
    client.force_login(doctor)
    response = client.post(
        "/accounts/apply/deregister/",
        {"record": record.pk, "deregistration_reason": ten.pk, "statement": "本人申请", "action": "submit"},
    )
    assert response.status_code == 302
    application = Application.objects.get(doctor=doctor)
    assert application.kind == Kind.DEREGISTER and application.institution == x
    assert application.record == record and application.deregistration_reason == ten
    assert application.state == State.SUBMITTED


def test_another_doctors_record_cannot_be_chosen(client, x, doctor_b, assert_nothing_changed):
    doctor, _record = registered_doctor(at=x)
    other = doctor_b
    from registrations.models import PracticeRecord

    theirs = PracticeRecord.objects.get(id_number_digest=other.id_number_digest)
    client.force_login(doctor)
    with assert_nothing_changed("another's record"):
        response = client.post("/accounts/apply/reissue/", {"record": theirs.pk, "action": "submit"})
    assert response.status_code == 400
    assert "请选择您本人有效的执业注册。" in response.content.decode()


# ------------------------------------------------------------------------------------ 业务查询


def filed(doctor, institution) -> Application:
    return application_file(doctor=doctor, draft=registration_draft(institution=institution))


def test_the_list_shows_type_date_state_and_due_date(client, passer, x, officer_x):
    application = filed(passer, x)
    application_agree(officer=officer_x, application_id=application.pk)
    application.refresh_from_db()
    client.force_login(passer)
    page = client.get("/accounts/applications/").content.decode()
    assert "注册" in page and "卫健委审批中" in page and "芙蓉医院" in page
    assert application.due_date.isoformat() in page
    assert f'href="/accounts/applications/{application.pk}/"' in page


def test_the_list_costs_the_same_queries_for_1_and_30_applications(client, django_assert_num_queries):
    """业务查询: a constant number of queries, however many applications (one page of 20)."""
    from tests.factories import ApplicationFactory, DoctorFactory, make_resident_id

    doctor = DoctorFactory(activated=True, real_name="钱多", id_number=make_resident_id("430102", "19800101"))
    client.force_login(doctor)
    client.get("/accounts/applications/")  # the session is saved once after a login: not part of the page
    ApplicationFactory(doctor=doctor, submitted=True)
    # the session, the user, the paginator's count, one page of applications with institution and authority
    with django_assert_num_queries(4):
        page = client.get("/accounts/applications/").content.decode()
    assert "共1件业务申请" in page
    for _i in range(29):
        ApplicationFactory(doctor=doctor, withdrawn=True)
    with django_assert_num_queries(4):
        page = client.get("/accounts/applications/").content.decode()
    assert "共30件业务申请" in page and "第1页，共2页" in page


def test_the_detail_shows_the_timeline_by_role_never_by_name(client, passer, x, officer_x):
    """REG-4: every step with date, role, action and reason; the officer's name never shows."""
    application = filed(passer, x)
    application_agree(officer=officer_x, application_id=application.pk, note="材料齐全")
    client.force_login(passer)
    page = client.get(f"/accounts/applications/{application.pk}/").content.decode()
    for text in (
        "保存草稿",
        "提交申请",
        "机构同意",
        "医疗机构",
        "材料齐全",
        "机构审核中 → 卫健委审批中",
        "内科专业",
    ):
        assert text in page, text
    assert officer_x.real_name not in page and officer_x.username not in page


def test_another_doctors_application_is_404(client, passer, x, doctor_b):
    application = filed(passer, x)
    client.force_login(doctor_b)
    for url in (
        f"/accounts/applications/{application.pk}/",
        f"/accounts/applications/{application.pk}/withdraw/",
        f"/accounts/apply/register/?application={application.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/accounts/applications/{application.pk}/withdraw/").status_code == 404
    assert client.post(f"/accounts/applications/{application.pk}/submit/").status_code == 404


def test_what_the_institution_filed_about_the_doctor_shows_but_is_not_theirs_to_withdraw(
    client, x, assert_nothing_changed
):
    """INS-10: an institution's 申请注销 about the doctor is in their 业务查询, read-only."""
    from tests.factories import ApplicationFactory

    doctor, record = registered_doctor(at=x)
    filed_by_x = ApplicationFactory(
        kind=Kind.DEREGISTER,
        initiator="institution",
        doctor=None,
        real_name=doctor.real_name,
        id_number_digest=doctor.id_number_digest,
        institution=x,
        record=record,
        submitted=True,
        state=State.AGREED,
    )
    client.force_login(doctor)
    assert (
        f'href="/accounts/applications/{filed_by_x.pk}/"'
        in client.get("/accounts/applications/").content.decode()
    )
    page = client.get(f"/accounts/applications/{filed_by_x.pk}/").content.decode()
    assert "医疗机构" in page and "撤回</a>" not in page and "修改</a>" not in page
    with assert_nothing_changed("withdrawing the institution's filing"):
        assert client.post(f"/accounts/applications/{filed_by_x.pk}/withdraw/").status_code == 400
        assert client.post(f"/accounts/applications/{filed_by_x.pk}/submit/").status_code == 404


def test_withdraw_asks_then_withdraws(client, passer, x):
    """REG-4 撤回 before the institution acts: a confirmation page, then 已撤回 and a log row."""
    application = filed(passer, x)
    client.force_login(passer)
    page = client.get(f"/accounts/applications/{application.pk}/withdraw/").content.decode()
    assert "确定要撤回吗" in page and "确认撤回" in page
    response = client.post(f"/accounts/applications/{application.pk}/withdraw/", {"reason": "机构选错了"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert application.events.filter(action=Action.WITHDRAW, reason="机构选错了").exists()


def test_withdraw_after_the_institution_acted_is_refused_and_changes_nothing(
    client, passer, x, officer_x, assert_nothing_changed
):
    """REG-4: once the institution agreed, the doctor can no longer withdraw."""
    application = filed(passer, x)
    application_agree(officer=officer_x, application_id=application.pk)
    client.force_login(passer)
    page = client.get(f"/accounts/applications/{application.pk}/").content.decode()
    assert "撤回</a>" not in page
    assert "不能撤回" in client.get(f"/accounts/applications/{application.pk}/withdraw/").content.decode()
    with assert_nothing_changed("late withdraw"):
        response = client.post(f"/accounts/applications/{application.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    assert "该申请的状态已经改变" in response.content.decode()


def test_a_returned_application_is_amended_and_resubmitted(client, passer, x, officer_x):
    """REG-4: 已退回 → 修改 (the same form, prefilled, with the reason) → 重新提交 → 机构审核中."""
    from approvals.services import application_return
    from tests.applications import reviewer_for

    application = filed(passer, x)
    application_agree(officer=officer_x, application_id=application.pk)
    application.refresh_from_db()
    application_return(
        reviewer=reviewer_for(application.authority), application_id=application.pk, reason="照片不合格"
    )
    client.force_login(passer)
    detail = client.get(f"/accounts/applications/{application.pk}/").content.decode()
    assert "已退回" in detail and "照片不合格" in detail and "重新提交" in detail
    response = client.get(f"/accounts/apply/register/?application={application.pk}")
    page = response.content.decode()
    assert "卫生健康行政部门退回了此申请，原因：照片不合格" in page and "重新提交" in page
    response = client.post(
        "/accounts/apply/register/",
        register_post(x, application=application.pk, statement="已更换照片", file_photo=jpg("照片.jpg")),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.statement == "已更换照片"
    assert application.events.last().action == Action.RESUBMIT
    assert application.attachments.filter(kind=Attachment.Kind.PHOTO).exists()


def test_an_attachment_is_served_to_its_owner_only(client, passer, x, doctor_b):
    """ID-7: through the authorising view, with the right type, a file name, nosniff; another doctor 404."""
    client.force_login(passer)
    client.post("/accounts/apply/register/", register_post(x, file_id_card=jpg()))
    application = Application.objects.get(doctor=passer)
    attachment = application.attachments.get()
    url = f"/accounts/applications/{application.pk}/attachments/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"] and "filename" in response["Content-Disposition"]
    assert response.content == photo_bytes()
    client.force_login(doctor_b)
    assert client.get(url).status_code == 404
    client.force_login(passer)
    assert (
        client.get(f"/accounts/applications/{application.pk + 1}/attachments/{attachment.pk}/").status_code
        == 404
    )


def test_an_attachment_of_a_draft_can_be_removed(client, passer, x, private_root):
    client.force_login(passer)
    client.post("/accounts/apply/register/", register_post(x, action="save", file_id_card=jpg()))
    application = Application.objects.get(doctor=passer)
    attachment = application.attachments.get()
    page = client.get(f"/accounts/apply/register/?application={application.pk}").content.decode()
    assert "已上传的附件" in page
    response = client.post(f"/accounts/applications/{application.pk}/attachments/{attachment.pk}/remove/")
    assert response.status_code == 302
    assert not application.attachments.exists()


# ------------------------------------------------------------------------------------ 证书补办 (REG-9)


def test_reissue_page_offers_both_applications_and_files_one(client, x):
    doctor, record = registered_doctor(at=x)
    client.force_login(doctor)
    page = client.get("/accounts/reissue/").content.decode()
    assert "证书补办" in page and "申领电子证照" in page
    assert 'action="/accounts/apply/reissue/"' in page and 'action="/accounts/apply/e_certificate/"' in page
    assert 'id="reissue_record"' in page and 'id="e_certificate_record"' in page
    response = client.post(
        "/accounts/apply/e_certificate/",
        {"record": record.pk, "statement": "申领电子证照", "action": "submit"},
    )
    assert response.status_code == 302
    application = Application.objects.get(doctor=doctor, kind=Kind.E_CERTIFICATE)
    assert application.state == State.SUBMITTED and application.institution == x
    assert "查看办理进度" in client.get("/accounts/reissue/").content.decode()


# ------------------------------------------------------------------------------------ 首页 (ACC-8)


def test_home_shows_certificate_numbers_states_and_open_business(client, doctor_a):
    """ACC-8: each record's 执业证书编码 and state; "您有N件业务正在办理" linking to 业务查询."""
    client.force_login(doctor_a)
    page = client.get("/").content.decode()
    assert "110430100000001" in page and "注册状态" in page
    assert "正在办理" not in page
    route(personas.institution(personas.X))
    from registrations.models import PracticeRecord

    record = PracticeRecord.objects.get(certificate_number="110430100000001")
    application_file(
        doctor=doctor_a,
        draft=rules.Draft(kind=Kind.REISSUE, institution=record.main_institution, record=record),
    )
    page = client.get("/").content.decode()
    assert '<a href="/accounts/applications/">您有1件业务正在办理</a>' in page


def test_events_are_never_written_by_the_pages_on_refusal(client, passer, x, assert_nothing_changed):
    """A POST that fails validation writes no log row."""
    client.force_login(passer)
    before = ApplicationEvent.objects.count()
    with assert_nothing_changed("empty POST"):
        assert client.post("/accounts/apply/register/", {"action": "submit"}).status_code == 400
    assert ApplicationEvent.objects.count() == before
