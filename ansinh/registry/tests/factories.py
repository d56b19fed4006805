"""Plain helper functions that build test data, for every app's tests.

They write rows directly (no services, no audit rows) and need no areas load: a province and a
commune are created on the spot. Call them inside a test with database access.

    commune = make_commune()                      # "00001" in province "01"
    officer = make_user(commune=commune)          # commune officer of that commune
    person = make_person(commune=commune, full_name="Nguyễn Văn An", birth_year=1950)
    household = make_household(commune=commune, head=person)
"""

import datetime as dt
import functools
import itertools

from django.contrib.auth.hashers import make_password

from ansinh.accounts.models import AreaLevel, Role, User
from ansinh.areas.models import Commune, DivisionType, Province, Village
from ansinh.core.text import fold, proper_case
from ansinh.registry.models import Household, HouseholdMember, HouseholdPoverty, Person, Relationship

_serial = itertools.count(1)

PASSWORD = "mat-khau-thu-nghiem"


@functools.lru_cache(maxsize=8)
def _hashed(password: str) -> str:
    # Hashing is slow on purpose; the same hash serves every test user (logins still work).
    return make_password(password)


def make_province(code: str = "01", name: str | None = None) -> Province:
    name = name or f"Tỉnh Thử {code}"
    province, _ = Province.objects.get_or_create(
        code=code,
        defaults={"name": name, "division_type": DivisionType.PROVINCE, "codename": f"tinh_thu_{code}"},
    )
    return province


def make_commune(
    code: str = "00001", province: Province | str | None = None, name: str | None = None, **extra
) -> Commune:
    if not isinstance(province, Province):
        province = make_province(province or "01")
    name = name or f"Xã Thử {code}"
    commune, _ = Commune.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "division_type": DivisionType.COMMUNE,
            "codename": f"xa_thu_{code}",
            "name_folded": fold(name),
            "province": province,
            **extra,
        },
    )
    return commune


def make_village(commune: Commune | None = None, name: str = "Thôn 1", **extra) -> Village:
    commune = commune or make_commune()
    village, _ = Village.objects.get_or_create(commune=commune, name=name, defaults=extra)
    return village


def make_user(
    *,
    role: str = Role.COMMUNE_OFFICER,
    commune: Commune | None = None,
    province: Province | None = None,
    country: bool = False,
    username: str | None = None,
    password: str = PASSWORD,
) -> User:
    """A user of a commune (default: make_commune()), of a `province`, or of the `country`."""
    username = username or f"user{next(_serial)}"
    if country:
        level, commune, province = AreaLevel.COUNTRY, None, None
    elif province is not None and commune is None:
        level = AreaLevel.PROVINCE
    else:
        level = AreaLevel.COMMUNE
        commune = commune or make_commune()
        province = commune.province
    user = User(username=username, role=role, area_level=level, commune=commune, province=province)
    user.password = _hashed(password)
    user.save()
    return user


def make_personal_id(
    *, birth_year: int, sex: str, province_code: str = "001", serial: int | None = None
) -> str:
    """A valid 12-digit personal ID for the given year of birth and sex."""
    century = (birth_year // 100) - 19  # 1900s → 0, 2000s → 1 …
    digit = century * 2 + (1 if sex == "F" else 0)
    serial = next(_serial) if serial is None else serial
    return f"{province_code}{digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"


def make_person(
    *,
    commune: Commune | None = None,
    full_name: str = "Nguyễn Văn An",
    birth_year: int = 1950,
    birth_month: int | None = None,
    birth_day: int | None = None,
    sex: str = "M",
    personal_id: str | None = "auto",
    **extra,
) -> Person:
    commune = commune or make_commune()
    if personal_id == "auto":
        personal_id = make_personal_id(birth_year=birth_year, sex=sex)
    name = proper_case(full_name)
    return Person.objects.create(
        commune=commune,
        full_name=name,
        name_folded=fold(name),
        birth_year=birth_year,
        birth_month=birth_month,
        birth_day=birth_day,
        sex=sex,
        personal_id=personal_id,
        **extra,
    )


def make_household(
    *,
    commune: Commune | None = None,
    head: Person | None = None,
    members: list[tuple[Person, str]] = (),
    poverty: dict[int, str] | None = None,
    valid_from: dt.date = dt.date(2020, 1, 1),
) -> Household:
    """A household with an optional head, members [(person, relationship)] and poverty {year: status}."""
    commune = commune or (head.commune if head else make_commune())
    household = Household.objects.create(commune=commune, head=head)
    rows = [(head, Relationship.HEAD)] if head else []
    rows += list(members)
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(household=household, person=p, relationship=r, valid_from=valid_from)
            for p, r in rows
        ]
    )
    HouseholdPoverty.objects.bulk_create(
        [HouseholdPoverty(household=household, year=y, status=s) for y, s in (poverty or {}).items()]
    )
    return household
