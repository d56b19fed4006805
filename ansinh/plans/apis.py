"""/api/v1/plans: the provinces' plans (kế hoạch) with their targets and the sentence each comes
from, the indicator catalogue and its values by area and month (read from the monthly
aggregates), the targets beside their actual values, and the periodic reports' deadlines with
who has submitted.

As on the /chi-tieu/ pages there are no object ids in paths: the area ("" the country, 2 digits a
province, 5 a commune; default the user's own) and the indicator are query parameters. An area
outside the user's scope is a 404, as in the rest of the API; a malformed area, month or year or an
unknown indicator is a 400 naming the field. Reads only, through ansinh.plans.selectors and
ansinh.plans.reports."""

import datetime as dt
from dataclasses import asdict
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema

from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.months import current_month, parse_month
from ansinh.plans import reports, selectors
from ansinh.plans.access import area_for_user
from ansinh.plans.models import Indicator, Target

router = Router(tags=["plans"])


# --- schemas ------------------------------------------------------------------------------------
class PhaseOut(Schema):
    name: str
    year_from: int
    year_to: int


class TargetOut(Schema):
    id: int
    plan_key: str
    phase: str
    year: int | None
    indicator_code: str
    indicator_name: str
    label: str
    value: Decimal
    value_max: Decimal | None
    comparator: str  # at_least / at_most
    unit: str
    sentence: str  # the plan's own sentence the target comes from


class PlanOut(Schema):
    id: int
    key: str
    title: str
    issuer: str
    number: str
    issued_on: dt.date | None
    issued_year: int | None
    province_code: str
    province_name: str
    legacy_province_name: str
    phases: list[PhaseOut]
    targets: list[TargetOut]


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    direction: str
    source: str
    source_label: str
    numerator: str
    denominator: str
    dimensions: list[str]


class ValueOut(Schema):
    code: str
    name: str
    month: dt.date
    numerator: int | None
    denominator: int | None
    value: Decimal | None  # null when there is no figure; `status` and `message` say why
    status: str  # ok / not_held / no_data / no_denominator / empty_denominator
    message: str
    unit: str


class AreaValuesOut(Schema):
    area_code: str
    area_name: str
    values: list[ValueOut]


class GroupValueOut(ValueOut):
    dimension: str  # sex / age_group / category
    group: str


class CommuneValuesOut(Schema):
    code: str
    name: str
    values: list[ValueOut]


class TargetStatusOut(TargetOut):
    target_display: str
    period_display: str
    evaluation_month: dt.date
    actual: ValueOut
    status: str  # met / off_track / unknown


class ReportStatusOut(Schema):
    # reports.submission_status as it is: the deadline (schedule, name, basis, period, due_on),
    # then how many units of the area have submitted and which have not.
    deadline: reports.Deadline
    total: int
    submitted: int
    missing: list[str]
    own_submitted_on: dt.date | None
    overdue: bool


# --- parameters and shaping ---------------------------------------------------------------------
def _area(request, area: str) -> str:
    """The area asked for (default the user's own); outside the scope answered like a missing one."""
    try:
        return area_for_user(request.auth, area or None)
    except NotAllowed:
        raise Http404("Địa bàn nằm ngoài phạm vi của bạn.") from None


def _month(month: str) -> dt.date:
    return parse_month(month, field="month") if month.strip() else current_month()


def _indicator(code: str) -> Indicator:
    found = Indicator.objects.filter(code=code.strip()).first()
    if found is None:
        raise InvalidInput.for_field(
            "indicator",
            f"Chỉ số “{code}” không có trong danh mục: dùng một mã của GET /api/v1/plans/indicators.",
        )
    return found


def _value(v, month: dt.date) -> dict:
    """A selectors.IndicatorValue as it is, with the month it is for."""
    return {**asdict(v), "month": month}


def _target(t) -> dict:
    return {
        "id": t.pk,
        "plan_key": t.plan.key,
        "phase": t.phase.name,
        "year": t.year,
        "indicator_code": t.indicator_id,
        "indicator_name": t.indicator.name,
        "label": t.label,
        "value": t.value,
        "value_max": t.value_max,
        "comparator": t.comparator,
        "unit": t.unit,
        "sentence": t.sentence,
    }


def _area_values(area_code: str, values: list[dict]) -> dict:
    return {"area_code": area_code, "area_name": selectors.area_label(area_code), "values": values}


