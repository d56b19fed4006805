"""`ansinh dedup --input persons.csv --output pairs.csv [--threshold 0.8]`: file in, file out,
no database. Columns of the input: docs/dedup.md."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ansinh.dedup import engine


class Command(BaseCommand):
    help = "Tìm các cặp hồ sơ có thể trùng nhau trong một tệp CSV (không dùng cơ sở dữ liệu)."
    requires_system_checks: list = []  # pure file in, file out: no database checks

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="tệp CSV danh sách người (xem docs/dedup.md)")
        parser.add_argument(
            "--output", required=True, help="tệp CSV kết quả: id_left, id_right, score, reasons"
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=engine.DEFAULT_THRESHOLD,
            help=f"điểm tối thiểu (0–1) để ghi một cặp, mặc định {engine.DEFAULT_THRESHOLD}",
        )

    def handle(self, *args, **opts):
        if not 0 <= opts["threshold"] <= 1:
            raise CommandError("--threshold phải nằm trong khoảng 0 đến 1, ví dụ 0.8.")
        started = time.monotonic()
        try:
            rows = engine.read_csv(opts["input"])
        except FileNotFoundError as exc:
            raise CommandError(
                f"Không tìm thấy tệp {opts['input']}: kiểm tra lại đường dẫn --input."
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError("Tệp không phải CSV mã UTF-8: lưu lại từ Excel bằng “CSV UTF-8”.") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        steps = ["prepared", "blocked", "trained", "scored"]
        bar = tqdm(total=len(steps), desc="Tìm trùng", unit="bước", disable=None)

        def progress(step, count):
            bar.set_postfix_str(f"{step}: {count:,}")
            bar.update(1)

        table, result = engine.find_duplicates(rows, threshold=opts["threshold"], progress=progress)
        bar.close()
        written = engine.write_pairs(opts["output"], table, result)
        self.stdout.write(
            f"{len(rows):,} dòng, {result.candidates:,} cặp được so sánh, {written:,} cặp có thể trùng "
            f"(điểm ≥ {opts['threshold']}) ghi vào {opts['output']} trong {time.monotonic() - started:.1f} giây."
        )
