"""The payment cycle in a real browser (Debian's chromium through Playwright): the officer checks
the commune's payroll, the chairman approves it, the officer downloads the bank file, uploads the
bank's return file and sees the exceptions."""

import csv
import io

import pytest
from playwright.sync_api import expect

from ansinh.payments.bankfile import checksum_verify
from ansinh.payments.models import PaymentLine, PayrollRun
from ansinh.registry.models import Person
from ansinh.web.tests.scenario import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = build_world(with_payroll=False)
    # Nguyễn Văn An is paid into his bank account (Decree 335/2026 Art. 28: accounts first).
    Person.objects.filter(pk=world.an.pk).update(bank_account="0123456789", bank_name="Agribank")
    from ansinh.payments.payroll import payroll_run

    payroll_run(month="2026-11", area_code=world.commune_a.code, actor=world.officer_a)
    return world


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("who")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_approve_download_the_bank_file_upload_the_return_file_see_the_exceptions(
    page, live_server, world, screenshot, tmp_path
):
    run = PayrollRun.objects.get(commune=world.commune_a)
    log_in(page, live_server, "can_bo_a", world.password)
    page.goto(f"{live_server.url}/chi-tra/{run.pk}/")
    page.get_by_test_id("payment-cycle").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("Dự thảo")
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("Đã kiểm tra")
    expect(page.get_by_test_id("approve")).to_have_count(0)  # the preparer cannot approve
    log_out(page)

    log_in(page, live_server, "chu_tich_a", world.password)
    page.goto(f"{live_server.url}/chi-tra/{run.pk}/chu-trinh/")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("Đã phê duyệt")
    log_out(page)

    log_in(page, live_server, "can_bo_a", world.password)
    page.goto(f"{live_server.url}/chi-tra/{run.pk}/chu-trinh/")
    with page.expect_download() as download_info:
        page.get_by_test_id("bank-file").click()
    download = download_info.value
    code = world.commune_a.code
    assert download.suggested_filename == f"chuyen-khoan_{code}_202611_000001.csv"
    bank_file = tmp_path / "bank.csv"
    download.save_as(bank_file)
    content = bank_file.read_bytes()
    assert checksum_verify(content)
    details = [row for row in csv.reader(io.StringIO(content.decode())) if row[0] == "D"]
    assert [(row[4], row[6], row[8]) for row in details] == [("Nguyễn Văn An", "0123456789", "2430000")]
    page.reload()
    expect(page.get_by_test_id("payroll-status")).to_have_text("Đã gửi đơn vị chi trả")
    screenshot("payment-cycle-sent")

    # The bank pays nothing: its file answers with a wrong amount and a reference it invented.
    reference = details[0][2]
    return_file = tmp_path / "ket-qua.csv"
    return_file.write_text(
        f"H,ANSINH-KQ,1,{code},202611,1\n"
        f"D,{reference},,2340000,DA_CHI,,10/11/2026\n"
        f"D,{code}-202611-99999999,,810000,DA_CHI,,10/11/2026\n"
        "T,2,3150000\n",
        encoding="utf-8",
    )
    page.get_by_label("Tệp kết quả (CSV theo mẫu ANSINH-KQ)").set_input_files(str(return_file))
    page.get_by_test_id("upload-return-file").click()
    expect(page.locator(".messages")).to_contain_text("0 người có kết quả")
    exceptions = page.get_by_test_id("exceptions")
    expect(exceptions.locator("tbody tr")).to_have_count(3)
    expect(exceptions).to_contain_text("Sai số tiền")
    expect(exceptions).to_contain_text("Mã chi trả không có trong danh sách")
    expect(exceptions).to_contain_text("Không có trong tệp kết quả")
    expect(exceptions).to_contain_text("2.430.000 đ")
    screenshot("payment-cycle-exceptions")
    assert set(PaymentLine.objects.filter(run=run).values_list("status", flat=True)) == {"due"}
