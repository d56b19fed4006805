"""`ansinh review --month 2026-11 [--area CODE]`: the monthly review, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from ansinh.core.errors import DomainError
from ansinh.core.months import format_month, parse_month
from ansinh.review.models import ReviewItem, ReviewReason
from ansinh.review.services import review_run


class Command(BaseCommand):
    help = (
        "Rà soát hằng tháng: đánh giá lại mọi đối tượng đang hưởng theo luật, lập danh sách cần quyết định."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="Tháng rà soát, ví dụ 2026-11")
        parser.add_argument(
            "--area", default="", help="Mã tỉnh (2 chữ số) hoặc xã (5 chữ số); để trống: cả nước"
        )
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ")

    def handle(self, *args, month, area, no_progress=False, **options):
        from tqdm import tqdm

        bar = tqdm(unit=" chế độ", desc="Rà soát", disable=no_progress, file=self.stderr._out)

        def progress(done, total=None, message=None):
            if total is not None and bar.total != total:
                bar.total = total
            bar.n = done
            bar.refresh()

        try:
            month_date = parse_month(month)
            run = review_run(month=month_date, area_code=area, progress=progress)
        except DomainError as error:
            fields = ", ".join(error.fields)
            raise CommandError(f"{fields}: {error.message}" if fields else error.message) from None
        finally:
            bar.close()
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"Rà soát tháng {format_month(run.month)}: {run.reviewed:,} chế độ, {run.item_count:,} trường hợp "
            f"cần quyết định ({seconds:.1f} giây).".replace(",", ".")
        )
        labels = dict(ReviewReason.choices)
        items = ReviewItem.objects.filter(month=run.month)
        if run.area_code:
            field = "commune__province" if len(run.area_code) == 2 else "commune"
            items = items.filter(**{field: run.area_code})
        rows = (
            items.values("commune_id", "commune__name", "reason")
            .annotate(n=Count("id"))
            .order_by("commune_id", "reason")
        )
        if len(rows) > 200:
            self.stdout.write("(Danh sách theo xã có hơn 200 dòng: xem trên trang /ra-soat/.)")
            rows = rows[:200]
        for row in rows:
            self.stdout.write(
                f"  {row['commune_id']} {row['commune__name']:<30} {labels[row['reason']]:<70} {row['n']:>7}"
            )
