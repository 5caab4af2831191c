"""API-3 change feed: which rows each effect and service writes, who sees them, resuming with the cursor,
the append-only rule and the query count; the concurrency property on PostgreSQL is in test_changes_pg.py.

The effects are approved through ``approvals.services.application_approve`` with the rules switched off
(``no_rules``), as in test_effects.py; the feed is read through the two endpoints.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services.departments import doctor_department_set
from docregsys.reference.models import Level
from registrations.models import ExtraLocation, Kind, PracticeRecord, RecordChange
from registrations.services.changes import (
    record_change_write,
    record_changes_backfill,
    record_changes_sequence,
    record_snapshot,
)
from registrations.services.profile import profile_change_approve
from tests import personas
from tests.applications import province_of, reason, registered_doctor, reviewer_for
from tests.factories import (
    CertificateFactory,
    DepartmentFactory,
    ExtraLocationFactory,
    FilingFactory,
    OfficerFactory,
    PracticeRecordFactory,
    ProfileChangeFactory,
)
from tests.registrations.test_effects import agreed, approve

C = RecordChange.Kind
INSTITUTION_FEED = "/api/v1/institution/changes/"
APPROVALS_FEED = "/api/v1/approvals/changes/"


@pytest.fixture
def no_rules(monkeypatch):
    """The effects alone: the approval's rule re-check answers "nothing refused"."""
    monkeypatch.setattr("approvals.selectors.application_refusals", lambda **kwargs: [])


def officer_of(institution):
    found = personas._existing(f"feed{institution.pk}")
    return found or OfficerFactory(username=f"feed{institution.pk}", institution=institution)


def feed(user, url=INSTITUTION_FEED, **params):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def kinds(user, url=INSTITUTION_FEED) -> list[tuple[str, int]]:
    """(kind, record id) of every change the user's feed holds, in feed order."""
    return [(row["kind"], row["record_id"]) for row in feed(user, url, limit=1000)["results"]]


# ------------------------------------------------------------------------------------ the effects


def test_registration_writes_one_created_row_with_the_public_fields(no_rules, x, y):
    """API-3: 注册 → one 新增 row at X with the record after it; no ID number, phone or birth date."""
    doctor, earlier = registered_doctor(at=y)
    earlier.state = PracticeRecord.State.DEREGISTERED
    earlier.save()
    certificate = CertificateFactory(real_name=doctor.real_name, id_number=doctor.id_number)
    application = agreed(
        Kind.REGISTER,
        institution=x,
        doctor=doctor,
        location=province_of(x),
        qualification=certificate,
        scopes=("内科专业", "儿科专业"),
    )
    approve(application)
    record = PracticeRecord.objects.get(main_institution=x, id_number_digest=doctor.id_number_digest)
    (row,) = feed(officer_of(x))["results"]
    assert row["kind"] == C.CREATED and row["record_id"] == record.pk
    assert row["application_id"] == application.pk and row["institution_id"] == x.pk
    snapshot = row["record"]
    assert snapshot["certificate_number"] == record.certificate_number
    assert snapshot["state"] == "valid" and snapshot["main_institution"] == {"id": x.pk, "name": x.name}
    assert [s["name"] for s in snapshot["scopes"]] == ["内科专业", "儿科专业"]
    assert snapshot["location"]["code"] == "430000"
    text = json.dumps(row, ensure_ascii=False)
    assert doctor.id_number not in text and doctor.id_number[6:14] not in text  # nor the birth date
    assert record.birth_date.isoformat() not in text and "id_number" not in text and "phone" not in text
    assert feed(officer_of(y))["results"] == []  # Y held the old, already deregistered record


def test_upgrade_creates_the_new_record_lapses_the_old_and_moves_the_filing(no_rules, x, y):
    """API-3 助理升执业: X sees 新增 (new) and 失效 (old); Y, where the filing lies, sees it move."""
    doctor, assistant = registered_doctor(at=x, level=Level.ASSISTANT)
    FilingFactory(record=assistant, institution=y)
    certificate = CertificateFactory(
        real_name=doctor.real_name, id_number=doctor.id_number, level=Level.PHYSICIAN, year_obtained=2022
    )
    application = agreed(
        Kind.UPGRADE,
        institution=x,
        doctor=doctor,
        record=assistant,
        level=Level.PHYSICIAN,
        qualification=certificate,
    )
    approve(application)
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state="valid")
    assert kinds(officer_of(x)) == [(C.CREATED, new.pk), (C.LAPSED, assistant.pk), (C.FILING_MOVED, new.pk)]
    assert kinds(officer_of(y)) == [(C.FILING_MOVED, new.pk)]
    moved = feed(officer_of(y))["results"][0]["record"]
    assert moved["level"] == Level.PHYSICIAN and moved["filing"]["institution"]["id"] == y.pk