# --- endpoints ----------------------------------------------------------------------------------
@router.get("", response=list[PlanOut], summary="Plans of the area's province with their targets")
def plan_list(request, area: str = ""):
    area_code = _area(request, area)
    targets = Target.objects.select_related("plan", "phase", "indicator").order_by(
        "phase__year_from", "position"
    )
    plans = selectors.plans_for_area(area_code).prefetch_related(Prefetch("targets", queryset=targets))
    return [
        {
            "id": plan.pk,
            "key": plan.key,
            "title": plan.title,
            "issuer": plan.issuer,
            "number": plan.number,
            "issued_on": plan.issued_on,
            "issued_year": plan.issued_year,
            "province_code": plan.province_id,
            "province_name": plan.province.name,
            "legacy_province_name": plan.legacy_province.name if plan.legacy_province else "",
            "phases": [
                {"name": p.name, "year_from": p.year_from, "year_to": p.year_to} for p in plan.phases.all()
            ],
            "targets": [_target(t) for t in plan.targets.all()],
        }
        for plan in plans
    ]


@router.get(
    "/targets",
    response=list[TargetStatusOut],
    summary="Each target of the area's plans beside its actual value (a province or a commune)",
)
def target_list(request, area: str = "", month: str = ""):
    area_code = _area(request, area)
    if not area_code:
        # A plan's targets are measured on its own province, never on the whole country.
        raise InvalidInput.for_field(
            "area", "Chọn một tỉnh hoặc một xã: chỉ tiêu của kế hoạch được đo trên địa bàn của tỉnh ban hành."
        )
    return [
        {
            **_target(s.target),
            "target_display": s.target_display,
            "period_display": s.period_display,
            "evaluation_month": s.month,
            "actual": _value(s.actual, s.month),
            "status": s.status,
        }
        for s in selectors.targets_with_actuals(area_code, _month(month))
    ]


@router.get("/indicators", response=list[IndicatorOut], summary="The indicator catalogue")
def indicator_list(request):
    return [
        {
            "code": ind.code,
            "name": ind.name,
            "unit": ind.unit,
            "direction": ind.direction,
            "source": ind.source,
            "source_label": ind.get_source_display(),
            "numerator": ind.numerator,
            "denominator": ind.denominator,
            "dimensions": ind.dimensions,
        }
        for ind in selectors.indicators()
    ]


@router.get(
    "/indicators/values",
    response=AreaValuesOut,
    summary="Every indicator's value (or one's) for an area in a month, from the monthly aggregates",
)
def indicator_values(request, area: str = "", month: str = "", indicator: str = ""):
    area_code, first = _area(request, area), _month(month)
    code = _indicator(indicator).code if indicator else None
    values = selectors.indicator_values(area_code, first)
    return _area_values(area_code, [_value(v, first) for c, v in values.items() if code in (None, c)])


MAX_MONTHS = 36


@router.get(
    "/indicators/series",
    response=AreaValuesOut,
    summary="Month by month values of the computed indicators, ending at `month`",
)
def indicator_series(request, area: str = "", month: str = "", months: int = 12, indicator: str = ""):
    area_code, last = _area(request, area), _month(month)
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInput.for_field("months", f"Số tháng phải từ 1 đến {MAX_MONTHS}.")
    code = _indicator(indicator).code if indicator else None
    series = selectors.indicator_series(area_code, last, months)
    rows = [_value(v, m) for c, points in series.items() if code in (None, c) for m, v in points]
    return _area_values(area_code, rows)


@router.get(
    "/indicators/breakdown",
    response=list[GroupValueOut],
    summary="One indicator by sex, age group and category for an area in a month",
)
def indicator_breakdown(request, indicator: str, area: str = "", month: str = ""):
    ind, area_code, first = _indicator(indicator), _area(request, area), _month(month)
    return [
        {**_value(v, first), "dimension": dimension, "group": label}
        for dimension, rows in selectors.indicator_breakdown(ind, area_code, first).items()
        for label, v in rows
    ]


@router.get(
    "/indicators/communes",
    response=list[CommuneValuesOut],
    summary="Drill-down: each commune of a province with its computed indicators in a month",
)
def indicator_communes(request, area: str = "", month: str = ""):
    area_code, first = _area(request, area), _month(month)
    if len(area_code) != 2:
        raise InvalidInput.for_field("area", "Chọn một tỉnh (mã 2 chữ số) để xem số liệu từng xã.")
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "values": [_value(v, first) for v in row["values"].values()],
        }
        for row in selectors.commune_values(area_code, first)
    ]


@router.get(
    "/reports",
    response=list[ReportStatusOut],
    summary="Periodic reports due in a year for the area, and which units have submitted",
)
def report_deadlines(request, area: str = "", year: int | None = None):
    area_code = _area(request, area)
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise InvalidInput.for_field("year", f"Năm “{year}” không hợp lệ: nhập năm có 4 chữ số, ví dụ 2026.")
    return [
        reports.submission_status(deadline, area_code)
        for deadline in reports.deadlines(year, selectors.province_of(area_code))
    ]
