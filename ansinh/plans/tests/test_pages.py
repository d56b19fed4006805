"""The plans pages: scoped to the user's area, drill-down, breakdown, denominators, submissions."""

import pytest
from django.urls import reverse

from ansinh.accounts.models import Role
from ansinh.core.models import AuditEvent
from ansinh.plans.indicators import aggregates_refresh
from ansinh.plans.models import Denominator, ReportSubmission
from ansinh.plans.tests.data import MONTH
from ansinh.registry.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(small_world):
    aggregates_refresh(MONTH, "99")
    return small_world


def test_a_commune_officer_sees_their_commune_by_default(refreshed, client):
    client.force_login(refreshed.officer_a)
    html = client.get(reverse("plans:dashboard"), {"thang": "11/2026"}).content.decode()
    assert "Chỉ tiêu kế hoạch: Phường Ba Đình, Tỉnh Thử Nghiệm" in html
    assert "50,0%" in html  # allowance coverage of commune A: 1 of 2
    assert 'href="/chi-tieu/"' in html  # the nav entry


def test_another_commune_or_province_is_refused_in_vietnamese(refreshed, client):
    client.force_login(refreshed.officer_a)
    for area in ("99002", "99"):
        response = client.get(reverse("plans:dashboard"), {"khu_vuc": area})
        assert response.status_code == 403
        assert "nằm ngoài phạm vi tài khoản của bạn" in response.content.decode()
    response = client.get(
        reverse("plans:indicator"), {"chi_so": "monthly_allowance_coverage", "khu_vuc": "99002"}
    )
    assert response.status_code == 403
    response = client.get(reverse("plans:dashboard"), {"thang": "13/2026"})
    assert response.status_code == 400 and "Tháng 13 không tồn tại" in response.content.decode()


def test_the_province_drills_down_to_its_communes(refreshed, client):
    client.force_login(refreshed.province_officer)
    html = client.get(reverse("plans:dashboard"), {"thang": "11/2026"}).content.decode()
    assert "Chỉ tiêu kế hoạch: Tỉnh Thử Nghiệm" in html and "66,7%" in html
    assert 'href="?khu_vuc=99001&amp;thang=11/2026">Phường Ba Đình</a>' in html
    html = client.get(reverse("plans:dashboard"), {"khu_vuc": "99002", "thang": "11/2026"}).content.decode()
    assert "Chỉ tiêu kế hoạch: Phường Ngọc Hà, Tỉnh Thử Nghiệm" in html and "100,0%" in html


def test_no_plan_and_no_denominator_are_said_in_user_words(refreshed, client):
    client.force_login(refreshed.province_officer)
    html = client.get(reverse("plans:dashboard"), {"thang": "11/2026"}).content.decode()
    assert "Chưa có kế hoạch nào của tỉnh này trong hệ thống: liên hệ quản trị hệ thống" in html
    assert "plans_load" not in html and "<code>" not in html
    client.force_login(make_user(role=Role.PROVINCIAL_OFFICER, country=True))
    html = client.get(reverse("plans:dashboard"), {"thang": "11/2026"}).content.decode()
    assert "Chưa có kế hoạch nào của các tỉnh trong hệ thống: liên hệ quản trị hệ thống" in html
    assert "plans_load" not in html and "tỉnh này" not in html
    assert "cho địa bàn này" not in html and "chưa tính được cho toàn quốc" in html


def test_the_indicator_page_breaks_down_by_sex_age_and_category(refreshed, client):
    client.force_login(refreshed.province_officer)
    html = client.get(
        reverse("plans:indicator"), {"chi_so": "monthly_allowance_coverage", "thang": "11/2026"}
    ).content.decode()
    for text in ("Theo giới tính", "Theo nhóm tuổi", "Theo nhóm đối tượng", "Từ đủ 80 tuổi", "66,7% (2 / 3)"):
        assert text in html
    assert client.get(reverse("plans:indicator"), {"chi_so": "khong_co"}).status_code == 404


