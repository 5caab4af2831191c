"""Home, login, logout, language and guide pages rendered through the test client (ACC-2, QUA-5, X-1, X-2)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AnnouncementFactory, UserFactory

CAPTCHA = {"captcha_0": "x", "captcha_1": "PASSED"}  # CAPTCHA_TEST_MODE accepts "PASSED"

pytestmark = pytest.mark.django_db

NOTICE = "医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知"


@pytest.fixture
def notices():
    AnnouncementFactory(title=NOTICE)
    AnnouncementFactory(title="已撤下的通告", is_active=False)
    AnnouncementFactory(title="已过期的通告", publish_until=timezone.now() - timedelta(days=1))
    AnnouncementFactory(title="尚未发布的通告", publish_from=timezone.now() + timedelta(days=1))


def test_home_renders_in_chinese_with_current_announcements_only(client, notices):
    """X-1: Chinese by default; only announcements in force are shown."""
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "医师电子化注册信息系统" in html
    assert "医师个人端" in html and "机构端入口" in html
    assert NOTICE in html
    for hidden in ("已撤下的通告", "已过期的通告", "尚未发布的通告"):
        assert hidden not in html


def test_home_offers_login_and_sign_up(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("accounts:login")}"' in html
    assert f'href="{reverse("accounts:signup")}"' in html
    assert "即将开放" not in html
    assert "A 在册医师" in html and "B 有资格从未注册" in html
    for origin in ("exam", "legacy", "military"):
        assert reverse("qualifications:guide", args=[origin]) in html


def test_login_page_renders_form_with_bound_labels_and_announcements(client, notices):
    """X-2: every label is tied to its input; help text is tied with aria-describedby."""
    html = client.get(reverse("accounts:login")).content.decode()
    assert "<title>医师电子化注册信息系统（个人端）</title>" in html
    assert '<label for="id_username">用户名/手机号码/资格证书编码' in html
    assert '<label for="id_password">密码' in html
    assert 'id="id_username"' in html and 'id="id_password"' in html
    assert 'aria-describedby="id_username_helptext"' in html
    assert 'id="id_username_helptext"' in html
    assert NOTICE in html
    assert "已过期的通告" not in html
    assert "忘记密码" in html and "找回账户" in html


def test_wrong_password_shows_chinese_error_and_keeps_username(client):
    """ACC-2, X-4: a clear Chinese message; what was typed is not lost."""
    UserFactory(username="doctor01")
    response = client.post(
        reverse("accounts:login"), {"username": "doctor01", "password": "wrong-pass1", **CAPTCHA}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录账号或密码不正确" in html
    assert 'role="alert"' in html
    assert 'value="doctor01"' in html


def test_empty_form_ties_errors_to_fields(client):
    html = client.post(
        reverse("accounts:login"), {"username": "", "password": "", **CAPTCHA}
    ).content.decode()
    assert 'id="id_username_error"' in html
    assert 'aria-invalid="true"' in html
    assert "id_username_helptext id_username_error" in html


def test_successful_login_redirects_home_and_header_shows_name_and_role(client):
    UserFactory(username="doctor02", real_name="王医生", activated=True)
    response = client.post(
        reverse("accounts:login"), {"username": "doctor02", "password": "Passw0rd2024", **CAPTCHA}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    html = client.get("/").content.decode()
    assert "王医生" in html
    assert '<span class="whoami-role">医师</span>' in html
    assert "基本信息" in html  # ACC-8: an activated doctor's home
    assert 'class="side-menu"' in html  # the doctor's layout


def test_officer_header_shows_institution(client):
    officer = UserFactory(officer=True, real_name="刘管理")
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert officer.institution.name in html
    assert "医疗机构注册管理员" in html


def test_reviewer_home_links_to_admin(client):
    reviewer = UserFactory(reviewer=True)
    client.force_login(reviewer)
    html = client.get("/").content.decode()
    assert reviewer.authority.name in html
    assert reverse("admin:index") in html
    assert "进入审批管理" in html


def test_first_login_of_a_doctor_lands_on_the_qualification_check(client):
    """ACC-3: right after the first login the home sends the doctor to 医师信息校验."""
    UserFactory(username="doctor05", real_name="王新", id_number="430102199001011234")
    client.post(reverse("accounts:login"), {"username": "doctor05", "password": "Passw0rd2024", **CAPTCHA})
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:check")


def test_logout_is_a_post_form_and_logs_out(client):
    user = UserFactory(activated=True)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert f'method="post" action="{reverse("accounts:logout")}"' in html
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "退出" not in client.get("/").content.decode()


def test_switching_to_english_through_setlang(client, notices):
    """X-1: the language switcher posts to /i18n/setlang/ and the pages turn English."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in html
    assert "Physician Electronic Registration System" in html
    assert "Sign in" in html
    assert "Password" in html
    home = client.get("/").content.decode()
    assert "Announcements" in home
    assert "Qualification correction guides" in home


def test_english_login_error(client):
    client.cookies["django_language"] = "en"
    UserFactory(username="doctor03")
    html = client.post(
        reverse("accounts:login"), {"username": "doctor03", "password": "nope1234", **CAPTCHA}
    ).content.decode()
    assert "incorrect" in html


@pytest.mark.parametrize(
    ("origin", "title", "authority"),
    [
        ("exam", "新人新办法医师资格信息修改及补录指南", "国家医学考试中心"),
        ("legacy", "老人老办法医师资格信息修改及补录指南", "省级卫生健康行政部门"),
        ("military", "军队离休及复转退人员医师资格信息补录指南", "卫生健康行政部门"),
    ],
)
def test_guide_pages_render_each_origin(client, origin, title, authority):
    """QUA-5: one guide per record origin, with breadcrumbs back to the index."""
    html = client.get(reverse("qualifications:guide", args=[origin])).content.decode()
    assert title in html
    assert authority in html
    assert "当前位置" in html
    assert f'href="{reverse("qualifications:guides")}"' in html


def test_guides_index_links_all_three(client):
    html = client.get(reverse("qualifications:guides")).content.decode()
    assert "关于补办或修改医师资格信息指南" in html
    for origin in ("exam", "legacy", "military"):
        assert reverse("qualifications:guide", args=[origin]) in html


def test_unknown_guide_is_404(client):
    assert client.get("/qualifications/guides/nonsense/").status_code == 404


def test_home_query_count_is_small_and_constant(client, django_assert_num_queries):
    AnnouncementFactory()
    with django_assert_num_queries(1):  # the announcements in force, with their region
        client.get("/")
    AnnouncementFactory.create_batch(5)
    with django_assert_num_queries(1):
        client.get("/")


def test_home_query_count_logged_in(client, django_assert_num_queries):
    client.force_login(UserFactory(officer=True))
    AnnouncementFactory.create_batch(3)
    # session, user, the officer's institution (header), announcements
    with django_assert_num_queries(4):
        client.get("/")


def test_lockout_shows_friendly_chinese_page(client, settings):
    """ACC-2: after the limit, a Chinese page instead of a bare 403/429."""
    settings.AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
    UserFactory(username="doctor04")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "doctor04", "password": "wrong-pass1", **CAPTCHA})
    response = client.post(
        reverse("accounts:login"), {"username": "doctor04", "password": "Passw0rd2024", **CAPTCHA}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "账号已暂时锁定" in html
    assert "15 分钟后再试" in html
