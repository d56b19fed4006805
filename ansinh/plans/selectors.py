"""Reads: indicator values from the monthly aggregates (and the denominators the province fills,
and other apps' selectors when they exist), series for the trend, breakdowns, and the targets of
the plans beside their actual values."""

import calendar
import datetime as dt
import importlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from ansinh.areas.models import Commune, Province
from ansinh.core.months import add_months
from ansinh.plans.indicators import AGE_GROUP_LABELS, DEFINITIONS, ROLLUP_DIMENSION, SEX_LABELS
from ansinh.plans.models import Comparator, Denominator, Indicator, IndicatorSource, Plan, Target

ONE_DECIMAL = Decimal("0.1")
REFRESH_MARKER = "communes_using_system"
NOT_HELD_MESSAGE = "Chưa có dữ liệu: hệ thống chưa quản lý số liệu này."


@dataclass
class IndicatorValue:
    code: str
    name: str
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None
    status: str = "ok"  # ok / not_held / no_data / no_denominator / empty_denominator
    message: str = ""
    unit: str = "percent"

    @property
    def has_figure(self) -> bool:
        return self.value is not None

    @property
    def display(self) -> str:
        if self.value is None:
            return self.message
        text = f"{self.value:f}".replace(".", ",")
        return f"{text}%" if self.unit == "percent" else text


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _ratio(numerator: int, denominator: int, unit: str) -> Decimal:
    scale = 5000 if unit == "per_5000" else 100
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _finish(ind: Indicator, numerator, denominator, *, missing_denominator: str = "") -> IndicatorValue:
    result = IndicatorValue(ind.code, ind.name, numerator, denominator, unit=ind.unit)
    if numerator is None and denominator is None:
        result.status, result.message = "no_data", "Chưa có số liệu tháng này: chạy làm mới số liệu tổng hợp."
    elif denominator is None:
        result.status, result.message = "no_denominator", missing_denominator
    elif denominator == 0:
        result.status = "empty_denominator"
        result.message = "Mẫu số bằng 0 (chưa có ai thuộc diện tính): không tính được tỷ lệ."
    else:
        result.value = _ratio(numerator or 0, denominator, ind.unit)
    return result


def denominator_for(kind: str, area_code: str, year: int) -> int | None:
    """The province's figure for the area and year: the area's own row, else the sum of the rows
    of the units inside it (communes of a province; provinces, else communes, for the country)."""
    rows = Denominator.objects.filter(kind=kind, year=year)
    own = rows.filter(area_code=area_code).values_list("value", flat=True).first() if area_code else None
    if own is not None:
        return own
    if area_code == "":
        inside = rows.filter(area_code__regex=r"^\d{2}$")
        if not inside.exists():
            inside = rows.filter(area_code__regex=r"^\d{5}$")
    elif len(area_code) == 2:
        inside = rows.filter(area_code__in=Commune.objects.filter(province_id=area_code).values("code"))
    else:
        return None
    values = list(inside.values_list("value", flat=True))
    return sum(values) if values else None


def _area_where(area_code: str) -> tuple[str, list]:
    if not area_code:
        return "TRUE", []
    if len(area_code) == 2:
        return "province_code = %s", [area_code]
    return "commune_code = %s", [area_code]


def _aggregate_sums(area_code: str, months: list[dt.date], dimension: str = "") -> dict:
    """{(indicator, month, grp): (numerator, denominator, amount)} in one query. Totals of the
    country or a province come from the provinces' rollup rows, a commune's from its own rows."""
    where, params = _area_where(area_code)
    select, group = "grp", ", grp"
    if dimension == "" and len(area_code) != 5:
        dimension, select, group = ROLLUP_DIMENSION, "''", ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT indicator, month, {select}, sum(numerator), sum(denominator), sum(amount)
                FROM plans_monthlyaggregate
                WHERE dimension = %s AND month = ANY(%s) AND {where}
                GROUP BY indicator, month{group}""",
            [dimension, months, *params],
        )
        return {
            (r[0], r[1], r[2]): (int(r[3]), None if r[4] is None else int(r[4]), int(r[5]))
            for r in cursor.fetchall()
        }


def external_function(ind: Indicator):
    """The other app's selector when it exists (checked at call time), else None."""
    if not ind.function:
        return None
    module_name, _, name = ind.function.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, name, None)


def _sum_rows(rows, numerator: str, denominator: str) -> tuple[int, int]:
    """Add up per-commune rows (dicts or dataclasses) another app's selector returns."""

    def get(row, key):
        return row[key] if isinstance(row, dict) else getattr(row, key)

    return sum(get(r, numerator) or 0 for r in rows), sum(get(r, denominator) or 0 for r in rows)


