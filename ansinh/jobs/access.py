"""The only door for pages to fetch a job: its creator, or anyone whose area contains the job's."""

import uuid

from django.http import Http404

from ansinh.accounts.scope import AreaScope
from ansinh.jobs.models import Job


def access_job(user, pk) -> Job:
    try:
        job = Job.objects.get(pk=uuid.UUID(str(pk)))
    except (ValueError, Job.DoesNotExist):
        raise Http404("Không tìm thấy tác vụ.") from None
    scope = AreaScope.for_user(user)
    mine = job.created_by_id is not None and job.created_by_id == getattr(user, "pk", None)
    in_area = bool(job.area_code) and scope.contains_area(job.area_code)
    if not (mine or in_area or scope.is_country):
        raise Http404("Không tìm thấy tác vụ này trong địa bàn của bạn.")
    return job
