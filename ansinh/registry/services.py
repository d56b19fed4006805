"""Writes on the registry: people, households and their facts.

Every function is keyword-only with `*, actor`, checks the actor's role and area, validates all
input before touching the database, and writes its rows and the audit row in one transaction:
on any error nothing is written.

Facts keep their history: a household membership is closed, not deleted; a move closes the
current residence; a poverty status is one row per household per year; a new pension of the same
kind closes the previous one.
"""

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh.accounts.scope import AreaScope, require_write
from ansinh.areas.models import Commune, Village
from ansinh.core.audit import audit_record, changed_fields, snapshot
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.text import fold, nfc, proper_case
from ansinh.registry.birth import PartialDate, parse_full_date
from ansinh.registry.models import (
    DisabilityDetermination,
    DisabilityLevel,
    DisabilityType,
    Household,
    HouseholdMember,
    HouseholdPoverty,
    IncomeKind,
    IncomeStatus,
    Person,
    PovertyStatus,
    Relationship,
    Residence,
    SchoolingStatus,
    Sex,
)
from ansinh.registry.personal_id import validate_personal_id
from ansinh.registry.selectors import likely_duplicates

# The person fields a service may set; the rest (name_folded, timestamps) are derived.
PERSON_FIELDS = [
    "personal_id",
    "full_name",
    "name_folded",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "ethnicity",
    "commune_id",
    "village_id",
    "address",
    "phone",
    "bank_account",
    "bank_name",
    "social_security_account",
    "date_of_death",
]
HOUSEHOLD_FIELDS = ["code", "commune_id", "village_id", "address", "head_id"]
EDITABLE_PERSON_KEYS = {
    "personal_id",
    "full_name",
    "birth_date",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "ethnicity",
    "commune",
    "village",
    "address",
    "phone",
    "bank_account",
    "bank_name",
    "social_security_account",
}
SEX_WORDS = {"m": Sex.MALE, "nam": Sex.MALE, "f": Sex.FEMALE, "nu": Sex.FEMALE}

# Poverty standard in force for a review year (legal.md §6): QĐ 59/2015 for 2016–2021,
# Decree 07/2021 for 2022–2025 and, by the 2026–2030 decree, also for 2026. The 2027–2030
# decree's number is not yet confirmed, so those years are left blank for the officer to fill.
POVERTY_STANDARDS = [
    (2016, 2021, "Quyết định 59/2015/QĐ-TTg"),
    (2022, 2026, "Nghị định 07/2021/NĐ-CP"),
]


# --- guards and small readers --------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _require_area(scope: AreaScope, commune_code: str) -> None:
    if not scope.contains_commune(commune_code):
        raise NotAllowed(
            f"Xã mã {commune_code} nằm ngoài địa bàn tài khoản được giao: chỉ được ghi dữ liệu trong địa bàn của mình."
        )


def _raise_if(errors: dict[str, str]) -> None:
    if not errors:
        return
    if len(errors) == 1:
        raise InvalidInput(next(iter(errors.values())), fields=errors)
    raise InvalidInput(f"Có {len(errors)} lỗi cần sửa: " + " ".join(errors.values()), fields=errors)


def _resolve_commune(value, errors: dict, field: str = "commune") -> Commune | None:
    if isinstance(value, Commune):
        return value
    code = str(value or "").strip()
    if not code:
        errors[field] = "Chưa chọn xã/phường nơi cư trú."
        return None
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        errors[field] = (
            f"Không có xã/phường mã “{code}”: chọn xã trong danh sách hoặc kiểm tra lại mã (5 chữ số)."
        )
    return commune


def _resolve_village(value, commune: Commune | None, errors: dict, field: str = "village") -> Village | None:
    if value in (None, ""):
        return None
    village = value if isinstance(value, Village) else None
    if village is None:
        try:
            village = Village.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            village = None
        if village is None:
            errors[field] = f"Không có thôn/tổ dân phố mã “{value}”: chọn thôn trong danh sách."
            return None
    if commune is not None and village.commune_id != commune.pk:
        errors[field] = f"Thôn “{village.name}” không thuộc xã {commune.name}: chọn thôn của xã đó."
        return None
    return village


