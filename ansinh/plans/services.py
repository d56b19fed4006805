"""Writes: loading plans and the indicator catalogue, the denominators the province fills, the
record of a report submitted. Keyword-only, `*, actor`; each change audited in its transaction."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.roles import can_write
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune, LegacyProvince, Province
from ansinh.core.audit import audit_record, snapshot
from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.text import nfc
from ansinh.plans.models import (
    Comparator,
    Denominator,
    DenominatorKind,
    Indicator,
    Plan,
    PlanPhase,
    ReportSubmission,
    Target,
)

DATA = Path(__file__).parent / "data"
INDICATORS_FILE = DATA / "indicators.yaml"
PLANS_FILE = DATA / "plans.yaml"


def _decimal(value, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise InvalidInput.for_field(
            field, f"Giá trị chỉ tiêu “{value}” không phải là số: nhập một số như 90 hoặc 31,94."
        ) from None
    if number < 0:
        raise InvalidInput.for_field(field, f"Giá trị chỉ tiêu {value} âm: nhập một số từ 0 trở lên.")
    return number


def indicators_load(rows: list[dict] | None = None) -> int:
    """Write the catalogue (idempotent: each code updated in place)."""
    rows = rows if rows is not None else yaml.safe_load(INDICATORS_FILE.read_text(encoding="utf-8"))
    for row in rows:
        fields = {
            k: row.get(k, d)
            for k, d in [
                ("name", ""),
                ("unit", "percent"),
                ("direction", "up"),
                ("source", "not_held"),
                ("numerator", ""),
                ("denominator", ""),
                ("denominator_kind", ""),
                ("function", ""),
                ("dimensions", []),
            ]
        }
        Indicator.objects.update_or_create(code=row["code"], defaults=fields)
    return len(rows)


def _target_fields(plan_key: str, position: int, row: dict, phases: dict[int, PlanPhase]) -> dict:
    where = f"kế hoạch “{plan_key}”, chỉ tiêu thứ {position}"
    code = (row.get("indicator") or "").strip()
    if not code:
        raise InvalidInput.for_field(
            "indicator",
            f"Chỉ tiêu chưa gắn chỉ số ({where}): ghi mã chỉ số trong danh mục, ví dụ poverty_rate.",
        )
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise InvalidInput.for_field(
            "indicator",
            f"Chỉ số “{code}” không có trong danh mục chỉ số ({where}): dùng một mã có trong danh mục.",
        )
    phase = phases.get(row.get("phase"))
    if phase is None:
        raise InvalidInput.for_field(
            "phase",
            f"Giai đoạn bắt đầu năm {row.get('phase')} không có trong kế hoạch ({where}): ghi năm bắt đầu của một giai đoạn.",
        )
    year = row.get("year")
    if year is not None and not phase.year_from <= year <= phase.year_to:
        raise InvalidInput.for_field(
            "year",
            f"Năm {year} nằm ngoài {phase.name} ({where}): chọn năm từ {phase.year_from} đến {phase.year_to}.",
        )
    sentence = (row.get("sentence") or "").strip()
    if not sentence:
        raise InvalidInput.for_field(
            "sentence", f"Chỉ tiêu chưa có câu trích từ kế hoạch ({where}): chép nguyên câu nêu chỉ tiêu."
        )
    comparator = row.get("comparator", Comparator.AT_LEAST)
    if comparator not in Comparator.values:
        raise InvalidInput.for_field(
            "comparator", f"Cách so sánh “{comparator}” không hợp lệ ({where}): at_least hoặc at_most."
        )
    return {
        "indicator": indicator,
        "phase": phase,
        "label": row.get("label", ""),
        "year": year,
        "value": _decimal(row.get("value"), field="value"),
        "value_max": _decimal(row["value_max"], field="value_max")
        if row.get("value_max") is not None
        else None,
        "comparator": comparator,
        "unit": row.get("unit", "%"),
        "sentence": sentence,
        "position": position,
    }


@transaction.atomic
def plan_load(*, actor, data: dict) -> Plan:
    """Create or replace one plan (by its key) with its phases and targets; all or nothing."""
    key = data.get("key") or ""
    province = Province.objects.filter(code=str(data.get("province", ""))).first()
    if province is None:
        raise InvalidInput.for_field(
            "province",
            f"Mã tỉnh “{data.get('province')}” của kế hoạch “{key}” không tồn tại: chạy `ansinh areas_load` trước, hoặc sửa mã tỉnh.",
        )
    legacy = LegacyProvince.objects.filter(code=str(data.get("legacy_province") or "")).first()
    issued_on = data.get("issued_on")
    if isinstance(issued_on, str):
        issued_on = dt.date.fromisoformat(issued_on)
    old = Plan.objects.filter(key=key).first()
    before = snapshot(old) if old else None
    if old:
        old.delete()
    plan = Plan.objects.create(
        key=key,
        title=data["title"],
        issuer=data.get("issuer", ""),
        number=data.get("number") or "",
        issued_on=issued_on,
        issued_year=data.get("issued_year") or (issued_on.year if issued_on else None),
        province=province,
        legacy_province=legacy,
        source_file=data.get("source_file", ""),
        schedules=data.get("schedules") or [],
    )
    phases = {}
    for row in data.get("phases") or []:
        if row["year_to"] < row["year_from"]:
            raise InvalidInput.for_field(
                "year_to",
                f"Giai đoạn “{row['name']}” kết thúc năm {row['year_to']} trước khi bắt đầu năm {row['year_from']}: sửa năm kết thúc.",
            )
        phases[row["year_from"]] = PlanPhase.objects.create(plan=plan, **row)
    targets = [
        Target(plan=plan, **_target_fields(key, position, row, phases))
        for position, row in enumerate(data.get("targets") or [], start=1)
    ]
    Target.objects.bulk_create(targets)
    audit_record(
        actor=actor,
        action="plan.load",
        entity=plan,
        area_code=province.code,
        before=before,
        after={"key": key, "targets": len(targets)},
    )
    return plan


def plans_load(*, actor=None) -> list[Plan]:
    """Load the catalogue and the seed plans shipped in data/ (`ansinh plans_load`)."""
    indicators_load()
    rows = yaml.safe_load(PLANS_FILE.read_text(encoding="utf-8"))
    return [plan_load(actor=actor, data=row) for row in rows]


def _check_area_in_scope(actor, area_code: str) -> None:
    if not AreaScope.for_user(actor).contains_area(area_code):
        raise NotAllowed(
            f"Địa bàn “{area_code or 'toàn quốc'}” nằm ngoài địa bàn của bạn: chọn tỉnh hoặc xã mình phụ trách.",
            fields={"area": "Địa bàn nằm ngoài phạm vi của bạn."},
        )


def _check_area_exists(area_code: str) -> None:
    if len(area_code) == 2 and Province.objects.filter(code=area_code).exists():
        return
    if len(area_code) == 5 and Commune.objects.filter(code=area_code).exists():
        return
    raise InvalidInput.for_field(
        "area", f"Mã địa bàn “{area_code}” không tồn tại: 2 chữ số cho tỉnh, 5 chữ số cho xã."
    )


@transaction.atomic
def denominator_set(*, actor, area_code: str, kind: str, year: int, value, source: str = "") -> Denominator:
    """The province fills a total (population, elderly, disabled people, households) for a year."""
    if not can_write(actor):
        raise NotAllowed("Tài khoản của bạn chỉ được xem, không được nhập mẫu số.")
    area_code = (area_code or "").strip()
    source = nfc(source)
    _check_area_exists(area_code)
    _check_area_in_scope(actor, area_code)
    if kind not in DenominatorKind.values:
        raise InvalidInput.for_field("kind", f"Loại mẫu số “{kind}” không có: chọn một loại trong danh sách.")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput.for_field("year", f"Năm “{year}” không hợp lệ: nhập năm có 4 chữ số, ví dụ 2026.")
    try:
        value = int(str(value).replace(".", "").replace(" ", ""))
    except ValueError:
        raise InvalidInput.for_field(
            "value", f"Giá trị “{value}” không phải số nguyên: nhập số người hoặc số hộ, ví dụ 1.250.000."
        ) from None
    if value < 0:
        raise InvalidInput.for_field("value", "Giá trị mẫu số không được âm: nhập số từ 0 trở lên.")
    row = Denominator.objects.filter(area_code=area_code, kind=kind, year=year).first()
    before = snapshot(row, ["value", "source"]) if row else None
    row, _ = Denominator.objects.update_or_create(
        area_code=area_code,
        kind=kind,
        year=year,
        defaults={"value": value, "source": source, "updated_by": actor},
    )
    audit_record(
        actor=actor,
        action="plans.denominator_set",
        entity=row,
        area_code=area_code,
        before=before,
        after=snapshot(row, ["value", "source"]),
    )
    return row


@transaction.atomic
def submission_record(
    *,
    actor,
    schedule: str,
    area_code: str,
    period_start: dt.date,
    period_end: dt.date,
    due_on: dt.date,
    note: str = "",
) -> ReportSubmission:
    """Mark a unit's periodic report as submitted (idempotent for the same unit and period)."""
    from ansinh.plans.reports import check_period

    if not can_write(actor):
        raise NotAllowed("Tài khoản của bạn chỉ được xem, không được ghi nhận nộp báo cáo.")
    check_period(period_start, period_end)
    _check_area_exists(area_code)
    _check_area_in_scope(actor, area_code)
    # Only a report of the calendar (reports.deadlines) can be submitted, with its own due date:
    # the form's hidden fields are not trusted.
    from ansinh.plans.reports import deadlines
    from ansinh.plans.selectors import province_of

    deadline = next(
        (
            d
            for d in deadlines(period_end.year, province_of(area_code))
            if (d.schedule, d.period_start, d.period_end) == (schedule, period_start, period_end)
        ),
        None,
    )
    if deadline is None:
        raise InvalidInput.for_field(
            "schedule",
            "Kỳ báo cáo không có trong lịch hạn báo cáo của địa bàn: chọn lại từ lịch hạn báo cáo.",
        )
    due_on = deadline.due_on or due_on
    note = nfc(note)[:255]
    row, created = ReportSubmission.objects.get_or_create(
        schedule=schedule,
        area_code=area_code,
        period_start=period_start,
        period_end=period_end,
        defaults={
            "due_on": due_on,
            "submitted_on": timezone.localdate(),
            "submitted_by": actor,
            "note": note,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="plans.report_submitted",
            entity=row,
            area_code=area_code,
            after=snapshot(row, ["schedule", "period_start", "period_end", "submitted_on"]),
        )
    return row


def aggregates_refresh_later(*, actor, month=None, area_code: str = "") -> None:
    """Queue a recount of the plan indicators for an area and month, for after a payroll or an
    import (a country-wide recount takes minutes: it never runs inside a request)."""
    from ansinh.jobs.services import job_enqueue

    month_text = month if month is None or isinstance(month, str) else f"{month:%Y-%m}"
    job_enqueue(
        "plans.aggregates_refresh",
        actor=actor,
        area_code=area_code or "",
        kwargs={"month": month_text, "area_code": area_code or ""},
    )
