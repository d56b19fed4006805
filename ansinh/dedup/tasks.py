"""Background job of the review queue (ansinh/jobs): find the duplicate pairs of an area."""

from django.urls import reverse

from ansinh.dedup.services import area_scan, area_scan_message
from ansinh.jobs.registry import task


@task("dedup.area_scan", label="Tìm hồ sơ trùng trong địa bàn")
def area_scan_task(progress, *, actor) -> dict:
    found = area_scan(actor=actor, progress=progress)
    message = area_scan_message(found)
    progress(3, 3, message)
    return {
        "message": message,
        "url": reverse("dedup:queue"),
    }