def _clean_name(value, errors: dict) -> str:
    name = proper_case(value)
    if not name:
        errors["full_name"] = "Chưa nhập họ và tên."
    elif len(name) > 150:
        errors["full_name"] = "Họ và tên dài quá 150 ký tự: kiểm tra lại."
    elif any(ch.isdigit() for ch in name):
        errors["full_name"] = "Họ và tên không được chứa chữ số: kiểm tra lại."
    return name


def _clean_sex(value, errors: dict) -> str:
    key = fold(str(value or ""))
    sex = SEX_WORDS.get(key)
    if sex is None:
        errors["sex"] = "Chưa chọn giới tính hoặc giới tính không hợp lệ: chọn Nam hoặc Nữ."
        return ""
    return str(sex)


def _clean_birth(data: dict, errors: dict) -> PartialDate | None:
    try:
        if "birth_date" in data:
            return PartialDate.parse(data["birth_date"])
        if data.get("birth_year") in (None, ""):
            return PartialDate.parse("")
        return PartialDate.build(
            int(data["birth_year"]),
            int(data["birth_month"]) if data.get("birth_month") not in (None, "") else None,
            int(data["birth_day"]) if data.get("birth_day") not in (None, "") else None,
        )
    except InvalidInput as exc:
        errors.update(exc.fields)
    except (TypeError, ValueError):
        errors["birth_date"] = "Ngày sinh phải là số: nhập dd/mm/yyyy, mm/yyyy hoặc yyyy."
    return None


def _clean_phone(value, errors: dict) -> str:
    text = re.sub(r"[\s.\-()]", "", str(value or ""))
    if not text:
        return ""
    if text.startswith("+84"):
        text = "0" + text[3:]
    if not text.isdigit() or not 10 <= len(text) <= 11 or not text.startswith("0"):
        errors["phone"] = "Số điện thoại phải gồm 10–11 chữ số, bắt đầu bằng 0 (hoặc +84): kiểm tra lại."
    return text


def _clean_account(value, errors: dict, field: str, label: str) -> str:
    text = re.sub(r"[\s.\-]", "", str(value or ""))
    if text and (not text.isalnum() or not text.isascii() or len(text) > 30):
        errors[field] = f"{label} chỉ gồm chữ số hoặc chữ cái không dấu, tối đa 30 ký tự: kiểm tra lại."
    return text


