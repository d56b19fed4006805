"""/api/v1/dossiers: list (scoped, by status or overdue), one dossier, receive at the desk or by
post, and move through the workflow table. Always limited to the user's area (AreaScope through
selectors and access_dossier: another commune's dossier is a 404, like a missing id); errors
are {code, message, fields} (ansinh.api.errors)."""

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from ansinh.core.errors import InvalidInput
from ansinh.dossiers import selectors, services
from ansinh.dossiers.access import access_dossier
from ansinh.dossiers.models import Status
from ansinh.dossiers.workflow import actions_for

router = Router(tags=["dossiers"])

MAX_LIMIT = 500


class CheckOut(Schema):
    source: str
    kind: str
    outcome: str
    detail: str


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor_label: str
    note: str
    at: dt.datetime


class DossierOut(Schema):
    id: int
    code: str
    form: str
    channel: str
    status: str
    status_label: str
    commune_code: str
    benefit: str
    subject_id: int | None
    subject_personal_id: str
    subject_name: str
    applicant_name: str
    received_on: dt.date
    postmark_date: dt.date | None
    deadline: dt.date
    step_deadline: dt.date
    overdue: bool
    decision_id: int | None
    decided_on: dt.date | None
    refusal_reason: str
    forwarded_on: dt.date | None
    facility_name: str
    admission_date: dt.date | None


class DossierDetailOut(DossierOut):
    form_data: dict
    deadline_basis: str
    commune_deadline: dt.date | None
    facility_deadline: dt.date | None
    checks: list[CheckOut]
    events: list[EventOut]
    allowed_actions: list[str]


class DossierIn(Schema):
    # Plain values with defaults, so a missing or wrong value gets the service's Vietnamese
    # message naming the field (400) rather than a schema error.
    form: str = ""
    channel: str = "desk"
    commune: str = ""
    benefit: str = ""
    subject_personal_id: str = ""
    subject_name: str = ""
    subject_birth_date: str = ""
    applicant_name: str = ""
    applicant_personal_id: str = ""
    applicant_relation: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    address: str = ""
    form_data: dict = {}
    received_on: dt.date | None = None
    postmark_date: dt.date | None = None


class TransitionIn(Schema):
    action: str = ""
    note: str = ""
    outcome: str = ""
    number: str = ""
    signed_on: dt.date | None = None
    signer_name: str = ""
    reason: str = ""
    facility_name: str = ""
    admission_date: dt.date | None = None


def _out(dossier, today: dt.date) -> dict:
    step = dossier.step_deadline
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "form": dossier.form,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "commune_code": dossier.commune_id,
        "benefit": dossier.benefit,
        "subject_id": dossier.subject_id,
        "subject_personal_id": dossier.subject_personal_id,
        "subject_name": dossier.subject_name,
        "applicant_name": dossier.applicant_name,
        "received_on": dossier.received_on,
        "postmark_date": dossier.postmark_date,
        "deadline": dossier.deadline,
        "step_deadline": step,
        "overdue": dossier.is_open and step < today,
        "decision_id": dossier.decision_id,
        "decided_on": dossier.decided_on,
        "refusal_reason": dossier.refusal_reason,
        "forwarded_on": dossier.forwarded_on,
        "facility_name": dossier.facility_name,
        "admission_date": dossier.admission_date,
    }


def _detail(request, dossier) -> dict:
    from django.utils import timezone

    return {
        **_out(dossier, timezone.localdate()),
        "form_data": dossier.form_data,
        "deadline_basis": dossier.deadline_basis,
        "commune_deadline": dossier.commune_deadline,
        "facility_deadline": dossier.facility_deadline,
        "checks": list(dossier.checks.order_by("id").values("source", "kind", "outcome", "detail")),
        "events": list(
            dossier.events.order_by("id").values(
                "action", "from_status", "to_status", "actor_label", "note", "at"
            )
        ),
        "allowed_actions": [str(t.action) for t in actions_for(dossier, request.auth)],
    }


@router.get("", response=list[DossierOut], summary="Dossiers of the user's area, by deadline")
def dossier_list(
    request, status: str = "", overdue: bool | None = None, form: str = "", limit: int = 100, offset: int = 0
):
    from django.utils import timezone

    if status and status not in Status.values:
        raise InvalidInput.for_field(
            "status", f"Trạng thái “{status}” không có: dùng một trong {', '.join(Status.values)}."
        )
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise InvalidInput.for_field("limit", f"limit phải từ 1 đến {MAX_LIMIT}, offset không âm.")
    today = timezone.localdate()
    bucket = {True: "overdue", False: "due"}.get(overdue, "")
    dossiers = selectors.dossier_list_for_user(request.auth, bucket=bucket, today=today)
    if status:
        dossiers = dossiers.filter(status=status)
    if form:
        dossiers = dossiers.filter(form=form)
    return [_out(d, today) for d in dossiers[offset : offset + limit]]


@router.post("", response={201: DossierDetailOut}, summary="Receive a dossier at the desk or by post")
def dossier_create(request, payload: DossierIn):
    if payload.channel not in ("desk", "post"):
        raise InvalidInput.for_field(
            "channel", "Qua API chỉ tiếp nhận hồ sơ nộp trực tiếp (desk) hoặc qua bưu chính (post)."
        )
    dossier = services.dossier_submit(
        actor=request.auth,
        form=payload.form,
        channel=payload.channel,
        commune=payload.commune,
        benefit=payload.benefit,
        subject_personal_id=payload.subject_personal_id,
        subject_name=payload.subject_name,
        subject_birth_date=payload.subject_birth_date or None,
        applicant_name=payload.applicant_name,
        applicant_personal_id=payload.applicant_personal_id,
        applicant_relation=payload.applicant_relation,
        applicant_phone=payload.applicant_phone,
        applicant_email=payload.applicant_email,
        address=payload.address,
        form_data=payload.form_data,
        received_on=payload.received_on,
        postmark_date=payload.postmark_date,
    )
    return HttpStatus(201, _detail(request, access_dossier(request.auth, dossier.pk)))


@router.get("/{dossier_id}", response=DossierDetailOut, summary="One dossier with its checks and moves")
def dossier_detail(request, dossier_id: int):
    return _detail(request, access_dossier(request.auth, dossier_id))


@router.post("/{dossier_id}/transition", response=DossierDetailOut, summary="Move a dossier (workflow table)")
def dossier_transition(request, dossier_id: int, payload: TransitionIn):
    dossier = access_dossier(request.auth, dossier_id)
    services.dossier_transition(
        actor=request.auth,
        dossier=dossier,
        action=payload.action,
        note=payload.note,
        outcome=payload.outcome,
        number=payload.number,
        signed_on=payload.signed_on,
        signer_name=payload.signer_name,
        reason=payload.reason,
        facility_name=payload.facility_name,
        admission_date=payload.admission_date,
        today=timezone.localdate(),
    )
    return _detail(request, access_dossier(request.auth, dossier_id))
