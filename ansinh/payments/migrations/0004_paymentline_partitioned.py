"""payments_paymentline becomes a table partitioned by month (see ansinh/payments/partitions.py).

Existing rows are kept: each month present gets its partition, the rest of the months go to the
default partition. The primary key becomes (id, month), as every unique index of a partitioned
table must contain the partition key; ids still come from one identity sequence. The run becomes
nullable (a difference line waits for the next payroll), and level differences get their own
"once per month and level" unique index.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "payments_paymentline"
FLAT = "payments_paymentline_flat"


def _saved_definitions(cursor, table):
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(ix.indexrelid)
          FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
         WHERE ix.indrelid = %s::regclass AND NOT ix.indisprimary
        """,
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    return indexes, cursor.fetchall()


def _rebuild(cursor, *, partitioned: bool):
    indexes, fks = _saved_definitions(cursor, TABLE)
    cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"SELECT pg_get_serial_sequence('{TABLE}', 'id')")
    (old_sequence,) = cursor.fetchone()
    cursor.execute(f"SELECT last_value FROM {old_sequence}")
    (last_id,) = cursor.fetchone()
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {FLAT}")
    for name, _ in fks:
        cursor.execute(f'ALTER TABLE {FLAT} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute(f"ALTER TABLE {FLAT} DROP CONSTRAINT {TABLE}_pkey")
    like = f"LIKE {FLAT} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING STORAGE"
    if partitioned:
        cursor.execute(f"CREATE TABLE {TABLE} ({like}) PARTITION BY RANGE (month)")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, month)")
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"SELECT DISTINCT date_trunc('month', month)::date FROM {FLAT} ORDER BY 1")
        for (month,) in cursor.fetchall():
            upper = f"{month.year + month.month // 12}-{month.month % 12 + 1:02d}-01"
            cursor.execute(
                f"CREATE TABLE {TABLE}_y{month:%Y}m{month:%m} PARTITION OF {TABLE} "
                f"FOR VALUES FROM ('{month:%Y-%m-%d}') TO ('{upper}')"
            )
    else:
        cursor.execute(f"CREATE TABLE {TABLE} ({like})")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {FLAT}")
    cursor.execute(f"DROP TABLE {FLAT}")
    cursor.execute(f"SELECT pg_get_serial_sequence('{TABLE}', 'id')")
    (sequence,) = cursor.fetchone()
    cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {TABLE}_id_seq")
    cursor.execute(
        f"SELECT setval('{TABLE}_id_seq', greatest(%s, (SELECT coalesce(max(id), 1) FROM {TABLE})))",
        [last_id],
    )
    for _, definition in indexes:
        cursor.execute(definition.replace(f" ON ONLY public.{TABLE} ", f" ON public.{TABLE} "))
    for name, definition in fks:
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')


def partition(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE])
        if cursor.fetchone()[0] != "p":
            _rebuild(cursor, partitioned=True)


def unpartition(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE])
        if cursor.fetchone()[0] == "p":
            _rebuild(cursor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0003_payment_cycle"),
    ]

    operations = [
        migrations.RunPython(partition, unpartition, elidable=False),
        migrations.AlterField(
            model_name="paymentline",
            name="run",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="payments.payrollrun",
            ),
        ),
        migrations.AddIndex(
            model_name="paymentline",
            index=models.Index(
                condition=models.Q(("kind", "difference")), fields=["run"], name="payment_difference_run"
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentline",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("kind", "difference"), models.Q(("status__in", ["failed", "cancelled"]), _negated=True)
                ),
                fields=("person", "benefit", "month", "level"),
                name="payment_difference_once_per_level",
            ),
        ),
    ]
