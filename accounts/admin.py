"""Accounts in the admin: reviewers issue officer accounts (INS-1, APP-3); the superuser sees every account.

A reviewer's user list is ``accounts.selectors.user_list_for``: only officers of institutions in scope,
never reviewers or doctors. ID numbers appear masked only; the ciphertext never leaves the model.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetPasswordMixin, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from approvals.admin import ReviewerScopedAdmin
from docregsys.adminsearch import IdDigestFilter, IdNumberSearchMixin
from docregsys.exceptions import TransitionRefused
from docregsys.identity.validators import (
    PASSWORD_MAX_LENGTH,
    validate_mobile,
    validate_real_name,
    validate_username,
    with_max_length,
)
from docregsys.reference.selectors import authority_list_for
from institutions.selectors import institution_list_for

from .models import ActivationCode, Question, User
from .selectors import (
    activation_code_list_for,
    activation_issuable_doctor_list_for,
    doctor_records,
    question_list_for,
    user_list_for,
)
from .services.activation import activation_code_issue, activation_code_issue_refusal
from .services.help import ANSWER_MAX, question_answer, question_text_clean
from .services.officers import officer_create, officer_create_refusal
from .services.passwords import password_errors


def _clean_with(validator, value, *, required=False):
    if not value and not required:
        return value
    try:
        return validator(value)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages, code=exc.code) from None


class OfficerCreationForm(forms.ModelForm):
    """INS-1: an officer account: username, real name, phone, institution; role forced.

    No password: `officer_create` (called by UserAdmin.save_model) draws the initial one and sends it to the
    officer's phone by SMS; nobody in the admin sees it. The form parses; the service decides and writes.
    """

    admin_user = None  # set by UserAdmin.get_form: whose scope the institution must lie in

    class Meta:
        model = User
        fields = ("username", "real_name", "phone", "institution")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("real_name", "phone", "institution"):
            if name in self.fields:
                self.fields[name].required = True
        if "phone" in self.fields:
            self.fields["phone"].help_text = _(
                "初始密码将以短信发送到该手机号码，首次登录的校验码也发送到这里。"
            )

    def clean_username(self):
        username = _clean_with(validate_username, self.cleaned_data.get("username"), required=True)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"), code="username_taken")
        return username

    def clean_real_name(self):
        return _clean_with(validate_real_name, self.cleaned_data.get("real_name"), required=True)

    def clean_phone(self):
        return _clean_with(validate_mobile, self.cleaned_data.get("phone"), required=True)

    def clean(self):
        cleaned = super().clean()
        if self.admin_user is not None and cleaned.get("role", User.Role.OFFICER) == User.Role.OFFICER:
            # The service's own rules, read before anything is written: the refusal lands on its field.
            refusal = officer_create_refusal(
                actor=self.admin_user,
                username=cleaned.get("username") or "",
                institution=cleaned.get("institution"),
            )
            if refusal is not None and not self.has_error(refusal.field):
                refusal.add_to_form(self)
        return cleaned

    def save(self, commit=False):
        # Nothing is saved here: UserAdmin.save_model creates the account through officer_create.
        user = super().save(commit=False)
        user.role = User.Role.OFFICER
        user.is_staff = False
        user.is_superuser = False
        user.authority = None
        return user


class SuperuserCreationForm(OfficerCreationForm):
    """The superuser's add form: any role, with the tenant that role needs.

    A reviewer's password is typed here; an officer's is drawn by `officer_create` and sent by SMS.
    """

    password1, password2 = (
        with_max_length(field, PASSWORD_MAX_LENGTH) for field in SetPasswordMixin.create_password_fields()
    )

    class Meta(OfficerCreationForm.Meta):
        fields = ("username", "real_name", "phone", "role", "institution", "authority")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].required = False
        self.fields["phone"].required = False
        for name in ("password1", "password2"):
            self.fields[name].required = False
        self.fields["password1"].help_text = _("医疗机构注册管理员无需填写：初始密码由系统生成并以短信发送。")

    def clean_phone(self):
        return _clean_with(validate_mobile, self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        _check_tenant(self, cleaned)
        role = cleaned.get("role")
        if role == User.Role.OFFICER:
            if not cleaned.get("phone") and not self.has_error("phone"):
                self.add_error("phone", _("请输入手机号码，初始密码将以短信发送到该号码。"))
        else:
            one, two = cleaned.get("password1"), cleaned.get("password2")
            if not one:
                self.add_error("password1", _("请输入密码。"))
            elif one != two:
                self.add_error("password2", _("两次输入的密码不一致。"))
            else:
                probe = User(username=cleaned.get("username") or "", role=role or User.Role.DOCTOR)
                for problem in password_errors(one, probe):
                    self.add_error("password1", problem)
        return cleaned

    def save(self, commit=True):
        user = forms.ModelForm.save(self, commit=False)
        user.is_staff = user.role == User.Role.REVIEWER
        if user.role != User.Role.OFFICER:
            user.set_password(self.cleaned_data["password1"])
            if commit:
                user.save()  # an officer is created by UserAdmin.save_model through officer_create
        return user


def _check_tenant(form, cleaned):
    role = cleaned.get("role")
    if role == User.Role.OFFICER and not cleaned.get("institution"):
        form.add_error("institution", _("医疗机构注册管理员必须属于一个医疗机构。"))
    if role == User.Role.REVIEWER and not cleaned.get("authority"):
        form.add_error("authority", _("审批人员必须属于一个审批机关。"))


class OfficerChangeForm(UserChangeForm):
    """What a reviewer may change on an officer account; the username is immutable (ID-3)."""

    class Meta:
        model = User
        fields = ("real_name", "phone", "email", "institution", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("real_name", "phone", "institution"):
            self.fields[name].required = True

    def clean_real_name(self):
        return _clean_with(validate_real_name, self.cleaned_data.get("real_name"), required=True)

    def clean_phone(self):
        return _clean_with(validate_mobile, self.cleaned_data.get("phone"), required=True)


class SuperuserChangeForm(UserChangeForm):
    """The superuser's form: every account; the phone checked as for everyone else (ID-5)."""

    class Meta(UserChangeForm.Meta):
        model = User

    def clean_phone(self):
        return _clean_with(validate_mobile, self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        _check_tenant(self, cleaned)
        return cleaned


class OneTimePasswordChangeForm(AdminPasswordChangeForm):
    """A password set in the admin is someone else's choice: an officer or a doctor replaces it at the next
    login, like the initial password sent by SMS (INS-1)."""

    password1, password2 = (
        with_max_length(field, PASSWORD_MAX_LENGTH) for field in SetPasswordMixin.create_password_fields()
    )

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = user.is_officer or user.is_doctor
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(IdNumberSearchMixin, ReviewerScopedAdmin, SimpleHistoryAdmin, DjangoUserAdmin):
    """Reviewers: officer accounts in scope (no deleting: deactivate). Superuser: every account."""

    def get_queryset(self, request):
        return self.ordered(request, user_list_for(user=request.user))

    reviewer_actions = ("view", "add", "change")
    list_select_related = ("institution", "authority")
    search_fields = ("username", "real_name")
    ordering = ("username",)
    actions = ("issue_activation_codes",)
    readonly_fields = ("id_number_masked", "id_type", "last_login", "date_joined", "phone_verified_at")
    add_form = OfficerCreationForm
    form = SuperuserChangeForm
    change_password_form = OneTimePasswordChangeForm

    officer_add_fieldsets = ((None, {"fields": ("username", "real_name", "phone", "institution")}),)
    superuser_add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "real_name",
                    "phone",
                    "role",
                    "institution",
                    "authority",
                    "password1",
                    "password2",
                )
            },
        ),
    )
    officer_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("管理员信息"), {"fields": ("real_name", "phone", "email", "institution", "is_active")}),
        (_("记录"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("个人信息"),
            {"fields": ("real_name", "id_type", "id_number_masked", "phone", "phone_verified_at", "email")},
        ),
        (_("角色"), {"fields": ("role", "institution", "authority")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("记录"), {"fields": ("last_login", "date_joined")}),
    )

    def changelist_view(self, request, extra_context=None):
        if not request.user.is_superuser:  # a reviewer only ever sees officer accounts here
            extra_context = {"title": _("医疗机构注册管理员账户"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_list_display(self, request):
        if request.user.is_superuser:
            return (
                "username",
                "real_name",
                "role",
                "tenant",
                "phone_masked",
                "id_number_masked",
                "is_active",
            )
        return ("username", "real_name", "institution", "phone_masked", "is_active", "last_login")

    def get_list_filter(self, request):
        # IdDigestFilter: the ID-number search made by POST, never a ?q= in the URL.
        if request.user.is_superuser:
            return ("role", "is_active", "is_staff", "is_superuser", IdDigestFilter)
        return ("is_active", IdDigestFilter)

    @admin.display(description=_("手机号码"))
    def phone_masked(self, obj):
        return obj.phone_masked

    @admin.display(description=_("所属机构"))
    def tenant(self, obj):
        return obj.institution or obj.authority or ""

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.superuser_add_fieldsets if request.user.is_superuser else self.officer_add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.officer_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return ("username", "last_login", "date_joined")
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if request.user.is_superuser:
            kwargs.setdefault("form", SuperuserCreationForm if obj is None else SuperuserChangeForm)
        else:
            kwargs.setdefault("form", OfficerCreationForm if obj is None else OfficerChangeForm)
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form = type(form.__name__, (form,), {"admin_user": request.user})
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "institution":
            kwargs["queryset"] = institution_list_for(user=request.user).filter(is_active=True)
        elif db_field.name == "authority":
            kwargs["queryset"] = authority_list_for(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and obj.role == User.Role.OFFICER:
            # INS-1: the service creates the officer; the admin shows what it made.
            data = form.cleaned_data
            created = officer_create(
                actor=request.user,
                username=data["username"],
                real_name=data["real_name"],
                institution=data["institution"],
                phone=data["phone"],
            )
            obj.__dict__.update({k: v for k, v in created.__dict__.items() if k != "_state"})
            obj._state.adding = False
            # Never shown: the password went to the officer's phone only.
            self.message_user(
                request,
                _("初始密码已通过短信发送至 %(phone)s，首次登录须输入短信校验码并修改初始密码。")
                % {"phone": created.phone_masked},
                messages.SUCCESS,
            )
            return
        if obj.role == User.Role.REVIEWER:
            obj.is_staff = True  # a reviewer works in the admin; role and authority say what they see
        super().save_model(request, obj, form, change)

    @admin.action(description=_("生成账户激活码"))
    def issue_activation_codes(self, request, queryset):
        """INS-4 until the institution console: a code for each selected doctor, sent to them."""
        institutions = institution_list_for(user=request.user)
        doctors = list(queryset.filter(role=User.Role.DOCTOR))
        if not doctors:
            self.message_user(request, _("所选账户中没有医师账户，未生成激活码。"), messages.WARNING)
        for doctor in doctors:
            institution = _institution_in_scope(doctor, institutions)
            if institution is None:
                self.message_user(
                    request,
                    _("%(name)s：没有主要执业机构在您管辖范围内的有效执业注册，不能生成激活码。")
                    % {"name": doctor.display_name},
                    messages.ERROR,
                )
                continue
            try:
                code = activation_code_issue(doctor=doctor, institution=institution, issued_by=request.user)
            except TransitionRefused as exc:
                self.message_user(request, f"{doctor.display_name}：{exc.message}", messages.ERROR)
            else:
                self.message_user(request, _issued_message(code), messages.SUCCESS)


def _institution_in_scope(doctor, institutions):
    """The main institution of the doctor's valid practice record, if it lies in the admin user's scope."""
    ids = set(institutions.values_list("pk", flat=True))
    for record in doctor_records(doctor).valid_records:
        if record.main_institution_id in ids:
            return record.main_institution
    return None


def _issued_message(code):
    return _(
        "已为 %(name)s 生成账户激活码 %(code)s（%(institution)s，%(date)s 前有效），并已发送给该医师。"
    ) % {
        "name": code.doctor.display_name,
        "code": code.code,
        "institution": code.institution.name,
        "date": timezone.localtime(code.expires_at).strftime("%Y-%m-%d %H:%M"),
    }


# ------------------------------------------------------------------------------ INS-4 activation codes


class DoctorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.real_name}（{obj.username}）"


class ActivationCodeIssueForm(forms.ModelForm):
    """Pick a doctor in scope; the institution is the main institution of their valid record."""

    class Meta:
        model = ActivationCode
        fields = ("doctor",)

    def clean(self):
        cleaned = super().clean()
        doctor = cleaned.get("doctor")
        if doctor is not None:
            self.institution = _institution_in_scope(doctor, institution_list_for(user=self.admin_user))
            refusal = (
                activation_code_issue_refusal(doctor=doctor, institution=self.institution)
                if self.institution is not None
                else TransitionRefused(
                    _("该医师没有主要执业机构在您管辖范围内的有效执业注册。"), field="doctor"
                )
            )
            if refusal is not None:
                self.add_error("doctor", refusal.message)
        return cleaned


@admin.register(ActivationCode)
class ActivationCodeAdmin(ReviewerScopedAdmin, SimpleHistoryAdmin):
    """INS-4: codes of the institutions in scope, read-only; 增加 issues a new one (the service sends it)."""

    def get_queryset(self, request):
        return self.ordered(request, activation_code_list_for(user=request.user))

    reviewer_actions = ("view", "add")
    list_display = ("doctor_name", "institution", "code", "created_at", "expires_at", "used_at", "state")
    list_select_related = ("doctor", "institution")
    list_filter = (("used_at", admin.EmptyFieldListFilter),)
    search_fields = ("doctor__real_name", "doctor__username", "institution__name", "code")
    date_hierarchy = "created_at"
    form = ActivationCodeIssueForm
    fields = ("doctor", "institution", "code", "issued_by", "created_at", "expires_at", "used_at")

    @admin.display(description=_("医师"), ordering="doctor__real_name")
    def doctor_name(self, obj):
        return obj.doctor.display_name

    @admin.display(description=_("状态"))
    def state(self, obj):
        if obj.used_at:
            return _("已使用")
        return _("已失效") if obj.expires_at <= timezone.now() else _("未使用")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return ("doctor",) if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form = type("ScopedActivationCodeIssueForm", (form,), {"admin_user": request.user})
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "doctor":  # only doctors in scope; no "add user" link next to it
            return DoctorChoiceField(
                queryset=activation_issuable_doctor_list_for(user=request.user),
                label=_("医师"),
                help_text=_("已通过医师信息校验、尚未激活、主要执业机构在您管辖范围内的医师。"),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The service issues and sends; the admin only shows what it made.
        record = activation_code_issue(
            doctor=obj.doctor, institution=form.institution, issued_by=request.user
        )
        for field in ("pk", "institution", "code", "issued_by", "created_at", "expires_at"):
            setattr(obj, field, getattr(record, field))
        obj._state.adding = False
        self.message_user(request, _issued_message(record), messages.SUCCESS)


def _mask_name(name: str) -> str:
    """王** for 王小明: reviewers answer the question, they need not know who asked (X-3)."""
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


class QuestionAnswerForm(forms.ModelForm):
    """The reviewer writes the reply only; `question_answer` (called by QuestionAdmin.save_model) saves it."""

    class Meta:
        model = Question
        fields = ("answer",)
        widgets = {"answer": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.fields["answer"].max_length = ANSWER_MAX

    def clean_answer(self):
        try:
            return question_text_clean(
                self.cleaned_data.get("answer"), label=_("回复"), max_length=ANSWER_MAX
            )
        except TransitionRefused as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


@admin.register(Question)
class QuestionAdmin(ReviewerScopedAdmin):
    """INS-12 客服回复管理: questions of the reviewer's region; the reviewer writes the answer, nothing else."""

    def get_queryset(self, request):
        return self.ordered(request, question_list_for(user=request.user))

    reviewer_actions = ("view", "change")
    form = QuestionAnswerForm
    list_display = (
        "title",
        "asker_masked",
        "asker_role",
        "region",
        "created_at",
        "is_answered",
        "answered_at",
    )
    list_filter = (("answered_at", admin.EmptyFieldListFilter),)
    search_fields = ("title",)
    date_hierarchy = "created_at"
    fields = (
        "asker_masked",
        "asker_role",
        "region",
        "title",
        "description",
        "created_at",
        "answer",
        "answered_by",
        "answered_at",
    )
    readonly_fields = tuple(name for name in fields if name != "answer")

    @admin.display(description=_("提问人"))
    def asker_masked(self, obj):
        return _mask_name(obj.asker.display_name)

    @admin.display(description=_("提问人角色"))
    def asker_role(self, obj):
        institution = obj.asker.institution.name if obj.asker.is_officer and obj.asker.institution_id else ""
        return f"{obj.asker.get_role_display()} {institution}".strip()

    @admin.display(description=_("是否已回复"), boolean=True)
    def is_answered(self, obj):
        return obj.answered

    def has_add_permission(self, request, *args):
        return False  # questions are asked by doctors and officers, never written here

    def has_delete_permission(self, request, obj=None):
        return bool(request.user.is_superuser and request.user.is_active)

    def save_model(self, request, obj, form, change):
        # The service answers (scope, answered_at once, the SMS); the admin never saves the row itself.
        try:
            question_answer(reviewer=request.user, question=obj, answer=form.cleaned_data["answer"])
        except TransitionRefused as exc:
            raise PermissionDenied(exc.message) from None
