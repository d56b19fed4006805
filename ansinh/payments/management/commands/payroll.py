"""`ansinh payroll run --month 2026-11 --area 00070` builds a month's payroll with a progress bar;
`ansinh payroll show --month 2026-11 --area 00070` prints the payrolls already built;
`ansinh payroll partitions` gives each month held in the default partition of the payment lines
its own partition (after a bulk load)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from ansinh.core.errors import DomainError
from ansinh.core.money import format_number, format_vnd
from ansinh.core.months import format_month, parse_month
from ansinh.payments.models import PayrollRun
from ansinh.payments.partitions import partitions_split_default
from ansinh.payments.payroll import PAYROLL_LOCK_KEY, communes_in_area, payroll_run
from ansinh.plans.services import aggregates_refresh_later


class Command(BaseCommand):
    help = "Lập và xem danh sách chi trả trợ cấp hằng tháng."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("run", "Lập (hoặc lập lại) danh sách chi trả"), ("show", "Xem danh sách đã lập")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--month", required=True, help="Tháng chi trả, ví dụ 2026-11 hoặc 11/2026")
            p.add_argument(
                "--area", default="", help="Mã xã (5 chữ số), mã tỉnh (2 chữ số), bỏ trống: cả nước"
            )
        sub.choices["run"].add_argument("--chunk", type=int, default=50, help="Số xã mỗi đợt")
        sub.add_parser(
            "partitions",
            help="Tách các tháng đang nằm trong phân vùng mặc định của bảng dòng chi trả thành phân vùng "
            "theo tháng (sau khi nạp dữ liệu hàng loạt, ví dụ ansinh demo)",
        )

    def handle(self, *args, action, month=None, area="", **options):
        try:
            if action == "partitions":
                self._partitions()
            elif action == "run":
                self._run(month, area, options["chunk"])
            else:
                self._show(month, area)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _line(self, code, name, status, lines, total, arrears, note=""):
        self.stdout.write(
            f"  {code} {name}: {format_number(lines)} dòng, {format_vnd(total)}"
            + (f" (truy lĩnh {format_vnd(arrears)})" if arrears else "")
            + (f" [{note}]" if note else "")
        )

    def _run(self, month, area, chunk):
        bar = None

        def progress(done, total):
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, desc="Lập danh sách chi trả", unit="đợt xã", file=self.stderr._out)
            bar.update(done - bar.n)

        try:
            summary = payroll_run(
                month=month, area_code=area, progress=progress, chunk_communes=max(chunk, 1)
            )
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            f"Danh sách chi trả tháng {format_month(summary.month)}, địa bàn {area or 'cả nước'}:"
        )
        for c in summary.communes:
            note = f"đã khóa ({c.status}), không lập lại" if c.frozen else ""
            self._line(
                c.commune_code, c.commune_name, c.status, c.line_count, c.total_amount, c.arrears_amount, note
            )
        self.stdout.write(
            f"Tổng cộng: {format_number(len(summary.communes))} xã, {format_number(summary.line_count)} dòng, "
            + f"{format_vnd(summary.total_amount)} (trong đó truy lĩnh {format_vnd(summary.arrears_amount)})."
        )
        aggregates_refresh_later(actor=None, month=summary.month, area_code=area)
        self.stdout.write("Đã xếp hàng làm mới số liệu chỉ tiêu (chạy bởi `ansinh worker`).")

    def _partitions(self):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PAYROLL_LOCK_KEY])
            months = partitions_split_default(cursor)
        if months:
            self.stdout.write(
                "Đã tách phân vùng các tháng: " + ", ".join(format_month(m) for m in months) + "."
            )
        else:
            self.stdout.write("Phân vùng mặc định không còn dòng nào: không có gì phải tách.")

    def _show(self, month, area):
        month = parse_month(month, field="month")
        runs = (
            PayrollRun.objects.filter(month=month, commune__in=communes_in_area(area))
            .select_related("commune")
            .order_by("commune_id")
        )
        if not runs:
            self.stdout.write(f"Chưa có danh sách chi trả tháng {format_month(month)} cho địa bàn này.")
            return
        self.stdout.write(f"Danh sách chi trả tháng {format_month(month)}, địa bàn {area or 'cả nước'}:")
        for r in runs:
            self._line(
                r.commune_id,
                r.commune.name,
                r.status,
                r.line_count,
                r.total_amount,
                r.arrears_amount,
                r.get_status_display(),
            )
        self.stdout.write(
            f"Tổng cộng: {format_number(len(runs))} xã, {format_number(sum(r.line_count for r in runs))} dòng, "
            + f"{format_vnd(sum(r.total_amount for r in runs))}."
        )