def _clean_person(
    data: dict, *, current: Person | None = None, scope: AreaScope | None = None
) -> tuple[dict, Commune | None]:
    """Validate person input (all of it for a new person, only the given keys for an update).

    Returns the model values to set and the commune; raises InvalidInput with every wrong field.
    A personal ID already registered is refused with that person's record number when `scope`
    (the actor's area) holds them, so the officer can open the record instead.
    """
    errors: dict[str, str] = {}
    values: dict = {}
    new = current is None

    def given(key: str) -> bool:
        return new or key in data

    if given("full_name"):
        values["full_name"] = _clean_name(data.get("full_name"), errors)
        values["name_folded"] = fold(values["full_name"])
    if new or {"birth_date", "birth_year", "birth_month", "birth_day"} & set(data):
        birth = _clean_birth(data, errors)
        if birth is not None:
            values.update(birth.as_fields())
    else:
        birth = PartialDate.of(current)
    if given("sex"):
        values["sex"] = _clean_sex(data.get("sex"), errors)
    sex = values.get("sex") if "sex" in values else current.sex
    if given("ethnicity"):
        values["ethnicity"] = nfc(data.get("ethnicity")) or "Kinh"
        if len(values["ethnicity"]) > 50:
            errors["ethnicity"] = "Dân tộc dài quá 50 ký tự: kiểm tra lại."

    commune = current.commune if current is not None else None
    if given("commune"):
        commune = _resolve_commune(data.get("commune"), errors)
        if commune is not None:
            values["commune_id"] = commune.pk
    moved = current is not None and values.get("commune_id", current.commune_id) != current.commune_id
    if given("village") or moved:
        # A move to another commune drops the old village unless a new one is given.
        village_value = data.get("village") if given("village") else None
        village = _resolve_village(village_value, commune, errors)
        values["village_id"] = village.pk if village else None
    if given("address"):
        values["address"] = nfc(data.get("address"))[:255]
    if given("phone"):
        values["phone"] = _clean_phone(data.get("phone"), errors)
    if given("bank_account"):
        values["bank_account"] = _clean_account(
            data.get("bank_account"), errors, "bank_account", "Số tài khoản ngân hàng"
        )
    if given("bank_name"):
        # One line: the bank file is a line per payee.
        values["bank_name"] = " ".join(nfc(data.get("bank_name")).split())[:100]
    if given("social_security_account"):
        values["social_security_account"] = _clean_account(
            data.get("social_security_account"),
            errors,
            "social_security_account",
            "Số tài khoản an sinh xã hội",
        )

    # The personal ID must agree with the birth year and sex, whichever of them changed.
    pid_value = (
        data.get("personal_id") if given("personal_id") else (current.personal_id if current else None)
    )
    check_pid = given("personal_id") or "birth_year" in values or "sex" in values
    if check_pid and pid_value not in (None, ""):
        try:
            pid = validate_personal_id(
                pid_value,
                birth_year=birth.year if birth is not None else None,
                sex=sex or None,
            )
        except InvalidInput as exc:
            errors.update(exc.fields)
        else:
            taken = Person.objects.filter(personal_id=pid)
            if current is not None:
                taken = taken.exclude(pk=current.pk)
            holder = taken.only("pk", "full_name", "commune_id").first()
            if holder is not None and scope is not None and scope.contains_commune(holder.commune_id):
                errors["personal_id"] = (
                    f"Số định danh cá nhân {pid} đã được đăng ký cho một người khác: "
                    f"{holder.full_name}, hồ sơ số {holder.pk}. Mở hồ sơ đó thay vì đăng ký mới."
                )
            elif holder is not None:
                errors["personal_id"] = (
                    f"Số định danh cá nhân {pid} đã được đăng ký cho một người khác, ngoài địa bàn bạn "
                    "quản lý: kiểm tra lại số, hoặc liên hệ nơi đang quản lý người đó."
                )
            values["personal_id"] = pid
    elif given("personal_id"):
        values["personal_id"] = None

    if current is not None and current.date_of_death and birth is not None:
        if current.date_of_death < birth.earliest():
            errors["birth_date"] = (
                f"Ngày sinh {birth.display()} ở sau ngày mất {current.date_of_death:%d/%m/%Y}: kiểm tra lại."
            )

    _raise_if(errors)
    return values, commune


def _person_snapshot(person: Person) -> dict:
    return snapshot(person, PERSON_FIELDS)


def _lock_person(person: Person) -> Person:
    return Person.objects.select_for_update().select_related("commune").get(pk=person.pk)


# --- persons ------------------------------------------------------------------------------


def _save_person(person: Person) -> None:
    """Save in a savepoint: two officers registering the same personal ID at the same moment get
    the field's message, not a server error."""
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise InvalidInput.for_field(
            "personal_id",
            f"Số định danh cá nhân {person.personal_id} đã được đăng ký cho một người khác.",
        ) from exc


class LikelyDuplicate(Conflict):
    """Registering someone without a personal ID who is probably already registered in the
    commune (registry.selectors.likely_duplicates); `matches` are those people. Nothing is written:
    the officer opens one of them, or confirms that this is a different person."""

    code = "likely_duplicate"

    def __init__(self, matches: list[Person]):
        names = "; ".join(
            f"{p.full_name} (hồ sơ số {p.pk}, sinh {PartialDate.of(p).display()})" for p in matches
        )
        super().__init__(
            f"Có thể người này đã được đăng ký: {names}. Mở hồ sơ đó thay vì đăng ký mới, "
            "hoặc xác nhận đây là một người khác.",
        )
        self.matches = matches


