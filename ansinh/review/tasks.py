"""The monthly review as a background job (ansinh/jobs): the same `review_run` the command runs,
its progress written to the job. Idempotent: running a month again replaces its open items."""

import datetime as dt

from django.urls import reverse

from ansinh.jobs.registry import task
from ansinh.review.services import review_run


@task("review.run", label="Rà soát hằng tháng")
def review_run_task(progress, *, actor, month: str, area_code: str = "") -> dict:
    run = review_run(month=dt.date.fromisoformat(month), area_code=area_code, actor=actor, progress=progress)
    url = reverse("review:list") + f"?month={run.month:%Y-%m}"
    return {
        "message": f"Đã rà soát {run.reviewed:,} chế độ: {run.item_count:,} trường hợp cần quyết định.".replace(
            ",", "."
        ),
        "url": url,
    }
