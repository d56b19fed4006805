"""/api/v1/plans over HTTP with the session the API uses, on the small known data set
(ansinh/plans/tests/data.py): plans and targets with their sentences, indicator values by area and
month, targets beside their actual values, the report calendar. Every figure is the selectors'
own; an area outside the user's scope is a 404 like a missing one; a bad area, month, year or
indicator is a 400 naming the field."""

import pytest

from ansinh.plans.indicators import aggregates_refresh
from ansinh.plans.models import Indicator
from ansinh.plans.reports import deadlines
from ansinh.plans.selectors import (
    commune_values,
    indicator_breakdown,
    indicator_values,
    targets_with_actuals,
)
from ansinh.plans.services import plan_load, submission_record
from ansinh.plans.tests.data import MONTH

pytestmark = pytest.mark.django_db

API = "/api/v1/plans"
NOT_FOUND = {
    "code": "not_found",
    "message": "Không tìm thấy hồ sơ này trong địa bàn bạn quản lý.",
    "fields": {},
}
COVERAGE = "100% đối tượng có quyết định hưởng trợ cấp hằng tháng được chi trả đầy đủ, đúng hạn."
POVERTY = "Phấn đấu đến cuối năm 2026, tỷ lệ hộ nghèo còn dưới 3%."


def _plan(key, province, targets):
    return {
        "key": key,
        "title": f"Kế hoạch trợ giúp xã hội năm 2026 ({key})",
        "issuer": "Ủy ban nhân dân tỉnh",
        "number": "12/KH-UBND",
        "issued_on": "2026-02-01",
        "province": province,
        "phases": [{"name": "Năm 2026", "year_from": 2026, "year_to": 2026}],
        "schedules": [{"code": f"{key}_quarter", "name": "Báo cáo quý", "rule": "quarter_10_last_month"}],
        "targets": targets,
    }


@pytest.fixture
def world(small_world):
    aggregates_refresh(MONTH, "99")
    plan_load(
        actor=None,
        data=_plan(
            "thu-nghiem",
            "99",
            [
                {
                    "phase": 2026,
                    "indicator": "monthly_allowance_coverage",
                    "value": 100,
                    "sentence": COVERAGE,
                },
                {
                    "phase": 2026,
                    "indicator": "poverty_rate",
                    "value": 3,
                    "comparator": "at_most",
                    "sentence": POVERTY,
                },
            ],
        ),
    )
    plan_load(
        actor=None,
        data=_plan(
            "tinh-khac",
            "98",
            [{"phase": 2026, "indicator": "poverty_rate", "value": 2, "sentence": "Hộ nghèo còn 2%."}],
        ),
    )
    return small_world


def as_user(client, user):
    client.force_login(user)
    return client


def as_json(value, month) -> dict:
    """An IndicatorValue of the selectors as the API writes it."""
    return {
        "code": value.code,
        "name": value.name,
        "month": month.isoformat(),
        "numerator": value.numerator,
        "denominator": value.denominator,
        "value": None if value.value is None else str(value.value),
        "status": value.status,
        "message": value.message,
        "unit": value.unit,
    }


def test_anonymous_is_refused(client, world):
    assert client.get(API).status_code == 401


