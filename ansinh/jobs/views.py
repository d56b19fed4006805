from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ansinh.jobs.access import access_job


@login_required
def job_detail(request, job_id):
    """The job's page; HTMX polls the same URL for the progress fragment until it finishes."""
    job = access_job(request.user, job_id)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_progress.html", {"job": job})
    return render(request, "jobs/detail.html", {"job": job})
