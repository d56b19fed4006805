"""The payment cycle's pages and API endpoints: the whole cycle through HTTP, area scoping, and
refusals shown in Vietnamese with nothing changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ansinh.decisions.tests.factories import Office
from ansinh.documents.testing import pdf_text
from ansinh.payments import selectors
from ansinh.payments.bankfile import checksum_verify
from ansinh.payments.models import PayeeOutcome, PaymentLine, PayrollRun, PayrollStatus
from ansinh.payments.payroll import payroll_run
from ansinh.payments.tests.cycle import NOV, cycle_state, result_row, return_file

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office():
    return Office()


def test_the_whole_cycle_through_the_pages(office, monkeypatch):
    paid, unknown_amount = office.person(full_name="Người Đã Nhận"), office.person(full_name="Người Sai Tiền")
    office.grant(paid, signed_on=NOV)
    office.grant(unknown_amount, signed_on=NOV)
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    run = PayrollRun.objects.get()
    officer, chairman = client_for(office.officer), client_for(office.chairman)

    detail = officer.get(f"/chi-tra/{run.pk}/").content.decode()
    assert f'href="/chi-tra/{run.pk}/chu-trinh/"' in detail
    page = officer.get(f"/chi-tra/{run.pk}/chu-trinh/")
    assert page.status_code == 200
    assert "Kiểm tra và chốt danh sách" in page.content.decode()

    refused = officer.post(f"/chi-tra/{run.pk}/tep-chuyen-khoan/")
    assert refused.status_code == 400
    assert "chỉ xuất tệp chi trả khi ở trạng thái" in refused.content.decode()

    assert officer.post(f"/chi-tra/{run.pk}/kiem-tra/").status_code == 302
    refused = officer.post(f"/chi-tra/{run.pk}/phe-duyet/")
    assert refused.status_code == 400
    assert "Chỉ Chủ tịch UBND" in refused.content.decode()
    assert chairman.post(f"/chi-tra/{run.pk}/phe-duyet/").status_code == 302

    bank = officer.post(f"/chi-tra/{run.pk}/tep-chuyen-khoan/")
    assert bank["Content-Disposition"] == 'attachment; filename="chuyen-khoan_00001_202611_000001.csv"'
    assert checksum_verify(bank.content)
    cash = officer.post(f"/chi-tra/{run.pk}/danh-sach-tien-mat/")
    assert cash["Content-Disposition"] == 'attachment; filename="chi-tien-mat_00001_202611_000002.xlsx"'
    signatures = officer.get(f"/chi-tra/{run.pk}/danh-sach-ky-nhan.pdf")
    assert signatures["Content-Type"] == "application/pdf"
    assert "Người Đã Nhận" in pdf_text(signatures.content)
    run.refresh_from_db()
    assert run.status == PayrollStatus.SENT

    content = return_file(run, [result_row(run, paid), result_row(run, unknown_amount, amount=1)])
    upload = SimpleUploadedFile("ket-qua.csv", content, content_type="text/csv")
    response = officer.post(f"/chi-tra/{run.pk}/ket-qua-chi-tra/", {"file": upload}, follow=True)
    text = response.content.decode()
    assert "1 người có kết quả (1 đã chi, 0 không thành công, 0 chưa nhận); 2 dòng ngoại lệ" in text
    assert "Sai số tiền" in text and "Không có trong tệp kết quả" in text
    assert dict(PayeeOutcome.objects.values_list("payee__person_id", "result")) == {paid.pk: "paid"}
    # The lines are booked paid when the payroll is closed; the person's page already says so.
    assert set(PaymentLine.objects.values_list("status", flat=True)) == {"due"}
    history = officer.get(reverse("web:person_detail", kwargs={"person_id": paid.pk})).content.decode()
    assert "Đã chi trả (chờ khóa sổ)" in history
    history = officer.get(
        reverse("web:person_detail", kwargs={"person_id": unknown_amount.pk})
    ).content.decode()
    assert "Đã chi trả (chờ khóa sổ)" not in history and "Chờ chi trả" in history

    # A long list is cut, and the heading still counts them all.
    assert "Ngoại lệ đối soát (2)" in officer.get(f"/chi-tra/{run.pk}/chu-trinh/").content.decode()
    monkeypatch.setattr(selectors, "EXCEPTIONS_SHOWN", 1)
    page = officer.get(f"/chi-tra/{run.pk}/chu-trinh/").content.decode()
    assert "Ngoại lệ đối soát (2, hiển thị 1 dòng đầu)" in page


def test_a_bad_return_file_upload_is_refused_in_vietnamese(office):
    person = office.person()
    office.grant(person, signed_on=NOV)
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    run = PayrollRun.objects.get()
    officer = client_for(office.officer)
    officer.post(f"/chi-tra/{run.pk}/kiem-tra/")
    client_for(office.chairman).post(f"/chi-tra/{run.pk}/phe-duyet/")
    officer.post(f"/chi-tra/{run.pk}/tep-chuyen-khoan/")
    before = cycle_state()
    content = return_file(run, [result_row(run, person, amount="810000,5")])
    upload = SimpleUploadedFile("ket-qua.csv", content, content_type="text/csv")
    response = officer.post(f"/chi-tra/{run.pk}/ket-qua-chi-tra/", {"file": upload})
    assert response.status_code == 400
    assert "Dòng 2, cột so_tien: “810000,5”: số tiền là số nguyên đồng" in response.content.decode()
    assert officer.post(f"/chi-tra/{run.pk}/ket-qua-chi-tra/", {}).status_code == 400
    assert cycle_state() == before


def test_another_communes_payroll_is_not_found(office):
    other = Office("00002")
    other.grant(other.person(), signed_on=NOV)
    payroll_run(month=NOV, area_code="00002", actor=other.officer)
    foreign = PayrollRun.objects.get(commune_id="00002")
    officer, chairman = client_for(office.officer), client_for(office.chairman)
    before = cycle_state()
    assert officer.get(f"/chi-tra/{foreign.pk}/chu-trinh/").status_code == 404
    assert officer.post(f"/chi-tra/{foreign.pk}/kiem-tra/").status_code == 404
    assert chairman.post(f"/chi-tra/{foreign.pk}/phe-duyet/").status_code == 404
    assert officer.get(f"/chi-tra/{foreign.pk}/danh-sach-ky-nhan.pdf").status_code == 404
    assert officer.post(f"/api/v1/payrolls/{foreign.pk}/bank-file").status_code == 404
    assert cycle_state() == before


def test_the_api_checks_approves_exports_and_imports(office):
    person = office.person()
    office.grant(person, signed_on=NOV)
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    run = PayrollRun.objects.get()
    officer, chairman = client_for(office.officer), client_for(office.chairman)
    assert officer.post(f"/api/v1/payrolls/{run.pk}/bank-file").json()["code"] == "conflict"
    assert officer.post(f"/api/v1/payrolls/{run.pk}/check").json()["status"] == "checked"
    assert chairman.post(f"/api/v1/payrolls/{run.pk}/approve").json()["status"] == "approved"
    bank = officer.post(f"/api/v1/payrolls/{run.pk}/bank-file")
    assert bank.status_code == 200 and checksum_verify(bank.content)
    content = return_file(run, [result_row(run, person, "THAT_BAI", reason="Sai tài khoản")])
    body = officer.post(
        f"/api/v1/payrolls/{run.pk}/return-file", data=content, content_type="text/csv"
    ).json()
    assert (body["failed_count"], body["exception_count"], body["status"]) == (1, 0, "reconciled")
    wrong_month = return_file(run, [result_row(run, person)], month=NOV.replace(month=10))
    refused = officer.post(
        f"/api/v1/payrolls/{run.pk}/return-file", data=wrong_month, content_type="text/csv"
    )
    assert refused.status_code == 400
    assert refused.json()["fields"]["month"].startswith("Tệp kết quả là của tháng 10/2026")


def test_the_funds_request_is_printed_from_the_cycle_page(office):
    from ansinh.payments.funds import funds_request_submit
    from ansinh.payments.tests.cycle import approved_payroll

    office.grant(office.person(full_name="Người Được Chi"), signed_on=NOV)
    run = approved_payroll(office, NOV)
    funds_request_submit(actor=office.officer, run=run)
    page = client_for(office.officer).get(f"/chi-tra/{run.pk}/chu-trinh/").content.decode()
    link = reverse("documents:funds_request_pdf", kwargs={"payroll_id": run.pk})
    assert f'href="{link}"' in page
    pdf = client_for(office.officer).get(link)
    assert pdf.status_code == 200 and "ĐỀ NGHỊ CẤP KINH PHÍ" in pdf_text(pdf.content).upper()
