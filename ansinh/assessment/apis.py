"""POST /api/v1/assessments: the benefits the law gives one person in a month."""

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from ansinh.assessment.services import assessment_run
from ansinh.core.errors import DomainError
from ansinh.core.months import parse_month

router = Router(tags=["assessments"])


class AssessmentIn(Schema):
    month: str
    facts: dict


@router.post("", auth=django_auth, response={200: dict, 400: dict})
def assessment_create(request: HttpRequest, payload: AssessmentIn):
    try:
        month = parse_month(payload.month)
        return Status(
            200, {"month": f"{month:%Y-%m}", "benefits": assessment_run(facts=payload.facts, month=month)}
        )
    except DomainError as error:
        return Status(400, error.as_dict())
