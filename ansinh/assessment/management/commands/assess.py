"""`ansinh assess PERSON.json --month 2026-11 [--json]`: every benefit the law gives that month."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ansinh.assessment.services import assessment_run
from ansinh.core.errors import DomainError
from ansinh.core.money import format_vnd
from ansinh.core.months import format_month, parse_month


class Command(BaseCommand):
    help = "Tra cứu chế độ: các khoản một người được hưởng trong một tháng theo luật (xem docs/assess.md)."

    def add_arguments(self, parser):
        parser.add_argument("facts_file", help="Tệp JSON các thông tin của người và hộ")
        parser.add_argument("--month", required=True, help="Tháng, ví dụ 2026-11")
        parser.add_argument("--json", action="store_true", dest="as_json", help="In kết quả dạng JSON")

    def handle(self, *args, facts_file, month, as_json: bool = False, **options):
        try:
            facts = json.loads(Path(facts_file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Không đọc được tệp {facts_file}: {error}") from None
        try:
            month_date = parse_month(month)
            benefits = assessment_run(facts=facts, month=month_date)
        except DomainError as error:
            fields = ", ".join(error.fields)
            raise CommandError(f"{fields}: {error.message}" if fields else error.message) from None
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"month": f"{month_date:%Y-%m}", "benefits": benefits}, ensure_ascii=False, indent=2
                )
            )
            return
        self.stdout.write(f"Chế độ được hưởng tháng {format_month(month_date)}:")
        if not benefits:
            self.stdout.write("  Không có chế độ nào trong tháng này.")
        for item in benefits:
            if item["benefit"] == "health_insurance":
                amount = "Được cấp thẻ BHYT"  # no amount: the state pays the card
            elif item["unit"].startswith("đồng"):
                amount = format_vnd(item["amount"])
            else:
                amount = f"{item['amount']} {item['unit']}"
            coefficient = "" if item["coefficient"] is None else item["coefficient"].replace(".", ",")
            self.stdout.write(
                f"  {item['benefit_name']:<52} {item['category']:<8} {coefficient:>5} {amount:>16}"
            )
            self.stdout.write(f"      {item['explanation']}")
