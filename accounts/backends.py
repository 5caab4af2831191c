"""ACC-2: log in with the username, a verified mobile number or a qualification-certificate number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from docregsys.identity.normalize import normalize_code, normalize_phone, normalize_text


def user_for_login(identifier: str):
    """The account an identifier names, or None: username first, then verified phone, then certificate."""
    User = get_user_model()
    identifier = normalize_text(identifier)
    if not identifier:
        return None
    user = User.objects.filter(username=identifier).first()
    if user is not None:
        return user
    phone = normalize_phone(identifier)
    if phone.isascii() and phone.isdigit() and len(phone) == 11:
        return User.objects.filter(phone=phone, phone_verified_at__isnull=False).first()
    from qualifications.selectors import certificate_by_number

    certificate = certificate_by_number(normalize_code(identifier))
    if certificate is not None and certificate.id_number_digest:
        return User.objects.filter(
            role=User.Role.DOCTOR, id_number_digest=certificate.id_number_digest
        ).first()
    return None


class LoginIdentifierBackend(ModelBackend):
    """Like ModelBackend, but the "username" may be any of the three identifiers ACC-2 accepts."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
