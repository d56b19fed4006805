"""F11: the commune's funds request prints as "Đề nghị cấp kinh phí chi trả trợ cấp xã hội tháng
MM/YYYY": the recorded totals by benefit and by budget source, in đồng, due by the 25th, signed
by the commune chairman; served under /van-ban/ to users of the area only."""

import datetime as dt

import pytest
from django.urls import reverse

from ansinh.core.errors import Conflict
from ansinh.decisions.tests.factories import Office
from ansinh.documents.testing import pdf_page_count, pdf_text
from ansinh.payments.funds import funds_request_pdf, funds_request_submit
from ansinh.payments.lifecycle import payroll_approve, payroll_check
from ansinh.payments.models import PayrollRun
from ansinh.payments.payroll import payroll_run

pytestmark = pytest.mark.django_db

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def office(nghe_an, national_levels_only):
    office = nghe_an
    office.chairman.first_name, office.chairman.last_name = "Trần Văn Chủ", ""
    office.chairman.save()
    office.grant(office.person(), signed_on=OCT)  # 810.000 × 2 (October as arrears)
    office.grant(
        office.person(birth_year=1945), signed_on=NOV, coefficient="1", category="", benefit="social_pension"
    )
    return office


def _approved(office) -> PayrollRun:
    payroll_run(month=NOV, area_code=office.commune.code, actor=office.officer)
    run = PayrollRun.objects.get(commune=office.commune, month=NOV)
    payroll_check(actor=office.officer, run=run)
    return payroll_approve(actor=office.chairman, run=run)


def test_the_funds_request_prints_totals_by_benefit_and_source(office):
    run = _approved(office)
    with pytest.raises(Conflict):  # nothing recorded yet: nothing to print
        funds_request_pdf(run)
    funds_request_submit(actor=office.officer, run=run)

    pdf = funds_request_pdf(run)
    text = pdf_text(pdf)
    assert pdf_page_count(pdf) == 1  # the signature block stays with the text
    flat = _flat(text)
    for expected in (
        "UBND TỈNH NGHỆ AN",
        "ĐỀ NGHỊ CẤP KINH PHÍ CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG 11/2026",
        "Kính gửi: Kho bạc Nhà nước",
        "(đơn vị tính: đồng)",
        "Tổng số kinh phí đề nghị cấp: 2.160.000 đồng",
        "Bằng chữ: Hai triệu một trăm sáu mươi nghìn đồng",
        "trước ngày 25 tháng 11 năm 2026",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Trần Văn Chủ",
    ):
        assert expected in flat, expected
    lines = [_flat(line) for line in text.splitlines()]
    # By benefit: the monthly allowance (local budget) with its October arrears, the social pension (central).
    assert any(
        "Trợ cấp xã hội hằng tháng" in line
        and "Ngân sách địa phương" in line
        and "1.620.000" in line
        and "810.000" in line
        for line in lines
    ), text
    assert any(
        "Trợ cấp hưu trí xã hội" in line and "Ngân sách trung ương" in line and "540.000" in line
        for line in lines
    ), text
    # By source.
    assert any(line.endswith("Ngân sách địa phương 1.620.000") for line in lines), text
    assert any(line.endswith("Ngân sách trung ương 540.000") for line in lines), text
    assert any(line.startswith("Tổng cộng") and "2.160.000" in line for line in lines), text
    assert "UBND NGHỆ AN" not in flat


def test_the_document_is_served_inside_the_area_only(office, client):
    run = _approved(office)
    url = reverse("documents:funds_request_pdf", kwargs={"payroll_id": run.pk})
    client.force_login(office.officer)
    # Not yet requested: back to the payroll page with the reason.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:cycle", kwargs={"payroll_id": run.pk})

    funds_request_submit(actor=office.officer, run=run)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "de-nghi-kinh-phi_99901_202611.pdf" in response["Content-Disposition"]
    assert "ĐỀ NGHỊ CẤP KINH PHÍ" in pdf_text(response.content)

    client.force_login(Office("99903", province="40").officer)
    assert client.get(url).status_code == 404
