"""Sign-up in two steps and its summary (ACC-1), the qualification check (ACC-3), identity correction, privacy."""

from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import decrypt_id_number, encrypt_id_number, mask_email, mask_phone
from docregsys.reference.selectors import announcement_list_current

from ..decorators import doctor_required
from ..forms.signup import IdentityUpdateForm, SignupAccountForm, SignupIdentityForm
from ..selectors import activation_next_step, activation_route_for, doctor_records
from ..services.signup import (
    ALREADY_ACTIVATED,
    account_id_number_check,
    account_identity_update,
    account_signup,
    qualification_check_run,
)
from . import layout_for

# Step 1's answers between the two steps: the name, and the ID number only as AES-GCM ciphertext.
SESSION_IDENTITY = "signup_identity"
# Set once the account is created: the summary page is shown to the session that created it.
SESSION_DONE = "signup_done"
LOGIN_BACKEND = "accounts.backends.LoginIdentifierBackend"


def mask_username(username: str) -> str:
    """ch...563 as in seed 002: enough to recognise it, not enough to read it over a shoulder."""
    if len(username) <= 5:
        return username[:1] + "..."
    return f"{username[:2]}...{username[-3:]}"


@require_http_methods(["GET", "POST"])
def signup(request):
    """ACC-1 step 1: 您的姓名, 身份证号, 验证码 and consent to the privacy policy."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupIdentityForm(request.POST or None)
    id_taken = False
    if request.method == "POST" and form.is_valid():
        try:
            account_id_number_check(id_number=form.cleaned_data["id_number"])
        except TransitionRefused as exc:
            id_taken = True
            exc.add_to_form(form)
        else:
            request.session[SESSION_IDENTITY] = {
                "real_name": form.cleaned_data["real_name"],
                "id_number_cipher": encrypt_id_number(form.cleaned_data["id_number"]),
            }
            return redirect("accounts:signup_account")
    # Seed 000: the sign-up page shows the notices (e.g. whether new passers' registration has opened).
    announcements = list(announcement_list_current())
    return render(
        request,
        "accounts/signup/identity.html",
        {"form": form, "id_taken": id_taken, "announcements": announcements},
    )


@require_http_methods(["GET", "POST"])
def signup_account(request):
    """ACC-1 step 2: 手机号码, 电子邮箱, 用户名称, 登录密码, 确认密码; then the account exists and is logged in."""
    identity = request.session.get(SESSION_IDENTITY)
    if request.user.is_authenticated:
        return redirect("home")
    if not identity:
        return redirect("accounts:signup")
    form = SignupAccountForm(request.POST or None, real_name=identity["real_name"])
    id_taken = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_signup(
                real_name=identity["real_name"],
                id_number=decrypt_id_number(identity["id_number_cipher"]),
                phone=data["phone"],
                email=data["email"],
                username=data["username"],
                password=data["password1"],
            )
        except TransitionRefused as exc:
            id_taken = exc.code == "id_number_taken"
            exc.add_to_form(form)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            request.session.pop(SESSION_IDENTITY, None)
            request.session[SESSION_DONE] = user.pk
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup/account.html", {"form": form, "id_taken": id_taken})


@doctor_required
def signup_done(request):
    """ACC-1: the account summary (masked, never the password) and "请牢记"."""
    user = request.user
    if request.session.get(SESSION_DONE) != user.pk:
        return redirect("accounts:check")
    summary = {
        "username": mask_username(user.username),
        "phone": mask_phone(user.phone),
        "email": mask_email(user.email),
    }
    return render(request, "accounts/signup/done.html", {"summary": summary})


@doctor_required
@require_http_methods(["GET", "POST"])
def check(request):
    """ACC-3 医师信息校验: GET shows what the records say today (a pure read); the page's button POSTs,
    which records the outcome (`checked_at`) and goes on to the next activation step."""
    user = request.user
    if request.method == "POST":
        qualification_check_run(user=user)
        step = activation_next_step(user)
        return redirect(step.url if step is not None else "home")
    records = doctor_records(user)
    # The route tells the page which activation this doctor is heading for (only path a waits for a code).
    route = activation_route_for(user=user, records=records)
    return render(
        request,
        "accounts/check/result.html",
        {"records": records, "route": route, "layout": layout_for(user)},
    )


@doctor_required
@require_http_methods(["GET", "POST"])
def identity_update(request):
    """检查和更新我的身份信息: correct the name/ID typed at sign-up, re-checked at once (before activation only)."""
    user = request.user
    context = {"layout": layout_for(user)}
    if user.is_activated:
        context["refusal"] = ALREADY_ACTIVATED
        return render(request, "accounts/check/identity.html", context, status=403)
    initial = {"real_name": user.real_name, "id_number": user.id_number}
    form = IdentityUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account_identity_update(
                user=user, real_name=form.cleaned_data["real_name"], id_number=form.cleaned_data["id_number"]
            )
        except TransitionRefused as exc:
            if exc.code == "already_activated":
                context["refusal"] = exc.message
                return render(request, "accounts/check/identity.html", context, status=403)
            exc.add_to_form(form)
        else:
            return redirect("accounts:check")
    context["form"] = form
    return render(request, "accounts/check/identity.html", context)


def privacy(request):
    """隐私政策: what the sign-up collects and why."""
    return render(request, "accounts/privacy.html", {"layout": layout_for(request.user)})


urlpatterns = [
    path("signup/", signup, name="signup"),
    path("signup/account/", signup_account, name="signup_account"),
    path("signup/done/", signup_done, name="signup_done"),
    path("check/", check, name="check"),
    path("check/identity/", identity_update, name="identity_update"),
    path("privacy/", privacy, name="privacy"),
]