def person_create(*, actor, check_likely_duplicates: bool = False, not_duplicates_of=(), **fields) -> Person:
    """Register a person. Fields: personal_id, full_name, birth_date ("1950", "03/1950",
    "12/03/1950") or birth_year/birth_month/birth_day, sex ("M"/"F"), ethnicity, commune (code
    or Commune), village, address, phone, bank_account, bank_name, social_security_account,
    and optionally resident_since (date the current residence began).

    With check_likely_duplicates, a person without a personal ID who matches someone already
    registered in the commune (same folded name, same birth year or same full date) is not
    written: LikelyDuplicate lists them. Once the officer has seen them and confirmed that this is
    another person, the call is repeated with their record numbers in `not_duplicates_of`: only a
    match not among them (say, registered in the meantime) still stops it."""
    scope = require_write(actor)
    resident_since = fields.pop("resident_since", None)
    unknown = set(fields) - EDITABLE_PERSON_KEYS
    if unknown:
        raise TypeError(f"person_create got unknown fields: {sorted(unknown)}")
    values, commune = _clean_person(fields, scope=scope)
    _require_area(scope, commune.pk)
    since = parse_full_date(resident_since, field="resident_since") if resident_since else None
    if check_likely_duplicates and not values.get("personal_id"):
        matches = likely_duplicates(
            commune=commune,
            full_name=values["full_name"],
            birth=PartialDate(values["birth_year"], values["birth_month"], values["birth_day"]),
        )
        confirmed = {int(pk) for pk in not_duplicates_of}
        if any(match.pk not in confirmed for match in matches):
            raise LikelyDuplicate(matches)
    with transaction.atomic():
        person = Person(**values)
        _save_person(person)
        Residence.objects.create(
            person=person,
            commune_id=person.commune_id,
            village_id=person.village_id,
            address=person.address,
            valid_from=since,
        )
        audit_record(
            actor=actor,
            action="person.create",
            entity=person,
            area_code=person.commune_id,
            before=None,
            after=_person_snapshot(person),
        )
    return person


def person_update(*, actor, person: Person, moved_on=None, **changes) -> Person:
    """Change a person's details; the audit row keeps the old values. A change of commune or
    village closes the current residence (on `moved_on`, default today) and opens a new one.

    The actor needs the person's current commune in their area. The new commune only has to
    exist: Decree 335/2026 Art. 8 has the old commune hand the person over to the new one.
    """
    scope = require_write(actor)
    unknown = set(changes) - EDITABLE_PERSON_KEYS
    if unknown:
        raise TypeError(f"person_update got unknown fields: {sorted(unknown)}")
    _require_area(scope, person.commune_id)
    moved_on = parse_full_date(moved_on, field="moved_on") if moved_on else _today()
    with transaction.atomic():
        current = _lock_person(person)
        values, _commune = _clean_person(changes, current=current, scope=scope)
        before = _person_snapshot(current)
        for key, value in values.items():
            setattr(current, key, value)
        after = _person_snapshot(current)
        diff = changed_fields(before, after)
        if not diff["after"]:
            return current
        _save_person(current)
        audit_record(
            actor=actor,
            action="person.update",
            entity=current,
            area_code=before["commune_id"],
            before=diff["before"],
            after=diff["after"],
        )
        if (before["commune_id"], before["village_id"]) != (after["commune_id"], after["village_id"]):
            _residence_move(actor=actor, person=current, before=before, moved_on=moved_on)
    person.refresh_from_db()
    return current


