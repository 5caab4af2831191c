"""执业证书编码: one number for life, drawn at a doctor's first approved registration (REG-7).

Format (15 digits): PP YYYY NNNNNNNN C
- PP: the province of the first registration (the first two digits of its GB/T 2260 code);
- YYYY: the year of that approval;
- NNNNNNNN: a serial from one national sequence (PostgreSQL: a sequence, which never makes one approval
  wait for another; SQLite: a counter row);
- C: an ISO 7064 MOD 11,10 check digit, so a mistyped number on the public verification page is
  recognised as such instead of finding nobody.
Digits only, because the number is printed on the certificate, read aloud on the phone and typed on a
phone keypad. It says nothing about level, category or institution: those change, the number does not.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from .models import CertificateSequence

LENGTH = 15


def mod11_10_check(digits: str) -> str:
    """ISO 7064 MOD 11,10 check digit of a digit string."""
    product = 10
    for char in digits:
        total = (int(char) + product) % 10 or 10
        product = (total * 2) % 11
    return str((11 - product) % 10)


def is_valid_certificate_number(value: str) -> bool:
    """15 ASCII digits whose last is the check digit of the others."""
    return (
        len(value) == LENGTH
        and value.isascii()
        and value.isdigit()
        and mod11_10_check(value[:-1]) == value[-1]
    )


def _next_serial() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('registrations_certificate_seq')")
            return cursor.fetchone()[0]
    row, _created = CertificateSequence.objects.get_or_create(pk=1)
    CertificateSequence.objects.filter(pk=1).update(last=F("last") + 1)
    row.refresh_from_db()
    return row.last


def certificate_number_new(*, province_code: str, year: int) -> str:
    """A fresh 执业证书编码 for a first registration approved in `province_code` in `year`."""
    body = f"{province_code[:2]}{year:04d}{_next_serial() % 10**8:08d}"
    return body + mod11_10_check(body)
