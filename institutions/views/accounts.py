"""Console pages of 本院执业医师信息 for doctors' accounts: 医师账户激活 (INS-4), 撤销医师账户 and
本院医师账户管理 (INS-9, the institution path of account recovery).

Every doctor is fetched through `doctor_account_list_for(user=officer)`: another institution's doctor is a
404. Writes are POST only and call the services; a clear activation code is shown once, to the officer who
generated it (kept in the server-side session until the next page view), and never exported.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.forms.doctor_accounts import DoctorNameSearchForm, IssueAllForm, RevokeForm
from accounts.selectors import (
    activation_rows,
    doctor_account_list_for,
    doctor_account_records,
)
from accounts.services.activation import activation_code_issue, activation_code_issue_all
from accounts.services.recovery import doctor_login_reset_by_institution
from accounts.services.revocation import doctor_account_revoke
from docregsys.exceptions import TransitionRefused

from . import officer_required
from .tables import export_format, export_response, paginate

ONCE_KEY = "console_activation_code_once"


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _doctors(request):
    """The officer's doctors, filtered by the 医师姓名 search (a bad value is shown on the form, not a 500)."""
    form = DoctorNameSearchForm(request.GET or None)
    doctors = doctor_account_list_for(user=request.user)
    if form.is_valid() and form.cleaned_data["name"]:
        doctors = doctors.filter(real_name__contains=form.cleaned_data["name"])
    elif form.is_bound and not form.is_valid():
        doctors = doctors.none()
    return form, doctors


def _doctor(request, pk: int):
    return get_object_or_404(doctor_account_list_for(user=request.user), pk=pk)


# ------------------------------------------------------------------------------ 医师账户激活 (INS-4)

ACTIVATION_HEADERS = (
    _("姓名"),
    _("身份证号"),
    _("注册时间"),
    _("激活码"),
    _("是否激活"),
    _("资格验证状态"),
    _("操作"),
    _("激活码生成时间"),
    _("激活时间"),
)


@officer_required
@require_GET
def activation(request):
    """医师账户激活: the doctors here, their latest code (masked) and the 生成激活码 button."""
    form, doctors = _doctors(request)
    if (fmt := export_format(request)) is not None:
        rows = (
            (
                r.doctor.real_name,
                r.doctor.id_number_masked,
                _stamp(r.doctor.date_joined),
                r.code_masked,  # never the clear code in a file
                r.activated_label,
                r.checked_label,
                r.state,
                _stamp(r.code_created_at),
                _stamp(r.doctor.activated_at),
            )
            for r in activation_rows(doctors.iterator(chunk_size=500))
        )
        return export_response(fmt, name="医师账户激活", headers=ACTIVATION_HEADERS, rows=rows)
    page = paginate(request, doctors)
    context = {
        "form": form,
        "page": page,
        "rows": activation_rows(page.object_list),
        "once": request.session.pop(ONCE_KEY, None),
        "issue_all_form": IssueAllForm(),
    }
    return render(request, "institutions/accounts/activation.html", context)


@officer_required
@require_POST
def activation_issue(request, pk: int):
    """生成激活码 for one doctor: sent to their verified phone/e-mail, shown here once."""
    doctor = _doctor(request, pk)
    try:
        record = activation_code_issue(
            doctor=doctor, institution=request.user.institution, issued_by=request.user
        )
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        # The session lives on the server (database): the clear code never travels in a cookie.
        request.session[ONCE_KEY] = {"name": doctor.real_name, "code": record.code}
        messages.success(
            request,
            _("已为 %(name)s 生成激活码，并发送到医师已验证的%(channel)s。")
            % {"name": doctor.real_name, "channel": _("手机") if doctor.phone_verified else _("邮箱")},
        )
    return redirect("console:activation")


