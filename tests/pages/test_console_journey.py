"""Issue 9's acceptance journey through the institution console in a real browser, at desktop and 375 px.

One flow per width: a reviewer creates an officer in the admin (INS-1) → the officer logs in at /institution/
with the SMS password and code and replaces the password → 审批机关设置 (INS-2) → 设置本院科室信息 with the
pinyin picker (INS-3) → 医师账户激活, codes for every eligible doctor (INS-4) → a doctor activates with the
code from their SMS (ACC-5) → the doctor's 信息维护 (REG-8) → 本院医师信息审核, 审核通过 (INS-7) → the doctor's
home shows the new 任职资格 → 主执业机构在本院医师 exported as XLSX (INS-5), read back with openpyxl.
Every main step is photographed (artifacts/screenshots/console-journey-<step>-<size>); the console's pages
never scroll sideways at 375 px.
"""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.models import User
from docregsys.reference.models import Title, TreatmentSubject
from institutions.models import Department, InstitutionAuthority
from registrations.models import PracticeRecord, ProfileChange
from tests import personas
from tests.factories import DoctorFactory, PracticeRecordFactory, make_resident_id
from tests.photos import photo_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
SUBJECTS = [("03", "内科"), ("03.01", "呼吸内科专业"), ("04", "外科")]
NEW_PASSWORD = "Hospital2026x"


def _texts_to(sms_inbox, phone: str) -> list[str]:
    texts = [m["text"] for m in sms_inbox() if m["to"] == phone]
    assert texts, f"no SMS was sent to {phone[:3]}…"
    return texts


def _eligible_doctors(x):
    """Two doctors the console may issue codes to: checked, phone verified, not activated, a valid record at X."""
    doctors = []
    for n, (name, username) in enumerate((("孙立", "sunli01"), ("钱芳", "qianfang01"))):
        number = make_resident_id("430102", f"1982050{n + 1}", f"{n + 3}17")
        PracticeRecordFactory(real_name=name, id_number=number, main_institution=x, state="valid")
        doctors.append(
            DoctorFactory(
                username=username,
                real_name=name,
                id_number=number,
                phone=f"1390731880{n}",
                checked=True,
                phone_verified=True,
            )
        )
    return doctors


