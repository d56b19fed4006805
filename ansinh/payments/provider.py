"""The cash list for the payment provider (usually the post office) as an Excel workbook: the
payees paid in cash, by village, with a column for the signature of receipt.

The workbook's bytes carry timestamps, so its checksum (printed under the table and recorded on
the PaymentFile) is the SHA-256 of its rows written as CSV (reference, personal id, name,
village, amount), the same on every download.
"""

import csv
import hashlib
import io

from django.db import connection
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ansinh.core.months import format_month
from ansinh.payments.lifecycle import payment_file_issue
from ansinh.payments.models import PaymentFileKind, PayrollRun

HEADERS = [
    "STT",
    "Mã chi trả",
    "Họ và tên",
    "Số định danh",
    "Thôn/tổ",
    "Địa chỉ",
    "Số tiền (đồng)",
    "Trong đó truy lĩnh",
    "Ký nhận",
]


def _cash_rows(run: PayrollRun) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT reference, coalesce(personal_id, ''), full_name, village_name, address, amount, arrears_amount
              FROM payments_payrollpayee WHERE run_id = %s AND channel = 'cash'
             ORDER BY village_name, full_name, reference
            """,
            [run.pk],
        )
        return cursor.fetchall()


def rows_checksum(rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for reference, personal_id, name, village, _address, amount, _arrears in rows:
        writer.writerow([reference, personal_id, name, village, amount])
    return hashlib.sha256(buffer.getvalue().encode()).hexdigest()


def provider_list_build(run: PayrollRun, sequence: int, created_at) -> tuple[bytes, int, int, str]:
    rows = _cash_rows(run)
    total = sum(row[5] for row in rows)
    checksum = rows_checksum(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách chi trả"
    bold = Font(bold=True)
    sheet.append([f"UBND {run.commune.name.upper()}"])
    sheet.append([f"DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI BẰNG TIỀN MẶT THÁNG {format_month(run.month)}"])
    sheet.append([f"Mã xã: {run.commune_id}", f"Tháng: {run.month:%Y%m}", f"Số thứ tự tệp: {sequence}"])
    sheet.append(HEADERS)
    for cell in sheet[4]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, (reference, personal_id, name, village, address, amount, arrears) in enumerate(rows, 1):
        sheet.append([number, reference, name, personal_id, village, address, amount, arrears, ""])
    sheet.append(["", "Tổng cộng", f"{len(rows)} người", "", "", "", total, "", ""])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.append([f"Mã kiểm tra (SHA-256): {checksum}"])
    for column, width in zip("ABCDEFGHI", (6, 22, 28, 15, 18, 30, 15, 15, 18), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = "#,##0"
    sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), len(rows), total, checksum


def provider_list_export(*, actor, run: PayrollRun):
    """The provider's cash list of an approved payroll: (PaymentFile, xlsx bytes)."""
    return payment_file_issue(actor=actor, run=run, kind=PaymentFileKind.PROVIDER, build=provider_list_build)