def test_change_to_another_province_x_sees_transferred_out_and_the_target_the_new_record(
    no_rules, x, y, jiangan, hetang
):
    """API-3 变更 X → 江岸医院 (湖北): X sees 变更出 and the cancelled filing; 江岸 sees the new record; Y (the
    filing) sees it cancelled; 荷塘 (多地点) sees that cancelled; nobody else sees anything."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y)
    place = ExtraLocationFactory(record=record, institution=hetang)
    application = agreed(
        Kind.CHANGE, institution=jiangan, doctor=doctor, record=record, location=province_of(jiangan)
    )
    approve(application)
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state="valid")
    assert kinds(officer_of(x)) == [
        (C.TRANSFERRED_OUT, record.pk),
        (C.FILING_CANCELLED, record.pk),
        (C.LOCATION_CANCELLED, record.pk),
    ]
    assert kinds(officer_of(jiangan)) == [(C.CREATED, new.pk)]
    assert kinds(officer_of(y)) == [(C.FILING_CANCELLED, record.pk)]
    assert kinds(officer_of(hetang)) == [(C.LOCATION_CANCELLED, record.pk)]
    out = feed(officer_of(x))["results"]
    assert out[0]["record"]["state"] == "transferred_out"
    assert (
        out[1]["record"]["filing"]["id"] == filing.pk and out[1]["record"]["filing"]["state"] == "cancelled"
    )
    assert out[2]["record"]["extra_location"]["id"] == place.pk
    assert feed(officer_of(jiangan))["results"][0]["record"]["location"]["code"] == "420000"


def test_change_within_the_province_is_seen_by_the_new_and_the_old_institution(no_rules, x, y, hetang):
    """API-3 变更 X → Y (same province): the record changes in place; Y and X both see it, 荷塘 does not."""
    doctor, record = registered_doctor(at=x)
    approve(agreed(Kind.CHANGE, institution=y, doctor=doctor, record=record, scopes=("外科专业",)))
    assert kinds(officer_of(y)) == [(C.CHANGED, record.pk)]
    assert kinds(officer_of(x)) == [(C.CHANGED, record.pk)]
    (row,) = feed(officer_of(y))["results"]
    assert row["institution_id"] == y.pk and row["other_institution_id"] == x.pk
    assert [s["name"] for s in row["record"]["scopes"]] == ["外科专业"]
    assert kinds(officer_of(hetang)) == []


def test_filing_at_y_is_seen_by_y_and_x(no_rules, x, y, hetang):
    """API-3 多执业机构备案 at Y: one row, in X's feed (main) and Y's (filing), not 荷塘's."""
    doctor, record = registered_doctor(at=x)
    approve(agreed(Kind.FILING, institution=y, doctor=doctor, record=record, scopes=("内科专业",)))
    assert kinds(officer_of(y)) == [(C.FILING_ADDED, record.pk)]
    assert kinds(officer_of(x)) == [(C.FILING_ADDED, record.pk)]
    assert kinds(officer_of(hetang)) == []
    filing = feed(officer_of(y))["results"][0]["record"]["filing"]
    assert filing["state"] == "valid" and [s["name"] for s in filing["scopes"]] == ["内科专业"]


def test_filing_cancel_and_location_cancel_each_write_a_row(no_rules, x, y, hetang):
    """API-3 取消备案 / 取消多地点: one row each, seen by the institution concerned."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y)
    place = ExtraLocationFactory(record=record, institution=hetang)
    approve(agreed(Kind.FILING_CANCEL, institution=y, doctor=doctor, record=record, filing=filing))
    approve(agreed(Kind.LOCATION_CANCEL, institution=x, doctor=doctor, record=record, extra_location=place))
    assert kinds(officer_of(x)) == [(C.FILING_CANCELLED, record.pk), (C.LOCATION_CANCELLED, record.pk)]
    assert kinds(officer_of(y)) == [(C.FILING_CANCELLED, record.pk)]
    assert kinds(officer_of(hetang)) == [(C.LOCATION_CANCELLED, record.pk)]


def test_deregistration_writes_the_record_and_its_filings_end(no_rules, x, y, hetang):
    """API-3 注销: 注销 row, then the filing's cancellation; Y sees only the latter; 荷塘 nothing."""
    doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=y)
    approve(
        agreed(
            Kind.DEREGISTER, institution=x, doctor=doctor, record=record, deregistration_reason=reason("10")
        )
    )
    assert kinds(officer_of(x)) == [(C.DEREGISTERED, record.pk), (C.FILING_CANCELLED, record.pk)]
    assert kinds(officer_of(y)) == [(C.FILING_CANCELLED, record.pk)]
    assert kinds(officer_of(hetang)) == []
    assert feed(officer_of(x))["results"][0]["record"]["state"] == "deregistered"


