"""The month partitions of the payment lines and the two ways a payroll writes a month (a bulk
build of the month's partition, or INSERT … ON CONFLICT into it): same rows, same rules."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from ansinh.decisions.models import Entitlement
from ansinh.decisions.tests.factories import Office
from ansinh.payments.models import PaymentLine, PayrollRun, PayrollStatus
from ansinh.payments.partitions import partition_ensure, partitions_split_default
from ansinh.payments.payroll import payroll_run
from ansinh.payments.tests.test_payroll import snapshot_rows

pytestmark = pytest.mark.django_db

SEP, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def partitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'payments_paymentline'::regclass"
        )
        return dict(cursor.fetchall())


def _offices():
    offices = [Office("00001"), Office("00002"), Office("00003")]
    for index, office in enumerate(offices):
        office.grant(office.person(full_name=f"Người Một {index}"), signed_on=SEP, coefficient="2")
        office.grant(office.person(full_name=f"Người Hai {index}"), signed_on=NOV)
    return offices


def test_each_payroll_month_has_its_partition_and_arrears_go_to_theirs():
    _offices()
    payroll_run(month=NOV, area_code="01")
    assert partitions() == {
        "payments_paymentline_default": "DEFAULT",
        "payments_paymentline_y2026m11": "FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
    }
    # September and October were paid as arrears: no payroll of theirs, so the default partition.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT month, count(*) FROM payments_paymentline_default GROUP BY month ORDER BY month"
        )
        assert cursor.fetchall() == [(SEP, 3), (OCT, 3)]
        cursor.execute("SELECT count(*) FROM payments_paymentline_y2026m11")
        assert cursor.fetchone()[0] == 6
        # Maintenance moves them to partitions of their own, rows unchanged.
        rows = snapshot_rows()
        assert partitions_split_default(cursor) == [SEP, OCT]
    assert snapshot_rows() == rows
    assert set(partitions()) == {
        "payments_paymentline_default",
        "payments_paymentline_y2026m09",
        "payments_paymentline_y2026m10",
        "payments_paymentline_y2026m11",
    }


def test_the_database_refuses_a_second_payment_of_a_month():
    _offices()
    payroll_run(month=NOV, area_code="00001")
    line = PaymentLine.objects.filter(month=NOV).first()
    line.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()
    line.kind = "difference"
    line.save()
    line.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()  # one difference per month and level


@pytest.mark.parametrize("first", [True, False])
def test_bulk_build_and_insert_give_the_same_rows(first):
    _offices()
    payroll_run(month=NOV, area_code="01", bulk=first)
    rows = snapshot_rows()
    payroll_run(month=NOV, area_code="01", bulk=not first)
    assert snapshot_rows() == rows
    payroll_run(month=NOV, area_code="00002")  # a commune again: insert into the month
    payroll_run(month=NOV, area_code="")  # the country: bulk build of the month again
    assert snapshot_rows() == rows
    assert PaymentLine.objects.count() == 12


def test_a_bulk_build_keeps_the_frozen_payrolls_lines():
    offices = _offices()
    payroll_run(month=NOV, area_code="01")
    PayrollRun.objects.filter(commune_id="00001").update(status=PayrollStatus.APPROVED)
    frozen = sorted(
        PaymentLine.objects.filter(run__commune_id="00001").values_list("id", "person_id", "month")
    )
    offices[0].grant(offices[0].person(full_name="Người Mới"), signed_on=NOV)  # waits for December
    offices[1].grant(offices[1].person(full_name="Người Mới Hai"), signed_on=NOV)
    summary = payroll_run(month=NOV, area_code="")
    assert (
        sorted(PaymentLine.objects.filter(run__commune_id="00001").values_list("id", "person_id", "month"))
        == frozen
    )
    assert [(c.commune_code, c.frozen, c.line_count) for c in summary.communes] == [
        ("00001", True, 4),
        ("00002", False, 5),
        ("00003", False, 4),
    ]


def test_two_entitlements_in_force_the_same_month_pay_it_once_in_a_bulk_build():
    """Bad data (two communes each paying a person for November): the bulk build pays the month
    once, as INSERT … ON CONFLICT does."""
    first, second, _third = _offices()
    person = first.person(full_name="Người Hai Nơi")
    first.grant(person, signed_on=NOV)
    opened = Entitlement.objects.get(person=person)
    Entitlement.objects.create(
        person=person,
        commune=second.commune,
        benefit=opened.benefit,
        category=opened.category,
        coefficient=opened.coefficient,
        start_month=NOV,
        end_month=dt.date(2026, 12, 1),
        opened_by=opened.opened_by,
    )
    payroll_run(month=NOV, area_code="", bulk=True)
    assert PaymentLine.objects.filter(person=person).count() == 1
    assert PaymentLine.objects.count() == 13


def test_a_month_partition_takes_its_rows_out_of_the_default_partition():
    _offices()
    payroll_run(month=NOV, area_code="01")
    rows = snapshot_rows()
    with transaction.atomic(), connection.cursor() as cursor:
        assert partition_ensure(cursor, OCT) == "payments_paymentline_y2026m10"
        cursor.execute("SELECT count(*) FROM payments_paymentline_y2026m10")
        assert cursor.fetchone()[0] == 3
    assert snapshot_rows() == rows
