"""`ansinh arrears compute --since 2026-07 [--area CODE] [--commit] [--xlsx FILE]`: the level
differences owed for months already paid (ansinh.payments.arrears), per commune."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ansinh.core.errors import DomainError
from ansinh.core.money import format_number, format_vnd
from ansinh.core.months import format_month
from ansinh.payments.arrears import arrears_compute, arrears_workbook


class Command(BaseCommand):
    help = "Truy lĩnh chênh lệch khi mức chuẩn thay đổi có hiệu lực từ một tháng đã chi trả."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("compute", help="Tính (và với --commit: ghi) các dòng truy lĩnh chênh lệch")
        p.add_argument("--since", required=True, help="Tháng bắt đầu truy lĩnh, ví dụ 2026-07 hoặc 07/2026")
        p.add_argument("--area", default="", help="Mã xã (5 chữ số), mã tỉnh (2 chữ số), bỏ trống: cả nước")
        p.add_argument(
            "--commit", action="store_true", help="Ghi các dòng truy lĩnh để chi trong kỳ chi trả tới"
        )
        p.add_argument("--xlsx", default="", help="Ghi báo cáo theo xã ra tệp Excel (.xlsx)")

    def handle(self, *args, action, since, area, commit, xlsx, **options):
        try:
            report = arrears_compute(since=since, area_code=area, commit=commit)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Truy lĩnh chênh lệch mức chuẩn từ tháng {format_month(report.since)}, "
            f"địa bàn {report.area_code or 'cả nước'}:"
        )
        for c in report.communes:
            self.stdout.write(
                f"  {c.commune_code} {c.commune_name}: {format_number(c.person_count)} người, "
                f"{format_number(c.line_count)} dòng, {format_vnd(c.amount)}"
            )
        self.stdout.write(
            f"Tổng cộng: {format_number(len(report.communes))} xã, {format_number(report.person_count)} người, "
            f"{format_number(report.line_count)} dòng, {format_vnd(report.amount)}."
        )
        if report.draft_lines:
            self.stdout.write(
                f"Lưu ý: {format_number(report.draft_lines)} dòng trong danh sách chi trả còn dự thảo theo mức cũ: "
                "lập lại các danh sách đó (ansinh payroll run) để chi theo mức mới."
            )
        if commit:
            self.stdout.write(
                "Đã ghi: các dòng truy lĩnh sẽ được chi trong danh sách chi trả tới của từng xã."
            )
        elif report.line_count:
            self.stdout.write("Tính thử, chưa ghi gì: chạy lại với --commit để ghi.")
        if xlsx:
            Path(xlsx).write_bytes(arrears_workbook(report))
            self.stdout.write(f"Đã ghi báo cáo Excel: {xlsx}")