def test_the_plans_of_the_user_s_province_with_each_target_and_its_sentence(client, world):
    (plan,) = as_user(client, world.officer_a).get(API).json()
    assert (plan["key"], plan["province_code"], plan["province_name"], plan["number"]) == (
        "thu-nghiem",
        "99",
        "Tỉnh Thử Nghiệm",
        "12/KH-UBND",
    )
    assert plan["phases"] == [{"name": "Năm 2026", "year_from": 2026, "year_to": 2026}]
    assert [
        (t["indicator_code"], t["value"], t["comparator"], t["unit"], t["phase"], t["sentence"])
        for t in plan["targets"]
    ] == [
        ("monthly_allowance_coverage", "100.00", "at_least", "%", "Năm 2026", COVERAGE),
        ("poverty_rate", "3.00", "at_most", "%", "Năm 2026", POVERTY),
    ]
    assert [p["key"] for p in as_user(client, world.other_province_officer).get(API).json()] == ["tinh-khac"]


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/targets",
        "/indicators/values",
        "/indicators/series",
        "/indicators/communes",
        "/indicators/breakdown?indicator=monthly_allowance_coverage",
        "/reports",
    ],
)
def test_another_commune_or_province_is_a_404_like_a_missing_area(client, world, url):
    client = as_user(client, world.officer_a)
    joiner = "&" if "?" in url else "?"
    for area in ("99002", "99", "98"):
        response = client.get(f"{API}{url}{joiner}area={area}")
        assert (response.status_code, response.json()) == (404, NOT_FOUND), area
    bad = client.get(f"{API}{url}{joiner}area=abc")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {
        "area": "Mã địa bàn “abc” không hợp lệ: 5 chữ số cho xã, 2 chữ số cho tỉnh, để trống cho cả nước."
    }


def test_indicator_values_by_area_and_month_are_the_selector_s(client, world):
    client = as_user(client, world.province_officer)
    body = client.get(f"{API}/indicators/values", {"month": "2026-11"}).json()
    assert (body["area_code"], body["area_name"]) == ("99", "Tỉnh Thử Nghiệm")
    assert body["values"] == [as_json(v, MONTH) for v in indicator_values("99", MONTH).values()]
    by_code = {v["code"]: v for v in body["values"]}
    assert (by_code["monthly_allowance_coverage"]["value"], by_code["poverty_rate"]["status"]) == (
        "66.7",
        "no_denominator",
    )
    (commune_b,) = client.get(
        f"{API}/indicators/values",
        {"month": "11/2026", "area": "99002", "indicator": "monthly_allowance_coverage"},
    ).json()["values"]
    assert commune_b == as_json(indicator_values("99002", MONTH)["monthly_allowance_coverage"], MONTH)
    assert commune_b["value"] == "100.0"


def test_bad_month_and_indicator_are_a_400_in_vietnamese(client, world):
    client = as_user(client, world.province_officer)
    month = client.get(f"{API}/indicators/values", {"month": "13/2026"})
    assert (month.status_code, month.json()["fields"]) == (
        400,
        {"month": "Tháng 13 không tồn tại (chỉ từ 1 đến 12)."},
    )
    unknown = client.get(f"{API}/indicators/breakdown", {"indicator": "khong_co"})
    assert unknown.status_code == 400
    assert unknown.json()["fields"] == {
        "indicator": "Chỉ số “khong_co” không có trong danh mục: dùng một mã của GET /api/v1/plans/indicators."
    }
    missing = client.get(f"{API}/indicators/breakdown")
    assert missing.json()["fields"] == {"indicator": "Trường này bắt buộc, hãy nhập giá trị."}
    months = client.get(f"{API}/indicators/series", {"months": "0"})
    assert months.json()["fields"] == {"months": "Số tháng phải từ 1 đến 36."}


def test_the_series_ends_at_the_month_asked(client, world):
    body = (
        as_user(client, world.province_officer)
        .get(
            f"{API}/indicators/series",
            {"month": "2026-11", "months": 2, "indicator": "monthly_allowance_coverage"},
        )
        .json()
    )
    assert [(v["month"], v["status"], v["value"]) for v in body["values"]] == [
        ("2026-10-01", "no_data", None),  # never refreshed
        ("2026-11-01", "ok", "66.7"),
    ]


