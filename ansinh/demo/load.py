"""Streaming generated columns into PostgreSQL with COPY, ids taken from the tables' sequences.

For big loads the secondary indexes and foreign keys of the target tables are dropped inside
the transaction and rebuilt once at the end (one sort per index and one join per foreign key
instead of millions of single-row index inserts and queued RI-trigger checks). Everything is in
the caller's transaction, so a failed load leaves the schema and data as they were.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

NULL = "\\N"


def text(values) -> list[str]:
    """Column values as COPY text; numpy arrays converted in one vectorised pass."""
    if isinstance(values, np.ndarray):
        if values.dtype == bool:
            return np.where(values, "t", "f").tolist()
        if values.dtype.kind in "iu":
            return values.astype(str).tolist()
        return values.astype(str).tolist()
    return values


def nullable(values: list[str], null_mask: np.ndarray) -> list[str]:
    return np.where(null_mask, NULL, np.array(values, dtype=object)).tolist()


def const(value: str, rows: int) -> list[str]:
    return [value] * rows


def coef_text(coef100: np.ndarray) -> list[str]:
    values, inverse = np.unique(coef100, return_inverse=True)
    table = np.array([f"{v // 100}.{v % 100:02d}" for v in values.tolist()], dtype=object)
    return table[inverse].tolist()


def month_text(month_idx: np.ndarray) -> list[str]:
    values, inverse = np.unique(month_idx, return_inverse=True)
    table = np.array([f"{v // 12:04d}-{v % 12 + 1:02d}-01" for v in values.tolist()], dtype=object)
    return table[inverse].tolist()


def format_rows(data: list) -> bytes:
    """COPY text for columns `data` (one list or array per column, all the same length)."""
    cols = [text(c) for c in data]
    if not cols or not len(cols[0]):
        return b""
    return ("\n".join(map("\t".join, zip(*cols, strict=True))) + "\n").encode()


def copy_payload(cursor, table: str, columns: list[str], payload: bytes) -> None:
    if not payload:
        return
    raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        view = memoryview(payload)
        for lo in range(0, len(payload), 1 << 22):
            copy.write(view[lo : lo + (1 << 22)])


class IdAllocator:
    """Ids for the rows about to be copied, handed out in Python so rows can be formatted ahead
    of the database. The tables are locked against other writers for the transaction and each
    sequence is moved past the ids used at the end."""

    def __init__(self, cursor, tables: list[str]):
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")
        self.sequences: dict[str, str] = {}
        self.next: dict[str, int] = {}
        for table in tables:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            top = cursor.fetchone()[0]
            self.sequences[table] = sequence
            self.next[table] = max(last + 1 if called else last, top + 1)
        self.start = dict(self.next)
        self.existing_runs: dict[tuple[str, int], int] = {}
        self.touched_runs: list[int] = []

    def take(self, table: str, count: int) -> int:
        first = self.next[table]
        self.next[table] += count
        return first

    def finish(self, cursor) -> None:
        for table, sequence in self.sequences.items():
            if self.next[table] != self.start[table]:
                cursor.execute("SELECT setval(%s, %s)", [sequence, self.next[table] - 1])


@contextmanager
def bulk_load_mode(cursor, tables: list[str], enabled: bool = True):
    """Drop the secondary indexes and the foreign keys of `tables`, restore them on exit."""
    if not enabled:
        yield
        return
    # Fire the checks queued by rows inserted earlier in this transaction (users, villages):
    # a table with pending trigger events cannot be altered.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute("SET LOCAL synchronous_commit = off")
    cursor.execute(
        """
        SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
          FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
         WHERE con.contype = 'f' AND c.relname = ANY(%s)
        """,
        [tables],
    )
    fks = cursor.fetchall()
    cursor.execute(
        """
        SELECT t.relname, i.relname, pg_get_indexdef(ix.indexrelid)
          FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
         WHERE t.relname = ANY(%s) AND NOT ix.indisprimary
           -- Partial indexes stay: rebuilt from pg_get_indexdef their predicate would come back
           -- in another (equivalent) spelling, and ON CONFLICT relies on it.
           AND ix.indpred IS NULL
           AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    # Unique constraints on random keys (personal_id) cost a random b-tree insert per row: built
    # once by a sort at the end instead. Those a foreign key relies on stay.
    cursor.execute(
        """
        SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
          FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
         WHERE con.contype = 'u' AND c.relname = ANY(%s)
           AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = con.conindid)
        """,
        [tables],
    )
    uniques = cursor.fetchall()
    for table, name, _ in fks:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _, name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for table, name, _ in uniques:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    for table, name, definition in uniques:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _, _, definition in indexes:
        # A partitioned table's index (payments_paymentline) reads "ON ONLY t": without ONLY it is
        # built on every partition again.
        cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
    for table, name, definition in fks:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
