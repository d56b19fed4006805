"""`ansinh worker`: run background jobs from the queue (any number of workers may run at once)."""

import time

from django.core.management.base import BaseCommand

from ansinh.jobs.services import job_claim, job_execute


class Command(BaseCommand):
    help = "Chạy các tác vụ nền đang chờ (lập danh sách chi trả, nhập dữ liệu, báo cáo…)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy hết các tác vụ đang chờ rồi dừng.")
        parser.add_argument("--sleep", type=float, default=1.0, help="Số giây chờ khi hàng đợi trống.")

    def handle(self, *args, once=False, sleep=1.0, **options):
        while True:
            job = job_claim()
            if job is None:
                if once:
                    return
                time.sleep(sleep)
                continue
            self.stdout.write(f"Bắt đầu: {job.label} ({job.pk})")
            job = job_execute(job)
            outcome = job.error or job.message or ""
            self.stdout.write(f"{job.get_status_display()}: {job.label} {outcome}")
