"""Sign-up (ACC-1), the qualification check (ACC-3) and the correction of the name/ID typed at sign-up."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import id_number_digest

from ..models import User
from ..selectors import DoctorRecords, doctor_records
from .passwords import password_policy_check

# The same words whoever owns the number: they must not tell a stranger whose account it is (ACC-1, ACC-6).
ID_NUMBER_TAKEN = _("该身份证号已注册过账户。如忘记用户名或密码，请通过“找回您的登录账户”找回。")
USERNAME_TAKEN = _("该用户名已被使用，请换一个。")
ALREADY_ACTIVATED = _(
    "您的账户已激活，身份信息不能再自行修改。如需更正，请联系所在医疗机构或卫生健康行政部门。"
)


def _id_number_taken(number: str, *, exclude_pk: int | None = None) -> bool:
    doctors = User.objects.filter(role=User.Role.DOCTOR, id_number_digest=id_number_digest(number))
    if exclude_pk is not None:
        doctors = doctors.exclude(pk=exclude_pk)
    return doctors.exists()


def account_id_number_check(*, id_number: str) -> None:
    """Refuse an ID number that already has a doctor's account (sign-up step 1)."""
    if _id_number_taken(id_number):
        raise TransitionRefused(ID_NUMBER_TAKEN, code="id_number_taken", field="id_number")


def account_signup(
    *, real_name: str, id_number: str, phone: str, email: str, username: str, password: str
) -> User:
    """Create a doctor's account (phone and e-mail unverified); one account per ID number."""
    account_id_number_check(id_number=id_number)
    if User.objects.filter(username__iexact=username).exists():
        raise TransitionRefused(USERNAME_TAKEN, code="username_taken", field="username")
    user = User(role=User.Role.DOCTOR, username=username, real_name=real_name, phone=phone, email=email)
    # The validators compare the password with the username, name and e-mail of the account to be.
    password_policy_check(password=password, user=user, field="password")
    user.set_id_number(id_number)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two sign-ups raced past the checks above: the database constraints decide, same words.
        if _id_number_taken(id_number):
            raise TransitionRefused(ID_NUMBER_TAKEN, code="id_number_taken", field="id_number") from None
        raise TransitionRefused(USERNAME_TAKEN, code="username_taken", field="username") from None
    return user


def qualification_check_run(*, user: User) -> DoctorRecords:
    """ACC-3: match the account's name + ID number against the records; keep `checked_at` in step."""
    records = doctor_records(user)
    if records.passed and user.checked_at is None:
        now = timezone.now()
        User.objects.filter(pk=user.pk, checked_at__isnull=True).update(checked_at=now)
        user.checked_at = now
    elif not records.passed and user.checked_at is not None and not user.is_activated:
        # The name/ID was changed (or the records withdrawn) before activation: the check must be passed again.
        User.objects.filter(pk=user.pk, activated_at__isnull=True).update(checked_at=None)
        user.checked_at = None
    return records


def account_identity_update(*, user: User, real_name: str, id_number: str) -> User:
    """Correct the name/ID typed at sign-up (only before activation, never onto another account's number);
    the qualification check runs again at once on the corrected identity."""
    if user.is_activated:
        raise TransitionRefused(ALREADY_ACTIVATED, code="already_activated")
    if _id_number_taken(id_number, exclude_pk=user.pk):
        raise TransitionRefused(ID_NUMBER_TAKEN, code="id_number_taken", field="id_number")
    try:
        with transaction.atomic():
            # Lock the row: activation may be under way in another request.
            locked = User.objects.select_for_update().get(pk=user.pk)
            if locked.is_activated:
                raise TransitionRefused(ALREADY_ACTIVATED, code="already_activated")
            locked.real_name = real_name
            locked.set_id_number(id_number)
            locked.save(
                update_fields=["real_name", "id_number_cipher", "id_number_digest", "id_number_masked"]
            )
    except IntegrityError:
        raise TransitionRefused(ID_NUMBER_TAKEN, code="id_number_taken", field="id_number") from None
    user.real_name = locked.real_name
    user.id_number_cipher = locked.id_number_cipher
    user.id_number_digest = locked.id_number_digest
    user.id_number_masked = locked.id_number_masked
    qualification_check_run(user=user)
    return user
