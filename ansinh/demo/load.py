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


def reserve_ids(cursor, table: str, count: int) -> int:
    """Take `count` consecutive ids from the table's sequence; returns the first."""
    if count <= 0:
        return 0
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
        [table, table, count],
    )
    last = cursor.fetchone()[0]
    return last - count + 1


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


def copy_columns(cursor, table: str, columns: list[str], data: list, batch: int = 100_000) -> int:
    """COPY `data` (one list per column, all the same length) into `table`."""
    cols = [text(c) for c in data]
    rows = len(cols[0]) if cols else 0
    if not rows:
        return 0
    raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.copy(statement) as copy:
        for lo in range(0, rows, batch):
            part = [c[lo : lo + batch] for c in cols]
            copy.write(("\n".join(map("\t".join, zip(*part))) + "\n").encode())
    return rows


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
           AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _ in fks:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _, name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _, _, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in fks:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