@officer_required
@require_POST
def activation_issue_all(request):
    """为全部符合条件的医师生成激活码: one request, every eligible doctor of the institution."""
    form = IssueAllForm(request.POST)
    renew = form.is_valid() and form.cleaned_data["renew"]
    count = activation_code_issue_all(
        institution=request.user.institution, issued_by=request.user, renew=renew
    )
    if count:
        messages.success(
            request,
            _("已为 %(count)d 名符合条件的医师生成激活码，并发送到医师已验证的手机或邮箱。")
            % {"count": count},
        )
    else:
        messages.info(request, _("没有需要生成激活码的医师。"))
    return redirect("console:activation")


# ------------------------------------------------------------------------------ 撤销医师账户 (INS-9)


def _sex(record) -> str:
    """性别 as the record holds it (filled from the resident ID number): no decryption per row."""
    return record.get_sex_display() if record is not None else ""


@officer_required
@require_GET
def revoke(request):
    """撤销医师账户: the doctors here with their valid record's category, level and scopes."""
    form, doctors = _doctors(request)
    page = paginate(request, doctors)
    records = doctor_account_records(page.object_list)
    rows = [(doctor, _sex(records.get(doctor.pk)), records.get(doctor.pk)) for doctor in page.object_list]
    return render(request, "institutions/accounts/revoke.html", {"form": form, "page": page, "rows": rows})


@officer_required
def revoke_confirm(request, pk: int):
    """撤销账户: the doctor's details, a required reason, then the revocation (POST)."""
    doctor = _doctor(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            doctor_account_revoke(officer=request.user, doctor=doctor, reason=form.cleaned_data["reason"])
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            messages.success(
                request,
                _("已撤销 %(name)s 的医师账户（用户名 %(username)s）。该医师可使用同一身份证号重新注册。")
                % {"name": doctor.real_name, "username": doctor.username},
            )
            return redirect("console:revoke")
    record = doctor_account_records([doctor]).get(doctor.pk)
    context = {"doctor": doctor, "sex": _sex(record), "record": record, "form": form}
    return render(request, "institutions/accounts/revoke_confirm.html", context)


# ------------------------------------------------------------------------------ 本院医师账户管理 (INS-9)


@officer_required
@require_GET
def accounts(request):
    """本院医师账户管理: the accounts of the doctors here, with 重置登录密码."""
    form, doctors = _doctors(request)
    if (fmt := export_format(request)) is not None:
        rows = (
            (
                d.real_name,
                d.id_number_masked,
                d.username,
                d.phone_masked if d.phone else "",
                str(_("已激活") if d.activated_at else _("未激活")),
                _stamp(d.date_joined),
                _stamp(d.last_login),
            )
            for d in doctors.iterator(chunk_size=500)
        )
        return export_response(fmt, name="本院医师账户管理", headers=ACCOUNT_HEADERS, rows=rows)
    page = paginate(request, doctors)
    return render(request, "institutions/accounts/accounts.html", {"form": form, "page": page})


ACCOUNT_HEADERS = (
    _("姓名"),
    _("身份证号"),
    _("用户名"),
    _("手机"),
    _("是否激活"),
    _("注册时间"),
    _("最近登录"),
)


@officer_required
@require_POST
def account_reset(request, pk: int):
    """重置登录密码: a new one-time password goes to the doctor, never to this page."""
    doctor = _doctor(request, pk)
    try:
        result = doctor_login_reset_by_institution(officer=request.user, doctor=doctor)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "已重置 %(name)s 的登录密码：用户名和临时密码已发送到医师已验证的%(channel)s %(destination)s，"
                "医师登录后须修改密码。"
            )
            % {
                "name": doctor.real_name,
                "channel": _("手机") if result.channel == "sms" else _("邮箱"),
                "destination": result.destination_masked,
            },
        )
    return redirect("console:accounts")


urlpatterns = [
    path("activation/", activation, name="activation"),
    path("activation/issue-all/", activation_issue_all, name="activation_issue_all"),
    path("activation/<int:pk>/issue/", activation_issue, name="activation_issue"),
    path("revoke/", revoke, name="revoke"),
    path("revoke/<int:pk>/", revoke_confirm, name="revoke_confirm"),
    path("doctor-accounts/", accounts, name="accounts"),
    path("doctor-accounts/<int:pk>/reset/", account_reset, name="account_reset"),
]
