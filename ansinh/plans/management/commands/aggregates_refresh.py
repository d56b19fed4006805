"""`ansinh aggregates_refresh [--month 2026-11 | --from 2026-01 --to 2026-11 | --last 12] [--area 40]`:
recount the monthly aggregates the plan dashboard and the periodic reports read."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ansinh.core.errors import DomainError
from ansinh.core.months import add_months, current_month, months_between, parse_month
from ansinh.plans.indicators import aggregates_refresh


class Command(BaseCommand):
    help = "Làm mới số liệu tổng hợp theo tháng cho các chỉ số."

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="Tháng, ví dụ 2026-11; bỏ trống: tháng hiện tại")
        parser.add_argument("--from", dest="date_from", default="", help="Từ tháng (cùng --to)")
        parser.add_argument("--to", dest="date_to", default="", help="Đến tháng")
        parser.add_argument(
            "--last", type=int, default=0, help="Số tháng gần nhất đến tháng hiện tại, ví dụ 12"
        )
        parser.add_argument(
            "--area", default="", help="Mã xã (5 chữ số), mã tỉnh (2 chữ số), bỏ trống: cả nước"
        )

    def handle(self, *args, month, date_from, date_to, last, area, **options):
        bar = None

        def progress(done, total, message):
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="bước", file=self.stderr)
            bar.set_description(message[:40])
            bar.n = done
            bar.refresh()

        try:
            if date_from or date_to:
                first = parse_month(date_from, field="from")
                last = parse_month(date_to, field="to")
                if last < first:
                    raise CommandError(f"Tháng kết thúc {date_to} trước tháng bắt đầu {date_from}: sửa --to.")
                months = months_between(first, last)
            elif last > 0:
                now = current_month()
                months = months_between(add_months(now, 1 - last), now)
            else:
                months = month or None
            result = aggregates_refresh(months, area, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã làm mới {result['rows']} dòng tổng hợp, tháng {', '.join(result['months'])}."
            )
        )