def _residence_move(*, actor, person: Person, before: dict, moved_on: dt.date) -> None:
    previous = Residence.objects.select_for_update().filter(person=person, valid_to__isnull=True).first()
    if previous is None:
        # Registered by a bulk load without a residence row: record where they lived until now.
        previous = Residence(
            person=person,
            commune_id=before["commune_id"],
            village_id=before["village_id"],
            address=before["address"],
        )
    if previous.valid_from and moved_on <= previous.valid_from:
        raise InvalidInput.for_field(
            "moved_on",
            f"Ngày chuyển đến ({moved_on:%d/%m/%Y}) phải sau ngày bắt đầu cư trú ở nơi cũ "
            f"({previous.valid_from:%d/%m/%Y}).",
        )
    previous.valid_to = moved_on
    previous.save()
    Residence.objects.create(
        person=person,
        commune_id=person.commune_id,
        village_id=person.village_id,
        address=person.address,
        valid_from=moved_on,
    )
    place = ["commune_id", "village_id", "address"]
    audit_record(
        actor=actor,
        action="person.residence_change",
        entity=person,
        # Recorded under the new commune so its officers and auditors see who arrived.
        area_code=person.commune_id,
        before={k: before[k] for k in place},
        after={**{k: getattr(person, k) for k in place}, "moved_on": moved_on.isoformat()},
    )


def person_record_death(*, actor, person: Person, date_of_death) -> Person:
    """Record (or correct) the date of death. Refused before the date of birth or in the future."""
    scope = require_write(actor)
    _require_area(scope, person.commune_id)
    died = parse_full_date(date_of_death, field="date_of_death")
    born = PartialDate.of(person)
    if died < born.earliest():
        raise InvalidInput.for_field(
            "date_of_death",
            f"Ngày mất {died:%d/%m/%Y} ở trước ngày sinh ({born.display()}): kiểm tra lại ngày mất.",
        )
    with transaction.atomic():
        current = _lock_person(person)
        before = current.date_of_death
        if before == died:
            return current
        current.date_of_death = died
        current.save(update_fields=["date_of_death", "updated_at"])
        audit_record(
            actor=actor,
            action="person.death",
            entity=current,
            area_code=current.commune_id,
            before={"date_of_death": before.isoformat() if before else None},
            after={"date_of_death": died.isoformat()},
        )
    person.date_of_death = died
    return current


# --- households ---------------------------------------------------------------------------


def household_create(
    *, actor, commune, village=None, address: str = "", head: Person | None = None, code: str = ""
) -> Household:
    """Register a household; with `head`, that person joins it as head (leaving any other)."""
    scope = require_write(actor)
    errors: dict[str, str] = {}
    commune = _resolve_commune(commune, errors)
    village = _resolve_village(village, commune, errors)
    code = nfc(code)
    if len(code) > 30:
        errors["code"] = "Mã hộ dài quá 30 ký tự."
    _raise_if(errors)
    _require_area(scope, commune.pk)
    if head is not None:
        _require_area(scope, head.commune_id)
    with transaction.atomic():
        household = Household.objects.create(
            code=code, commune=commune, village=village, address=nfc(address)[:255]
        )
        audit_record(
            actor=actor,
            action="household.create",
            entity=household,
            area_code=commune.pk,
            before=None,
            after=snapshot(household, HOUSEHOLD_FIELDS),
        )
        if head is not None:
            _member_add(
                actor=actor,
                household=household,
                person=head,
                relationship=Relationship.HEAD,
                valid_from=_today(),
            )
    return household


def _clean_relationship(value) -> str:
    if value not in Relationship.values:
        raise InvalidInput.for_field(
            "relationship",
            "Quan hệ với chủ hộ không hợp lệ: chọn một trong " + ", ".join(Relationship.labels) + ".",
        )
    return value


