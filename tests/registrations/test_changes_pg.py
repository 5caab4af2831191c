"""API-3 on PostgreSQL: a change that commits after a reader moved past newer ones still reaches that reader,
and readers polling while writers commit see every change exactly once. Real connections, one per thread
(``services`` pass)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from registrations.models import RecordChange
from registrations.services.changes import record_change_write
from tests import personas
from tests.factories import PracticeRecordFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

FEED = "/api/v1/institution/changes/"


def read(officer, since: str | None = None, limit: int = 1000) -> dict:
    client = APIClient()
    client.force_authenticate(officer)
    params = {"limit": limit} if since is None else {"since": since, "limit": limit}
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def write_one(record, kind=RecordChange.Kind.CHANGED) -> int:
    with transaction.atomic():
        return record_change_write(record=record, kind=kind).pk


def test_a_change_committed_after_a_read_comes_in_that_readers_next_read():
    """API-3: T1 inserts (smaller id) and holds its transaction; T2 inserts and commits; the reader sees
    T2's row; T1 commits; the reader, resuming from its cursor, gets T1's row (paging by id would not)."""
    record = PracticeRecordFactory(main_institution=personas.institution(personas.X))
    officer = personas.officer_x()
    inserted, release = threading.Event(), threading.Event()
    t1_id: list[int] = []

    def t1():
        try:
            with transaction.atomic():
                t1_id.append(record_change_write(record=record, kind=RecordChange.Kind.CHANGED).pk)
                inserted.set()
                assert release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=t1)
    holder.start()
    assert inserted.wait(timeout=30)

    def t2():
        try:
            t2_id.append(write_one(record, RecordChange.Kind.DEREGISTERED))
        finally:
            connection.close()

    t2_id: list[int] = []
    committer = threading.Thread(target=t2)
    committer.start()
    committer.join(timeout=30)
    assert t1_id[0] < t2_id[0]  # ids are handed out at insert, not at commit

    first = read(officer)
    assert [row["kind"] for row in first["results"]] == ["deregistered"]
    release.set()
    holder.join(timeout=30)
    second = read(officer, since=first["next"])
    assert [row["kind"] for row in second["results"]] == ["changed"]
    assert second["results"][0]["seq"] > first["results"][0]["seq"]
    assert read(officer, since=second["next"])["results"] == []


def test_readers_polling_while_writers_commit_see_every_change_exactly_once():
    """API-3: four writers commit 25 changes each (some transactions held open a while), two readers poll
    with their cursors meanwhile and drain at the end: each saw all 100, once each, in seq order."""
    record = PracticeRecordFactory(main_institution=personas.institution(personas.X))
    officer = personas.officer_x()
    writing = threading.Event()
    writing.set()
    seen: dict[int, list[int]] = {0: [], 1: []}
    errors: list[str] = []

    def writer(n: int):
        rng = random.Random(n)
        try:
            for _i in range(25):
                with transaction.atomic():
                    record_change_write(record=record, kind=RecordChange.Kind.CHANGED)
                    time.sleep(rng.random() * 0.01)  # commit late, after others with larger ids
        except Exception as exc:  # shown by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    def reader(n: int):
        cursor = None
        try:
            while True:
                done = not writing.is_set()
                page = read(officer, since=cursor, limit=7)
                seen[n].extend(row["seq"] for row in page["results"])
                cursor = page["next"]
                if done and not page["has_more"] and not page["results"]:
                    break
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    readers = [threading.Thread(target=reader, args=(n,)) for n in range(2)]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    writing.clear()
    for thread in readers:
        thread.join(timeout=120)
    assert not errors, errors
    everything = sorted(RecordChange.objects.values_list("seq", flat=True))
    assert everything == list(range(1, 101))
    for n in (0, 1):
        assert seen[n] == everything, n  # all, once each, in order
