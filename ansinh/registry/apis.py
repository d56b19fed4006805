"""/api/v1/persons: search, read and register persons. Logged-in users only (session), always
limited to the user's area through AreaScope / access_person."""

import datetime as dt

from ninja import Router, Schema
from ninja.security import django_auth

try:
    from ninja.responses import Status
except ImportError:  # django-ninja < 1.5 takes a (status, body) tuple

    def Status(status_code, value):  # noqa: N802
        return status_code, value


from ansinh.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from ansinh.registry import selectors, services
from ansinh.registry.access import access_person
from ansinh.registry.birth import PartialDate

router = Router(auth=django_auth, tags=["persons"])


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str] = {}


class PersonOut(Schema):
    id: int
    personal_id: str | None
    full_name: str
    birth_date: str  # as the papers give it: dd/mm/yyyy, mm/yyyy or yyyy
    birth_year: int
    birth_month: int | None
    birth_day: int | None
    sex: str
    ethnicity: str
    commune_code: str
    commune_name: str
    village_id: int | None
    address: str
    date_of_death: dt.date | None


class PersonIn(Schema):
    # Plain strings with defaults, so a missing or wrong value gets the service's Vietnamese
    # message (400) rather than a schema error.
    personal_id: str = ""
    full_name: str = ""
    birth_date: str = ""
    sex: str = ""
    ethnicity: str = ""
    commune: str = ""
    village: int | None = None
    address: str = ""
    phone: str = ""
    bank_account: str = ""
    bank_name: str = ""
    social_security_account: str = ""


def _out(person) -> dict:
    return {
        "id": person.pk,
        "personal_id": person.personal_id,
        "full_name": person.full_name,
        "birth_date": PartialDate.of(person).display(),
        "birth_year": person.birth_year,
        "birth_month": person.birth_month,
        "birth_day": person.birth_day,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "commune_code": person.commune_id,
        "commune_name": person.commune.name,
        "village_id": person.village_id,
        "address": person.address,
        "date_of_death": person.date_of_death,
    }


def _status(error: DomainError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, Conflict):
        return 409
    return 400


@router.get("", response=list[PersonOut], summary="Tìm người theo số định danh hoặc họ tên")
def person_search_api(request, q: str = "", limit: int = 50):
    limit = max(1, min(limit, 200))
    if q.strip():
        people = selectors.person_search(user=request.user, query=q, limit=limit)
    else:
        people = selectors.person_list_for_user(request.user)[:limit]
    return [_out(p) for p in people]


@router.get("/{int:person_id}", response=PersonOut, summary="Xem một người")
def person_detail_api(request, person_id: int):
    return _out(access_person(request.user, person_id))


@router.post(
    "", response={201: PersonOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}, summary="Đăng ký người mới"
)
def person_create_api(request, payload: PersonIn):
    data = payload.dict()
    if data["village"] is None:
        data["village"] = ""
    if not data["birth_date"]:
        data["birth_date"] = ""
    try:
        person = services.person_create(actor=request.user, **data)
    except (InvalidInput, NotAllowed, Conflict) as error:
        return Status(_status(error), error.as_dict())
    person = access_person(request.user, person.pk)
    return Status(201, _out(person))
