"""``assert_nothing_changed``: a refusal must leave every table exactly as it was (X-4)."""

from __future__ import annotations

import contextlib
import hashlib

from django.db import connection

# Django's own bookkeeping, not data of the project: a session is (re)written by any request.
IGNORED_TABLES = frozenset({"django_session", "django_migrations"})


def table_checksums() -> dict[str, tuple[int, str]]:
    """Per table: (row count, SHA-256 of every row in primary-key order)."""
    sums = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in IGNORED_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            sums[table] = (len(rows), digest)
    return sums


def _differences(before, after) -> list[str]:
    changed = []
    for table in sorted(set(before) | set(after)):
        if before.get(table) != after.get(table):
            (n0, _), (n1, _) = before.get(table, (0, "")), after.get(table, (0, ""))
            changed.append(f"{table} ({n0} → {n1} rows)" if n0 != n1 else f"{table} (rows changed)")
    return changed


@contextlib.contextmanager
def assert_nothing_changed(what: str = ""):
    """``with assert_nothing_changed("POST …"):`` fails if any row of any table was added, changed or removed."""
    before = table_checksums()
    yield
    changed = _differences(before, table_checksums())
    assert not changed, f"{what or 'the refused request'} changed the database: {', '.join(changed)}"
