"""The console's entrance (INS-1): 医疗机构版系统登录, the SMS code step, the forced new password, 系统主页,
通知公告 and 安全设置.

Login is two steps for a browser the officer has not confirmed before (and always on the first login): the
password step only remembers *who* is pending in the session (the key rotated); the officer is logged in
when the SMS code is confirmed. Confirming makes this browser known: a random token in a signed, HttpOnly
cookie (Secure outside DEBUG), of which the database keeps only a keyed digest (`accounts.KnownDevice`).
"""

from __future__ import annotations

import datetime as dt
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms.console import ConsoleLoginForm, LoginCodeForm
from accounts.forms.security import PasswordChangeForm
from accounts.models import User
from accounts.services import security as security_services
from accounts.services.codes import client_ip
from accounts.services.officer_login import (
    code_minutes,
    officer_device_known,
    officer_device_remember,
    officer_login_code_confirm,
    officer_login_code_send,
)
from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Category
from docregsys.reference.selectors import announcement_list_current
from institutions.models import InstitutionAuthority
from institutions.selectors import institution_list_for
from registrations.models import PracticeRecord, ProfileChange
from registrations.selectors import practice_record_list_for

from . import officer_required
from .system import AUTHORITY_HEADINGS

PENDING = "console_login_pending"
PENDING_SECONDS = 15 * 60  # the code step must follow the password step within this time
BACKEND = "accounts.backends.LoginIdentifierBackend"
DEVICE_COOKIE = "__Host-console_device" if settings.SESSION_COOKIE_SECURE else "console_device"
DEVICE_SALT = "docregsys.console.device"
DEVICE_MAX_AGE = int(dt.timedelta(days=180).total_seconds())


# ------------------------------------------------------------------------------------------ helpers


def _is_officer(user) -> bool:
    return user.is_authenticated and user.is_officer and not user.is_superuser and bool(user.institution_id)


def _device_token(request) -> str | None:
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _pending_user(request) -> User | None:
    """The officer who passed the password step in this session and has not yet confirmed the code."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return User.objects.filter(
        pk=pending.get("user"), role=User.Role.OFFICER, is_active=True, institution__isnull=False
    ).first()


def _complete_login(request, officer: User, next_url: str = ""):
    """Log the officer in (a new session key) and go on: the forced new password first, if still owed."""
    request.session.pop(PENDING, None)
    auth_login(request, officer, backend=BACKEND)
    if officer.must_change_password:
        return redirect("console:password")
    return redirect(next_url or "console:home")


def _officer_only(view):
    """Logged-in officers, even with the initial password still to change (the forced password page)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('console:login')}?next={request.path}")
        if not _is_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --------------------------------------------------------------------------------------- the login


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    """医疗机构版系统登录: username, password, captcha; then the code step unless this browser is known."""
    if _is_officer(request.user):
        return redirect("console:home")
    form = ConsoleLoginForm(request, data=request.POST or None)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        officer = form.get_user()
        if officer_device_known(user=officer, token=_device_token(request)):
            return _complete_login(request, officer, next_url)
        if request.user.is_authenticated:
            auth_logout(request)  # another account's session ends here (and the key changes)
        else:
            request.session.cycle_key()  # nothing of the anonymous session carries into the pending login
        request.session[PENDING] = {"user": officer.pk, "at": time.time(), "next": next_url}
        try:
            officer_login_code_send(user=officer, client=client_ip(request))
        except TransitionRefused as exc:
            if exc.code == "no_phone":
                request.session.pop(PENDING, None)
                exc.field = None
                exc.add_to_form(form)
                return _render_login(request, form, next_url)
            # Too soon or over the day's quota: the code sent a moment ago still works.
            messages.warning(request, exc.message)
        return redirect("console:login_code")
    return _render_login(request, form, next_url)


