"""The province- and country-wide payroll as a background job (ansinh.jobs): started from the
payroll page, progress on the job's page, and a job whose worker was killed runs again to the
same payroll, without duplicates."""

import datetime as dt
import textwrap

import pytest
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.decisions.tests.factories import Office, make_user
from ansinh.jobs.models import Job, JobStatus
from ansinh.jobs.services import job_run_pending
from ansinh.payments.models import PaymentLine, PayrollRun
from ansinh.payments.tests.test_kill import run_in_child

NOV = dt.date(2026, 11, 1)


def _offices():
    first, second = Office("00001"), Office("00002")
    first.grant(first.person(), signed_on=dt.date(2026, 9, 1))
    second.grant(second.person(), signed_on=NOV)
    return first, second


@pytest.mark.django_db
def test_a_provincial_officer_runs_the_province_in_the_background(client):
    first, _second = _offices()
    officer = make_user(role=Role.PROVINCIAL_OFFICER, province=first.commune.province)
    client.force_login(officer)
    page = client.get(reverse("web:payroll_list"))
    assert "Lập cho toàn tỉnh" in page.content.decode()

    response = client.post(reverse("web:payroll_run"), {"area": "01", "month": "11/2026"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.id])
    assert (job.name, job.area_code, job.kwargs, job.status) == (
        "payments.payroll_run",
        "01",
        {"month": "2026-11", "area_code": "01"},
        JobStatus.QUEUED,
    )
    assert PayrollRun.objects.count() == 0  # nothing is built in the request

    assert job_run_pending() == 2  # the payroll, then the recount of the plan indicators it queues
    refresh = Job.objects.get(name="plans.aggregates_refresh")
    assert (refresh.status, refresh.kwargs) == (JobStatus.DONE, {"month": "2026-11", "area_code": "01"})
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 1, 1)
    assert job.result["message"] == (
        "Đã lập danh sách chi trả tháng 11/2026 cho địa bàn 01: 2 xã, 4 dòng, 3.240.000 đ "
        "(trong đó truy lĩnh 1.620.000 đ)."
    )
    assert PayrollRun.objects.get(commune_id="00001").prepared_by == officer
    html = client.get(reverse("jobs:detail", args=[job.id])).content.decode()
    assert "100%" in html and "3.240.000 đ" in html and reverse("web:payroll_list") in html


@pytest.mark.django_db
def test_the_background_run_is_checked_before_it_is_queued(client):
    first, _second = _offices()
    officer = make_user(role=Role.PROVINCIAL_OFFICER, province=first.commune.province)
    client.force_login(officer)
    response = client.post(reverse("web:payroll_run"), {"area": "01", "month": "13/2026"})
    assert response.status_code == 400
    assert "tháng" in response.content.decode().lower()
    response = client.post(reverse("web:payroll_run"), {"area": "01", "month": "12/2099"})
    assert response.status_code == 400 and "chưa đến" in response.content.decode()
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_another_area_is_not_found(client):
    first, _second = _offices()
    client.force_login(first.officer)  # a commune officer: the province is outside their area
    assert client.post(reverse("web:payroll_run"), {"area": "01", "month": "11/2026"}).status_code == 404
    Office("10001", province="02")
    other = make_user(role=Role.PROVINCIAL_OFFICER, province=first.commune.province)
    client.force_login(other)
    assert client.post(reverse("web:payroll_run"), {"area": "02", "month": "11/2026"}).status_code == 404
    assert client.post(reverse("web:payroll_run"), {"area": "", "month": "11/2026"}).status_code == 404
    assert Job.objects.count() == 0


KILLED_WORKER = textwrap.dedent(
    """
    import os, signal, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from ansinh.payments import tasks
    from ansinh.jobs.services import job_run_pending

    real = tasks.payroll_run

    def killed_after_the_first_chunk(**kwargs):
        report = kwargs["progress"]

        def progress(done, total):
            report(done, total)
            if done == 1:
                os.kill(os.getpid(), signal.SIGKILL)  # the worker dies inside the payroll's transaction

        return real(**{**kwargs, "progress": progress, "chunk_communes": 1})

    tasks.payroll_run = killed_after_the_first_chunk
    job_run_pending()
    """
)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_was_killed_runs_again_without_duplicates():
    from ansinh.jobs.services import job_enqueue

    first, _second = _offices()
    officer = make_user(role=Role.PROVINCIAL_OFFICER, province=first.commune.province)
    job = job_enqueue(
        "payments.payroll_run", actor=officer, area_code="01", kwargs={"month": "2026-11", "area_code": "01"}
    )

    assert run_in_child(KILLED_WORKER).returncode == -9
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)
    assert PayrollRun.objects.count() == 0 and PaymentLine.objects.count() == 0

    # No heartbeat for longer than STALE_AFTER: the next worker takes the job again.
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    assert job_run_pending() == 2  # the payroll, then the indicators' recount
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert PaymentLine.objects.count() == 4
    assert sorted(PayrollRun.objects.values_list("commune_id", "line_count", "total_amount")) == [
        ("00001", 3, 3 * 810_000),
        ("00002", 1, 810_000),
    ]
