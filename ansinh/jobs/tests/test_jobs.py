"""Background jobs: queue, run, progress seen from outside the task's transaction, failure,
a dead worker's job taken over, and who may watch a job."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.jobs.models import Job, JobStatus
from ansinh.jobs.registry import task
from ansinh.jobs.services import MAX_ATTEMPTS, STALE_AFTER, job_claim, job_enqueue, job_run_pending
from ansinh.registry.tests.factories import make_commune, make_user

SEEN_FROM_OUTSIDE: list[int] = []


@task("tests.count", label="Đếm thử")
def count_task(progress, *, actor, upto: int):
    for i in range(1, upto + 1):
        progress(i, upto, f"Đã đếm {i}")
    return {"message": f"Đếm xong {upto}", "url": "/ket-qua/", "actor": getattr(actor, "username", "")}


@task("tests.refuse")
def refuse_task(progress, *, actor):
    raise NotAllowed("Không được phép lập danh sách cho địa bàn này.")


@task("tests.crash")
def crash_task(progress, *, actor):
    raise RuntimeError("boom")


@task("tests.watch_progress")
def watch_progress_task(progress, *, actor):
    # Work inside an open transaction, as the payroll does; progress must still be visible.
    with transaction.atomic():
        progress(5, 10, "Nửa chặng")
        progress.close()  # flush: close() keeps nothing back
        other = connection.get_new_connection(connection.get_connection_params())
        try:
            row = other.execute(
                "SELECT done, total, message FROM jobs_job WHERE id = %s", (progress.job.pk,)
            ).fetchone()
        finally:
            other.close()
        SEEN_FROM_OUTSIDE[:] = [row[0], row[1]]
    return {}


@pytest.mark.django_db
def test_enqueued_job_runs_to_the_end_with_its_result():
    user = make_user(commune=make_commune())
    job = job_enqueue("tests.count", actor=user, area_code="00001", kwargs={"upto": 3})
    assert job.status == JobStatus.QUEUED and job.label == "Đếm thử"

    assert job_run_pending() == 1

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result == {"message": "Đếm xong 3", "url": "/ket-qua/", "actor": user.username}
    assert job.attempts == 1 and job.finished_at is not None
    assert job_run_pending() == 0


@pytest.mark.django_db
def test_unknown_task_is_refused():
    with pytest.raises(InvalidInput) as error:
        job_enqueue("khong.co", actor=None)
    assert "khong.co" in error.value.message
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_domain_error_fails_the_job_with_its_vietnamese_message():
    job = job_enqueue("tests.refuse", actor=None)
    job_run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Không được phép lập danh sách cho địa bàn này."


@pytest.mark.django_db
def test_unexpected_error_fails_the_job_and_names_it():
    job = job_enqueue("tests.crash", actor=None)
    job_run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "RuntimeError: boom" in job.error


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_task_transaction_is_open():
    job = job_enqueue("tests.watch_progress", actor=None)
    job_run_pending()
    assert SEEN_FROM_OUTSIDE == [5, 10]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


@pytest.mark.django_db
def test_job_of_a_dead_worker_is_taken_over_but_a_live_one_is_left_alone():
    live = job_enqueue("tests.count", actor=None, kwargs={"upto": 1})
    dead = job_enqueue("tests.count", actor=None, kwargs={"upto": 1})
    now = timezone.now()
    Job.objects.filter(pk=live.pk).update(status=JobStatus.RUNNING, attempts=1, heartbeat_at=now)
    Job.objects.filter(pk=dead.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=now - STALE_AFTER - dt.timedelta(seconds=1)
    )

    claimed = job_claim()
    assert claimed.pk == dead.pk and claimed.attempts == 2
    assert job_claim() is None  # the live one keeps its worker


@pytest.mark.django_db
def test_job_killed_too_often_gives_up_with_a_message():
    job = job_enqueue("tests.count", actor=None, kwargs={"upto": 1})
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=MAX_ATTEMPTS, heartbeat_at=timezone.now() - STALE_AFTER * 2
    )
    job_run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert f"{MAX_ATTEMPTS} lần" in job.error


@pytest.mark.django_db
def test_worker_command_runs_the_queue_once():
    job = job_enqueue("tests.count", actor=None, kwargs={"upto": 2})
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


@pytest.mark.django_db
def test_job_page_is_scoped_and_polls_until_done(client):
    home, other = make_commune("00001"), make_commune("00002")
    owner = make_user(commune=home)
    stranger = make_user(commune=other)
    job = job_enqueue("tests.count", actor=owner, area_code=home.code, kwargs={"upto": 2})
    url = f"/tac-vu/{job.pk}/"

    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get("/tac-vu/not-a-uuid/").status_code == 404

    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "Đếm thử" in page and 'hx-trigger="every 1s"' in page

    job_run_pending()
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "hx-trigger" not in fragment  # finished: polling stops
    assert "100%" in fragment and "Đếm xong 2" in fragment and 'href="/ket-qua/"' in fragment
