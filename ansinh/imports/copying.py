"""Insert many new rows with PostgreSQL COPY: ids reserved from the table's sequence in one query,
then one COPY stream. Several times faster than INSERT … VALUES for 100,000 rows, and the model
instances get their ids, as bulk_create would give them."""

import json

from django.db import connection, models
from django.utils import timezone


def copy_models(model: type[models.Model], objs: list[models.Model]) -> int:
    if not objs:
        return 0
    meta = model._meta
    fields = list(meta.concrete_fields)
    now = timezone.now()
    with connection.cursor() as cursor:
        if objs[0].pk is None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
        stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        for obj in objs:
            for f in stamped:
                setattr(obj, f.attname, now)
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        names = [f.attname for f in fields]
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in objs:
                row = []
                for name in names:
                    value = getattr(obj, name)
                    if name in json_fields and value is not None:
                        value = json.dumps(value, ensure_ascii=False)
                    row.append(value)
                copy.write_row(row)
    return len(objs)