def test_to_military_writes_a_row_per_valid_record(no_rules, x, jiangan):
    """API-3 变更到军队: each valid record (湖南 at X, 湖北 at 江岸) → 军队, each in its institution's feed."""
    doctor, hunan = registered_doctor(at=x)
    hubei = PracticeRecordFactory(
        real_name=doctor.real_name,
        id_number=doctor.id_number,
        main_institution=jiangan,
        location=province_of(jiangan),
        certificate_number=hunan.certificate_number,
    )
    approve(
        agreed(Kind.TO_MILITARY, institution=x, doctor=doctor, record=hunan, military_unit="中部战区总医院")
    )
    assert kinds(officer_of(x)) == [(C.MILITARY, hunan.pk)]
    assert kinds(officer_of(jiangan)) == [(C.MILITARY, hubei.pk)]


def test_archive_writes_an_archived_row(no_rules, x):
    """API-3 注册备案 (INS-10): the record's 备案 is in X's feed."""
    from tests.applications import filing_reason

    doctor, record = registered_doctor(at=x)
    approve(
        agreed(Kind.ARCHIVE, institution=x, doctor=doctor, record=record, filing_reason=filing_reason("02"))
    )
    assert kinds(officer_of(x)) == [(C.ARCHIVED, record.pk)]


def test_certificate_reissue_writes_nothing(no_rules, x):
    """API-3: 证书补办 changes no record: no row."""
    doctor, record = registered_doctor(at=x)
    approve(agreed(Kind.REISSUE, institution=x, doctor=doctor, record=record))
    assert RecordChange.objects.count() == 0


def test_rename_writes_a_changed_row_per_valid_record_with_the_new_name(no_rules, x, y):
    """API-3 机构更名变更: each valid record of X shows the new name; a deregistered one gets no row; Y's
    doctor filed at X and Y's doctor with 多地点 at X are told too (Y's feed)."""
    _doctor, record = registered_doctor(at=x)
    PracticeRecordFactory(main_institution=x, deregistered=True)
    filing = FilingFactory(record=PracticeRecordFactory(main_institution=y), institution=x)
    place = ExtraLocationFactory(record=PracticeRecordFactory(main_institution=y), institution=x)
    from registrations.models import Initiator

    approve(
        agreed(
            Kind.RENAME,
            institution=x,
            doctor=None,
            record=record,
            initiator=Initiator.INSTITUTION,
            new_institution_name="长沙市芙蓉区人民医院",
        )
    )
    row, filed, located = feed(officer_of(x))["results"]
    assert row["kind"] == C.CHANGED and row["record"]["main_institution"]["name"] == "长沙市芙蓉区人民医院"
    assert filed["record"]["filing"]["institution"]["name"] == "长沙市芙蓉区人民医院"
    assert located["record"]["extra_location"]["institution"]["name"] == "长沙市芙蓉区人民医院"
    assert kinds(officer_of(y)) == [(C.CHANGED, filing.record_id), (C.CHANGED, place.record_id)]


def test_profile_change_approval_and_department_write_changed_rows(x):
    """API-3: 信息修改审核通过 (title) and 科室 are changes of the record too."""
    officer = officer_of(x)
    doctor, record = registered_doctor(at=x)
    change = ProfileChangeFactory(doctor=doctor, institution=x, info_changed=True, title="主治医师")
    profile_change_approve(officer=officer, change=change)
    department = DepartmentFactory(institution=x, name="内科")
    doctor_department_set(actor=officer, record=record, department=department)
    rows = feed(officer)["results"]
    assert [(r["kind"], r["record_id"]) for r in rows] == [(C.CHANGED, record.pk), (C.CHANGED, record.pk)]
    assert rows[0]["record"]["title"] == "主治医师" and rows[0]["record"]["department"] is None
    assert rows[1]["record"]["department"] == "内科"


