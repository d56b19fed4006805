"""/api/v1/relief: emergency assistance (trợ giúp khẩn cấp) for a province's or a commune's
system. Read the events (đợt thiên tai, sự cố), the households registered as affected with their
support decisions and what they received, the "helped in time" figure of an event; register an
affected household from the field (idempotent by the phone's UUID, as /cuu-tro/dong-bo/).

Always limited to the user's area: events and households are fetched through
ansinh.relief.access (another commune's id is a 404, like a missing one) and listed through
ansinh.relief.selectors; writes go through ansinh.relief.services. Errors are
{code, message, fields} (ansinh.api.errors)."""

import datetime as dt
from decimal import Decimal
from typing import get_type_hints

from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import create_model

from ansinh.core.errors import InvalidInput
from ansinh.relief import selectors, services
from ansinh.relief.access import access_affected, access_event
from ansinh.relief.api_queries import affected_with_support
from ansinh.relief.models import EventKind

router = Router(tags=["relief"])


# --- schemas ------------------------------------------------------------------------------------
class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    occurred_on: dt.date
    province_code: str
    deadline_days: int
    deadline_basis: str
    rice_months: int
    description: str


class CommuneOut(Schema):
    code: str
    name: str


class VillageOut(Schema):
    id: int
    name: str
    commune_code: str


class EventDetailOut(EventOut):
    communes: list[CommuneOut]
    villages: list[VillageOut]


class PersonOut(Schema):
    id: int
    full_name: str
    outcome: str
    outcome_label: str
    treatment_days: int


class SupportLineOut(Schema):
    kind: str
    kind_label: str
    person_name: str
    item_code: str
    item_name: str
    unit: str
    quantity: int
    legal_basis: str


class SupportOut(Schema):
    status: str
    status_label: str
    rice_kg: int
    cash_amount: int
    law_month: dt.date
    decided_on: dt.date | None
    decision_number: str
    refusal_reason: str
    lines: list[SupportLineOut]


class DistributionOut(Schema):
    kind: str
    kind_label: str
    item_code: str
    item_name: str
    unit: str
    quantity: int
    received_on: dt.date
    receiver_name: str
    signed: bool


class HelpOut(Schema):
    deadline: dt.date
    helped_on: dt.date | None
    days: int | None
    status: str  # in_time / late / waiting / overdue / not_needed / refused
    label: str


class AffectedOut(Schema):
    id: int
    event_id: int
    client_uuid: str
    commune_code: str
    commune_name: str
    village_id: int | None
    village_name: str
    household_id: int | None
    head_name: str
    head_personal_id: str
    address: str
    size: int
    house_damage: str
    house_damage_label: str
    food_shortage: bool
    note: str
    recorded_at: dt.datetime | None
    persons: list[PersonOut]
    support: SupportOut | None
    distributions: list[DistributionOut]
    help: HelpOut | None


# The selector's row (ansinh.relief.selectors.HelpedInTime) field for field, plus its two rates
# in percent (one decimal; null when nobody needed help): the API follows the selector.
HelpedInTimeRowOut = create_model(
    "HelpedInTimeRowOut",
    __base__=Schema,
    **{name: (kind, ...) for name, kind in get_type_hints(selectors.HelpedInTime).items()},
    rate=(Decimal | None, ...),
    persons_rate=(Decimal | None, ...),
)


class HelpedInTimeOut(Schema):
    event_id: int
    as_of: dt.date
    total: HelpedInTimeRowOut
    communes: list[HelpedInTimeRowOut]


class AffectedPersonIn(Schema):
    full_name: str = ""
    outcome: str = ""  # injured / killed
    treatment_days: int = 0


class AffectedIn(Schema):
    # Plain values with defaults, so a missing or wrong value gets the service's Vietnamese
    # message naming the field (400) rather than a schema error.
    client_uuid: str = ""
    commune: str = ""
    village: int | None = None
    household: int | None = None
    head_name: str = ""
    head_personal_id: str = ""
    address: str = ""
    size: int | None = None
    house_damage: str = "none"
    food_shortage: bool = False
    persons: list[AffectedPersonIn] = []
    note: str = ""
    recorded_at: dt.datetime | None = None


# --- shaping ------------------------------------------------------------------------------------
MAX_LIMIT = 500


def _page(queryset, limit: int, offset: int):
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise InvalidInput.for_field("limit", f"limit phải từ 1 đến {MAX_LIMIT}, offset không âm.")
    return queryset[offset : offset + limit]


def _event(event) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "name": event.name,
        "occurred_on": event.occurred_on,
        "province_code": event.province_id,
        "deadline_days": event.deadline_days,
        "deadline_basis": event.deadline_basis,
        "rice_months": event.rice_months,
        "description": event.description,
    }


def _support(support) -> dict | None:
    if support is None:
        return None
    lines = [
        {
            "kind": line.kind,
            "kind_label": line.get_kind_display(),
            "person_name": line.person.full_name if line.person else "",
            "item_code": line.item.code,
            "item_name": line.item.name,
            "unit": line.item.unit,
            "quantity": line.quantity,
            "legal_basis": line.legal_basis,
        }
        for line in support.lines.all()
    ]
    return {
        "status": support.status,
        "status_label": support.get_status_display(),
        "rice_kg": support.rice_kg,
        "cash_amount": support.cash_amount,
        "law_month": support.law_month,
        "decided_on": support.decided_on,
        "decision_number": support.decision_number,
        "refusal_reason": support.refusal_reason,
        "lines": lines,
    }