def test_the_province_fills_a_denominator(refreshed, client):
    client.force_login(refreshed.province_officer)
    url = reverse("plans:denominators")
    response = client.post(url, {"area_code": "99", "kind": "households", "year": "2026", "value": "1.250"})
    assert response.status_code == 302
    row = Denominator.objects.get()
    assert (row.area_code, row.kind, row.year, row.value) == ("99", "households", 2026, 1250)
    assert AuditEvent.objects.filter(action="plans.denominator_set", area_code="99").count() == 1
    response = client.post(url, {"area_code": "98", "kind": "households", "year": "2026", "value": "10"})
    assert response.status_code == 400 and "nằm ngoài phạm vi" in response.content.decode()
    response = client.post(url, {"area_code": "99", "kind": "households", "year": "2026", "value": "nhiều"})
    assert response.status_code == 400 and "không phải số nguyên" in response.content.decode()
    assert Denominator.objects.count() == 1
    auditor = make_user(role=Role.AUDITOR, province=refreshed.province_officer.province)
    client.force_login(auditor)
    response = client.post(url, {"area_code": "99", "kind": "households", "year": "2026", "value": "5"})
    assert response.status_code == 400 and Denominator.objects.get().value == 1250


def test_a_commune_records_its_report_as_submitted(refreshed, client):
    client.force_login(refreshed.officer_a)
    page = client.get(reverse("plans:reports"), {"nam": "2026"}).content.decode()
    assert "Mẫu số 05, 06: báo cáo 6 tháng (trước ngày 15/6)" in page and "15/06/2026" in page
    assert "15/12/2025 – 14/06/2026" in page and "01/01/2026 – 30/06/2026" not in page
    response = client.post(
        reverse("plans:submission_create"),
        {
            "schedule": "nd335_6m",
            "period_start": "2025-12-15",
            "period_end": "2026-06-14",
            "due_on": "2026-06-15",
        },
    )
    assert response.status_code == 302
    submission = ReportSubmission.objects.get()
    assert (submission.area_code, submission.submitted_by) == ("99001", refreshed.officer_a)
    page = client.get(reverse("plans:reports"), {"nam": "2026"}).content.decode()
    assert "Đã nộp" in page


def test_the_denominator_list_holds_the_provinces_own_communes_only(refreshed, client):
    from ansinh.registry.tests.factories import make_commune

    make_commune("00777", province="99")  # a commune of province 99 whose code does not start with 99
    make_commune("99500", province="98")  # a commune of province 98 whose code does
    for code in ("99", "00777", "99500", "98"):
        Denominator.objects.create(area_code=code, kind="households", year=2026, value=1)
    client.force_login(refreshed.province_officer)
    rows = client.get(reverse("plans:denominators")).context["rows"]
    assert sorted(r.area_code for r in rows) == ["00777", "99"]


def test_a_bad_year_on_the_reports_page_is_a_400_naming_the_field(refreshed, client):
    client.force_login(refreshed.officer_a)
    for year in ("abc", "99999"):
        response = client.get(reverse("plans:reports"), {"nam": year})
        assert response.status_code == 400 and "Năm" in response.content.decode()


def test_a_denominator_source_is_stored_nfc(refreshed):
    import unicodedata

    from ansinh.plans.services import denominator_set

    row = denominator_set(
        actor=refreshed.province_officer,
        area_code="99",
        kind="households",
        year=2026,
        value=10,
        source=unicodedata.normalize("NFD", "Cục Thống kê"),
    )
    assert row.source == "Cục Thống kê"


def test_a_submission_outside_the_report_calendar_is_refused_not_a_500(refreshed, client):
    client.force_login(refreshed.officer_a)
    for schedule in ("x" * 200, "khong_co"):
        response = client.post(
            reverse("plans:submission_create"),
            {
                "schedule": schedule,
                "period_start": "2026-01-01",
                "period_end": "2026-06-30",
                "due_on": "2026-06-15",
            },
        )
        assert response.status_code == 400 and "lịch hạn báo cáo" in response.content.decode()
    assert ReportSubmission.objects.count() == 0