def test_a_refused_approval_writes_no_row(no_rules, x, y, assert_nothing_changed):
    """API-3: an effect that refuses rolls its rows back with everything else."""
    doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=y)
    application = agreed(Kind.FILING, institution=y, doctor=doctor, record=record)
    from docregsys.exceptions import TransitionRefused

    reviewer_for(application.authority)  # the reviewer exists before: only the approval is watched
    with assert_nothing_changed("a second filing at Y"), pytest.raises(TransitionRefused):
        approve(application)
    assert RecordChange.objects.count() == 0


# ------------------------------------------------------------------------------------ scope


def test_reviewers_see_their_region_and_the_national_level_everything(
    no_rules,
    x,
    jiangan,
    county_reviewer,
    tianxin_reviewer,
    province_reviewer,
    other_province_reviewer,
    national_reviewer,
    superuser,
):
    """API-3 (互联互通): by the region of the authority holding the change; X's county authority approves X's."""
    doctor, record = registered_doctor(at=x)
    approve(
        agreed(Kind.CHANGE, institution=jiangan, doctor=doctor, record=record, location=province_of(jiangan))
    )
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state="valid")
    both = [(C.TRANSFERRED_OUT, record.pk), (C.CREATED, new.pk)]
    assert kinds(county_reviewer, APPROVALS_FEED) == [(C.TRANSFERRED_OUT, record.pk)]
    assert kinds(province_reviewer, APPROVALS_FEED) == [(C.TRANSFERRED_OUT, record.pk)]
    assert kinds(tianxin_reviewer, APPROVALS_FEED) == []
    assert kinds(other_province_reviewer, APPROVALS_FEED) == [(C.CREATED, new.pk)]
    assert kinds(national_reviewer, APPROVALS_FEED) == both
    assert kinds(superuser, APPROVALS_FEED) == both


def test_who_may_call_which_feed(officer_x, county_reviewer, doctor_a):
    """API-3: officers the institution feed, reviewers the approvals feed; everyone else 403."""
    client = APIClient()
    assert client.get(INSTITUTION_FEED).status_code == 403
    assert client.get(APPROVALS_FEED).status_code == 403
    for user, allowed, refused in (
        (officer_x, INSTITUTION_FEED, APPROVALS_FEED),
        (county_reviewer, APPROVALS_FEED, INSTITUTION_FEED),
    ):
        client.force_authenticate(user)
        assert client.get(allowed).status_code == 200
        assert client.get(refused).status_code == 403
    client.force_authenticate(doctor_a)
    assert client.get(INSTITUTION_FEED).status_code == 403
    assert client.get(APPROVALS_FEED).status_code == 403


# ------------------------------------------------------------------------------------ the cursor


def _changes(record, n: int):
    for _ in range(n):
        record_change_write(record=record, kind=C.CHANGED)


def test_resuming_with_the_cursor_gives_the_rest_once(x, officer_x):
    """API-3: read 2, then ?since=next gives the other 3; then nothing; a new change comes next, alone."""
    record = PracticeRecordFactory(main_institution=x)
    _changes(record, 5)
    ids = list(RecordChange.objects.order_by("pk").values_list("pk", flat=True))
    first = feed(officer_x, limit=2)
    assert len(first["results"]) == 2 and first["has_more"] is True
    rest = feed(officer_x, since=first["next"], limit=100)
    assert rest["has_more"] is False
    seen = [r["seq"] for r in first["results"] + rest["results"]]
    assert seen == sorted(set(seen)) and len(seen) == 5
    assert [RecordChange.objects.get(seq=s).pk for s in seen] == ids  # sequenced in id order
    empty = feed(officer_x, since=rest["next"])
    assert empty == {"results": [], "next": rest["next"], "has_more": False}
    _changes(record, 1)
    (late,) = feed(officer_x, since=rest["next"])["results"]
    assert late["seq"] > seen[-1]


def test_rows_of_other_institutions_do_not_take_the_officers_page(x, y, officer_x):
    """API-3: the page is the officer's rows only; numbers skip the others' (the cursor still works)."""
    mine, theirs = PracticeRecordFactory(main_institution=x), PracticeRecordFactory(main_institution=y)
    _changes(theirs, 3)
    _changes(mine, 2)
    page = feed(officer_x, limit=1)
    assert [r["record_id"] for r in page["results"]] == [mine.pk] and page["has_more"]
    page = feed(officer_x, since=page["next"], limit=1)
    assert [r["record_id"] for r in page["results"]] == [mine.pk] and not page["has_more"]