def _affected(affected, time) -> dict:
    return {
        "id": affected.pk,
        "event_id": affected.event_id,
        "client_uuid": str(affected.client_uuid),
        "commune_code": affected.commune_id,
        "commune_name": affected.commune.name,
        "village_id": affected.village_id,
        "village_name": affected.village.name if affected.village else "",
        "household_id": affected.household_id,
        "head_name": affected.head_name,
        "head_personal_id": affected.head_personal_id,
        "address": affected.address,
        "size": affected.size,
        "house_damage": affected.house_damage,
        "house_damage_label": affected.get_house_damage_display(),
        "food_shortage": affected.food_shortage,
        "note": affected.note,
        "recorded_at": affected.recorded_at,
        "persons": [
            {
                "id": p.pk,
                "full_name": p.full_name,
                "outcome": p.outcome,
                "outcome_label": p.get_outcome_display(),
                "treatment_days": p.treatment_days,
            }
            for p in affected.persons.all()
        ],
        # A household not proposed yet has no support row (reverse one-to-one: AttributeError).
        "support": _support(getattr(affected, "support", None)),
        "distributions": [
            {
                "kind": d.kind,
                "kind_label": d.get_kind_display(),
                "item_code": d.item.code,
                "item_name": d.item.name,
                "unit": d.item.unit,
                "quantity": d.quantity,
                "received_on": d.received_on,
                "receiver_name": d.receiver_name,
                "signed": d.signed,
            }
            for d in affected.distributions.all()
        ],
        "help": None if time is None else {k: getattr(time, k) for k in HelpOut.model_fields},
    }


def _affected_rows(event, queryset) -> list[dict]:
    times = selectors.household_times(event)
    return [_affected(a, times.get(a.pk)) for a in affected_with_support(queryset)]


def _affected_row(user, event, pk: int) -> dict:
    (row,) = _affected_rows(event, selectors.affected_for_event(event, user).filter(pk=pk))
    return row


def _helped_row(row) -> dict:
    return {k: getattr(row, k) for k in HelpedInTimeRowOut.model_fields}


# --- endpoints ----------------------------------------------------------------------------------
@router.get("/events", response=list[EventOut], summary="Relief events of the user's area, newest first")
def event_list(
    request,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
):
    events = selectors.event_list_for_user(request.auth)
    if kind:
        if kind not in EventKind.values:
            raise InvalidInput.for_field(
                "kind", f"Loại đợt “{kind}” không có: dùng một trong {', '.join(EventKind.values)}."
            )
        events = events.filter(kind=kind)
    if date_from:
        events = events.filter(occurred_on__gte=date_from)
    if date_to:
        events = events.filter(occurred_on__lte=date_to)
    return [_event(e) for e in _page(events, limit, offset)]


@router.get("/events/{event_id}", response=EventDetailOut, summary="One relief event")
def event_detail(request, event_id: int):
    """The event with its communes and villages inside the user's area (the choices for an entry)."""
    event = access_event(request.auth, event_id)
    communes = selectors.event_communes(event, request.auth)
    codes = {c.code for c in communes}
    villages = [v for v in selectors.event_villages(event) if v.commune_id in codes]
    return {
        **_event(event),
        "communes": [{"code": c.code, "name": c.name} for c in communes],
        "villages": [{"id": v.pk, "name": v.name, "commune_code": v.commune_id} for v in villages],
    }


@router.get("/events/{event_id}/households", response=list[AffectedOut], summary="Affected households")
def affected_list(request, event_id: int, commune: str = "", limit: int = 100, offset: int = 0):
    """Households of the event in the user's area (or one `commune`), each with its people, the
    support proposed or decided, what it received, and its time against the deadline."""
    event = access_event(request.auth, event_id)
    households = selectors.affected_for_event(event, request.auth)
    if commune:
        # Another commune's code simply lists nothing: the queryset is scoped already.
        households = households.filter(commune_id=commune.strip())
    return _affected_rows(event, _page(households, limit, offset))


@router.post(
    "/events/{event_id}/households",
    response={200: AffectedOut, 201: AffectedOut},
    summary="Register an affected household",
)
def affected_create(request, event_id: int, payload: AffectedIn):
    """Register an affected household from the field: 201. The same `client_uuid` sent again (a
    lost answer, a replayed queue) returns the household already recorded with 200, writing nothing."""
    event = access_event(request.auth, event_id)
    data = payload.model_dump()  # persons become the plain dicts the service reads
    if payload.recorded_at:
        data["recorded_at"] = payload.recorded_at.isoformat()  # the service makes it aware
    affected, created = services.affected_register(actor=request.auth, event=event, **data)
    return Status(201 if created else 200, _affected_row(request.auth, event, affected.pk))


@router.get("/households/{affected_id}", response=AffectedOut, summary="One affected household")
def affected_detail(request, affected_id: int):
    """The household as in the event's list: people, support, distributions, time to help."""
    affected = access_affected(request.auth, affected_id)
    return _affected_row(request.auth, affected.event, affected.pk)


@router.get("/events/{event_id}/helped-in-time", response=HelpedInTimeOut, summary="Helped in time")
def event_helped_in_time(request, event_id: int, as_of: dt.date | None = None):
    """The "helped in time" indicator of the event per commune of the user's area and in total
    (ansinh.relief.selectors.helped_in_time); households still waiting past their deadline on
    `as_of` (default today) count as overdue."""
    event = access_event(request.auth, event_id)
    as_of = as_of or timezone.localdate()
    rows = selectors.helped_in_time_for_event(event, request.auth, as_of=as_of)
    return {
        "event_id": event.pk,
        "as_of": as_of,
        "total": _helped_row(selectors.total(rows, events=min(1, len(rows)))),
        "communes": [_helped_row(r) for r in rows],
    }
