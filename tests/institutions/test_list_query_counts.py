"""INS-3 … INS-11: every console list costs the same queries for 10 doctors as for 1,000.

The six INS-5 lists have their own test (test_doctors.py) and the statistics theirs (test_statistics.py);
this one covers the rest: 医师账户激活, 撤销医师账户, 本院医师账户管理, 本院医师所在科室信息维护,
本院医师信息审核 and 医师在外省注册情况 — each page asked with 10, then 1,000 doctors of X.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from docregsys.identity.crypto import identity_columns
from docregsys.reference.models import PracticeScope
from registrations.models import PracticeRecord, ProfileChange
from tests import personas
from tests.factories import AuthorityFactory, DepartmentFactory, make_resident_id

pytestmark = pytest.mark.django_db

PAGES = [
    "/institution/activation/",
    "/institution/revoke/",
    "/institution/doctor-accounts/",
    "/institution/system/department-members/",
    "/institution/reviews/",
    "/institution/outside/",
]


def _doctors(start: int, n: int, x, elsewhere) -> None:
    """n doctors of X in bulk: a valid record with a scope and a department, an account (checked, half
    activated), a pending information change, and a record in another province."""
    scope = PracticeScope.objects.get_or_create(
        code="0101", defaults={"name": "内科专业", "category": "clinical"}
    )[0]
    department = DepartmentFactory(institution=x, name=f"科室{start}")
    authority = AuthorityFactory(region=x.region)
    far_authority = AuthorityFactory(region=elsewhere.region)
    records, users, now = [], [], timezone.now()
    for i in range(start, start + n):
        cipher, digest, masked = identity_columns(make_resident_id("430102", "19800101", f"{i % 1000:03d}"))
        person = {
            "real_name": f"医师{i:04d}",
            "id_number_cipher": cipher,
            "id_number_digest": digest,
            "id_number_masked": masked,
        }
        common = {"level": "physician", "category": "clinical", "approval_date": dt.date(2020, 1, 1)}
        records.append(
            PracticeRecord(
                **person, **common, certificate_number=f"X{i:07d}", location=x.region, main_institution=x,
                authority=authority, department=department, sex="M", birth_date=dt.date(1980, 1, 1),
            )
        )  # fmt: skip
        records.append(
            PracticeRecord(
                **person, **common, certificate_number=f"W{i:07d}", location=elsewhere.region.parent,
                main_institution=elsewhere, authority=far_authority, sex="M", birth_date=dt.date(1980, 1, 1),
            )
        )  # fmt: skip
        users.append(
            User(
                **person, username=f"doc{i:05d}", role=User.Role.DOCTOR, checked_at=now,
                activated_at=now if i % 2 else None, password="!",
            )
        )  # fmt: skip
    records = PracticeRecord.objects.bulk_create(records)
    Through = PracticeRecord.scopes.through
    Through.objects.bulk_create([Through(practicerecord_id=r.pk, practicescope_id=scope.pk) for r in records])
    users = User.objects.bulk_create(users)
    ProfileChange.objects.bulk_create(
        [ProfileChange(doctor=u, institution=x, info_changed=True, title="主任医师") for u in users]
    )


def _queries(client, url, doctors: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert f"本次查询共查到{doctors}条数据" in response.content.decode(), url  # every doctor is listed
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_a_console_list_costs_the_same_queries_for_10_and_1000_doctors(client, officer_x, url):
    x = officer_x.institution
    elsewhere = personas.institution("jiangan")  # 湖北省: another province
    client.force_login(officer_x)
    client.get(url)  # the session's first request writes it once (last activity); not what is counted
    _doctors(0, 10, x, elsewhere)
    few = _queries(client, url, 10)
    _doctors(10, 990, x, elsewhere)
    many = _queries(client, url, 1000)
    assert few == many, f"{url}: {few} queries for 10 doctors, {many} for 1,000"
    assert few <= 12, f"{url}: {few} queries"
