"""`ansinh plans_load`: the indicator catalogue and the five seed plans (ansinh/plans/data/)."""

from django.core.management.base import BaseCommand, CommandError

from ansinh.core.errors import DomainError
from ansinh.plans.services import plans_load


class Command(BaseCommand):
    help = "Nạp danh mục chỉ số và các kế hoạch mẫu (chạy lại được nhiều lần)."

    def handle(self, *args, **options):
        try:
            plans = plans_load(actor=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for plan in plans:
            self.stdout.write(f"  {plan.province.name}: {plan.targets.count()} chỉ tiêu — {plan.title[:80]}")
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {len(plans)} kế hoạch."))