def _member_add(*, actor, household: Household, person: Person, relationship: str, valid_from: dt.date):
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one membership change at a time
    current = HouseholdMember.objects.select_for_update().filter(person=person, valid_to__isnull=True).first()
    if current is not None:
        if current.household_id == household.pk and current.relationship == relationship:
            raise InvalidInput.for_field(
                "person", f"{person.full_name} đã là thành viên của hộ này với quan hệ này."
            )
        if current.valid_from and valid_from <= current.valid_from:
            raise InvalidInput.for_field(
                "valid_from",
                f"Ngày vào hộ ({valid_from:%d/%m/%Y}) phải sau ngày vào hộ hiện tại "
                f"({current.valid_from:%d/%m/%Y}).",
            )
    if relationship == Relationship.HEAD:
        other_head = (
            HouseholdMember.objects.filter(
                household=household, relationship=Relationship.HEAD, valid_to__isnull=True
            )
            .exclude(person=person)
            .select_related("person")
            .first()
        )
        if other_head is not None:
            raise InvalidInput.for_field(
                "relationship",
                f"Hộ đã có chủ hộ {other_head.person.full_name}: cho người đó ra khỏi hộ "
                "hoặc đổi quan hệ của người đó trước.",
            )
    if current is not None:
        # History is kept: the previous membership is closed, not deleted.
        current.valid_to = valid_from
        current.save(update_fields=["valid_to"])
        old_household = Household.objects.select_for_update().get(pk=current.household_id)
        if old_household.head_id == person.pk and (
            old_household.pk != household.pk or relationship != Relationship.HEAD
        ):
            old_household.head = None
            old_household.save(update_fields=["head", "updated_at"])
    member = HouseholdMember.objects.create(
        household=household, person=person, relationship=relationship, valid_from=valid_from
    )
    if relationship == Relationship.HEAD and household.head_id != person.pk:
        household.head = person
        household.save(update_fields=["head", "updated_at"])
    audit_record(
        actor=actor,
        action="household.member_add",
        entity=household,
        area_code=household.commune_id,
        before=(
            {
                "household_id": current.household_id,
                "person_id": person.pk,
                "relationship": current.relationship,
                "valid_to": None,
            }
            if current is not None
            else None
        ),
        after={
            "household_id": household.pk,
            "person_id": person.pk,
            "relationship": relationship,
            "valid_from": valid_from.isoformat(),
            "previous_membership_closed_on": valid_from.isoformat() if current is not None else None,
        },
    )
    return member


def household_add_member(
    *, actor, household: Household, person: Person, relationship: str, valid_from=None
) -> HouseholdMember:
    """Add a person to a household from `valid_from` (default today). Their previous membership,
    if any, is closed on that day instead of being deleted."""
    scope = require_write(actor)
    relationship = _clean_relationship(relationship)
    valid_from = parse_full_date(valid_from, field="valid_from") if valid_from else _today()
    _require_area(scope, household.commune_id)
    _require_area(scope, person.commune_id)
    with transaction.atomic():
        return _member_add(
            actor=actor, household=household, person=person, relationship=relationship, valid_from=valid_from
        )


def household_remove_member(*, actor, household: Household, person: Person, valid_to=None) -> HouseholdMember:
    """Close the person's current membership of the household on `valid_to` (default today)."""
    scope = require_write(actor)
    _require_area(scope, household.commune_id)
    valid_to = parse_full_date(valid_to, field="valid_to") if valid_to else _today()
    with transaction.atomic():
        member = (
            HouseholdMember.objects.select_for_update()
            .filter(household=household, person=person, valid_to__isnull=True)
            .first()
        )
        if member is None:
            raise InvalidInput.for_field(
                "person", f"{person.full_name} hiện không phải thành viên của hộ này."
            )
        if member.valid_from and valid_to <= member.valid_from:
            raise InvalidInput.for_field(
                "valid_to",
                f"Ngày ra khỏi hộ ({valid_to:%d/%m/%Y}) phải sau ngày vào hộ ({member.valid_from:%d/%m/%Y}).",
            )
        member.valid_to = valid_to
        member.save(update_fields=["valid_to"])
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.head_id == person.pk:
            locked.head = None
            locked.save(update_fields=["head", "updated_at"])
            household.head = None
        audit_record(
            actor=actor,
            action="household.member_remove",
            entity=household,
            area_code=household.commune_id,
            before={"person_id": person.pk, "relationship": member.relationship, "valid_to": None},
            after={
                "person_id": person.pk,
                "relationship": member.relationship,
                "valid_to": valid_to.isoformat(),
            },
        )
    return member