# How to read each other app's selector (each returns one row per commune of the area).
ADAPTERS = {
    # H4: dossiers decided within the legal deadline among those decided, received in the period.
    "ansinh.dossiers.selectors.dossier_timeliness": lambda f, area, d0, d1: _sum_rows(
        f(area, d0, d1), "decided_on_time", "decided"
    ),
    # H3: beneficiaries paid to an account in the payroll of the period's last month.
    "ansinh.payments.selectors.cashless_share": lambda f, area, d0, d1: _sum_rows(
        f(area, d1.replace(day=1)), "cashless", "beneficiaries"
    ),
    # H6: people of households hit by sudden hardship in the period, helped within the deadline.
    "ansinh.relief.selectors.helped_in_time": lambda f, area, d0, d1: _sum_rows(
        f(area, d0, d1), "persons_helped_in_time", "persons"
    ),
}


def _read_pair(result) -> tuple[int | None, int | None]:
    """A selector without an adapter returns {"numerator", "denominator"} or a pair."""
    if isinstance(result, (tuple, list)) and len(result) == 2:
        return result[0], result[1]
    if isinstance(result, dict) and "numerator" in result and "denominator" in result:
        return result["numerator"], result["denominator"]
    return None, None


def not_held(ind: Indicator, message: str = NOT_HELD_MESSAGE) -> IndicatorValue:
    """No figure: the system does not hold this indicator's data (never an invented number)."""
    return IndicatorValue(ind.code, ind.name, status="not_held", message=message, unit=ind.unit)


def external_value(ind: Indicator, area_code: str, date_from: dt.date, date_to: dt.date) -> IndicatorValue:
    function = external_function(ind)
    if function is None:
        return not_held(ind, "Chưa có dữ liệu: phân hệ cung cấp số liệu này chưa hoạt động.")
    adapter = ADAPTERS.get(ind.function)
    if adapter is not None:
        numerator, denominator = adapter(function, area_code, date_from, date_to)
    else:
        numerator, denominator = _read_pair(
            function(area_code=area_code, date_from=date_from, date_to=date_to)
        )
    if numerator is None:
        return not_held(ind, "Chưa có dữ liệu: phân hệ cung cấp số liệu này chưa trả về tử số, mẫu số.")
    return _finish(ind, int(numerator), int(denominator or 0))


def _value_from_sums(
    ind: Indicator, sums: dict, month: dt.date, area_code: str, grp: str = ""
) -> IndicatorValue:
    if (
        ind.source == IndicatorSource.NOT_HELD
        or ind.code not in DEFINITIONS
        and ind.source != IndicatorSource.EXTERNAL
    ):
        return not_held(ind)
    if ind.source == IndicatorSource.EXTERNAL:
        return external_value(ind, area_code, month, month_end(month))
    row = sums.get((ind.code, month, grp))
    if row is None:
        # Every commune gets a communes_using_system row at each refresh: if there is one, the
        # month was counted and this indicator simply had nobody to count (an empty denominator).
        if (REFRESH_MARKER, month, "") not in sums:
            return _finish(ind, None, None)
        row = (0, None if ind.source == IndicatorSource.TABLE else 0, 0)
    numerator, denominator, _ = row
    missing = ""
    if ind.source == IndicatorSource.TABLE:
        denominator = denominator_for(ind.denominator_kind, area_code, month.year)
        kind_label = dict(Denominator._meta.get_field("kind").choices).get(
            ind.denominator_kind, ind.denominator_kind
        )
        if area_code:
            missing = (
                f"Chưa có mẫu số: tỉnh chưa nhập “{kind_label}” năm {month.year} cho địa bàn này "
                f"(mục Mẫu số). Tử số hiện có: {numerator}."
            )
        else:
            # The country's figure is the sum of the provinces' (or communes') rows.
            missing = (
                f"Chưa có mẫu số: chưa tỉnh nào nhập “{kind_label}” năm {month.year} "
                f"(mục Mẫu số), nên chưa tính được cho toàn quốc. Tử số hiện có: {numerator}."
            )
    return _finish(ind, numerator, denominator, missing_denominator=missing)


def indicators() -> list[Indicator]:
    return list(Indicator.objects.all())


def indicator_values(area_code: str, month: dt.date) -> dict[str, IndicatorValue]:
    """Every indicator's value for the area in the month (one query on the aggregates)."""
    sums = _aggregate_sums(area_code, [month])
    return {ind.code: _value_from_sums(ind, sums, month, area_code) for ind in indicators()}


def indicator_series(
    area_code: str, last_month: dt.date, count: int = 12
) -> dict[str, list[tuple[dt.date, IndicatorValue]]]:
    """Month by month values of the computed indicators for the trend (one query)."""
    months = [add_months(last_month, -i) for i in range(count - 1, -1, -1)]
    sums = _aggregate_sums(area_code, months)
    series = {}
    for ind in indicators():
        if ind.code in DEFINITIONS:
            series[ind.code] = [(m, _value_from_sums(ind, sums, m, area_code)) for m in months]
    return series


