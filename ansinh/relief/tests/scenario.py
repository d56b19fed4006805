"""A small world for the relief tests: two communes of one province (Hà Nội, whose standard
level is the national one), their officers and chairmen, a provincial officer, a registered
household in each commune, and a flood in commune A only, recorded through the services.

    w = build_relief_world()
    affected, _ = register(w, size=4, house_damage="collapsed", persons=[injured("Lê Văn Tư", 5)])
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from ansinh.accounts.models import Role, User
from ansinh.areas.models import Commune, Village
from ansinh.registry.models import Household, Relationship
from ansinh.registry.tests.factories import (
    PASSWORD,
    make_commune,
    make_household,
    make_person,
    make_province,
    make_user,
    make_village,
)
from ansinh.relief.models import Event
from ansinh.relief.services import affected_register, event_create

FLOOD_DAY = dt.date(2026, 9, 8)  # after 1 July 2026: Decree 335/2026 levels (540,000)


@dataclass
class ReliefWorld:
    commune_a: Commune
    commune_b: Commune
    village_a: Village
    officer_a: User
    chairman_a: User
    officer_b: User
    chairman_b: User
    province_officer: User
    household_a: Household
    household_b: Household
    flood: Event
    event_b: Event
    password: str = PASSWORD


def injured(name: str, days: int) -> dict:
    return {"full_name": name, "outcome": "injured", "treatment_days": days}


def killed(name: str) -> dict:
    return {"full_name": name, "outcome": "killed"}


def register(w: ReliefWorld, *, event: Event | None = None, actor=None, client_uuid=None, **fields):
    fields.setdefault("commune", w.commune_a)
    fields.setdefault("head_name", "Hoàng Văn Nam")
    fields.setdefault("size", 4)
    return affected_register(
        actor=actor or w.officer_a, event=event or w.flood, client_uuid=client_uuid or uuid.uuid4(), **fields
    )


def build_relief_world() -> ReliefWorld:
    province = make_province("01", "Thành phố Hà Nội")
    commune_a = make_commune("00004", province, "Phường Ba Đình")
    commune_b = make_commune("00008", province, "Phường Ngọc Hà")
    village_a = make_village(commune_a, "Tổ dân phố 3")
    make_village(commune_a, "Tổ dân phố 4")
    officer_a = make_user(username="can_bo_a", role=Role.COMMUNE_OFFICER, commune=commune_a)
    chairman_a = make_user(username="chu_tich_a", role=Role.COMMUNE_CHAIRMAN, commune=commune_a)
    officer_b = make_user(username="can_bo_b", role=Role.COMMUNE_OFFICER, commune=commune_b)
    chairman_b = make_user(username="chu_tich_b", role=Role.COMMUNE_CHAIRMAN, commune=commune_b)
    province_officer = make_user(username="so_y_te", role=Role.PROVINCIAL_OFFICER, province=province)

    an = make_person(
        commune=commune_a, full_name="Nguyễn Văn An", birth_year=1970, personal_id="001070000123"
    )
    wife = make_person(
        commune=commune_a, full_name="Phạm Thị Bình", birth_year=1972, sex="F", personal_id=None
    )
    child = make_person(commune=commune_a, full_name="Nguyễn Văn Cường", birth_year=2005, personal_id=None)
    household_a = make_household(
        commune=commune_a, head=an, members=[(wife, Relationship.SPOUSE), (child, Relationship.CHILD)]
    )
    household_a.village = village_a
    household_a.save(update_fields=["village"])
    person_b = make_person(
        commune=commune_b, full_name="Trần Văn Bảy", birth_year=1960, personal_id="001060000777"
    )
    household_b = make_household(commune=commune_b, head=person_b)

    flood = event_create(
        actor=officer_a,
        kind="disaster",
        name="Lũ lụt tháng 9/2026",
        occurred_on=FLOOD_DAY,
        communes=[commune_a],
    )
    event_b = event_create(
        actor=officer_b, kind="fire", name="Cháy chợ Ngọc Hà", occurred_on=FLOOD_DAY, communes=[commune_b]
    )
    return ReliefWorld(
        commune_a=commune_a,
        commune_b=commune_b,
        village_a=village_a,
        officer_a=officer_a,
        chairman_a=chairman_a,
        officer_b=officer_b,
        chairman_b=chairman_b,
        province_officer=province_officer,
        household_a=household_a,
        household_b=household_b,
        flood=flood,
        event_b=event_b,
    )


def relief_ids_of(commune, officer) -> dict:
    """An event of `commune`, a household hit by it and a request to the province, recorded by
    `officer`: the ids the area-scoping walk (tests/test_area_scoping.py) points at. Made once
    per officer and reused."""
    cached = getattr(officer, "_relief_ids", None)
    if cached is None:
        from ansinh.relief.services import resource_request

        event = event_create(
            actor=officer, kind="fire", name="Cháy khu dân cư", occurred_on=FLOOD_DAY, communes=[commune]
        )
        affected, _ = affected_register(
            actor=officer,
            event=event,
            client_uuid=uuid.uuid4(),
            commune=commune,
            head_name="Hộ Bị Cháy",
            size=2,
            food_shortage=True,
        )
        request = resource_request(
            actor=officer, event=event, commune=commune, rice_kg=30, reason="Kho xã hết gạo"
        )
        cached = officer._relief_ids = {
            "event_id": event.pk,
            "affected_id": affected.pk,
            "request_id": request.pk,
        }
    return cached