@pytest.mark.parametrize("size", SIZES)
def test_console_journey(live_server, page, screenshot, sms_inbox, settings, tmp_path, size):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    for code, name in SUBJECTS:
        TreatmentSubject.objects.create(code=code, name=name, parent_id=code.rpartition(".")[0] or None)
    for code, name in (("231", "主任医师"), ("233", "主治医师")):
        Title.objects.get_or_create(code=code, defaults={"name": name})
    x = personas.institution(personas.X)
    county = personas.authority("furong")
    personas.authority("city")
    reviewer = personas.county_reviewer()
    doctor, other = _eligible_doctors(x)
    width = SIZES[size]["width"]
    page.set_viewport_size(SIZES[size])

    def look(step, *, console=True):
        screenshot(page, f"console-journey-{step}-{size}")
        if console:
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{step} scrolls sideways"

    def menu(top, sub):
        page.get_by_role("navigation", name="主导航").get_by_role("link", name=top).click()
        page.get_by_role("navigation", name="子菜单").get_by_role("link", name=sub, exact=True).click()

    # 1. The reviewer creates the officer in the admin (账户 › 用户 › 增加): the SMS carries username + password.
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", personas.PASSWORD)
    page.click("input[type=submit]")
    page.locator('a[href="/admin/accounts/user/add/"]').first.click()
    page.wait_for_url("**/admin/accounts/user/add/")
    officer_phone = "13907319900"
    page.fill("#id_username", "furongjw")
    page.fill("#id_real_name", "周敏")
    page.fill("#id_phone", officer_phone)
    page.select_option("#id_institution", label=x.name)
    look("1-admin-add-officer", console=False)
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/accounts/user/**")
    officer = User.objects.get(username="furongjw")
    assert officer.is_officer and officer.institution == x and officer.must_change_password
    sms = _texts_to(sms_inbox, officer_phone)[-1]
    username = re.search(r"用户名：(\w+)", sms).group(1)
    password = re.search(r"初始密码：(\w+)", sms).group(1)
    assert username == "furongjw"
    page.context.clear_cookies()

    # 2. The officer's first login: captcha, the SMS code, a new password, 系统主页.
    page.goto(live_server.url + "/institution/")
    page.get_by_label("用户名").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_label("验证码").fill("PASSED")
    look("2-login")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(live_server.url + "/institution/login/code/")
    page.get_by_label("短信校验码").fill(sms_inbox.last_code(officer_phone))
    look("2-code")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(live_server.url + "/institution/password/")
    page.get_by_label("当前登录密码").fill(password)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    look("2-password")
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url(live_server.url + "/institution/home/")
    expect(page.locator("main")).to_contain_text(x.name)
    look("2-home")
    officer.refresh_from_db()
    assert not officer.must_change_password
    officer_cookies = page.context.cookies()

    # 3. 系统功能 › 审批机关设置: the 临床 authority.
    menu("系统功能", "审批机关设置")
    block = page.get_by_role("region", name="临床类别医师审批机关")
    block.get_by_label("修改设置：").select_option(label=county.name)
    block.get_by_role("button", name="保存").click()
    expect(page.get_by_role("region", name="临床类别医师审批机关")).to_contain_text(
        f"当前设置为：{county.name}"
    )
    assert InstitutionAuthority.objects.get(institution=x, category="clinical").authority == county
    look("3-authorities")

    # 4. 系统功能 › 设置本院科室信息: a department from the picker ("nk" narrows to 内科 rows).
    menu("系统功能", "设置本院科室信息")
    page.get_by_label("科室名称").fill("内科")
    page.get_by_label("诊疗科目名称筛选").fill("nk")
    expect(page.locator("#subject-table tbody tr:visible")).to_have_count(2)  # 内科, 呼吸内科专业
    page.locator('input[name="subjects"][value="03"]').check()
    look("4-department-picker")
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".department-table")).to_contain_text("内科")
    department = Department.objects.get(institution=x)
    assert department.name == "内科" and list(department.subjects.values_list("code", flat=True)) == ["03"]
    look("4-departments")

    # 5. 本院执业医师信息 › 医师账户激活: codes for every eligible doctor at once.
    menu("本院执业医师信息", "医师账户激活")
    expect(page.get_by_role("heading", name="医师账户激活")).to_be_visible()
    page.get_by_role("button", name="为全部符合条件的医师生成激活码").click()
    expect(page.get_by_role("button", name="重新生成激活码")).to_have_count(2)
    look("5-activation-issued")
    codes = {}
    for person in (doctor, other):
        found = re.search(r"激活码为 ([A-Z0-9]+)", _texts_to(sms_inbox, person.phone)[-1])
        codes[person.pk] = found.group(1)
    assert len(set(codes.values())) == 2

    # The doctor logs in and activates with the code from their SMS.
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名/手机号码/资格证书编码").fill(doctor.username)
    page.get_by_label(re.compile(r"^密码")).fill(personas.PASSWORD)
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/accounts/activation/")  # not yet activated: straight to 激活
    page.get_by_label("请输入账户激活码").fill(codes[doctor.pk])
    look("5-doctor-activation", console=False)
    page.get_by_role("button", name="激活我的账户").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_text("您的账户已激活")).to_be_visible()
    expect(page.get_by_text(x.name).first).to_be_visible()
    look("5-doctor-home", console=False)
    doctor.refresh_from_db()
    assert doctor.is_activated and doctor.activation_path == "code"

    # 6. 信息维护: the doctor changes 任职资格 and uploads a photo; the officer approves it.
    page.goto(live_server.url + "/accounts/maintenance/")
    page.get_by_role("link", name="信息修改").click()
    page.get_by_label("毕业学校").fill("中南大学湘雅医学院")
    page.get_by_label("学历").select_option("本科")
    page.get_by_label("所学专业").fill("临床医学")
    page.get_by_label("任职资格").select_option("主任医师")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text(f"{x.name}审核中")).to_be_visible()
    page.get_by_role("link", name="点击上传相片").click()
    photo = tmp_path / "me.jpg"
    photo.write_bytes(photo_bytes(size=(354, 472)))
    page.locator("#id_photo").set_input_files(str(photo))
    page.get_by_role("button", name="点击上传您的相片").click()
    expect(page.get_by_alt_text("我上传的相片")).to_be_visible()
    look("6-doctor-maintenance", console=False)
    change = ProfileChange.objects.get(doctor=doctor)
    assert change.state == "pending" and change.info_changed and change.photo
    doctor_cookies = page.context.cookies()

    page.context.clear_cookies()
    page.context.add_cookies(officer_cookies)
    page.goto(live_server.url + "/institution/home/")
    menu("业务办理", "本院医师信息审核")
    expect(page.get_by_role("cell", name=doctor.real_name)).to_be_visible()
    look("6-review-queue")
    page.get_by_role("link", name="审核", exact=True).click()
    expect(page.get_by_text("该医师请求变更的内容")).to_be_visible()
    look("6-review-detail")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_text("已审核通过")).to_be_visible()
    change.refresh_from_db()
    assert change.state == "approved"
    assert PracticeRecord.objects.get(main_institution=x, real_name=doctor.real_name).title == "主任医师"

    page.context.clear_cookies()
    page.context.add_cookies(doctor_cookies)
    page.goto(live_server.url + "/")
    expect(page.get_by_text("主任医师")).to_be_visible()
    look("6-doctor-home-after", console=False)

    # 7. 主执业机构在本院医师 as XLSX, read back.
    page.context.clear_cookies()
    page.context.add_cookies(officer_cookies)
    page.goto(live_server.url + "/institution/home/")
    menu("本院执业医师信息", "主执业机构在本院医师")
    expect(page.get_by_role("heading", name="主执业机构在本院医师")).to_be_visible()
    look("7-doctors-main")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert doctor.real_name in cells and other.real_name in cells
    assert doctor.id_number not in cells  # masked in the export too
