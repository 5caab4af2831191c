"""ACC-2: login by username, verified phone or qualification-certificate number."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import CertificateFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db
PASSWORD = "Passw0rd2024"


def login(identifier, password=PASSWORD):
    return authenticate(RequestFactory().post("/accounts/login/"), username=identifier, password=password)


@pytest.fixture
def doctor():
    number = make_resident_id("430102", "19900101", "123")
    user = UserFactory(username="doctor01", phone="13800138000", id_number=number)
    return user, number


def test_it_accepts_the_username(doctor):
    assert login("doctor01") == doctor[0]


def test_it_accepts_a_verified_phone_only(doctor):
    user, _ = doctor
    assert login("13800138000") is None
    user.phone_verified_at = timezone.now()
    user.save()
    assert login("13800138000") == user


def test_it_accepts_the_certificate_number_of_the_same_person(doctor):
    user, number = doctor
    CertificateFactory(number="199843110430102199001011234", id_number=number)
    assert login("199843110430102199001011234") == user


def test_another_persons_certificate_does_not_open_the_account(doctor):
    CertificateFactory(number="199843110430102199001019999", id_number=make_resident_id("430102", "19850505", "555"))
    assert login("199843110430102199001019999") is None


def test_wrong_password_and_unknown_identifier_are_refused(doctor):
    assert login("doctor01", "wrong-password1") is None
    assert login("nobody99") is None
