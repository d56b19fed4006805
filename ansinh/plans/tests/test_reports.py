"""Forms 05 and 06 as a workbook and a PDF, the deadline calendar and who has submitted."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.documents.testing import pdf_png, pdf_text
from ansinh.plans.indicators import aggregates_refresh
from ansinh.plans.models import ReportSubmission
from ansinh.plans.reports import (
    deadlines,
    report_build,
    report_months,
    report_pdf,
    report_workbook,
    submission_status,
)
from ansinh.plans.services import plans_load, submission_record
from ansinh.plans.tests.data import MONTH

pytestmark = pytest.mark.django_db
FROM, TO = dt.date(2026, 7, 1), dt.date(2026, 11, 30)


@pytest.fixture
def report(small_world):
    aggregates_refresh(MONTH, "99")
    return report_build(user=small_world.province_officer, area_code="99", date_from=FROM, date_to=TO)


def test_form_05_counts_beneficiaries_and_money_by_category(report):
    assert [(r["category"], r["beneficiaries"], r["paid"], r["amount"]) for r in report.form05] == [
        ("5a", 1, 1, 540_000),
        ("6", 1, 0, 0),
        ("75+", 1, 1, 500_000),
    ]
    assert report.form05_total == {"beneficiaries": 3, "paid": 2, "amount": 1_040_000}


def test_the_workbook_holds_both_forms(report):
    book = load_workbook(io.BytesIO(report_workbook(report)))
    assert book.sheetnames == ["Mẫu 05", "Mẫu 06"]
    f05 = book["Mẫu 05"]
    assert f05["A1"].value == "Mẫu số 05. Báo cáo kết quả thực hiện chính sách trợ cấp xã hội hằng tháng"
    assert f05["A2"].value == "Địa bàn: Tỉnh Thử Nghiệm"
    assert f05["A3"].value == "Kỳ báo cáo: từ ngày 01/07/2026 đến ngày 30/11/2026"
    assert [c.value for c in f05[5]] == [
        "STT",
        "Nhóm đối tượng",
        "Số đối tượng hưởng tháng 11/2026",
        "Số được chi trả tháng 11/2026",
        "Kinh phí chi trả trong kỳ (đồng)",
    ]
    assert [c.value for c in f05[6]] == [
        1,
        "Người cao tuổi thuộc hộ nghèo không có người phụng dưỡng (điểm a khoản 5 Điều 5)",
        1,
        1,
        540_000,
    ]
    assert [c.value for c in f05[7]][2:] == [1, 0, 0]
    assert [c.value for c in f05[8]] == [3, "Người từ đủ 75 tuổi hưởng trợ cấp hưu trí xã hội", 1, 1, 500_000]
    assert [c.value for c in f05[9]] == [None, "Tổng cộng", 3, 2, 1_040_000]
    f06 = book["Mẫu 06"]
    rows = {row[1]: row for row in f06.iter_rows(min_row=6, values_only=True) if row[1]}
    assert rows["Đối tượng được chi trả trợ cấp hằng tháng trong số đối tượng đủ điều kiện"][2:5] == (
        2,
        3,
        66.7,
    )
    assert rows[
        "Xã, phường cập nhật, quản lý thông tin đối tượng hưởng trợ giúp xã hội hằng tháng bằng phần mềm"
    ][2:5] == (2, 3, 66.7)
    not_held = rows["Nhân viên, cộng tác viên công tác xã hội trên 5.000 dân"]
    assert not_held[4] is None and not_held[5].startswith("Chưa có dữ liệu")


def test_the_pdf_renders_to_an_image_with_the_figures(report):
    pdf = report_pdf(report)
    png = pdf_png(pdf)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    text = pdf_text(pdf)
    assert "Mẫu số 05" in text and "Mẫu số 06" in text
    assert "1.040.000" in text and "Tổng cộng" in text and "66,7%" in text


def test_a_period_that_ends_before_it_begins_is_refused(small_world):
    with pytest.raises(InvalidInput) as error:
        report_build(user=small_world.province_officer, area_code="99", date_from=TO, date_to=FROM)
    assert error.value.fields == {
        "date_to": "Kỳ báo cáo kết thúc ngày 01/07/2026 trước khi bắt đầu ngày 30/11/2026: sửa ngày kết thúc cho sau ngày bắt đầu."
    }


def test_a_report_for_an_area_outside_the_user_s_scope_is_refused(small_world, client):
    with pytest.raises(NotAllowed) as error:
        report_build(user=small_world.other_province_officer, area_code="99", date_from=FROM, date_to=TO)
    assert "Tỉnh Thử Nghiệm" in error.value.message and "nằm ngoài phạm vi" in error.value.message
    with pytest.raises(NotAllowed):
        report_build(user=small_world.officer_a, area_code="99002", date_from=FROM, date_to=TO)
    client.force_login(small_world.other_province_officer)
    params = {"khu_vuc": "99", "tu_ngay": "01/07/2026", "den_ngay": "30/11/2026"}
    for url in (reverse("plans:reports"), reverse("plans:report_xlsx")):
        response = client.get(url, params)
        assert response.status_code == 403
        assert "nằm ngoài phạm vi" in response.content.decode()


def test_the_report_page_and_downloads(small_world, client):
    aggregates_refresh(MONTH, "99")
    client.force_login(small_world.province_officer)
    params = {"tu_ngay": "01/07/2026", "den_ngay": "30/11/2026"}
    page = client.get(reverse("plans:reports"), params).content.decode()
    assert (
        "Tỉnh Thử Nghiệm, kỳ từ ngày 01/07/2026 đến ngày 30/11/2026: 3 đối tượng, 2 được chi trả tháng 11/2026"
        in page
    )
    response = client.get(reverse("plans:report_xlsx"), params)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    assert load_workbook(io.BytesIO(response.content))["Mẫu 05"]["C9"].value == 3
    response = client.get(reverse("plans:report_pdf"), params)
    assert response.content[:5] == b"%PDF-"
    bad = client.get(reverse("plans:reports"), {"tu_ngay": "30/11/2026", "den_ngay": "01/07/2026"})
    assert bad.status_code == 400 and "trước khi bắt đầu" in bad.content.decode()


def test_the_deadline_calendar_has_decree_335_and_the_plans_own_dates(areas_loaded):
    plans_load(actor=None)
    due = {(d.schedule, d.due_on) for d in deadlines(2022, "86")}
    assert due == {
        ("nd335_6m", dt.date(2022, 6, 15)),
        ("nd335_year", dt.date(2022, 12, 15)),
        ("ben_tre_quarter_q1", dt.date(2022, 3, 10)),
        ("ben_tre_quarter_q2", dt.date(2022, 6, 10)),
        ("ben_tre_quarter_q3", dt.date(2022, 9, 10)),
        ("ben_tre_quarter_q4", dt.date(2022, 12, 10)),
        ("ben_tre_6m", dt.date(2022, 5, 10)),
        ("ben_tre_year", dt.date(2022, 11, 5)),
    }
    # Bến Tre's plan is for 2022 only; Bình Phước's runs to 2030.
    assert {d.schedule for d in deadlines(2023, "86")} == {"nd335_6m", "nd335_year"}
    assert {(d.schedule, d.due_on) for d in deadlines(2026, "75")} >= {
        ("binh_phuoc_6m", dt.date(2026, 6, 20)),
        ("binh_phuoc_year", dt.date(2026, 12, 20)),
    }


def test_every_report_period_ends_before_the_report_is_due(areas_loaded):
    # Statistics reporting period: 15/12 of the previous year to 14/06 (6 months) or 14/12 (year).
    plans_load(actor=None)
    periods = {d.schedule: (d.period_start, d.period_end, d.due_on) for d in deadlines(2026, "99")}
    assert periods["nd335_6m"] == (dt.date(2025, 12, 15), dt.date(2026, 6, 14), dt.date(2026, 6, 15))
    assert periods["nd335_year"] == (dt.date(2025, 12, 15), dt.date(2026, 12, 14), dt.date(2026, 12, 15))
    for year, province_code in ((2022, "86"), (2026, "75"), (2026, "99")):
        for d in deadlines(year, province_code):
            assert d.period_start <= d.period_end, d
            assert d.due_on is None or d.period_end < d.due_on, d
    quarters = {d.schedule: d for d in deadlines(2022, "86")}
    assert (quarters["ben_tre_quarter_q1"].period_start, quarters["ben_tre_quarter_q1"].period_end) == (
        dt.date(2021, 12, 15),
        dt.date(2022, 3, 9),
    )
    assert quarters["ben_tre_quarter_q2"].period_start == dt.date(2022, 3, 15)


def test_a_statistics_period_reads_its_six_months(small_world):
    assert report_months(dt.date(2025, 12, 15), dt.date(2026, 6, 14)) == [
        dt.date(2026, m, 1) for m in range(1, 7)
    ]
    assert report_months(dt.date(2026, 1, 1), dt.date(2026, 6, 30)) == [
        dt.date(2026, m, 1) for m in range(1, 7)
    ]
    assert report_months(dt.date(2026, 11, 20), dt.date(2026, 11, 25)) == [dt.date(2026, 11, 1)]
    aggregates_refresh(MONTH, "99")
    statistics = report_build(
        user=small_world.province_officer,
        area_code="99",
        date_from=dt.date(2026, 10, 15),
        date_to=dt.date(2026, 11, 14),
    )
    calendar = report_build(
        user=small_world.province_officer,
        area_code="99",
        date_from=dt.date(2026, 11, 1),
        date_to=dt.date(2026, 11, 30),
    )
    assert statistics.last_month == calendar.last_month == dt.date(2026, 11, 1)
    assert statistics.form05_total == calendar.form05_total and calendar.form05_total["amount"] > 0


def _submit(user, area_code, deadline):
    return submission_record(
        actor=user,
        schedule=deadline.schedule,
        area_code=area_code,
        period_start=deadline.period_start,
        period_end=deadline.period_end,
        due_on=deadline.due_on,
    )


def test_which_units_have_submitted(small_world):
    half_year = next(d for d in deadlines(2026, "99") if d.schedule == "nd335_6m")
    _submit(small_world.officer_a, "99001", half_year)
    _submit(small_world.officer_a, "99001", half_year)  # again: still one record
    status = submission_status(half_year, "99")
    assert (status["submitted"], status["total"], status["missing"]) == (
        1,
        3,
        ["Phường Ngọc Hà", "Phường Giảng Võ"],
    )
    assert status["overdue"] is True  # today is after 15/06/2026
    with pytest.raises(NotAllowed):
        _submit(small_world.officer_a, "99002", half_year)
    assert ReportSubmission.objects.count() == 1
