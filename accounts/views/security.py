"""安全设置 (ACC-7) and 验证手机 / 验证邮箱 (ACC-4): open before activation, which needs a verified phone."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import mask_email, mask_phone

from ..forms.security import (
    EmailChangeSendForm,
    EmailConfirmForm,
    EmailSendForm,
    PasswordChangeForm,
    PhoneChangeSendForm,
    PhoneConfirmForm,
    PhoneSendForm,
)
from ..selectors import activation_next_step
from ..services import security as services
from ..services.codes import client_ip
from . import layout_for

TABS = ("phone", "email", "password")


def account_required(view):
    """Doctors (activated or not) and institution officers: the people with a phone, e-mail and password here."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_superuser or not (user.is_doctor or user.is_officer):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _render(request, template, context, status=200):
    return render(request, template, {"layout": layout_for(request.user), **context}, status=status)


def _after_verification(request, message):
    """Success: back to the doctor's next activation step if there is one, else to 安全设置."""
    messages.success(request, message)
    step = activation_next_step(request.user)
    return redirect(step.url if step is not None else reverse("accounts:security"))


@account_required
def security(request):
    """安全设置: the tabs 我的手机 | 我的邮箱 | 修改密码 with what is verified (masked) and what to do."""
    tab = request.GET.get("tab", "phone")
    if tab == "password":
        return redirect("accounts:password_change")
    if tab not in TABS:
        tab = "phone"
    return _render(request, "accounts/security/index.html", {"tab": tab})


def _code_page(request, *, kind, send_form_class, confirm_form_class, send, confirm, initial, template, done):
    """The shared flow of the four code pages: the send form, the confirm form, refusals on their fields."""
    field = "phone" if kind == "phone" else "email"
    mask = mask_phone if kind == "phone" else mask_email
    sent_to = ""
    send_form = send_form_class(initial={field: initial})
    confirm_form = confirm_form_class(prefix="confirm", initial={field: initial})
    if request.method == "POST" and request.POST.get("action") == "send":
        send_form = send_form_class(request.POST)
        if send_form.is_valid():
            try:
                sent_to = send(client=client_ip(request), **send_form.cleaned_data)
            except TransitionRefused as exc:
                exc.add_to_form(send_form)
            else:
                # The outbox row is saved: the code is on its way even if the broker is down right now.
                confirm_form = confirm_form_class(prefix="confirm", initial={field: sent_to})
    elif request.method == "POST" and request.POST.get("action") == "confirm":
        confirm_form = confirm_form_class(request.POST, prefix="confirm")
        if confirm_form.is_valid():
            data = confirm_form.cleaned_data
            try:
                confirm(**{field: data[field], "code": data["code"]})
            except TransitionRefused as exc:
                if exc.field != "code":
                    exc.field = None  # the destination is a hidden field: show the refusal above the code
                exc.add_to_form(confirm_form)
            else:
                return _after_verification(request, done)
        # Keep the destination the code went to in the visible field too.
        send_form = send_form_class(initial={field: confirm_form.data.get(f"confirm-{field}") or initial})
    return _render(
        request,
        template,
        {
            "send_form": send_form,
            "confirm_form": confirm_form,
            "sent_to": mask(sent_to) if sent_to else "",
            "minutes": settings.CODE_TTL_SECONDS // 60,
        },
    )


@account_required
@require_http_methods(["GET", "POST"])
def verify_phone(request):
    """验证手机 (ACC-4): the registration phone is prefilled and may be corrected until it is verified."""
    user = request.user
    if user.phone_verified:
        messages.info(request, _("您的手机号码已通过验证。"))
        return redirect("accounts:security")
    return _code_page(
        request,
        kind="phone",
        send_form_class=PhoneSendForm,
        confirm_form_class=PhoneConfirmForm,
        send=lambda **kw: services.phone_verify_send(user=user, **kw),
        confirm=lambda **kw: services.phone_verify_confirm(user=user, **kw),
        initial=user.phone,
        template="accounts/security/verify_phone.html",
        done=_("手机号码验证成功。"),
    )


@account_required
@require_http_methods(["GET", "POST"])
def verify_email(request):
    """验证邮箱 (ACC-4): the fallback when the SMS does not arrive."""
    user = request.user
    if user.email_verified:
        messages.info(request, _("您的邮箱已通过验证。"))
        return redirect(reverse("accounts:security") + "?tab=email")
    return _code_page(
        request,
        kind="email",
        send_form_class=EmailSendForm,
        confirm_form_class=EmailConfirmForm,
        send=lambda **kw: services.email_verify_send(user=user, **kw),
        confirm=lambda **kw: services.email_verify_confirm(user=user, **kw),
        initial=user.email,
        template="accounts/security/verify_email.html",
        done=_("邮箱验证成功。"),
    )


@account_required
@require_http_methods(["GET", "POST"])
def change_phone(request):
    """更换手机号 (ACC-7): current password, then a code to the NEW phone; only the code changes it."""
    user = request.user
    if not user.phone_verified:
        return redirect("accounts:verify_phone")
    return _code_page(
        request,
        kind="phone",
        send_form_class=PhoneChangeSendForm,
        confirm_form_class=PhoneConfirmForm,
        send=lambda **kw: services.phone_change_send(user=user, **kw),
        confirm=lambda **kw: services.phone_change_confirm(user=user, **kw),
        initial="",
        template="accounts/security/change_phone.html",
        done=_("手机号码已更换。"),
    )


@account_required
@require_http_methods(["GET", "POST"])
def change_email(request):
    """更换邮箱 (ACC-7): current password, then a code to the NEW address; only the code changes it."""
    user = request.user
    if not user.email_verified:
        return redirect("accounts:verify_email")
    return _code_page(
        request,
        kind="email",
        send_form_class=EmailChangeSendForm,
        confirm_form_class=EmailConfirmForm,
        send=lambda **kw: services.email_change_send(user=user, **kw),
        confirm=lambda **kw: services.email_change_confirm(user=user, **kw),
        initial="",
        template="accounts/security/change_email.html",
        done=_("邮箱已更换。"),
    )


@account_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """修改密码 (ACC-7): this session stays logged in, every other session of the account ends."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except TransitionRefused as exc:
            exc.add_to_form(form, fields={"new_password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("登录密码修改成功。"))
            return redirect("accounts:password_change")
    return _render(request, "accounts/security/password.html", {"form": form, "tab": "password"})


urlpatterns = [
    path("security/", security, name="security"),
    path("security/phone/", verify_phone, name="verify_phone"),
    path("security/email/", verify_email, name="verify_email"),
    path("security/phone/change/", change_phone, name="change_phone"),
    path("security/email/change/", change_email, name="change_email"),
    path("security/password/", password_change, name="password_change"),
]
