"""Reference data for forms and clients: today's provinces and their communes.

Public facts, the same for every officer, so no area scoping; a logged-in session is still
required, as on every route of the API.
"""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ansinh.areas.selectors import commune_list, province_list

router = Router(tags=["areas"])


class ProvinceOut(Schema):
    code: str
    name: str
    division_type: str


class CommuneOut(Schema):
    code: str
    name: str
    division_type: str
    province_code: str
    is_especially_difficult: bool


def _require_login(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise HttpError(401, "unauthenticated")


@router.get("/provinces", response=list[ProvinceOut], summary="Today's 34 provinces and cities")
def provinces(request: HttpRequest):
    _require_login(request)
    return list(province_list().values("code", "name", "division_type"))


@router.get(
    "/provinces/{code}/communes",
    response=list[CommuneOut],
    summary="Communes, wards and special zones of a province",
)
def communes(request: HttpRequest, code: str):
    _require_login(request)
    rows = commune_list(code).values(
        "code", "name", "division_type", "province_id", "is_especially_difficult"
    )
    return [{**row, "province_code": row.pop("province_id")} for row in rows]
