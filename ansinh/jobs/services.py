"""Enqueue, claim and run background jobs.

Claiming uses `SELECT … FOR UPDATE SKIP LOCKED`, so any number of workers on any number of
machines share one queue in PostgreSQL. A job whose worker died (no heartbeat for
STALE_AFTER) is claimed again; tasks are idempotent, so running one twice is safe.
"""

import datetime as dt
import logging
import threading
import time

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ansinh.core.errors import DomainError
from ansinh.jobs.models import Job, JobStatus
from ansinh.jobs.registry import task_get

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=5)
HEARTBEAT_EVERY = 30.0  # seconds; well inside STALE_AFTER
MAX_ATTEMPTS = 3


def job_enqueue(name: str, *, actor, area_code: str = "", kwargs: dict | None = None, label: str = "") -> Job:
    """Queue a run of task `name`; `kwargs` must be JSON (dates as ISO strings)."""
    task = task_get(name)
    return Job.objects.create(
        name=name,
        label=label or task.label,
        kwargs=kwargs or {},
        area_code=area_code or "",
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def job_claim() -> Job | None:
    """Take the oldest waiting job (or one whose worker died) for this worker, or None."""
    stale = timezone.now() - STALE_AFTER
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale))
            .order_by("created_at")
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = now
        job.heartbeat_at = now
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
        return job


class ProgressWriter:
    """The `progress(done, total, message)` callable handed to a task.

    Writes through a connection of its own in autocommit, at most every `min_interval`
    seconds, so progress is visible while the task's transaction is still open; a background
    thread keeps the heartbeat fresh during long silent statements.
    """

    def __init__(self, job: Job, min_interval: float = 0.5):
        self.job = job
        self.min_interval = min_interval
        self._last = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conn = None
        self._thread = None

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        self.job.done = int(done)
        if total is not None:
            self.job.total = int(total)
        if message is not None:
            self.job.message = str(message)[:500]
        now = time.monotonic()
        if now - self._last >= self.min_interval or (self.job.total and self.job.done >= self.job.total):
            self._last = now
            self._write()

    def _write(self) -> None:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = connection.get_new_connection(connection.get_connection_params())
                    self._conn.autocommit = True
                self._conn.execute(
                    "UPDATE jobs_job SET done = %s, total = %s, message = %s, heartbeat_at = now()"
                    " WHERE id = %s",
                    (self.job.done, self.job.total, self.job.message, self.job.pk),
                )
            except Exception:  # progress is a courtesy: never let it break the work
                logger.warning("Could not write progress of job %s", self.job.pk, exc_info=True)

    def start(self) -> None:
        def beat():
            while not self._stop.wait(HEARTBEAT_EVERY):
                self._write()

        self._thread = threading.Thread(target=beat, name=f"job-heartbeat-{self.job.pk}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def job_execute(job: Job) -> Job:
    """Run a claimed job to the end and record how it finished."""
    if job.attempts > MAX_ATTEMPTS:
        return _finish(
            job,
            JobStatus.FAILED,
            error=f"Tác vụ đã bị dừng giữa chừng {MAX_ATTEMPTS} lần; hãy kiểm tra rồi chạy lại.",
        )
    task = task_get(job.name)
    progress = ProgressWriter(job)
    progress.start()
    try:
        result = task.fn(progress, actor=job.created_by, **job.kwargs)
    except DomainError as error:
        return _finish(job, JobStatus.FAILED, error=error.message)
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.pk, job.name)
        return _finish(
            job, JobStatus.FAILED, error=f"Lỗi hệ thống khi chạy tác vụ: {type(error).__name__}: {error}"
        )
    finally:
        progress.close()
    return _finish(job, JobStatus.DONE, result=result or {})


def _finish(job: Job, status: str, *, result: dict | None = None, error: str = "") -> Job:
    job.status = status
    job.result = result or {}
    job.error = error
    job.finished_at = timezone.now()
    if status == JobStatus.DONE and job.total:
        job.done = job.total
    if status == JobStatus.DONE and not job.message:
        job.message = job.result.get("message", "")[:500]
    job.save(update_fields=["status", "result", "error", "finished_at", "done", "total", "message"])
    return job


def job_run_pending(limit: int | None = None) -> int:
    """Run waiting jobs in this process until none is left (or `limit`); returns how many ran."""
    count = 0
    while limit is None or count < limit:
        job = job_claim()
        if job is None:
            break
        job_execute(job)
        count += 1
    return count
