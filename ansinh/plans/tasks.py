"""Background job: refresh the monthly aggregates (queued after a payroll run or an import)."""

from ansinh.jobs.registry import task
from ansinh.plans.indicators import aggregates_refresh


@task("plans.aggregates_refresh", label="Làm mới số liệu chỉ tiêu")
def aggregates_refresh_task(progress, *, actor, month=None, area_code=None, **kwargs) -> dict:
    result = aggregates_refresh(month, area_code, progress=progress)
    return {
        "message": f"Đã làm mới {result['rows']} dòng số liệu tổng hợp tháng {', '.join(result['months'])}.",
        "url": "/chi-tieu/" + (f"?khu_vuc={area_code}" if area_code else ""),
    }
