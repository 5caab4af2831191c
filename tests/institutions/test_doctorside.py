"""Issue 9, the doctor's side as the seeds show it: activation texts per path, the guides in the doctor's
frame, Chinese unless chosen, the portal's entrances, the login labels, a neutral emblem."""

import pytest
from django.urls import reverse

from tests.factories import (
    CertificateFactory,
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

ID = make_resident_id(seq="731")
CODE_BY_SMS = "激活码会以短信方式发送至您的手机"
CODE_FROM_INSTITUTION = "用于接收医疗机构生成的激活码"


def doctor_on(path, id_number=ID, **traits):
    """A doctor whose activation route (accounts.selectors.activation_route_for) is a, b or c."""
    user = UserFactory(real_name="宋宏强", id_number=id_number, **traits)
    if path == "code":
        PracticeRecordFactory(
            real_name="宋宏强", id_number=id_number, main_institution=InstitutionFactory(name="山西大学医院")
        )
    elif path == "certificate":
        CertificateFactory(real_name="宋宏强", id_number=id_number)
    else:
        ExamResultFactory(real_name="宋宏强", id_number=id_number)
    return user


# ---------------------------------------------------------------- 1. activation speaks to the path


@pytest.mark.parametrize("page", ["accounts:check", "accounts:activation"])
def test_path_a_is_told_the_institution_code_comes_by_sms(client, page):
    """Seed 002 §1.3: a registered doctor verifies the phone to receive the institution's code."""
    client.force_login(doctor_on("code", checked=True))
    body = client.get(reverse(page)).content.decode()
    assert CODE_FROM_INSTITUTION in body and CODE_BY_SMS in body
    assert 'data-route="code"' in body


@pytest.mark.parametrize("page", ["accounts:check", "accounts:activation"])
@pytest.mark.parametrize(
    ("path", "what"), [("certificate", "医师资格证书编码"), ("ticket", "医学综合笔试准考证号码")]
)
def test_paths_b_and_c_are_not_told_about_an_institution_code(client, page, path, what):
    """Seed 002 FAQ / seed 001: paths b and c type a number they hold; no code arrives from anyone."""
    client.force_login(doctor_on(path, checked=True))
    body = client.get(reverse(page)).content.decode()
    assert CODE_FROM_INSTITUTION not in body and CODE_BY_SMS not in body
    assert f'data-route="{path}"' in body
    assert what in body and "无需向医疗机构申领激活码" in body
    assert "可使用手机号码作为登录用户名登录本系统" in body


@pytest.mark.parametrize("path", ["code", "certificate", "ticket"])
def test_verified_phone_line_mentions_the_code_on_path_a_only(client, path):
    client.force_login(doctor_on(path, phone_verified=True))
    body = client.get(reverse("accounts:activation")).content.decode()
    assert "已通过验证" in body
    assert (CODE_BY_SMS in body) is (path == "code")


def test_activation_page_links_email_verification_when_the_phone_is_not_verified(client):
    client.force_login(doctor_on("certificate", checked=True))
    body = client.get(reverse("accounts:activation")).content.decode()
    assert f'href="{reverse("accounts:verify_email")}"' in body
    assert f'href="{reverse("accounts:verify_phone")}"' in body


def test_path_d_box_explains_without_dead_links_or_promises(client):
    """Seed 002 FAQ: the explanation for doctors from provinces without electronic registration."""
    client.force_login(doctor_on("certificate", phone_verified=True))
    body = client.get(reverse("accounts:activation")).content.decode()
    assert "为方便未电子化注册省份的医师办理业务" in body
    assert 'href="#"' not in body and "即将开放" not in body


# ---------------------------------------------------------------- 2. the guides in the doctor's frame


@pytest.mark.parametrize("traits", [{}, {"activated": True}])
def test_guides_open_inside_the_doctors_frame_with_the_menu_entry_current(client, traits):
    client.force_login(UserFactory(**traits))
    for url in (reverse("qualifications:guides"), reverse("qualifications:guide", args=["exam"])):
        response = client.get(url)
        body = response.content.decode()
        assert 'class="audience-doctor"' in body and 'class="side-menu"' in body
        current = [str(label) for label, _url, is_current in response.context["nav_items"] if is_current]
        assert current == ["资格补改指南"]


def test_guides_stay_in_the_public_frame_for_visitors(client):
    body = client.get(reverse("qualifications:guide", args=["legacy"])).content.decode()
    assert 'class="audience-public"' in body and "side-menu" not in body


def test_exam_guide_cites_the_exam_centres_notice_from_seed_000(client):
    body = client.get(reverse("qualifications:guide", args=["exam"])).content.decode()
    assert 'href="http://www.nmec.org.cn/Pages/ArticleInfo-3-10722.html"' in body
    assert "卫办医政发〔2010〕1号" in body
    assert "姓名、性别、出生日期、学历、毕业学校、专业、身份证号和证书编码可以修改" in body
    assert "户籍所在地县级以上公安部门出具的证明材料" in body


@pytest.mark.parametrize("origin", ["exam", "legacy", "military"])
def test_guides_carry_no_invented_materials(client, origin):
    """The old guides listed materials no seed and no notice names; they are gone."""
    body = client.get(reverse("qualifications:guide", args=[origin])).content.decode()
    for invented in (
        "居民身份证原件及复印件",
        "离休证",
        "资格认定审批表",
        "成绩单或准考证",
        "申请表（考点提供",
    ):
        assert invented not in body


# ---------------------------------------------------------------- 3. Chinese unless the user picks English


def test_an_english_browser_still_gets_chinese(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body and "医师电子化注册信息系统" in body
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in response.get("Vary", "")


def test_english_after_choosing_it_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in body and "Announcements" in body
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("cookie", ["fr", "", "x" * 300])
def test_an_unknown_language_cookie_falls_back_to_chinese(client, cookie):
    client.cookies["django_language"] = cookie
    assert '<html lang="zh-hans">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_api_speaks_chinese_to_an_english_browser(client):
    response = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "zh-hans"


# ---------------------------------------------------------------- 4. the portal's entrances


def console_url():
    from accounts.views import console_entrance_url

    return console_entrance_url()


def test_home_offers_the_doctor_and_institution_entrances(client):
    body = client.get("/").content.decode()
    assert "医师个人端" in body and "机构端入口" in body
    assert f'href="{reverse("accounts:login")}"' in body
    assert f'href="{reverse("accounts:signup")}"' in body
    assert f'href="{console_url()}"' in body
    assert console_url().startswith("/institution/")


def test_home_claims_only_what_exists(client):
    body = client.get("/").content.decode()
    for claim in ("下载证书", "查询进度", "即将开放", "陆续开放", "均可在本系统网上申请"):
        assert claim not in body


def test_officer_home_points_to_the_console(client):
    client.force_login(UserFactory(officer=True))
    body = client.get("/").content.decode()
    assert f'href="{console_url()}"' in body and "陆续开放" not in body


# ---------------------------------------------------------------- 5. login as seeds 000/002 label it


def test_login_labels_title_and_captcha_as_in_the_seeds(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "<title>医师电子化注册信息系统（个人端）</title>" in body
    assert '<h1 class="panel-title" id="login-title">医师电子化注册信息系统（个人端）</h1>' in body
    assert '<label for="id_username">用户名/手机号码/资格证书编码' in body
    assert '<label for="id_password">密码' in body
    assert '<label for="id_captcha_1">验证码' in body and "换一张" in body
    assert (
        body.index('for="id_username"') < body.index('for="id_password"') < body.index('for="id_captcha_1"')
    )
    assert f'href="{console_url()}"' in body


# ---------------------------------------------------------------- 6. a neutral emblem, no code name


def test_emblem_is_no_cross_and_the_footer_names_no_project(client):
    body = client.get("/").content.decode()
    assert "M20.5 12.5h7v8h8v7h-8v8h-7v-8h-8v-7h8z" not in body  # the old white cross
    assert "#c8161d" not in body.split('class="emblem"', 1)[1].split("</svg>", 1)[0]
    footer = body.split('<footer class="site-footer">', 1)[1]
    assert "docregsys" not in footer and "技术支持" not in footer


def test_favicon_matches_the_header_emblem():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    favicon = (root / "static/img/emblem.svg").read_text()
    inline = (root / "templates/includes/emblem.svg").read_text()
    assert inline.strip() in favicon.replace(' xmlns="http://www.w3.org/2000/svg"', "")
