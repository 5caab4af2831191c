"""The staging SQL: validated rows stream into a temporary table, then one classify, upsert and audit.

PostgreSQL gets the rows through `COPY`, SQLite through `executemany`. Ciphertexts are random, so
"changed" is decided on the ID digest and the other columns, never on the cipher.
"""

from __future__ import annotations

from django.db import connection

from .specs import Spec

_HISTORY_OWN = {"history_id", "history_date", "history_type", "history_user_id", "history_change_reason"}


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _distinct(a: str, b: str) -> str:
    # The one vendor difference in the comparison: SQLite < 3.39 has no IS DISTINCT FROM.
    return f"{a} IS NOT {b}" if connection.vendor == "sqlite" else f"{a} IS DISTINCT FROM {b}"


class Staging:
    """A temporary table with the validated rows (plus their line number and action)."""

    def __init__(self, spec: Spec, cursor):
        self.spec = spec
        self.cursor = cursor
        self.table = f"import_staging_{spec.model._meta.model_name}"
        self.fields = [spec.model._meta.get_field(name) for name in spec.fields]
        self.columns = [f.column for f in self.fields]
        self.buffer: list[tuple] = []
        self._copy = None

    def __enter__(self):
        cols = ", ".join(
            f"{_q(f.column)} {f.db_type(connection) or f.rel_db_type(connection)}" for f in self.fields
        )
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {self.table} (line integer, {cols}, action char(1) DEFAULT 'n', target_id bigint)"
        )
        if connection.vendor == "postgresql":
            raw = self.cursor.cursor
            self._copy_cm = raw.copy(
                f"COPY {self.table} (line, {', '.join(_q(c) for c in self.columns)}) FROM STDIN"
            )
            self._copy = self._copy_cm.__enter__()
        return self

    def write(self, line: int, values: tuple) -> None:
        if self._copy is not None:
            self._copy.write_row((line, *values))
            return
        self.buffer.append((line, *values))
        if len(self.buffer) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            marks = ", ".join(["%s"] * (len(self.columns) + 1))
            self.cursor.executemany(
                f"INSERT INTO {self.table} (line, {', '.join(_q(c) for c in self.columns)}) VALUES ({marks})",
                self.buffer,
            )
            self.buffer = []

    def __exit__(self, exc_type, exc, tb):
        if self._copy is not None:
            self._copy_cm.__exit__(exc_type, exc, tb)
            self._copy = None
        elif exc_type is None:
            self.flush()
        return False


def apply(spec: Spec, cursor, staging: Staging, *, batch, user, when) -> tuple[int, int, int]:
    """Classify, upsert and audit the staged rows; returns (created, updated, unchanged)."""
    model = spec.model
    table = _q(model._meta.db_table)
    s = staging.table
    key_cols = [model._meta.get_field(k).column for k in spec.key]
    cols = staging.columns
    compared = [c for c in cols if c not in key_cols and c != "id_number_cipher"]
    on_key = " AND ".join(f"t.{_q(c)} = {s}.{_q(c)}" for c in key_cols)
    differs = " OR ".join(_distinct(f"t.{_q(c)}", f"{s}.{_q(c)}") for c in compared)

    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {s}")  # temp tables are never auto-analysed
    cursor.execute(
        f"UPDATE {s} SET target_id = t.id, action = CASE WHEN {differs} THEN 'c' ELSE 'u' END "
        f"FROM {table} t WHERE {on_key}"
    )
    cursor.execute(f"SELECT action, COUNT(*) FROM {s} GROUP BY action")
    counts = dict(cursor.fetchall())
    created, updated, unchanged = counts.get("n", 0), counts.get("c", 0), counts.get("u", 0)

    if created or updated:
        col_list = ", ".join(_q(c) for c in cols)
        excluded_differs = " OR ".join(_distinct(f"t.{_q(c)}", f"excluded.{_q(c)}") for c in compared)
        sets = ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in cols if c not in key_cols)
        cursor.execute(
            f"INSERT INTO {table} AS t ({col_list}, batch_id) "
            f"SELECT {col_list}, %s FROM {s} WHERE action <> 'u' "
            f"ON CONFLICT ({', '.join(_q(c) for c in key_cols)}) DO UPDATE SET {sets}, batch_id = excluded.batch_id "
            f"WHERE {excluded_differs}",
            [batch.pk],
        )
        history = model.history.model
        tracked = [f.column for f in history._meta.concrete_fields if f.column not in _HISTORY_OWN]
        cursor.execute(
            f"INSERT INTO {_q(history._meta.db_table)} "
            f"({', '.join(_q(c) for c in tracked)}, history_date, history_type, history_user_id, history_change_reason) "
            f"SELECT {', '.join('t.' + _q(c) for c in tracked)}, %s, "
            f"CASE WHEN {s}.action = 'n' THEN '+' ELSE '~' END, %s, %s "
            f"FROM {table} t JOIN {s} ON {on_key} WHERE {s}.action <> 'u'",
            [when, getattr(user, "pk", None), f"导入批次#{batch.pk}：{batch.filename}"[:100]],
        )
    cursor.execute(f"DROP TABLE {s}")
    return created, updated, unchanged
