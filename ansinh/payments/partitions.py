"""Month partitions of payments_paymentline (the design: "partitioned by month for payment tables").

The table is `PARTITION BY RANGE (month)`, `month` being the month the money is for. Each payroll
month gets its own partition `payments_paymentline_yYYYYmMM`, created by the payroll of that month;
`payments_paymentline_default` catches any other month (arrears for months that never had a
payroll, rows written by the demo or an import). The partition key is in every unique index
(`payment_once_per_person_benefit_month`, `payment_difference_once_per_level`, the primary key
`(id, month)`), so "one payment per person, benefit and month" stays enforced by the database.

A whole month can then be rebuilt as a fresh table and swapped in (ansinh.payments.payroll): the
lines are written into a table without indexes, the indexes are built once by sorting, and the
table is attached as the month's partition in the same transaction.
"""

import datetime as dt

from ansinh.core.months import add_months

PARENT = "payments_paymentline"
DEFAULT = "payments_paymentline_default"


def partition_name(month: dt.date) -> str:
    return f"{PARENT}_y{month:%Y}m{month:%m}"


def partition_exists(cursor, month: dt.date) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [partition_name(month)])
    return cursor.fetchone()[0]


def partition_ensure(cursor, month: dt.date) -> str:
    """The month's partition, created if missing. Rows of that month sitting in the default
    partition move into it (a partition cannot be created while the default holds its rows)."""
    name = partition_name(month)
    if partition_exists(cursor, month):
        return name
    bounds = [month, add_months(month, 1)]
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE month >= %s AND month < %s)", bounds)
    moving = cursor.fetchone()[0]
    if moving:
        cursor.execute("DROP TABLE IF EXISTS payroll_moved")
        cursor.execute(f"CREATE TEMP TABLE payroll_moved (LIKE {PARENT}) ON COMMIT DROP")
        cursor.execute(
            f"WITH gone AS (DELETE FROM {DEFAULT} WHERE month >= %s AND month < %s RETURNING *) "
            "INSERT INTO payroll_moved SELECT * FROM gone",
            bounds,
        )
    cursor.execute(f"CREATE TABLE {name} PARTITION OF {PARENT} FOR VALUES FROM (%s) TO (%s)", bounds)
    if moving:
        cursor.execute(f"INSERT INTO {PARENT} SELECT * FROM payroll_moved")
        cursor.execute("DROP TABLE payroll_moved")
    return name


def partitions_split_default(cursor) -> list[dt.date]:
    """Give every month held in the default partition its own partition (maintenance, e.g. after
    a bulk load such as `ansinh demo`). Returns the months moved."""
    cursor.execute(f"SELECT DISTINCT date_trunc('month', month)::date FROM {DEFAULT} ORDER BY 1")
    months = [row[0] for row in cursor.fetchall()]
    for month in months:
        partition_ensure(cursor, month)
    return months


def index_definitions(cursor, table: str) -> tuple[list[tuple[str, str]], list[str]]:
    """How to give `table` the indexes of the parent, so that ATTACH PARTITION adopts them
    instead of building its own: ([(parent index name, CREATE INDEX statement)], primary-key
    column lists)."""
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(ix.indexrelid), ix.indisprimary,
               (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)
                  FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum)
          FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
         WHERE ix.indrelid = %s::regclass
         ORDER BY i.relname
        """,
        [PARENT],
    )
    creates, primary = [], []
    for index, (name, definition, is_primary, columns) in enumerate(cursor.fetchall()):
        if is_primary:
            primary.append(columns)
            continue
        head, _, rest = definition.partition(f" ON ONLY public.{PARENT} ")
        if not rest:
            head, _, rest = definition.partition(f" ON ONLY {PARENT} ")
        head = head.replace(f" INDEX {name}", f" INDEX {table}_i{index}")
        creates.append((name, f"{head} ON {table} {rest}"))
    return creates, primary