def household_set_poverty(
    *, actor, household: Household, year, status: str, certificate_number: str = "", standard: str = ""
) -> HouseholdPoverty:
    """Record the household's status from one year's poverty review. One row per household per
    year: setting it again changes that year's row and the audit keeps the previous value; other
    years are untouched (legal.md §6: the status is per household, per year)."""
    scope = require_write(actor)
    _require_area(scope, household.commune_id)
    errors: dict[str, str] = {}
    this_year = _today().year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    # The review held at the end of a year sets the list for the next one.
    if year is None or not 2000 <= year <= this_year + 1:
        errors["year"] = f"Năm rà soát phải là số từ 2000 đến {this_year + 1}."
    if status not in PovertyStatus.values:
        errors["status"] = (
            "Tình trạng hộ không hợp lệ: chọn Hộ nghèo, Hộ cận nghèo hoặc Không thuộc hộ nghèo, cận nghèo."
        )
    certificate_number = nfc(certificate_number)
    if len(certificate_number) > 50:
        errors["certificate_number"] = "Số giấy chứng nhận dài quá 50 ký tự."
    _raise_if(errors)
    standard = nfc(standard) or next(
        (name for first, last, name in POVERTY_STANDARDS if first <= year <= last), ""
    )
    with transaction.atomic():
        row = HouseholdPoverty.objects.select_for_update().filter(household=household, year=year).first()
        fields = ["year", "status", "certificate_number", "standard"]
        before = snapshot(row, fields) if row else None
        if row is None:
            row = HouseholdPoverty(household=household, year=year)
        row.status, row.certificate_number, row.standard = status, certificate_number, standard
        after = snapshot(row, fields)
        if before == after:
            return row
        row.save()
        audit_record(
            actor=actor,
            action="household.poverty_set",
            entity=household,
            area_code=household.commune_id,
            before=before,
            after=after,
        )
    return row


# --- facts about a person -----------------------------------------------------------------


def _check_fact_date(person: Person, value, field: str, *, allow_future: bool = False) -> dt.date:
    date = parse_full_date(value, field=field, allow_future=allow_future)
    born = PartialDate.of(person)
    if date < born.earliest():
        raise InvalidInput.for_field(
            field, f"Ngày {date:%d/%m/%Y} ở trước ngày sinh ({born.display()}): kiểm tra lại."
        )
    return date


def _fact_guard(actor, person: Person) -> None:
    scope = require_write(actor)
    _require_area(scope, person.commune_id)


def _fact_create(model, *, actor, action: str, person: Person, before: dict | None = None, **values):
    """Insert one fact about a person (disability, income, schooling) and audit it on the
    person's trail: the entity is the person, "after" the new row, `before` the row it closed."""
    row = model.objects.create(person=person, **values)
    audit_record(
        actor=actor,
        action=action,
        entity=person,
        area_code=person.commune_id,
        before=before,
        after=snapshot(row),
    )
    return row


def disability_record(
    *,
    actor,
    person: Person,
    disability_type: str,
    level: str,
    determined_on,
    determining_body: str = "",
    certificate_number: str = "",
) -> DisabilityDetermination:
    """Record a disability determination. A later one supersedes; earlier ones stay on record."""
    _fact_guard(actor, person)
    errors: dict[str, str] = {}
    if disability_type not in DisabilityType.values:
        errors["disability_type"] = (
            "Dạng tật không hợp lệ: chọn một trong " + ", ".join(DisabilityType.labels) + "."
        )
    if level not in DisabilityLevel.values:
        errors["level"] = "Mức độ khuyết tật không hợp lệ: chọn nhẹ, nặng hoặc đặc biệt nặng."
    try:
        determined_on = _check_fact_date(person, determined_on, "determined_on")
    except InvalidInput as exc:
        errors.update(exc.fields)
    _raise_if(errors)
    with transaction.atomic():
        return _fact_create(
            DisabilityDetermination,
            actor=actor,
            action="person.disability_record",
            person=person,
            disability_type=disability_type,
            level=level,
            determined_on=determined_on,
            determining_body=nfc(determining_body)[:200],
            certificate_number=nfc(certificate_number)[:50],
        )


