"""ID numbers are stored encrypted with a lookup digest, never in clear (ID-1, X-3)."""

import pytest
from django.db import connection

from accounts.models import User
from docregsys.identity.crypto import (
    decrypt_id_number,
    encrypt_id_number,
    id_number_digest,
    mask_id_number,
    mask_phone,
)

ID = "430102199001011234"


def valid_id() -> str:
    from stdnum.cn import ric

    body = "43010219900101123"
    return body + ric.calc_check_digit(body + "0")


def test_round_trip_and_nonce():
    assert decrypt_id_number(encrypt_id_number(ID)) == ID
    assert encrypt_id_number(ID) != encrypt_id_number(ID)  # random nonce
    assert id_number_digest(ID) == id_number_digest(ID.lower())


def test_masks():
    assert mask_id_number(ID) == "4301**********1234"
    assert mask_phone("15175070658") == "151****0658"


@pytest.mark.django_db
def test_database_holds_no_clear_id_and_lookup_by_id_works():
    """X-3: the user table holds no clear ID number; lookup by digest still finds the user."""
    number = valid_id()
    user = User(username="doctor01", role=User.Role.DOCTOR, real_name="张三")
    user.set_id_number(number)
    user.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user WHERE id = %s", [user.pk])
        row = cursor.fetchone()
    assert not any(number in str(col) for col in row)
    assert not any(number[6:14] in str(col) for col in row if col is not None and "*" not in str(col))
    found = User.objects.get(id_number_digest=id_number_digest(number))
    assert found.pk == user.pk
    assert found.id_number == number
    assert found.id_number_masked == number[:4] + "*" * 10 + number[-4:]