@pytest.mark.parametrize(
    "params",
    [
        {"since": "abc"},
        {"since": "-1"},
        {"since": "1.5"},
        {"since": "9" * 19},
        {"since": "１"},
        {"limit": "0"},
        {"limit": "1001"},
        {"limit": "x"},
    ],
)
def test_a_bad_cursor_or_limit_is_a_400_in_the_error_shape(officer_x, params):
    """API-3: `since` must be a cursor the feed gave, `limit` 1 … 1000; else 400 with the field."""
    client = APIClient()
    client.force_authenticate(officer_x)
    response = client.get(INSTITUTION_FEED, params)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == next(iter(params)) and error["code"] == "invalid"


def test_the_sequencer_numbers_only_unnumbered_rows_after_the_highest(x):
    """API-3: a second run numbers nothing; new rows continue after the highest number."""
    record = PracticeRecordFactory(main_institution=x)
    _changes(record, 3)
    assert record_changes_sequence() == 3
    assert record_changes_sequence() == 0
    _changes(record, 2)
    assert record_changes_sequence() == 2
    assert list(RecordChange.objects.order_by("pk").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


# ------------------------------------------------------------------------------------ append-only


def test_a_change_row_can_be_neither_rewritten_nor_deleted(x):
    """API-3: append-only, like the application log."""
    record = PracticeRecordFactory(main_institution=x)
    _changes(record, 1)
    row = RecordChange.objects.get()
    row.kind = C.DEREGISTERED
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    assert RecordChange.objects.get().kind == C.CHANGED


# ------------------------------------------------------------------------------------ backfill


def test_backfill_gives_loaded_records_one_row_each_once(x, y, hetang):
    """Records, filings and 多地点 written without a service (the demo) enter the feed once."""
    record = PracticeRecordFactory(main_institution=x)
    FilingFactory(record=record, institution=y)
    ExtraLocationFactory(record=record, institution=hetang)
    FilingFactory(record=record, institution=hetang, cancelled=True)
    ExtraLocationFactory(record=record, institution=y, state=ExtraLocation.State.CANCELLED)
    assert record_changes_backfill() == 3
    assert record_changes_backfill() == 0
    assert sorted(RecordChange.objects.values_list("kind", flat=True)) == sorted(
        [C.CREATED, C.FILING_ADDED, C.LOCATION_LISTED]
    )


# ------------------------------------------------------------------------------------ query count


def _queries(user, url) -> int:
    client = APIClient()
    client.force_login(user)
    client.get(url, {"limit": 1000})  # numbers the rows: the counted call below numbers none
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"limit": 1000})
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("url", [INSTITUTION_FEED, APPROVALS_FEED])
def test_a_page_costs_the_same_queries_for_10_and_1000_changes(x, officer_x, county_reviewer, url):
    """API-3: session, user, (lock,) the sequencer's UPDATE in a savepoint, one SELECT of the page."""
    user = officer_x if url == INSTITUTION_FEED else county_reviewer
    record = PracticeRecordFactory(main_institution=x, authority=county_reviewer.authority)
    _changes(record, 10)
    small, n = _queries(user, url)
    assert n == 10
    RecordChange.objects.bulk_create(
        [
            RecordChange(
                record=record,
                kind=C.CHANGED,
                institution_id=x.pk,
                region_code=record.authority.region_id,
                snapshot=record_snapshot(record),
            )
            for _ in range(990)
        ]
    )
    large, n = _queries(user, url)
    assert n == 1000
    assert small == large


# ------------------------------------------------------------------------------------ the schema


@pytest.fixture
def served(monkeypatch):
    """The served OpenAPI schema, called in-process without closing the test's connection."""
    from django.core import signals
    from django.db import close_old_connections

    from tests.platform.apischema import served_schema

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield served_schema()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_full_pages_match_the_served_schema(no_rules, x, y, hetang, officer_x, superuser, served):
    """API-1/API-3: a page holding every optional part (filing, 多地点, nulls) matches the OpenAPI schema."""
    from rest_framework.authtoken.models import Token
    from werkzeug import Client

    doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=y)
    ExtraLocationFactory(record=record, institution=hetang)
    approve(
        agreed(Kind.DEREGISTER, institution=x, doctor=doctor, record=record, deregistration_reason=reason())
    )
    for user, template in ((officer_x, INSTITUTION_FEED), (superuser, APPROVALS_FEED)):
        headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
        for query in ("", "?since=x"):
            response = Client(served.app).get(template + query, headers=headers)
            assert response.status_code == (200 if not query else 400)
            served[template]["GET"].validate_response(response)
        assert len(json.loads(Client(served.app).get(template, headers=headers).get_data())["results"]) == 3
