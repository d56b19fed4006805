from django.core.management.base import BaseCommand

from ansinh.areas.loading import areas_load


class Command(BaseCommand):
    # Loading reference data needs no URL or template checks (and must work in a half-built tree).
    requires_system_checks = []

    help = (
        "Nạp 34 tỉnh, thành phố và các xã, phường, đặc khu từ 01/07/2025 (gói vietnam-provinces), "
        "cùng đơn vị hành chính cũ và bảng chuyển đổi xã cũ → xã mới. Chạy lại nhiều lần không sao."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ.")

    def handle(self, *args, **options):
        summary = areas_load(progress=not options["no_progress"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {summary.provinces} tỉnh/thành phố, {summary.communes} xã/phường/đặc khu; "
                f"đơn vị cũ: {summary.legacy_provinces} tỉnh, {summary.legacy_districts} huyện, "
                f"{summary.legacy_communes} xã; {summary.successions} dòng chuyển đổi xã cũ → xã mới."
            )
        )
