"""Each indicator on the small known data set (ansinh/plans/tests/data.py), figures by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.plans.indicators import aggregates_refresh
from ansinh.plans.models import Denominator, Indicator, MonthlyAggregate
from ansinh.plans.selectors import commune_values, indicator_breakdown, indicator_series, indicator_values
from ansinh.plans.tests.data import MONTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(small_world):
    aggregates_refresh(MONTH, "99")
    return small_world


def _value(code, area="99", month=MONTH):
    return indicator_values(area, month)[code]


def test_allowance_coverage_counts_people_paid_among_those_with_an_active_decision(refreshed):
    # A: p1 paid, p2 not paid (p3 suspended: not in the denominator) → 1/2; B: p6 paid → 1/1.
    a = _value("monthly_allowance_coverage", "99001")
    assert (a.numerator, a.denominator, a.value) == (1, 2, Decimal("50.0"))
    b = _value("monthly_allowance_coverage", "99002")
    assert (b.numerator, b.denominator, b.value) == (1, 1, Decimal("100.0"))
    province = _value("monthly_allowance_coverage")
    assert (province.numerator, province.denominator, province.value) == (2, 3, Decimal("66.7"))
    assert province.display == "66,7%"


def test_allowance_coverage_breaks_down_by_sex_age_group_and_category(refreshed):
    ind = Indicator.objects.get(code="monthly_allowance_coverage")
    breakdown = indicator_breakdown(ind, "99", MONTH)
    by_sex = {label: (v.numerator, v.denominator) for label, v in breakdown["sex"]}
    assert by_sex == {"Nam": (1, 1), "Nữ": (1, 2)}
    by_age = {label: (v.numerator, v.denominator) for label, v in breakdown["age_group"]}
    assert by_age == {"Từ đủ 60 đến dưới 80 tuổi": (0, 1), "Từ đủ 80 tuổi": (2, 2)}
    by_category = {label: (v.numerator, v.denominator) for label, v in breakdown["category"]}
    assert by_category == {"5a": (1, 1), "6": (0, 1), "75+": (1, 1)}
    amounts = dict(
        MonthlyAggregate.objects.filter(
            indicator="monthly_allowance_coverage", dimension="category"
        ).values_list("grp", "amount")
    )
    assert amounts == {"5a": 540_000, "6": 0, "75+": 500_000}


def test_severe_disability_assisted(refreshed):
    # p2 severe with an allowance, p4 especially severe without: 1/2. p5 is mild.
    value = _value("severe_disability_assisted")
    assert (value.numerator, value.denominator, value.value) == (1, 2, Decimal("50.0"))


def test_communes_using_the_system(refreshed):
    # A and B manage beneficiaries in the system, C has nobody: 2 of 3 communes.
    value = _value("communes_using_system")
    assert (value.numerator, value.denominator, value.value) == (2, 3, Decimal("66.7"))
    rows = {row["code"]: row["values"]["communes_using_system"].value for row in commune_values("99", MONTH)}
    assert rows == {"99001": Decimal("100.0"), "99002": Decimal("100.0"), "99003": Decimal("0.0")}


def test_disability_determined_divides_by_the_province_figure(refreshed):
    # p2 and p4 determined by the end of November; p5 only in December.
    missing = _value("disability_determined")
    assert missing.status == "no_denominator" and missing.value is None
    assert "Chưa có mẫu số" in missing.message and "Số người khuyết tật" in missing.message
    Denominator.objects.create(area_code="99", kind="disabled_people", year=2026, value=8)
    value = _value("disability_determined")
    assert (value.numerator, value.denominator, value.value) == (2, 8, Decimal("25.0"))
    december = dt.date(2026, 12, 1)
    aggregates_refresh(december, "99")
    assert _value("disability_determined", month=december).numerator == 3


def test_elderly_health_insurance_counts_state_paid_cards_over_the_elderly_population(refreshed):
    # p1 (86), p2 (76) and p6 (81) have an active allowance or pension; p3 is 11 and suspended.
    Denominator.objects.create(area_code="99001", kind="elderly_population", year=2026, value=4)
    Denominator.objects.create(area_code="99002", kind="elderly_population", year=2026, value=8)
    value = _value("elderly_health_insurance")  # no provincial row: the communes' rows summed
    assert (value.numerator, value.denominator, value.value) == (3, 12, Decimal("25.0"))
    assert _value("elderly_health_insurance", "99001").value == Decimal("50.0")


def test_poverty_rate_uses_the_review_of_the_month_s_year(refreshed):
    Denominator.objects.create(area_code="99", kind="households", year=2026, value=40)
    value = _value("poverty_rate")
    assert (value.numerator, value.denominator, value.value) == (1, 40, Decimal("2.5"))


def test_an_empty_denominator_gives_no_figure_and_says_why(refreshed):
    # Commune C has nobody with a decision: 0 of 0 is not 0% nor 100%.
    value = _value("monthly_allowance_coverage", "99003")
    assert value.status == "empty_denominator" and value.value is None
    assert value.message == "Mẫu số bằng 0 (chưa có ai thuộc diện tính): không tính được tỷ lệ."
    Denominator.objects.create(area_code="99", kind="households", year=2026, value=0)
    assert _value("poverty_rate").status == "empty_denominator"


def test_an_indicator_whose_data_is_not_held_says_so(refreshed):
    value = _value("social_workers_per_5000")
    assert value.status == "not_held" and value.value is None
    assert value.message.startswith("Chưa có dữ liệu")
    assert _value("services_appropriate").status == "not_held"


def test_another_app_s_selector_is_called_when_it_exists(refreshed, monkeypatch):
    Indicator.objects.filter(code="cashless_share").update(
        function="ansinh.plans.tests.test_indicators.fake_cashless"
    )
    value = _value("cashless_share")
    assert (value.numerator, value.denominator, value.value) == (3, 4, Decimal("75.0"))
    Indicator.objects.filter(code="cashless_share").update(function="ansinh.nowhere.selectors.missing")
    assert _value("cashless_share").status == "not_held"


def fake_cashless(*, area_code, date_from, date_to):
    assert (area_code, date_from, date_to) == ("99", MONTH, dt.date(2026, 11, 30))
    return {"numerator": 3, "denominator": 4}


def test_before_any_refresh_the_month_has_no_figures(small_world):
    value = _value("monthly_allowance_coverage")
    assert value.status == "no_data" and "làm mới" in value.message


def test_refresh_twice_gives_the_same_rows_and_only_touches_its_area(refreshed):
    first = sorted(
        MonthlyAggregate.objects.values_list(
            "commune_code", "indicator", "dimension", "grp", "numerator", "denominator"
        )
    )
    aggregates_refresh(MONTH, "99001")
    # A commune's refresh rebuilds its province's totals too.
    assert _value("monthly_allowance_coverage").value == Decimal("66.7")
    aggregates_refresh(MONTH, "99")
    again = sorted(
        MonthlyAggregate.objects.values_list(
            "commune_code", "indicator", "dimension", "grp", "numerator", "denominator"
        )
    )
    assert first == again
    series = indicator_series("99", MONTH)["monthly_allowance_coverage"]
    assert [m for m, _ in series][-1] == MONTH and series[-1][1].value == Decimal("66.7")
    assert series[0][1].status == "no_data"


def test_refresh_refuses_an_unknown_area(small_world):
    with pytest.raises(InvalidInput) as error:
        aggregates_refresh(MONTH, "1234")
    assert "không hợp lệ" in error.value.message
    assert MonthlyAggregate.objects.count() == 0


def test_the_other_apps_selectors_feed_their_indicators(refreshed):
    from ansinh.registry.models import Person

    # H3's cashless share: a draft payroll counts the accounts in the registry now; p6 has one.
    Person.objects.filter(full_name="Đỗ Thị Sáu").update(bank_account="0123456789")
    cashless = _value("cashless_share")
    assert (cashless.numerator, cashless.denominator, cashless.value) == (1, 2, Decimal("50.0"))
    # H4's dossiers and H6's relief: none in this data set, so no figure rather than 0% or 100%.
    assert _value("dossiers_on_time").status == "empty_denominator"
    assert _value("sudden_hardship_helped_in_time").status == "empty_denominator"


def test_dossiers_on_time_reads_the_dossiers_selector_rows(refreshed):
    # Two dossiers decided in the month in commune 99001: one within its deadline, one late.
    from ansinh.dossiers.models import Dossier

    day = MONTH.replace(day=3)
    common = dict(
        form="01",
        channel="desk",
        commune_id="99001",
        benefit="monthly_allowance",
        subject_personal_id="001046000321",
        subject_name="Hoàng Văn Thụ",
        applicant_name="Hoàng Văn Thụ",
        applicant_personal_id="001046000321",
        received_on=day,
        deadline=day + dt.timedelta(days=9),
        deadline_days=7,
        deadline_basis="Điều 8 Nghị định 335/2026",
        status="granted",
    )
    Dossier.objects.create(code="HS-TEST-0001", decided_on=day + dt.timedelta(days=5), **common)
    Dossier.objects.create(code="HS-TEST-0002", decided_on=day + dt.timedelta(days=15), **common)
    value = _value("dossiers_on_time")
    assert (value.numerator, value.denominator, value.value) == (1, 2, Decimal("50.0"))


def test_the_refresh_runs_as_a_background_job(small_world):
    from ansinh.jobs.models import Job
    from ansinh.jobs.services import job_enqueue, job_run_pending

    job_enqueue(
        "plans.aggregates_refresh",
        actor=small_world.province_officer,
        area_code="99",
        kwargs={"month": "2026-11-01", "area_code": "99"},
    )
    assert job_run_pending() == 1
    job = Job.objects.get()
    assert job.status == "done", job.error
    assert job.result["url"] == "/chi-tieu/?khu_vuc=99"
    assert job.result["message"].endswith("tháng 11/2026.")
    assert _value("monthly_allowance_coverage").value == Decimal("66.7")


def test_the_refresh_command(small_world):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("aggregates_refresh", month="2026-11", area="99", stdout=out, stderr=io.StringIO())
    assert "tháng 11/2026" in out.getvalue()
    assert _value("monthly_allowance_coverage").value == Decimal("66.7")
    with pytest.raises(CommandError, match="Tháng kết thúc 2026-01 trước tháng bắt đầu 2026-11"):
        call_command("aggregates_refresh", date_from="2026-11", date_to="2026-01", stderr=io.StringIO())
