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

from ..channels import CHANNELS, ContactChannel
from ..forms.security import ContactConfirmForm, ContactSendForm, PasswordChangeForm
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
    channel = CHANNELS[tab]
    context = {"tab": tab, "channel": channel, "verified": channel.is_verified(request.user)}
    return _render(
        request,
        "accounts/security/index.html",
        {**context, "current_masked": channel.mask(channel.value_of(request.user))},
    )


@account_required
@require_http_methods(["GET", "POST"])
def code_page(request, *, channel: ContactChannel, mode: str):
    """验证手机 / 验证邮箱 (ACC-4) and 更换手机号 / 更换邮箱 (ACC-7): a send form, then a confirm form.

    Verification: the value typed at sign-up is prefilled and may be corrected until it is verified.
    Change: current password, then a code to the NEW value; only the code changes it.
    """
    user = request.user
    verified = channel.is_verified(user)
    if mode == "verify" and verified:
        messages.info(request, channel.verified_info)
        return redirect(reverse("accounts:security") + channel.security_tab)
    if mode == "change" and not verified:
        return redirect(channel.verify_url)
    if mode == "verify":
        send, confirm = services.contact_verify_send, services.contact_verify_confirm
    else:
        send, confirm = services.contact_change_send, services.contact_change_confirm
    field = channel.name
    initial = channel.value_of(user) if mode == "verify" else ""
    sent_to = ""
    send_form = ContactSendForm(channel=channel, mode=mode, initial={field: initial})
    confirm_form = ContactConfirmForm(channel=channel, prefix="confirm", initial={field: initial})
    if request.POST.get("action") == "send":
        send_form = ContactSendForm(request.POST, channel=channel, mode=mode)
        if send_form.is_valid():
            data = dict(send_form.cleaned_data)
            try:
                sent_to = send(
                    channel=channel, user=user, value=data.pop(field), client=client_ip(request), **data
                )
            except TransitionRefused as exc:
                exc.add_to_form(send_form)
            else:
                # The outbox row is saved: the code is on its way even if the broker is down right now.
                confirm_form = ContactConfirmForm(channel=channel, prefix="confirm", initial={field: sent_to})
    elif request.POST.get("action") == "confirm":
        confirm_form = ContactConfirmForm(request.POST, channel=channel, prefix="confirm")
        if confirm_form.is_valid():
            data = confirm_form.cleaned_data
            try:
                confirm(channel=channel, user=user, value=data[field], code=data["code"])
            except TransitionRefused as exc:
                if exc.field != "code":
                    exc.field = None  # the destination is a hidden field: show the refusal above the code
                exc.add_to_form(confirm_form)
            else:
                return _after_verification(request, channel.page(mode).done)
        # Keep the destination the code went to in the visible field too.
        send_form = ContactSendForm(
            channel=channel, mode=mode, initial={field: confirm_form.data.get(f"confirm-{field}") or initial}
        )
    return _render(
        request,
        "accounts/security/code.html",
        {
            "channel": channel,
            "mode": mode,
            "page": channel.page(mode),
            "current_masked": channel.mask(channel.value_of(user)),
            "send_form": send_form,
            "confirm_form": confirm_form,
            "sent_to": channel.mask(sent_to) if sent_to else "",
            "minutes": settings.CODE_TTL_SECONDS // 60,
        },
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
    *(
        path(f"security/{channel.name}/{suffix}", code_page, {"channel": channel, "mode": mode}, name=name)
        for channel in CHANNELS.values()
        for mode, suffix, name in (
            ("verify", "", f"verify_{channel.name}"),
            ("change", "change/", f"change_{channel.name}"),
        )
    ),
    path("security/password/", password_change, name="password_change"),
]