def _clean_amount(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or isinstance(value, float):
        errors["monthly_amount"] = "Số tiền phải là số nguyên đồng."
        return None
    text = str(value).replace(".", "").replace(" ", "").removesuffix("đ")
    if not text.isdigit():
        errors["monthly_amount"] = "Số tiền hằng tháng phải là số nguyên đồng, không âm (ví dụ 2.500.000)."
        return None
    return int(text)


def _check_period(person: Person, valid_from, valid_to, errors: dict, end_message: str):
    """A fact's period: a start not before birth nor in the future, an optional end after it.
    Problems go into `errors` by field; the unusable values come back as None."""
    try:
        valid_from = _check_fact_date(person, valid_from, "valid_from")
    except InvalidInput as exc:
        errors.update(exc.fields)
        valid_from = None
    if valid_to in (None, ""):
        return valid_from, None
    try:
        valid_to = _check_fact_date(person, valid_to, "valid_to", allow_future=True)
    except InvalidInput as exc:
        errors.update(exc.fields)
        return valid_from, None
    if valid_from and valid_to <= valid_from:
        errors["valid_to"] = end_message
    return valid_from, valid_to


def income_record(
    *, actor, person: Person, kind: str, valid_from, valid_to=None, monthly_amount=None
) -> IncomeStatus:
    """Record a pension, monthly social-insurance or survivor benefit, or wage, over a period.
    An open record of the same kind is closed on the new one's start."""
    _fact_guard(actor, person)
    errors: dict[str, str] = {}
    if kind not in IncomeKind.values:
        errors["kind"] = "Loại thu nhập không hợp lệ: chọn một trong " + ", ".join(IncomeKind.labels) + "."
    valid_from, valid_to = _check_period(
        person, valid_from, valid_to, errors, "Ngày kết thúc phải sau ngày bắt đầu."
    )
    amount = _clean_amount(monthly_amount, errors)
    _raise_if(errors)
    with transaction.atomic():
        previous = (
            IncomeStatus.objects.select_for_update()
            .filter(person=person, kind=kind, valid_to__isnull=True)
            .first()
        )
        before = None
        if previous is not None:
            if valid_from <= previous.valid_from:
                raise InvalidInput.for_field(
                    "valid_from",
                    f"Đang có {IncomeKind(kind).label.lower()} từ {previous.valid_from:%d/%m/%Y}: "
                    "ngày bắt đầu mới phải sau ngày đó.",
                )
            before = snapshot(previous)
            previous.valid_to = valid_from
            previous.save(update_fields=["valid_to"])
        return _fact_create(
            IncomeStatus,
            actor=actor,
            action="person.income_record",
            person=person,
            before=before,
            kind=kind,
            valid_from=valid_from,
            valid_to=valid_to,
            monthly_amount=amount,
        )


def schooling_record(
    *, actor, person: Person, valid_from, valid_to=None, institution: str = "", level: str = ""
) -> SchoolingStatus:
    """Record a period of study (Decree 335/2026 Art. 5(2): a child turning 16 keeps the
    allowance while studying without interruption)."""
    _fact_guard(actor, person)
    errors: dict[str, str] = {}
    valid_from, valid_to = _check_period(
        person, valid_from, valid_to, errors, "Ngày kết thúc học phải sau ngày bắt đầu."
    )
    _raise_if(errors)
    with transaction.atomic():
        return _fact_create(
            SchoolingStatus,
            actor=actor,
            action="person.schooling_record",
            person=person,
            institution=nfc(institution)[:200],
            level=nfc(level)[:50],
            valid_from=valid_from,
            valid_to=valid_to,
        )
