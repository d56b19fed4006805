"""`ansinh demo --beneficiaries N [--seed 42] [--province 40] [--month 2026-11] [--if-empty]`."""

import time

from django.core.management.base import BaseCommand, CommandError

from ansinh.core.errors import DomainError, InvalidInput
from ansinh.core.months import parse_month
from ansinh.demo.services import demo_build

ACTIVITY_LABELS = {
    "payrolls_advanced": "danh sách chi trả qua các bước",
    "dossiers": "hồ sơ đề nghị",
    "deaths": "người hưởng đã chết (mai táng)",
    "new_pensions": "người hưởng có thêm trợ cấp BHXH",
    "relief_events": "đợt cứu trợ",
    "relief_households": "hộ bị ảnh hưởng",
    "relief_proposed": "hộ được đề xuất hỗ trợ",
    "relief_decided": "hộ có quyết định hỗ trợ",
    "relief_distributed": "hộ đã nhận hỗ trợ",
    "review_items": "trường hợp rà soát cần quyết định",
}


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: người hưởng, hộ gia đình, quyết định, chế độ và lịch sử chi trả."

    def add_arguments(self, parser):
        parser.add_argument("--beneficiaries", type=int, default=3000, help="số người hưởng (đến 3.500.000)")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--province", default="", help="mã tỉnh 2 chữ số; để trống: Nghệ An, hoặc cả nước khi N lớn"
        )
        parser.add_argument(
            "--month", default="", help="tháng đầu tiên chưa chi trả, ví dụ 2026-11 (mặc định: tháng này)"
        )
        parser.add_argument(
            "--history-months",
            type=int,
            default=None,
            help="số tháng lịch sử chi trả trước --month (mặc định 12; 1 khi N lớn)",
        )
        parser.add_argument("--if-empty", action="store_true", help="không làm gì nếu đã có người trong sổ")
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="không tạo hoạt động mẫu ở xã mẫu (hồ sơ, cứu trợ, rà soát, chi trả các tháng trước)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            month = parse_month(options["month"], field="month") if options["month"] else None
            summary = demo_build(
                beneficiaries=options["beneficiaries"],
                seed=options["seed"],
                province=options["province"],
                month=month,
                history_months=options["history_months"],
                if_empty=options["if_empty"],
                progress=not options["no_progress"] and options["verbosity"] > 0,
            )
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        if summary.skipped:
            self.stdout.write("Đã có dữ liệu người hưởng: bỏ qua việc tạo dữ liệu mẫu (--if-empty).")
        else:
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"Đã tạo {summary.beneficiaries:,} người hưởng ở {summary.communes:,} xã/phường "
                f"({len(summary.province_codes)} tỉnh) trong {elapsed:.0f} giây.".replace(",", ".")
            )
            for table, rows in summary.counts.items():
                self.stdout.write(f"  {table:<34} {rows:>12,}".replace(",", "."))
            self.stdout.write(f"Xã mẫu đầu tiên: {summary.first_commune}")
            if not options["no_activity"]:
                self._activity(options["seed"])
        from ansinh.demo.services import demo_logins

        self._logins(demo_logins)

    def _activity(self, seed: int) -> None:
        from ansinh.demo.activity import demo_activity

        started = time.monotonic()
        try:
            activity = demo_activity(seed=seed)
        except DomainError as exc:
            raise CommandError(f"Hoạt động mẫu: {exc.message} (bỏ qua bằng --no-activity)") from exc
        if not activity.commune:
            return
        self.stdout.write(f"Hoạt động mẫu ở {activity.commune} ({time.monotonic() - started:.0f} giây):")
        for name, count in activity.counts.items():
            self.stdout.write(f"  {ACTIVITY_LABELS.get(name, name):<34} {count:>12}")

    def _logins(self, demo_logins):
        self.stdout.write("Tài khoản đăng nhập (mật khẩu: ansinh):")
        for username, password, label in demo_logins():
            self.stdout.write(f"  {username:<10} / {password:<8} {label}")
