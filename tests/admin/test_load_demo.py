"""load_demo builds the demo once and never twice (APP-3 demo data)."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from docregsys.reference.models import Announcement, Authority
from institutions.models import Institution, InstitutionAuthority
from qualifications.models import ExamResult, QualificationCertificate
from registrations.models import Application, ApplicationEvent, PracticeRecord
from tests.applications import scope
from tests.factories import region_tree

MODELS = [
    User,
    Authority,
    Institution,
    InstitutionAuthority,
    ExamResult,
    QualificationCertificate,
    Announcement,
    Application,
    ApplicationEvent,
]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_twice_gives_the_same_counts(db):
    """APP-3: idempotent demo data: reviewers, two institutions with officers, records, one notice."""
    region_tree()
    scope("内科专业"), scope("外科专业")  # load_reference's scopes, which the demo's applications name
    call_command("load_demo", stdout=io.StringIO())
    first = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first["Institution"] == 2
    assert first["Announcement"] == 1
    assert set(User.objects.filter(role="reviewer").values_list("authority__region_id", flat=True)) == {
        "430000",
        "430100",
        "430102",
    }
    assert User.objects.filter(role="officer").count() == 2
    assert User.objects.get(username="admin").is_superuser
    assert ExamResult.objects.filter(passed=False).count() == 1
    # REG-4: one application waiting for the hospital, one for 芙蓉区, one approved with its number.
    assert sorted(Application.objects.values_list("state", flat=True)) == ["agreed", "approved", "submitted"]
    approved = Application.objects.get(state="approved")
    assert PracticeRecord.objects.get(pk=approved.result_record_id).certificate_number


def test_load_demo_without_regions_says_so(db):
    """APP-3: without load_reference the command stops with a message, and a non-zero exit."""
    with pytest.raises(CommandError, match="load_reference"):
        call_command("load_demo")
    assert not User.objects.exists()
