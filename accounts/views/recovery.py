"""ACC-6 pages: 找回您的登录账户 (chooser, by phone, by e-mail, by personal information, new password).

What the visitor typed and the reset grant live in the session, never in a URL.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from docregsys.exceptions import TransitionRefused

from ..channels import CHANNELS, ContactChannel
from ..forms.recovery import RecoverCodeForm, RecoverContactForm, RecoverPersonalForm, RecoverSetPasswordForm
from ..services import recovery as svc
from ..services.codes import client_ip

DESTINATION_KEY = "recovery_destination"  # {"channel": "phone"|"email", "value": …}
GRANT_KEY = "recovery_grant"  # {"uid": …, "token": …}


def _store_grant(request, grant) -> None:
    request.session[GRANT_KEY] = {"uid": grant.uid, "token": grant.token}
    request.session.cycle_key()  # a fresh session id from here on: nobody holding the old one gets the grant


@never_cache
def recover(request):
    """The chooser: 找回您的登录账户."""
    return render(request, "accounts/recovery/choose.html")


@never_cache
@sensitive_post_parameters("phone", "email")
def recover_send(request, *, channel: ContactChannel):
    """通过手机 / 邮箱找回, step 1: the verified phone / e-mail + captcha → 获取校验码 (same answer for any)."""
    form = RecoverContactForm(request.POST or None, channel=channel)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data[channel.name]
        try:
            svc.account_recover_by_contact_send(channel=channel, value=value, client=client_ip(request))
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            request.session[DESTINATION_KEY] = {"channel": channel.name, "value": value}
            messages.success(request, channel.recover_sent)
            return redirect(channel.recover_code_url)
    return render(request, "accounts/recovery/send.html", {"form": form, "channel": channel})


@never_cache
@sensitive_post_parameters("code")
def recover_code(request, *, channel: ContactChannel):
    """通过手机 / 邮箱找回, step 2: the code → the account that verified that phone / e-mail."""
    destination = request.session.get(DESTINATION_KEY) or {}
    if destination.get("channel") != channel.name:
        return redirect(channel.recover_url)
    form = RecoverCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = svc.account_recover_by_contact_confirm(
                channel=channel, value=destination["value"], code=form.cleaned_data["code"]
            )
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            request.session.pop(DESTINATION_KEY, None)
            _store_grant(request, grant)
            return redirect("accounts:recover_password")
    return render(
        request,
        "accounts/recovery/code.html",
        {"form": form, "channel": channel, "destination_masked": channel.mask(destination["value"])},
    )


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
    *(
        route
        for channel in CHANNELS.values()
        for route in (
            path(
                f"recover/{channel.name}/", recover_send, {"channel": channel}, name=f"recover_{channel.name}"
            ),
            path(
                f"recover/{channel.name}/code/",
                recover_code,
                {"channel": channel},
                name=f"recover_{channel.name}_code",
            ),
        )
    ),
    path("recover/personal/", recover_personal, name="recover_personal"),
    path("recover/password/", recover_password, name="recover_password"),
]
