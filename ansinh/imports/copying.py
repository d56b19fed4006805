"""Insert many new rows with PostgreSQL COPY: ids reserved from the table's sequence in one query,
then one COPY stream. Several times faster than INSERT … VALUES for 100,000 rows.

`copy_models` takes model instances and gives them their ids, as bulk_create would. `copy_rows`
takes plain tuples (no model instance per row: building 100,000 of them costs seconds) and
returns the new ids in the order of the rows."""

import json
from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone


def _reserve_ids(cursor, meta, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [meta.db_table, meta.pk.column, count],
    )
    return [pk for (pk,) in cursor.fetchall()]


def _is_stamp(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _copy(cursor, meta, fields: list, rows) -> None:
    """One COPY of `rows` (sequences of values in the order of `fields`); JSON fields dumped."""
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with cursor.cursor.copy(
        f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    ) as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    if row[i] is not None:
                        row[i] = json.dumps(row[i], ensure_ascii=False)
            copy.write_row(row)


def copy_models(model: type[models.Model], objs: list[models.Model]) -> int:
    if not objs:
        return 0
    meta = model._meta
    fields = list(meta.concrete_fields)
    now = timezone.now()
    with connection.cursor() as cursor:
        if objs[0].pk is None:
            for obj, pk in zip(objs, _reserve_ids(cursor, meta, len(objs)), strict=True):
                obj.pk = pk
        stamped = [f for f in fields if _is_stamp(f)]
        for obj in objs:
            for f in stamped:
                setattr(obj, f.attname, now)
        names = [f.attname for f in fields]
        _copy(cursor, meta, fields, ([getattr(obj, name) for name in names] for obj in objs))
    return len(objs)


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: list[Sequence]) -> list[int]:
    """COPY `rows`, each a sequence of values for `columns` (field attnames, without the id). The
    other fields take their defaults, as a new instance would (auto_now stamps: now); a callable
    default (dict, list) is called for each row. Returns the new ids, in the order of the rows."""
    if not rows:
        return []
    meta = model._meta
    given = [meta.get_field(name) for name in columns]
    now = timezone.now()
    constant, per_row = [], []  # the other fields: (field, value) and fields with a callable default
    for f in meta.concrete_fields:
        if f.primary_key or f in given:
            continue
        if _is_stamp(f):
            constant.append((f, now))
        elif f.has_default() and callable(f.default):
            per_row.append(f)
        else:
            constant.append((f, f.get_default()))
    fields = [meta.pk, *given, *(f for f, _ in constant), *per_row]
    tail = tuple(value for _, value in constant)
    with connection.cursor() as cursor:
        ids = _reserve_ids(cursor, meta, len(rows))
        _copy(
            cursor,
            meta,
            fields,
            (
                (pk, *row, *tail, *(f.get_default() for f in per_row))
                for pk, row in zip(ids, rows, strict=True)
            ),
        )
    return ids