def _render_login(request, form, next_url):
    return render(
        request,
        "institutions/entrance/login.html",
        {"form": form, "next": next_url, "announcements": list(announcement_list_current()[:5])},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    """The SMS code of the first login / an unknown browser; the officer is logged in only once it matches."""
    if _is_officer(request.user):
        return redirect("console:home")
    officer = _pending_user(request)
    if officer is None:
        request.session.pop(PENDING, None)
        return redirect("console:login")
    resend = request.method == "POST" and request.POST.get("action") == "resend"
    form = LoginCodeForm(request.POST if request.method == "POST" and not resend else None)
    if resend:
        try:
            officer_login_code_send(user=officer, client=client_ip(request))
        except TransitionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("校验码已重新发送，请查收短信。"))
        return redirect("console:login_code")
    if request.method == "POST" and form.is_valid():
        try:
            officer_login_code_confirm(user=officer, code=form.cleaned_data["code"])
        except TransitionRefused as exc:
            exc.field = "code"
            exc.add_to_form(form)
        else:
            next_url = request.session.get(PENDING, {}).get("next", "")
            token = officer_device_remember(user=officer, label=request.headers.get("User-Agent", ""))
            response = _complete_login(request, officer, next_url)
            response.set_signed_cookie(
                DEVICE_COOKIE,
                token,
                salt=DEVICE_SALT,
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
            return response
    return render(
        request,
        "institutions/entrance/code.html",
        {"form": form, "phone_masked": officer.phone_masked, "minutes": code_minutes()},
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@_officer_only
@require_http_methods(["GET", "POST"])
def password(request):
    """修改初始密码 (INS-1): owed after the first login; every console page waits until it is done."""
    forced = request.user.must_change_password
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            security_services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except TransitionRefused as exc:
            exc.add_to_form(form, fields={"new_password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("登录密码修改成功。"))
            return redirect("console:home")
    return render(request, "institutions/entrance/password.html", {"form": form, "forced": forced})


# ------------------------------------------------------------------------------------ console pages


def _province_code(institution) -> str | None:
    return f"{institution.region_id[:2]}0000" if institution.region_id else None


@officer_required
@require_GET
def home(request):
    """系统主页: the institution, its 审批机关 settings, a few counts and the province's announcements."""
    officer = request.user
    institution = institution_list_for(user=officer).select_related("region").get(pk=officer.institution_id)
    settings_by_category = {
        s.category: s.authority
        for s in InstitutionAuthority.objects.filter(institution=institution).select_related("authority")
    }
    authorities = [
        (AUTHORITY_HEADINGS[value], settings_by_category.get(value)) for value, _label in Category.choices
    ]
    doctors = (
        practice_record_list_for(user=officer)
        .filter(state=PracticeRecord.State.VALID)
        .aggregate(n=Count("id_number_digest", distinct=True))["n"]
    )
    pending_reviews = ProfileChange.objects.filter(
        institution_id=officer.institution_id, state=ProfileChange.State.PENDING
    ).count()
    announcements = list(announcement_list_current(province_code=_province_code(institution))[:10])
    return render(
        request,
        "institutions/entrance/home.html",
        {
            "institution": institution,
            "authorities": authorities,
            "doctor_count": doctors,
            "pending_reviews": pending_reviews,
            "announcements": announcements,
        },
    )


@officer_required
@require_GET
def notices(request):
    """综合信息 → 通知公告: the announcements in force for the institution's province."""
    institution = institution_list_for(user=request.user).get(pk=request.user.institution_id)
    announcements = announcement_list_current(province_code=_province_code(institution)).order_by(
        "-publish_from", "-pk"
    )
    return render(request, "institutions/entrance/notices.html", {"announcements": announcements})


@officer_required
@require_GET
def security(request):
    """系统功能 → 安全设置: the officer's phone (masked) and the ways to change it and the password."""
    return render(request, "institutions/entrance/security.html", {"account": request.user})


urlpatterns = [
    path("", login, name="login"),
    path("login/code/", login_code, name="login_code"),
    path("password/", password, name="password"),
    path("home/", home, name="home"),
    path("notices/", notices, name="notices"),
    path("security/", security, name="security"),
]
