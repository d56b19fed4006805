"""/api/v1/decisions: prepare, sign and list decisions, limited to the user's area.

Errors are raised as domain errors and Http404 and shaped by ansinh.api.errors."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from ansinh.accounts.scope import AreaScope
from ansinh.decisions import selectors, services
from ansinh.decisions.access import access_decision, access_person_for_transfer
from ansinh.decisions.models import DecisionKind
from ansinh.registry.access import access_person

router = Router(tags=["decisions"])


class DecisionIn(Schema):
    person: int
    kind: str = ""
    benefit: str = ""
    category: str = ""
    coefficient: str | None = None  # text, so 1,5 and 1.5 are both read exactly
    event_date: dt.date | None = None
    target_commune: str | None = None
    reason: str = ""
    effective_month: dt.date | None = None


class SignIn(Schema):
    number: str = ""
    signed_on: dt.date
    signer_name: str = ""


class DecisionOut(Schema):
    id: int
    number: str
    paper_number: str = Field(
        "", description="signed on paper before the system: the number the imported list gave"
    )
    kind: str
    kind_label: str
    status: str
    person_id: int
    person_name: str
    commune_code: str
    benefit: str
    category: str
    coefficient: str | None
    monthly_amount: int | None
    effective_month: dt.date | None
    event_date: dt.date | None
    target_commune_code: str | None
    signed_on: dt.date | None
    signer_name: str
    reason: str


def _out(decision) -> dict:
    return {
        "id": decision.pk,
        "number": decision.number,
        "paper_number": decision.paper_number,
        "kind": decision.kind,
        "kind_label": decision.get_kind_display(),
        "status": decision.status,
        "person_id": decision.person_id,
        "person_name": decision.person.full_name,
        "commune_code": decision.commune_id,
        "benefit": decision.benefit,
        "category": decision.category,
        "coefficient": None if decision.coefficient is None else str(decision.coefficient),
        "monthly_amount": decision.monthly_amount,
        "effective_month": decision.effective_month,
        "event_date": decision.event_date,
        "target_commune_code": decision.target_commune_id,
        "signed_on": decision.signed_on,
        "signer_name": decision.signer_name,
        "reason": decision.reason,
    }


@router.post("", response={201: DecisionOut}, summary="Prepare a draft decision")
def decision_create(request, payload: DecisionIn):
    if payload.kind == DecisionKind.TRANSFER:
        # Two steps (Decree 335/2026 Art. 8): the old commune stops and hands over, then the new
        # commune takes the person in. Outside the area only a person handed over is reachable.
        person = access_person_for_transfer(request.auth, payload.person)
    else:
        person = access_person(request.auth, payload.person)
    decision = services.decision_prepare(
        actor=request.auth,
        person=person,
        kind=payload.kind,
        benefit=payload.benefit,
        category=payload.category,
        coefficient=payload.coefficient,
        event_date=payload.event_date,
        target_commune=payload.target_commune or None,
        reason=payload.reason,
        effective_month=payload.effective_month,
    )
    return Status(201, _out(decision))


@router.post("/{decision_id}/sign", response=DecisionOut, summary="Sign a draft (commune chairman)")
def decision_sign(request, decision_id: int, payload: SignIn):
    decision = access_decision(request.auth, decision_id)
    decision = services.decision_sign(
        actor=request.auth,
        decision=decision,
        number=payload.number,
        signed_on=payload.signed_on,
        signer_name=payload.signer_name,
        today=timezone.localdate(),
    )
    return _out(decision)


@router.get("/{decision_id}", response=DecisionOut, summary="One decision")
def decision_detail(request, decision_id: int):
    return _out(access_decision(request.auth, decision_id))


@router.get("", response=list[DecisionOut], summary="A person's decisions")
def decision_list(request, person: int):
    person = access_person(request.auth, person)
    decisions = AreaScope.for_user(request.auth).filter(selectors.decision_list_for_person(person))
    return [_out(d) for d in decisions.select_related("person")]
