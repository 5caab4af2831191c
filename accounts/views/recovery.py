"""ACC-6 pages: 找回您的登录账户 (chooser, by phone, by e-mail, by personal information, new password).

What the visitor typed and the reset grant live in the session, never in a URL.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import mask_email, mask_phone

from ..forms.recovery import (
    RecoverCodeForm,
    RecoverEmailForm,
    RecoverPersonalForm,
    RecoverPhoneForm,
    RecoverSetPasswordForm,
)
from ..services import recovery as svc
from ..services.codes import client_ip

DESTINATION_KEY = "recovery_destination"  # {"channel": "phone"|"email", "value": …}
GRANT_KEY = "recovery_grant"  # {"uid": …, "token": …}

# Per channel: what step 1 asks, which services run and which pages follow.
CHANNELS = {
    "phone": {
        "form": RecoverPhoneForm,
        "field": "phone",
        "title": _("通过手机找回"),
        "intro": _("手机号必须已经通过验证才能通过此方式找回登录账户！"),
        "sent": svc.PHONE_SENT,
        "send": lambda value, client: svc.account_recover_by_phone_send(phone=value, client=client),
        "confirm": lambda value, code: svc.account_recover_by_phone_confirm(phone=value, code=code),
        "mask": mask_phone,
        "to_label": _("手机号码"),
        "start": "accounts:recover_phone",
        "code_page": "accounts:recover_phone_code",
    },
    "email": {
        "form": RecoverEmailForm,
        "field": "email",
        "title": _("通过邮箱找回"),
        "intro": _("邮箱必须已经通过验证才能通过此方式找回登录账户！"),
        "sent": svc.EMAIL_SENT,
        "send": lambda value, client: svc.account_recover_by_email_send(email=value, client=client),
        "confirm": lambda value, code: svc.account_recover_by_email_confirm(email=value, code=code),
        "mask": mask_email,
        "to_label": _("电子邮箱"),
        "start": "accounts:recover_email",
        "code_page": "accounts:recover_email_code",
    },
}


def _store_grant(request, grant) -> None:
    request.session[GRANT_KEY] = {"uid": grant.uid, "token": grant.token}
    request.session.cycle_key()  # a fresh session id from here on: nobody holding the old one gets the grant


@never_cache
def recover(request):
    """The chooser: 找回您的登录账户."""
    return render(request, "accounts/recovery/choose.html")


def _send_step(request, channel: str):
    config = CHANNELS[channel]
    form = config["form"](request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data[config["field"]]
        try:
            config["send"](value, client_ip(request))
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            request.session[DESTINATION_KEY] = {"channel": channel, "value": value}
            messages.success(request, config["sent"])
            return redirect(config["code_page"])
    return render(
        request, "accounts/recovery/send.html", {"form": form, "channel": channel, "config": config}
    )


def _code_step(request, channel: str):
    config = CHANNELS[channel]
    destination = request.session.get(DESTINATION_KEY) or {}
    if destination.get("channel") != channel:
        return redirect(config["start"])
    form = RecoverCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = config["confirm"](destination["value"], form.cleaned_data["code"])
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            request.session.pop(DESTINATION_KEY, None)
            _store_grant(request, grant)
            return redirect("accounts:recover_password")
    return render(
        request,
        "accounts/recovery/code.html",
        {
            "form": form,
            "channel": channel,
            "config": config,
            "destination_masked": config["mask"](destination["value"]),
        },
    )


@never_cache
@sensitive_post_parameters("phone")
def recover_phone(request):
    """通过手机找回, step 1: the verified phone + captcha → 获取校验码 (same answer for any number)."""
    return _send_step(request, "phone")


@never_cache
@sensitive_post_parameters("code")
def recover_phone_code(request):
    """通过手机找回, step 2: the code → the account with that verified phone."""
    return _code_step(request, "phone")


@never_cache
@sensitive_post_parameters("email")
def recover_email(request):
    """通过邮箱找回, step 1: the verified e-mail + captcha → 获取校验码 (same answer for any address)."""
    return _send_step(request, "email")


@never_cache
@sensitive_post_parameters("code")
def recover_email_code(request):
    """通过邮箱找回, step 2: the code → the account with that verified e-mail."""
    return _code_step(request, "email")


@never_cache
@sensitive_post_parameters("real_name", "id_number", "certificate_number")
def recover_personal(request):
    """通过个人信息找回: the masked username; a new password only for an account that holds no power yet."""
    form = RecoverPersonalForm(request.POST or None)
    match = None
    if request.method == "POST" and form.is_valid():
        try:
            match = svc.account_recover_by_personal_info(
                real_name=form.cleaned_data["real_name"],
                id_number=form.cleaned_data["id_number"],
                certificate_number=form.cleaned_data["certificate_number"],
                client=client_ip(request),
            )
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            if match.grant is not None:
                _store_grant(request, match.grant)
            else:
                request.session.pop(GRANT_KEY, None)
    return render(
        request,
        "accounts/recovery/personal.html",
        {"form": form, "match": match, "protected_message": svc.PROTECTED},
    )


def _refuse_grant(request):
    request.session.pop(GRANT_KEY, None)
    messages.error(request, svc.TOKEN_INVALID)
    return redirect("accounts:recover")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def recover_password(request):
    """Set a new password with the grant kept in the session (30 minutes, single use)."""
    grant = request.session.get(GRANT_KEY)
    if not grant:
        return _refuse_grant(request)
    try:
        user = svc.account_for_reset(uid=grant["uid"], token=grant["token"])
    except TransitionRefused:
        return _refuse_grant(request)
    form = RecoverSetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.account_password_reset(
                user=user, token=grant["token"], new_password=form.cleaned_data["new_password1"]
            )
        except TransitionRefused as exc:
            if exc.field == "token":
                return _refuse_grant(request)
            exc.add_to_form(form, fields={"new_password": "new_password1"})
        else:
            request.session.pop(GRANT_KEY, None)
            messages.success(request, svc.RESET_DONE)
            return redirect("accounts:login")
    return render(
        request,
        "accounts/recovery/password.html",
        {"form": form, "username_masked": svc.mask_username(user.username)},
    )


urlpatterns = [
    path("recover/", recover, name="recover"),
    path("recover/phone/", recover_phone, name="recover_phone"),
    path("recover/phone/code/", recover_phone_code, name="recover_phone_code"),
    path("recover/email/", recover_email, name="recover_email"),
    path("recover/email/code/", recover_email_code, name="recover_email_code"),
    path("recover/personal/", recover_personal, name="recover_personal"),
    path("recover/password/", recover_password, name="recover_password"),
]