def test_breakdown_and_drill_down_are_the_selector_s(client, world):
    client = as_user(client, world.province_officer)
    ind = Indicator.objects.get(code="monthly_allowance_coverage")
    body = client.get(f"{API}/indicators/breakdown", {"indicator": ind.code, "month": "2026-11"}).json()
    assert body == [
        {**as_json(v, MONTH), "dimension": dimension, "group": label}
        for dimension, rows in indicator_breakdown(ind, "99", MONTH).items()
        for label, v in rows
    ]
    assert {(r["dimension"], r["group"]) for r in body} >= {("sex", "Nữ"), ("age_group", "Từ đủ 80 tuổi")}
    drill = client.get(f"{API}/indicators/communes", {"month": "2026-11"}).json()
    assert drill == [
        {
            "code": row["code"],
            "name": row["name"],
            "values": [as_json(v, MONTH) for v in row["values"].values()],
        }
        for row in commune_values("99", MONTH)
    ]
    # A commune officer's own area is a commune: no drill-down below it.
    commune = as_user(client, world.officer_a).get(f"{API}/indicators/communes")
    assert commune.status_code == 400 and "area" in commune.json()["fields"]


def test_the_targets_beside_their_actual_values(client, world):
    body = as_user(client, world.officer_a).get(f"{API}/targets", {"month": "2026-11"}).json()
    expected = targets_with_actuals("99001", MONTH)
    assert [(t["id"], t["status"], t["actual"]) for t in body] == [
        (s.target.pk, s.status, as_json(s.actual, s.month)) for s in expected
    ]
    coverage = body[0]
    assert (coverage["target_display"], coverage["actual"]["value"], coverage["status"]) == (
        "≥ 100%",
        "50.0",
        "off_track",
    )
    assert coverage["sentence"] == COVERAGE
    province = as_user(client, world.province_officer)
    assert province.get(f"{API}/targets", {"month": "2026-11", "area": "99002"}).json()[0]["actual"][
        "value"
    ] == ("100.0")


def test_the_report_calendar_says_who_has_submitted(client, world):
    half_year = next(d for d in deadlines(2026, "99") if d.schedule == "nd335_6m")
    submission_record(
        actor=world.officer_a,
        schedule=half_year.schedule,
        area_code="99001",
        period_start=half_year.period_start,
        period_end=half_year.period_end,
        due_on=half_year.due_on,
    )
    rows = {
        r["deadline"]["schedule"]: r
        for r in as_user(client, world.province_officer).get(f"{API}/reports", {"year": 2026}).json()
    }
    assert set(rows) == {d.schedule for d in deadlines(2026, "99")}
    assert {"thu-nghiem_quarter_q1", "thu-nghiem_quarter_q4"} <= set(rows)
    assert "tinh-khac_quarter_q1" not in rows
    six_months = rows["nd335_6m"]
    assert six_months["deadline"] == {
        "schedule": "nd335_6m",
        "name": "Mẫu số 05, 06: báo cáo 6 tháng (trước ngày 15/6)",
        "basis": "Điều 30 Nghị định 335/2026/NĐ-CP",
        "period_start": "2025-12-15",
        "period_end": "2026-06-14",
        "due_on": "2026-06-15",
    }
    assert (six_months["total"], six_months["submitted"], six_months["missing"]) == (
        3,
        1,
        ["Phường Ngọc Hà", "Phường Giảng Võ"],
    )
    assert six_months["overdue"] is True  # today is after 15/06/2026 and two communes have not
    own = {
        r["deadline"]["schedule"]: r
        for r in as_user(client, world.officer_a).get(f"{API}/reports", {"year": 2026}).json()
    }
    assert own["nd335_6m"]["own_submitted_on"] is not None and own["nd335_6m"]["missing"] == []
    bad = client.get(f"{API}/reports", {"year": 1990})
    assert (bad.status_code, bad.json()["fields"]) == (
        400,
        {"year": "Năm “1990” không hợp lệ: nhập năm có 4 chữ số, ví dụ 2026."},
    )
    assert client.get(f"{API}/reports", {"year": "năm nay"}).json()["fields"] == {"year": "Phải là một số."}


def test_the_indicator_catalogue(client, world):
    body = as_user(client, world.officer_a).get(f"{API}/indicators").json()
    assert [i["code"] for i in body] == list(Indicator.objects.values_list("code", flat=True))
    coverage = next(i for i in body if i["code"] == "monthly_allowance_coverage")
    assert (coverage["source"], coverage["dimensions"]) == ("computed", ["sex", "age_group", "category"])
