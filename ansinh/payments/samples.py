"""Sample return files (tệp kết quả mẫu) for the "Hướng dẫn tệp chi trả" of the pages that import
the provider's answer: the payroll's own payees, every one marked DA_CHI on today's date, in the
ANSINH-KQ layout written by reconcile.return_file_build. A provider (or an officer checking a file
by hand) sees the exact header, columns and trailer the import expects."""

import datetime as dt

from django.utils import timezone

from ansinh.payments.models import PaymentFile, PayrollPayee, PayrollRun, PayrollStatus
from ansinh.payments.reconcile import return_file_build

# The payrolls a province's return file answers: sent to the provider, not yet closed.
ANSWERABLE = (PayrollStatus.SENT, PayrollStatus.RECONCILED)


def _rows(payees) -> list[tuple]:
    today = f"{timezone.localdate():%d/%m/%Y}"
    return [
        (reference, personal_id or "", amount, "DA_CHI", "", today)
        for reference, personal_id, amount in payees.order_by("reference").values_list(
            "reference", "personal_id", "amount"
        )
    ]


def return_file_sample(run: PayrollRun) -> tuple[bytes, str]:
    """(content, file name) of a sample return file answering one commune's payroll."""
    sequence = (
        PaymentFile.objects.filter(run=run).order_by("-sequence").values_list("sequence", flat=True).first()
        or 1
    )
    content = return_file_build(
        _rows(PayrollPayee.objects.filter(run=run)),
        area_code=run.commune_id,
        month=run.month,
        sequence=sequence,
    )
    return content, f"ket-qua-mau_{run.commune_id}_{run.month:%Y%m}.csv"


def province_sample_month(area_code: str) -> dt.date | None:
    """The latest month with a payroll of the province sent to the provider (None: none yet)."""
    return (
        PayrollRun.objects.filter(commune__province_id=area_code, status__in=ANSWERABLE)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def province_return_file_sample(area_code: str, month: dt.date) -> tuple[bytes, str]:
    """(content, file name) of a sample return file for the whole province: the payees of every
    payroll of the month sent to the provider and not yet closed."""
    payees = PayrollPayee.objects.filter(
        run__month=month, run__commune__province_id=area_code, run__status__in=ANSWERABLE
    )
    content = return_file_build(_rows(payees), area_code=area_code, month=month)
    return content, f"ket-qua-mau_{area_code}_{month:%Y%m}.csv"
