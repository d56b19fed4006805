"""Writes on emergency assistance: events, affected households (idempotent by the phone's UUID),
proposals computed by the law, the chairman's decision, distributions out of the commune's
stock, receipts into it, requests to the province (Art. 13), pledges and donations.

Every service checks role and area, writes an AuditEvent in its transaction, and on bad input
raises an ansinh.core.errors type naming the field, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuid_module
from typing import NamedTuple, TypedDict, Unpack

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.roles import can_prepare, can_sign
from ansinh.accounts.scope import AreaScope, require_write
from ansinh.areas.models import Commune, Village
from ansinh.core.audit import audit_bulk, audit_record, create_audited, snapshot
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.money import format_vnd
from ansinh.core.text import nfc, proper_case
from ansinh.registry.models import Household
from ansinh.relief import law
from ansinh.relief.items import stock_items
from ansinh.relief.models import (
    CASH,
    RICE,
    AffectedHousehold,
    AffectedPerson,
    DeadlineRule,
    Distribution,
    DistributionKind,
    Donation,
    DonorKind,
    Event,
    EventCommune,
    EventKind,
    EventVillage,
    HouseDamage,
    LineKind,
    Outcome,
    Pledge,
    RequestLevel,
    RequestStatus,
    ResourceRequest,
    Source,
    StockBalance,
    StockItem,
    StockMovement,
    Support,
    SupportLine,
    SupportStatus,
)

# Art. 12: the clause and the support's name each line of a proposal cites (essential goods cite none).
ART_12_CLAUSES = {
    LineKind.RICE: (1, "hỗ trợ lương thực"),
    LineKind.INJURED: (2, "hỗ trợ người bị thương nặng"),
    LineKind.FUNERAL: (3, "hỗ trợ chi phí mai táng"),
    LineKind.HOUSING: (4, "hỗ trợ nhà ở"),
}
# Used while a province has not set its own deadline (DeadlineRule); a setting, not law.
DEFAULT_DEADLINE_DAYS = 7
MAX_HOUSEHOLD_SIZE = 50
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# A receipt photo is checked by its content, not by the type the browser claims: a page served
# back from our origin as HTML would run in the chairman's session.
PHOTO_KINDS = {  # magic bytes → (extension, content type)
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}


def photo_kind(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a JPEG, PNG or WebP image from its first bytes; else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    return next((kind for magic, kind in PHOTO_KINDS.items() if head.startswith(magic)), None)


def _photo_head(photo) -> bytes:
    head = photo.read(16)
    photo.seek(0)
    return head


_PERSONAL_ID = re.compile(r"^[0-9]{12}$")


# --- guards -------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _require_prepare(actor) -> AreaScope:
    scope = require_write(actor)
    if not can_prepare(actor):
        raise NotAllowed(
            "Chỉ công chức văn hóa - xã hội cấp xã (hoặc cán bộ cấp tỉnh) được ghi nhận và đề xuất hỗ trợ.",
            fields={"actor": "Tài khoản này không được lập đề xuất."},
        )
    return scope


def _require_commune(scope: AreaScope, commune_code: str, field: str = "commune") -> None:
    if not scope.contains_commune(commune_code):
        raise NotAllowed(
            f"Xã mã {commune_code} nằm ngoài địa bàn tài khoản được giao: chỉ được ghi dữ liệu trong địa bàn của mình.",
            fields={field: "Ngoài địa bàn của bạn."},
        )


def _raise_if(errors: dict[str, str]) -> None:
    if not errors:
        return
    if len(errors) == 1:
        raise InvalidInput(next(iter(errors.values())), fields=errors)
    raise InvalidInput(f"Có {len(errors)} lỗi cần sửa: " + " ".join(errors.values()), fields=errors)


def _date(
    value, field: str, label: str, errors: dict, *, not_before: dt.date | None = None, before_label: str = ""
):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                value = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
    if not isinstance(value, dt.date):
        errors[field] = f"{label} không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/11/2026."
        return None
    if value > _today():
        errors[field] = f"{label} {value:%d/%m/%Y} ở tương lai: nhập ngày đã xảy ra."
        return None
    if not_before is not None and value < not_before:
        errors[field] = (
            f"{label} {value:%d/%m/%Y} trước {before_label} ({not_before:%d/%m/%Y}): kiểm tra lại ngày."
        )
        return None
    return value


def _positive_int(
    value, field: str, label: str, errors: dict, *, maximum: int | None = None, allow_zero=False
):
    try:
        number = (
            int(str(value).strip().replace(".", "").replace(" ", "")) if value not in (None, "") else None
        )
    except (TypeError, ValueError):
        number = None
    if number is None or number < (0 if allow_zero else 1):
        errors[field] = (
            f"{label} phải là số nguyên {'không âm' if allow_zero else 'dương'} (đang là “{value}”)."
        )
        return None
    if maximum is not None and number > maximum:
        errors[field] = f"{label} {number} lớn quá (tối đa {maximum}): kiểm tra lại."
        return None
    return number


def _item(value, field: str, errors: dict) -> StockItem | None:
    if isinstance(value, StockItem):
        return value
    known = stock_items()
    item = known.get(str(value or ""))
    if item is None:
        choices = ", ".join(known)
        errors[field] = f"Không có mặt hàng “{value}”: chọn một trong {choices}."
    return item


def _unit(item: StockItem, quantity: int) -> str:
    if item.code == CASH:
        return format_vnd(quantity)
    return f"{quantity:,} {item.unit}".replace(",", ".")


# --- deadlines ----------------------------------------------------------------------------------


def deadline_set(*, actor, province_code: str, days, valid_from, legal_basis: str = "") -> DeadlineRule:
    """The province sets how many days its communes have to get help to a household."""
    scope = require_write(actor)
    if actor.role != Role.PROVINCIAL_OFFICER or not scope.contains_province(province_code):
        raise NotAllowed(
            "Chỉ cán bộ cấp tỉnh của tỉnh này được quy định thời hạn hỗ trợ khẩn cấp.",
            fields={"days": "Tài khoản này không được quy định thời hạn."},
        )
    errors: dict = {}
    days = _positive_int(days, "days", "Số ngày", errors, maximum=365)
    valid_from = (
        valid_from
        if isinstance(valid_from, dt.date)
        else _date(valid_from, "valid_from", "Ngày áp dụng", errors)
    )
    _raise_if(errors)
    with transaction.atomic():
        rule, created = DeadlineRule.objects.update_or_create(
            province_id=province_code,
            valid_from=valid_from,
            defaults={"days": days, "legal_basis": nfc(legal_basis)[:255], "set_by": actor},
        )
        audit_record(
            actor=actor,
            action="relief.deadline_set",
            entity=rule,
            area_code=province_code,
            after=snapshot(rule),
        )
    return rule


def deadline_for(province_code: str, on: dt.date) -> tuple[int, str]:
    rule = (
        DeadlineRule.objects.filter(province_id=province_code, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )
    if rule is not None:
        return rule.days, rule.legal_basis or f"Quy định của tỉnh từ {rule.valid_from:%d/%m/%Y}"
    days = getattr(settings, "ANSINH_RELIEF_DEFAULT_DEADLINE_DAYS", DEFAULT_DEADLINE_DAYS)
    return days, f"Mặc định {days} ngày (tỉnh chưa quy định thời hạn)"


# --- events -------------------------------------------------------------------------------------


def event_create(
    *,
    actor,
    kind: str,
    name: str,
    occurred_on,
    communes,
    villages=(),
    description: str = "",
    rice_months=None,
) -> Event:
    scope = _require_prepare(actor)
    errors: dict = {}
    if kind not in EventKind.values:
        errors["kind"] = f"Loại sự kiện “{kind}” không có: chọn một trong {', '.join(EventKind.labels)}."
    name = nfc(name)
    if not name:
        errors["name"] = "Chưa nhập tên đợt (ví dụ: Bão số 3 tháng 9/2026)."
    occurred_on = _date(
        occurred_on,
        "occurred_on",
        "Ngày xảy ra",
        errors,
        not_before=law.FIRST_DAY,
        before_label="ngày trợ giúp đột xuất được mã hoá",
    )
    codes = sorted({getattr(c, "pk", c) for c in communes or [] if c})
    commune_rows = list(Commune.objects.filter(code__in=codes))
    if not codes:
        errors["communes"] = "Chưa chọn xã/phường bị ảnh hưởng: chọn ít nhất một xã."
    elif len(commune_rows) != len(codes):
        missing = sorted(set(codes) - {c.code for c in commune_rows})
        errors["communes"] = f"Không có xã mã {', '.join(missing)}: chọn xã trong danh sách."
    elif len({c.province_id for c in commune_rows}) > 1:
        errors["communes"] = "Các xã của một đợt phải cùng một tỉnh: lập mỗi tỉnh một đợt."
    else:
        outside = [c.name for c in commune_rows if not scope.contains_commune(c.code)]
        if outside:
            errors["communes"] = f"{', '.join(outside)} nằm ngoài địa bàn của bạn: chỉ chọn xã bạn quản lý."
    village_ids = sorted({int(getattr(v, "pk", v)) for v in villages or [] if v not in (None, "")})
    village_rows = list(Village.objects.filter(pk__in=village_ids))
    if len(village_rows) != len(village_ids) or any(v.commune_id not in codes for v in village_rows):
        errors["villages"] = "Có thôn không thuộc các xã đã chọn: chỉ chọn thôn của các xã bị ảnh hưởng."
    if errors:
        _raise_if(errors)
    tet = kind == EventKind.TET
    most = law.rice_months_max(month=occurred_on, tet=tet)
    if rice_months in (None, ""):
        rice_months = most
    else:
        rice_months = _positive_int(rice_months, "rice_months", "Số tháng hỗ trợ gạo", errors, maximum=most)
        if rice_months is None:
            errors["rice_months"] = (
                f"Số tháng hỗ trợ gạo phải từ 1 đến {most} "
                f"({'dịp Tết 1 tháng' if tet else 'tối đa 3 tháng mỗi đợt'}, Điều 12 khoản 1)."
            )
        _raise_if(errors)
    province_code = commune_rows[0].province_id
    days, basis = deadline_for(province_code, occurred_on)
    with transaction.atomic():
        event = Event.objects.create(
            province_id=province_code,
            kind=kind,
            name=name[:200],
            occurred_on=occurred_on,
            description=nfc(description),
            deadline_days=days,
            deadline_basis=basis[:255],
            rice_months=rice_months,
            created_by=actor,
        )
        EventCommune.objects.bulk_create(EventCommune(event=event, commune=c) for c in commune_rows)
        EventVillage.objects.bulk_create(EventVillage(event=event, village=v) for v in village_rows)
        after = snapshot(event) | {"communes": codes, "villages": village_ids}
        audit_record(
            actor=actor, action="relief.event_create", entity=event, area_code=scope.area_code, after=after
        )
    return event


# --- affected households ------------------------------------------------------------------------


def _clean_persons(rows, errors: dict) -> list[dict]:
    cleaned = []
    if not isinstance(rows, (list, tuple)):
        errors["persons"] = "Danh sách người bị thương, chết không đúng dạng: nhập lại trên phiếu."
        return cleaned
    for index, row in enumerate(rows):
        label = f"Người thứ {index + 1}"
        if not isinstance(row, dict):
            errors[f"persons.{index}.full_name"] = f"{label}: thông tin không đúng dạng, nhập lại."
            continue
        name = proper_case(row.get("full_name"))
        outcome = row.get("outcome")
        if not name:
            errors[f"persons.{index}.full_name"] = f"{label}: chưa nhập họ và tên người bị thương hoặc chết."
            continue
        if outcome not in Outcome.values:
            errors[f"persons.{index}.outcome"] = (
                f"{label} ({name}): chọn “bị thương nặng” hoặc “chết, mất tích”."
            )
            continue
        days = 0
        if outcome == Outcome.INJURED:
            days = _positive_int(
                row.get("treatment_days"),
                f"persons.{index}.treatment_days",
                f"{label} ({name}): số ngày điều trị",
                errors,
                maximum=365,
                allow_zero=True,
            )
            if days is None:
                continue
        cleaned.append({"full_name": name[:150], "outcome": outcome, "treatment_days": days})
    return cleaned


def affected_register(
    *,
    actor,
    event: Event,
    client_uuid,
    commune,
    village=None,
    household=None,
    head_name: str = "",
    head_personal_id: str = "",
    address: str = "",
    size=None,
    house_damage: str = HouseDamage.NONE,
    food_shortage: bool = False,
    persons=(),
    note: str = "",
    recorded_at=None,
) -> tuple[AffectedHousehold, bool]:
    """Record a household hit by `event`. Idempotent by `client_uuid`: sent again, the entry
    already recorded is returned (created=False) and nothing is written."""
    scope = _require_prepare(actor)
    try:
        client_uuid = uuid_module.UUID(str(client_uuid))
    except (TypeError, ValueError):
        raise InvalidInput.for_field(
            "client_uuid", "Mã phiếu (UUID) không hợp lệ: gửi lại phiếu từ trang ghi nhanh."
        ) from None
    existing = AffectedHousehold.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        if existing.event_id != event.pk or not scope.contains_commune(existing.commune_id):
            raise Conflict(
                "Mã phiếu này đã dùng cho một phiếu khác: tạo phiếu mới.",
                fields={"client_uuid": "Mã phiếu đã dùng."},
            )
        return existing, False

    errors: dict = {}
    if commune in (None, "") and household not in (None, ""):
        # Picked from the registry without a commune: the household's own (if the actor may see it).
        found = (
            household
            if isinstance(household, Household)
            else Household.objects.filter(pk=_int_or_none(household)).first()
        )
        if found is not None and scope.contains_commune(found.commune_id):
            commune = found.commune_id
    commune_code = str(getattr(commune, "pk", commune) or "")
    event_communes = set(event.areas.values_list("commune_id", flat=True))
    if not commune_code:
        errors["commune"] = "Chưa chọn xã/phường của hộ."
    elif commune_code not in event_communes:
        errors["commune"] = (
            f"Xã mã {commune_code} không nằm trong vùng bị ảnh hưởng của đợt “{event.name}”: "
            "chọn một xã của đợt, hoặc bổ sung xã vào đợt trước."
        )
    elif not scope.contains_commune(commune_code):
        errors["commune"] = f"Xã mã {commune_code} nằm ngoài địa bàn của bạn."
    village_obj = None
    if village not in (None, "") and "commune" not in errors:
        village_obj = (
            village
            if isinstance(village, Village)
            else Village.objects.filter(pk=_int_or_none(village)).first()
        )
        listed = set(event.villages.values_list("village_id", flat=True))
        listed_here = set(
            Village.objects.filter(pk__in=listed, commune_id=commune_code).values_list("pk", flat=True)
        )
        if village_obj is None or village_obj.commune_id != commune_code:
            errors["village"] = "Thôn không thuộc xã đã chọn: chọn thôn trong danh sách."
        elif listed_here and village_obj.pk not in listed_here:
            errors["village"] = (
                f"Thôn “{village_obj.name}” không nằm trong vùng bị ảnh hưởng của đợt: chọn thôn của đợt."
            )
    household_obj = None
    if household not in (None, ""):
        household_obj = (
            household
            if isinstance(household, Household)
            else Household.objects.select_related("head").filter(pk=_int_or_none(household)).first()
        )
        if household_obj is None or not scope.contains_commune(household_obj.commune_id):
            errors["household"] = "Không tìm thấy hộ này trong sổ hộ của địa bàn bạn quản lý."
        elif household_obj.commune_id not in event_communes or (
            commune_code and household_obj.commune_id != commune_code
        ):
            errors["household"] = (
                f"Hộ {household_obj.head.full_name if household_obj.head else household_obj.pk} cư trú ở xã ngoài "
                f"vùng bị ảnh hưởng của đợt “{event.name}”: không ghi nhận, không hỗ trợ hộ này trong đợt."
            )
    if household_obj is not None and "household" not in errors:
        head = household_obj.head
        head_name = head_name or (head.full_name if head else "")
        head_personal_id = head_personal_id or (head.personal_id or "" if head else "")
        address = address or household_obj.address
        if village_obj is None and household_obj.village_id:
            village_obj = household_obj.village
        if size in (None, ""):
            size = household_obj.members.filter(valid_to__isnull=True).count() or None
    head_name = proper_case(head_name)
    if not head_name:
        errors["head_name"] = "Chưa nhập họ và tên chủ hộ."
    head_personal_id = re.sub(r"\s", "", head_personal_id or "")
    if head_personal_id and not _PERSONAL_ID.match(head_personal_id):
        errors["head_personal_id"] = "Số định danh cá nhân của chủ hộ phải đủ 12 chữ số (hoặc để trống)."
    size = _positive_int(size, "size", "Số nhân khẩu", errors, maximum=MAX_HOUSEHOLD_SIZE)
    if house_damage not in HouseDamage.values:
        errors["house_damage"] = "Chọn thiệt hại về nhà ở trong danh sách."
    cleaned = _clean_persons(persons, errors)
    if size and len(cleaned) > size:
        errors["persons"] = (
            f"Có {len(cleaned)} người bị thương hoặc chết nhưng hộ chỉ có {size} nhân khẩu: sửa số nhân khẩu."
        )
    if isinstance(recorded_at, str):
        recorded_at = _parse_datetime(recorded_at)
    _raise_if(errors)
    if (
        household_obj is not None
        and AffectedHousehold.objects.filter(event=event, household=household_obj).exists()
    ):
        raise Conflict(
            f"Hộ {head_name} đã được ghi nhận trong đợt này: không ghi lần hai.",
            fields={"household": "Đã ghi nhận."},
        )
    if (
        head_personal_id
        and AffectedHousehold.objects.filter(event=event, head_personal_id=head_personal_id).exists()
    ):
        raise Conflict(
            f"Chủ hộ có số định danh {head_personal_id} đã được ghi nhận trong đợt này: không ghi lần hai.",
            fields={"head_personal_id": "Đã ghi nhận trong đợt."},
        )
    try:
        with transaction.atomic():
            affected = AffectedHousehold.objects.create(
                client_uuid=client_uuid,
                event=event,
                commune_id=commune_code,
                village=village_obj,
                household=household_obj,
                head_name=head_name,
                head_personal_id=head_personal_id,
                address=nfc(address)[:255],
                size=size,
                house_damage=house_damage,
                food_shortage=bool(food_shortage),
                note=nfc(note),
                recorded_at=recorded_at,
                created_by=actor,
            )
            AffectedPerson.objects.bulk_create(
                AffectedPerson(
                    affected=affected,
                    full_name=p["full_name"],
                    outcome=p["outcome"],
                    treatment_days=p["treatment_days"],
                )
                for p in cleaned
            )
            audit_record(
                actor=actor,
                action="relief.affected_register",
                entity=affected,
                area_code=commune_code,
                after=snapshot(affected) | {"persons": cleaned},
            )
    except IntegrityError:
        # The same phone entry arriving twice at once: the other request recorded it.
        existing = AffectedHousehold.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise Conflict("Hộ này đã được ghi nhận trong đợt: không ghi lần hai.") from None
        return existing, False
    return affected, True


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _parse_datetime(text: str):
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


# --- proposals ----------------------------------------------------------------------------------


def _facts(affected: AffectedHousehold) -> law.HouseholdFacts:
    return law.HouseholdFacts(
        key=affected.pk,
        size=affected.size,
        food_shortage=affected.food_shortage,
        house_damage=affected.house_damage,
        persons=tuple(
            law.PersonFacts(key=p.pk, killed=p.outcome == Outcome.KILLED, treatment_days=p.treatment_days)
            for p in affected.persons.all()
        ),
    )


def support_propose(*, actor, event: Event, affected_ids=None, goods: dict | None = None) -> list[Support]:
    """Propose the support the law gives each household of `event` not yet proposed (or only
    `affected_ids`), computed in one simulation for the event's month, plus essential `goods`
    ({item code: quantity per household}). Households the law gives nothing and no goods are
    skipped when proposing in bulk, refused when named alone."""
    scope = _require_prepare(actor)
    queryset = scope.filter(AffectedHousehold.objects.filter(event=event, support__isnull=True))
    if affected_ids is not None:
        queryset = queryset.filter(pk__in=list(affected_ids))
        if affected_ids and Support.objects.filter(affected_id__in=list(affected_ids)).exists():
            raise Conflict(
                "Hộ này đã có đề xuất hỗ trợ trong đợt: không đề xuất lần hai.",
                fields={"affected": "Đã đề xuất."},
            )
    rows = list(queryset.prefetch_related("persons"))
    errors: dict = {}
    goods_items = []
    for code, quantity in (goods or {}).items():
        if quantity in (None, "", 0, "0"):
            continue
        item = _item(code, "goods", errors)
        number = _positive_int(quantity, "goods", "Số lượng nhu yếu phẩm", errors, maximum=10_000)
        if item is not None and item.code in (CASH, RICE):
            errors["goods"] = "Gạo và tiền tính theo luật; nhu yếu phẩm chỉ gồm hàng hóa khác."
        elif item is not None and number:
            goods_items.append((item, number))
    _raise_if(errors)
    month = event.occurred_on.replace(day=1)
    due = law.support_due(
        month=month,
        province_code=event.province_id,
        tet=event.kind == EventKind.TET,
        rice_months=event.rice_months,
        households=[_facts(a) for a in rows],
    )

    def basis(clause: int, support: str) -> str:
        return law.legal_basis(occurred_on=event.occurred_on, clause=clause, support=support)

    items = stock_items()
    names = {p.pk: p.full_name for a in rows for p in a.persons.all()}
    supports, lines = [], []
    for affected in rows:
        d = due[affected.pk]
        if not d.rice_kg and not d.cash and not goods_items:
            continue
        support = Support(
            affected=affected,
            event=event,
            commune_id=affected.commune_id,
            rice_kg=d.rice_kg,
            cash_amount=d.cash,
            law_month=month,
            proposed_by=actor,
        )
        supports.append(support)
        found = []  # (kind, person, item, quantity, explanation), in the order the page lists them
        if d.rice_kg:
            rice = f"15 kg × {affected.size} người × {d.rice_months} tháng = {d.rice_kg} kg"
            found.append((LineKind.RICE, None, items[RICE], d.rice_kg, rice))
        if d.housing:
            damage = HouseDamage(affected.house_damage).label
            found.append((LineKind.HOUSING, None, items[CASH], d.housing, damage))
        for person_id, (kind, amount) in d.by_person.items():
            injured = kind == "injured"
            label = "bị thương nặng, điều trị từ 3 ngày" if injured else "chết, mất tích"
            line_kind = LineKind.INJURED if injured else LineKind.FUNERAL
            found.append((line_kind, person_id, items[CASH], amount, f"{names[person_id]}: {label}"))
        found += [
            (LineKind.GOODS, None, item, number, "Nhu yếu phẩm theo nhu cầu") for item, number in goods_items
        ]
        lines += [
            SupportLine(
                support=support,
                kind=kind,
                person_id=person_id,
                item=item,
                quantity=quantity,
                legal_basis=basis(*ART_12_CLAUSES[kind]) if kind in ART_12_CLAUSES else "",
                explanation=explanation,
            )
            for kind, person_id, item, quantity, explanation in found
        ]
    if affected_ids is not None and len(rows) == 1 and not supports:
        raise InvalidInput.for_field(
            "affected",
            "Theo luật, hộ này không có khoản hỗ trợ nào (không thiếu đói, nhà không thiệt hại, không có người bị "
            "thương nặng hoặc chết): ghi thêm nhu yếu phẩm nếu hộ cần.",
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.bulk_create(supports)
        except IntegrityError:
            raise Conflict(
                "Có hộ vừa được người khác lập đề xuất: tải lại trang rồi lập đề xuất cho các hộ còn lại.",
                fields={"affected": "Đã có đề xuất."},
            ) from None
        # Each line's support was saved just above: bulk_create takes its new id from it.
        SupportLine.objects.bulk_create(lines)
        audit_bulk(
            actor=actor,
            action="relief.support_propose",
            entity_type="relief.support",
            rows=[
                {
                    "entity_id": s.pk,
                    "area_code": s.commune_id,
                    "after": {"affected": s.affected_id, "rice_kg": s.rice_kg, "cash_amount": s.cash_amount},
                }
                for s in supports
            ],
        )
    return supports


def support_decide(
    *, actor, supports, approve: bool = True, decision_number: str = "", decided_on=None, reason: str = ""
) -> int:
    """The commune chairman decides proposals (one decision may list many households). Whoever
    proposed cannot decide. Set-based: one UPDATE, one audit batch."""
    scope = require_write(actor)
    if not can_sign(actor):
        raise NotAllowed(
            "Chỉ Chủ tịch UBND cấp xã được quyết định hỗ trợ khẩn cấp.",
            fields={"decision_number": "Tài khoản này không được quyết định."},
        )
    ids = [_int_or_none(getattr(s, "pk", s)) for s in supports]
    if None in ids:  # a tampered form: not an id at all
        raise InvalidInput.for_field("supports", "Chưa chọn đề xuất nào trong địa bàn của bạn để quyết định.")
    rows = list(scope.filter(Support.objects.filter(pk__in=ids)).select_related("event"))
    errors: dict = {}
    if not rows or len(rows) != len(set(ids)):
        raise InvalidInput.for_field("supports", "Chưa chọn đề xuất nào trong địa bàn của bạn để quyết định.")
    if any(s.proposed_by_id == actor.pk for s in rows):
        raise NotAllowed(
            "Người lập đề xuất không được tự quyết định (nguyên tắc người lập – người duyệt).",
            fields={"decision_number": "Bạn đã lập đề xuất này."},
        )
    if any(s.status != SupportStatus.PROPOSED for s in rows):
        raise Conflict(
            "Có đề xuất đã được quyết định rồi: tải lại trang và chọn các đề xuất đang chờ.",
            fields={"supports": "Đã quyết định."},
        )
    decision_number = nfc(decision_number)
    if approve and not decision_number:
        errors["decision_number"] = "Chưa nhập số quyết định (ví dụ 45/QĐ-UBND)."
    if not approve and not nfc(reason):
        errors["reason"] = "Chưa nhập lý do không hỗ trợ."
    earliest = max(s.event.occurred_on for s in rows)
    decided_on = _date(
        decided_on if decided_on not in (None, "") else _today(),
        "decided_on",
        "Ngày quyết định",
        errors,
        not_before=earliest,
        before_label="ngày xảy ra sự kiện",
    )
    _raise_if(errors)
    status = SupportStatus.DECIDED if approve else SupportStatus.REFUSED
    with transaction.atomic():
        updated = Support.objects.filter(pk__in=ids, status=SupportStatus.PROPOSED).update(
            status=status,
            decided_by=actor,
            decided_on=decided_on,
            decision_number=decision_number[:50],
            refusal_reason=nfc(reason),
        )
        if updated != len(rows):
            raise Conflict("Đề xuất vừa được người khác quyết định: tải lại trang.")
        audit_bulk(
            actor=actor,
            action="relief.support_decide" if approve else "relief.support_refuse",
            entity_type="relief.support",
            rows=[
                {
                    "entity_id": s.pk,
                    "area_code": s.commune_id,
                    "before": {"status": SupportStatus.PROPOSED},
                    "after": {
                        "status": status,
                        "decision_number": decision_number,
                        "decided_on": decided_on.isoformat(),
                    },
                }
                for s in rows
            ],
        )
    return updated


# --- stock --------------------------------------------------------------------------------------


def _stock_move(
    *,
    actor,
    commune_code: str,
    item: StockItem,
    quantity: int,
    occurred_on: dt.date,
    source: str = "",
    event=None,
    distribution=None,
    donation=None,
    note: str = "",
    audit_action: str = "",
) -> StockMovement:
    """Add (quantity > 0) or take (< 0) from the commune's stock. Taking is one UPDATE that only
    matches while the balance covers it (the row is locked by the UPDATE itself), so two officers
    issuing the last bags at once cannot both succeed; the CHECK on the table is the backstop.
    A movement that is the whole change (a receipt) is audited as `audit_action`; one that is part
    of a distribution or a donation is covered by their audit row."""
    with connection.cursor() as cursor:
        if quantity > 0:
            cursor.execute(
                "INSERT INTO relief_stockbalance (commune_id, item_id, quantity) VALUES (%s, %s, %s) "
                "ON CONFLICT (commune_id, item_id) DO UPDATE SET quantity = relief_stockbalance.quantity + EXCLUDED.quantity",
                [commune_code, item.pk, quantity],
            )
        else:
            cursor.execute(
                "UPDATE relief_stockbalance SET quantity = quantity + %s WHERE commune_id = %s AND item_id = %s "
                "AND quantity + %s >= 0 RETURNING quantity",
                [quantity, commune_code, item.pk, quantity],
            )
            if cursor.fetchone() is None:
                have = (
                    StockBalance.objects.filter(commune_id=commune_code, item=item)
                    .values_list("quantity", flat=True)
                    .first()
                    or 0
                )
                field = "quantity"
                raise Conflict(
                    f"Kho của xã không đủ {item.name.lower()}: còn {_unit(item, have)}, cần xuất {_unit(item, -quantity)}. "
                    "Nhập kho (ngân sách xã, ủng hộ) hoặc đề nghị tỉnh hỗ trợ trước khi cấp phát.",
                    fields={field: f"Kho chỉ còn {_unit(item, have)}."},
                )
    values = dict(
        commune_id=commune_code,
        item=item,
        quantity=quantity,
        source=source,
        event=event,
        distribution=distribution,
        donation=donation,
        occurred_on=occurred_on,
        note=note[:255],
        created_by=actor,
    )
    if audit_action:
        return create_audited(
            StockMovement, actor=actor, action=audit_action, area_code=commune_code, **values
        )
    return StockMovement.objects.create(**values)


def stock_receive(
    *, actor, commune, item, quantity, source: str, received_on, event=None, note: str = ""
) -> StockMovement:
    """Rice, goods or cash entering the commune's relief stock from its own budget, the province or
    the national reserves (donations go through donation_receive, which records the donor)."""
    scope = _require_prepare(actor)
    commune_code = str(getattr(commune, "pk", commune) or "")
    errors: dict = {}
    if not Commune.objects.filter(code=commune_code).exists():
        errors["commune"] = "Chưa chọn xã nhận hàng."
    item = _item(item, "item", errors)
    quantity = _positive_int(quantity, "quantity", "Số lượng nhập", errors, maximum=10**13)
    if source not in (Source.LOCAL, Source.PROVINCE, Source.NATIONAL_RESERVE):
        errors["source"] = (
            "Chọn nguồn: ngân sách xã, tỉnh hỗ trợ hoặc dự trữ quốc gia (ủng hộ ghi ở mục Ủng hộ)."
        )
    received_on = _date(received_on, "received_on", "Ngày nhập", errors)
    _raise_if(errors)
    _require_commune(scope, commune_code)
    if event is not None and not event.areas.filter(commune_id=commune_code).exists():
        raise InvalidInput.for_field("event", f"Xã mã {commune_code} không thuộc đợt “{event.name}”.")
    with transaction.atomic():
        return _stock_move(
            actor=actor,
            commune_code=commune_code,
            item=item,
            quantity=quantity,
            occurred_on=received_on,
            source=source,
            event=event,
            note=nfc(note),
            audit_action="relief.stock_receive",
        )


# --- distribution -------------------------------------------------------------------------------


def distribution_record(
    *,
    actor,
    affected: AffectedHousehold,
    kind: str,
    quantity,
    received_on,
    receiver_name: str = "",
    signed: bool = True,
    photo=None,
    item=None,
) -> Distribution:
    """Hand over part of what was decided: cash once per household and event (a DB constraint),
    rice and goods in one or more rounds, never more than decided, never more than the stock."""
    scope = _require_prepare(actor)
    _require_commune(scope, affected.commune_id, "affected")
    errors: dict = {}
    if kind not in DistributionKind.values:
        raise InvalidInput.for_field("kind", "Chọn loại cấp phát: tiền mặt, gạo hoặc hàng hóa.")
    quantity = _positive_int(quantity, "quantity", "Số lượng cấp", errors, maximum=10**12)
    received_on = _date(
        received_on,
        "received_on",
        "Ngày nhận",
        errors,
        not_before=affected.event.occurred_on,
        before_label="ngày xảy ra sự kiện",
    )
    receiver_name = proper_case(receiver_name) or affected.head_name
    photo_type = photo_kind(_photo_head(photo)) if photo else None
    if photo and (photo_type is None or photo.size > MAX_PHOTO_BYTES):
        errors["photo"] = "Ảnh chụp khi nhận phải là tệp ảnh (JPG, PNG…) không quá 10 MB."
    if not signed and not photo:
        errors["signed"] = "Cần bằng chứng nhận: người nhận ký vào danh sách, hoặc tải ảnh chụp khi nhận."
    _raise_if(errors)
    with transaction.atomic():
        support = Support.objects.select_for_update().filter(affected=affected).first()
        if support is None or support.status != SupportStatus.DECIDED:
            raise Conflict(
                "Hộ này chưa có quyết định hỗ trợ của Chủ tịch UBND xã: chỉ cấp phát sau khi có quyết định.",
                fields={"quantity": "Chưa có quyết định hỗ trợ."},
            )
        given = Distribution.objects.filter(support=support, kind=kind)
        if kind == DistributionKind.CASH:
            item_obj = stock_items()[CASH]
            decided, label = support.cash_amount, "tiền"
            earlier = given.first()
            if earlier is not None:
                raise Conflict(
                    f"Hộ {affected.head_name} đã nhận tiền của đợt này ngày {earlier.received_on:%d/%m/%Y} "
                    f"({format_vnd(earlier.quantity)}): mỗi hộ chỉ nhận tiền một lần trong một đợt.",
                    fields={"quantity": "Đã nhận tiền trong đợt."},
                )
        elif kind == DistributionKind.RICE:
            item_obj = stock_items()[RICE]
            decided, label = support.rice_kg, "gạo"
        else:
            item_obj = _item(item, "item", errors)
            _raise_if(errors)
            decided = (
                support.lines.filter(kind=LineKind.GOODS, item=item_obj).aggregate(total=Sum("quantity"))[
                    "total"
                ]
                or 0
            )
            given = given.filter(item=item_obj)
            label = item_obj.name.lower()
        already = given.aggregate(total=Sum("quantity"))["total"] or 0
        if already + quantity > decided:
            left = decided - already
            raise InvalidInput.for_field(
                "quantity",
                f"Cấp {_unit(item_obj, quantity)} {label} vượt mức đã quyết định: quyết định {_unit(item_obj, decided)}, "
                f"đã cấp {_unit(item_obj, already)}, còn được cấp tối đa {_unit(item_obj, max(left, 0))}.",
            )
        try:
            with transaction.atomic():
                distribution = Distribution.objects.create(
                    event_id=affected.event_id,
                    affected=affected,
                    support=support,
                    commune_id=affected.commune_id,
                    kind=kind,
                    item=item_obj,
                    quantity=quantity,
                    received_on=received_on,
                    receiver_name=receiver_name[:150],
                    signed=bool(signed),
                    recorded_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                f"Hộ {affected.head_name} đã nhận tiền của đợt này: mỗi hộ chỉ nhận tiền một lần trong một đợt.",
                fields={"quantity": "Đã nhận tiền trong đợt."},
            ) from None
        if photo:
            distribution.photo.save(f"{distribution.pk}.{photo_type[0]}", photo, save=True)
        _stock_move(
            actor=actor,
            commune_code=affected.commune_id,
            item=item_obj,
            quantity=-quantity,
            occurred_on=received_on,
            event=affected.event,
            distribution=distribution,
            note=f"Cấp cho hộ {affected.head_name}",
        )
        audit_record(
            actor=actor,
            action="relief.distribution_record",
            entity=distribution,
            area_code=affected.commune_id,
            after=snapshot(distribution) | {"photo": distribution.photo.name or ""},
        )
    return distribution


# --- escalation (Art. 13) -----------------------------------------------------------------------


def resource_request(
    *,
    actor,
    event: Event,
    commune,
    rice_kg=0,
    cash_amount=0,
    reason: str = "",
    level: str = RequestLevel.PROVINCE,
) -> ResourceRequest:
    """Art. 13: beyond the commune's means, ask the province; beyond the province's, the national
    reserves (a provincial officer asks for the commune)."""
    scope = _require_prepare(actor)
    commune_code = str(getattr(commune, "pk", commune) or "")
    errors: dict = {}
    if not event.areas.filter(commune_id=commune_code).exists():
        errors["commune"] = f"Xã mã {commune_code} không thuộc đợt “{event.name}”: chọn xã của đợt."
    rice_kg = _positive_int(
        rice_kg or 0, "rice_kg", "Số gạo đề nghị (kg)", errors, allow_zero=True, maximum=10**9
    )
    cash_amount = _positive_int(
        cash_amount or 0, "cash_amount", "Số tiền đề nghị", errors, allow_zero=True, maximum=10**13
    )
    if not errors and not rice_kg and not cash_amount:
        errors["rice_kg"] = "Nhập số gạo hoặc số tiền cần tỉnh hỗ trợ."
    if level not in RequestLevel.values:
        errors["level"] = "Chọn cấp đề nghị: tỉnh hoặc dự trữ quốc gia."
    elif level == RequestLevel.NATIONAL and actor.role != Role.PROVINCIAL_OFFICER:
        errors["level"] = "Đề nghị xuất cấp dự trữ quốc gia do tỉnh lập (Điều 13): xã đề nghị tỉnh trước."
    if not nfc(reason):
        errors["reason"] = "Chưa nêu lý do (nguồn lực của xã còn bao nhiêu, thiếu bao nhiêu)."
    _raise_if(errors)
    _require_commune(scope, commune_code)
    with transaction.atomic():
        return create_audited(
            ResourceRequest,
            actor=actor,
            action="relief.resource_request",
            area_code=commune_code,
            event=event,
            commune_id=commune_code,
            level=level,
            rice_kg=rice_kg,
            cash_amount=cash_amount,
            reason=nfc(reason),
            requested_by=actor,
        )


def resource_request_decide(
    *, actor, request: ResourceRequest, granted_rice_kg=0, granted_cash=0, answer: str = "", decided_on=None
) -> ResourceRequest:
    """The province answers; what it grants enters the commune's stock (source: the province, or
    the national reserves for a national request)."""
    scope = require_write(actor)
    if actor.role != Role.PROVINCIAL_OFFICER or not scope.contains_commune(request.commune_id):
        raise NotAllowed(
            "Chỉ cán bộ cấp tỉnh của tỉnh này trả lời đề nghị hỗ trợ của xã.",
            fields={"answer": "Tài khoản này không được trả lời."},
        )
    errors: dict = {}
    if request.status != RequestStatus.REQUESTED:
        raise Conflict("Đề nghị này đã được trả lời.", fields={"answer": "Đã trả lời."})
    granted_rice_kg = _positive_int(
        granted_rice_kg or 0, "granted_rice_kg", "Số gạo cấp (kg)", errors, allow_zero=True, maximum=10**9
    )
    granted_cash = _positive_int(
        granted_cash or 0, "granted_cash", "Số tiền cấp", errors, allow_zero=True, maximum=10**13
    )
    decided_on = _date(
        decided_on if decided_on not in (None, "") else _today(), "decided_on", "Ngày cấp", errors
    )
    if not errors and not granted_rice_kg and not granted_cash and not nfc(answer):
        errors["answer"] = "Không cấp gì thì nêu lý do trong ô trả lời."
    _raise_if(errors)
    source = Source.NATIONAL_RESERVE if request.level == RequestLevel.NATIONAL else Source.PROVINCE
    before = snapshot(request)
    with transaction.atomic():
        request.status = RequestStatus.GRANTED if (granted_rice_kg or granted_cash) else RequestStatus.REFUSED
        request.granted_rice_kg, request.granted_cash = granted_rice_kg, granted_cash
        request.answer, request.decided_by, request.decided_on = nfc(answer), actor, decided_on
        request.save()
        for code, amount in ((RICE, granted_rice_kg), (CASH, granted_cash)):
            if amount:
                _stock_move(
                    actor=actor,
                    commune_code=request.commune_id,
                    item=stock_items()[code],
                    quantity=amount,
                    occurred_on=decided_on,
                    source=source,
                    event=request.event,
                    note=f"Theo đề nghị số {request.pk}",
                )
        audit_record(
            actor=actor,
            action="relief.resource_request_decide",
            entity=request,
            area_code=request.commune_id,
            before=before,
            after=snapshot(request),
        )
    return request


# --- pledges and donations (xã hội hóa) ---------------------------------------------------------


class DonorFields(TypedDict, total=False):
    """What a pledge and a receipt share, passed by name to pledge_record and donation_receive
    (a receipt against a pledge takes the missing ones from the pledge; the rest are checked by
    _donor_entry, which names each missing or bad one)."""

    commune: Commune | str | None
    donor_name: str
    donor_kind: str
    item: StockItem | str | None
    quantity: int | str | None
    note: str


class _DonorDate(NamedTuple):
    field: str
    label: str
    quantity_label: str


PLEDGED_ON = _DonorDate("pledged_on", "Ngày đăng ký ủng hộ", "Số lượng")
RECEIVED_ON = _DonorDate("received_on", "Ngày nhận", "Số lượng nhận")


def _donor_entry(
    date: _DonorDate,
    *,
    actor,
    event: Event,
    on,
    pledge: Pledge | None = None,
    commune=None,
    donor_name: str = "",
    donor_kind: str = "",
    item=None,
    quantity=None,
    note: str = "",
) -> dict:
    """Check what a pledge and a receipt share (donor, item, quantity, date, a commune of the
    event in the actor's area); returns the clean values, or raises naming each bad field."""
    scope = _require_prepare(actor)
    commune_code = str(getattr(commune, "pk", commune) or "")
    errors: dict = {}
    name = nfc(donor_name)[:200]
    if not name:
        errors["donor_name"] = "Chưa nhập tên tổ chức hoặc cá nhân ủng hộ."
    if donor_kind not in DonorKind.values:
        errors["donor_kind"] = "Chọn tổ chức hoặc cá nhân."
    item = _item(item, "item", errors)
    quantity = _positive_int(quantity, "quantity", date.quantity_label, errors, maximum=10**13)
    on = _date(on, date.field, date.label, errors)
    if not event.areas.filter(commune_id=commune_code).exists():
        errors["commune"] = f"Xã mã {commune_code} không thuộc đợt “{event.name}”: chọn xã của đợt."
    if pledge is not None and item is not None and pledge.item_id != item.pk:
        errors["item"] = f"Khoản đăng ký là {pledge.item.name.lower()}: nhận đúng mặt hàng đó."
    _raise_if(errors)
    _require_commune(scope, commune_code)
    return {
        "event": event,
        "commune_id": commune_code,
        "donor_name": name,
        "donor_kind": donor_kind,
        "item": item,
        "quantity": quantity,
        date.field: on,
        "note": nfc(note)[:255],
        "created_by": actor,
    }


def pledge_record(*, actor, event: Event, pledged_on, **donor: Unpack[DonorFields]) -> Pledge:
    """A promise of cash or goods for the event (xã hội hóa), reported beside what came in."""
    values = _donor_entry(PLEDGED_ON, actor=actor, event=event, on=pledged_on, **donor)
    with transaction.atomic():
        return create_audited(
            Pledge, actor=actor, action="relief.pledge_record", area_code=values["commune_id"], **values
        )


def donation_receive(
    *, actor, event: Event, received_on=None, pledge: Pledge | None = None, **donor: Unpack[DonorFields]
) -> Donation:
    """Cash or goods received: recorded against the donor (and their pledge) and into the stock."""
    if pledge is not None:
        if pledge.event_id != event.pk:
            raise InvalidInput.for_field("pledge", "Khoản đăng ký này thuộc đợt khác.")
        donor["commune"] = pledge.commune_id
        for key in ("donor_name", "donor_kind", "item"):
            donor[key] = donor.get(key) or getattr(pledge, key)
    values = _donor_entry(RECEIVED_ON, actor=actor, event=event, on=received_on, pledge=pledge, **donor)
    with transaction.atomic():
        donation = create_audited(
            Donation,
            actor=actor,
            action="relief.donation_receive",
            area_code=values["commune_id"],
            pledge=pledge,
            **values,
        )
        _stock_move(
            actor=actor,
            commune_code=donation.commune_id,
            item=donation.item,
            quantity=donation.quantity,
            occurred_on=donation.received_on,
            source=Source.DONATION,
            event=event,
            donation=donation,
            note=f"Ủng hộ của {donation.donor_name}",
        )
    return donation