def indicator_breakdown(
    ind: Indicator, area_code: str, month: dt.date
) -> dict[str, list[tuple[str, IndicatorValue]]]:
    """By sex, age group and category (only the dimensions the indicator defines)."""
    labels = {"sex": SEX_LABELS, "age_group": AGE_GROUP_LABELS, "category": {}}
    result = {}
    for dimension in ind.dimensions:
        sums = _aggregate_sums(area_code, [month], dimension)
        groups = sorted({key[2] for key in sums if key[0] == ind.code})
        rows = []
        for grp in groups:
            numerator, denominator, _ = sums[(ind.code, month, grp)]
            # A table indicator's denominator is the area's total: a group shows its count only.
            rows.append(
                (
                    labels[dimension].get(grp, grp or "Không ghi"),
                    _finish(ind, numerator, denominator, missing_denominator=f"{numerator} người"),
                )
            )
        result[dimension] = rows
    return result


def commune_values(province_code: str, month: dt.date) -> list[dict]:
    """Drill-down: each commune of the province with its computed indicators (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT commune_code, indicator, numerator, denominator FROM plans_monthlyaggregate
               WHERE dimension = '' AND month = %s AND province_code = %s""",
            [month, province_code],
        )
        rows = cursor.fetchall()
    by_commune: dict[str, dict] = {}
    catalogue = {i.code: i for i in indicators()}
    for commune_code, code, numerator, denominator in rows:
        ind = catalogue.get(code)
        if ind is None or ind.source != IndicatorSource.COMPUTED:
            continue
        by_commune.setdefault(commune_code, {})[code] = _finish(ind, numerator, denominator)
    names = dict(Commune.objects.filter(code__in=by_commune).values_list("code", "name"))
    return [
        {"code": code, "name": names.get(code, code), "values": values}
        for code, values in sorted(by_commune.items(), key=lambda kv: names.get(kv[0], kv[0]))
    ]


# --- targets ---------------------------------------------------------------------------------
@dataclass
class TargetStatus:
    target: Target
    month: dt.date
    actual: IndicatorValue
    status: str  # met / off_track / unknown
    series: list = field(default_factory=list)

    @property
    def target_display(self) -> str:
        t = self.target
        value = f"{t.value.normalize():f}".replace(".", ",")
        if t.value_max is not None:
            value += " - " + f"{t.value_max.normalize():f}".replace(".", ",")
        prefix = "≤ " if t.comparator == Comparator.AT_MOST else "≥ "
        return f"{prefix}{value}{'' if t.unit == '%' else ' '}{t.unit}"

    @property
    def period_display(self) -> str:
        t = self.target
        return f"Năm {t.year}" if t.year else t.phase.name


def target_status(target: Target, actual: IndicatorValue) -> str:
    if actual.value is None or target.unit not in ("%", "người/5.000 dân"):
        return "unknown"
    if target.comparator == Comparator.AT_MOST:
        return "met" if actual.value <= target.value else "off_track"
    return "met" if actual.value >= target.value else "off_track"


def plans_for_area(area_code: str):
    qs = Plan.objects.select_related("province", "legacy_province").prefetch_related("phases")
    if area_code:
        qs = qs.filter(
            province_id=area_code[:2]
            if len(area_code) == 2
            else Commune.objects.filter(code=area_code).values("province_id")[:1]
        )
    return qs


def evaluation_month(target: Target, month: dt.date) -> dt.date:
    """A target is measured at the selected month, or at the end of its phase (or year) if that
    is earlier."""
    last_year = target.year or target.phase.year_to
    return min(month, dt.date(last_year, 12, 1))


def targets_with_actuals(
    area_code: str,
    month: dt.date,
    *,
    plan: Plan | None = None,
    values: dict[str, IndicatorValue] | None = None,
    series: dict | None = None,
) -> list[TargetStatus]:
    """Each target of the area's plans beside its actual value; `values` (of `month`) and
    `series` may be passed when the caller has read them already."""
    plans = [plan] if plan else list(plans_for_area(area_code))
    targets = list(
        Target.objects.filter(plan__in=plans)
        .select_related("plan", "phase", "indicator")
        .order_by("plan__key", "phase__year_from", "position")
    )
    months = sorted({evaluation_month(t, month) for t in targets})
    values_by_month = {month: values} if values is not None else {}
    for m in months:
        if m not in values_by_month:
            values_by_month[m] = indicator_values(area_code, m)
    if series is None:
        series = indicator_series(area_code, month)
    result = []
    for t in targets:
        m = evaluation_month(t, month)
        actual = values_by_month[m].get(t.indicator_id) or not_held(t.indicator)
        result.append(TargetStatus(t, m, actual, target_status(t, actual), series.get(t.indicator_id, [])))
    return result


def area_label(area_code: str) -> str:
    if not area_code:
        return "Toàn quốc"
    if len(area_code) == 2:
        return Province.objects.filter(code=area_code).values_list("name", flat=True).first() or area_code
    commune = Commune.objects.select_related("province").filter(code=area_code).first()
    return f"{commune.name}, {commune.province.name}" if commune else area_code


def province_of(area_code: str) -> str:
    if len(area_code) == 5:
        return Commune.objects.filter(code=area_code).values_list("province_id", flat=True).first() or ""
    return area_code
