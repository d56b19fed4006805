"""The province-wide pages and the follow-ups of reconciliation in a real browser (Debian's
chromium through Playwright, the live-server pattern of tests/test_browser_journey.py):

- a national officer picks a province, queues its bank-file export, watches the job finish,
  downloads the ZIP of the communes' bank files, uploads the bank's return file for the province
  and reads the counts and the exceptions;
- a commune officer turns a suspension proposal into a draft suspension decision;
- a commune officer records an overpayment as recovered.

Background jobs are run by `job_run_pending()` in the test's thread, standing in for
`ansinh worker`, while the job page polls itself with HTMX."""

import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ansinh.accounts.models import Role
from ansinh.areas.models import Province
from ansinh.decisions.models import Decision
from ansinh.decisions.tests.factories import Office
from ansinh.jobs.services import job_run_pending
from ansinh.payments.bankfile import checksum_verify
from ansinh.payments.reconcile import return_file_build
from ansinh.payments.tests.cycle import (
    NOV,
    approved_payroll,
    paid_after_death,
    three_months_uncollected,
)
from ansinh.registry.tests.factories import PASSWORD, make_user
from tests.conftest import chromium, page, screenshot  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def fast(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


def log_in(tab, live_server, username):
    tab.goto(f"{live_server.url}/dang-nhap/")
    tab.get_by_label("Tên đăng nhập").fill(username)
    tab.get_by_label("Mật khẩu").fill(PASSWORD)
    tab.get_by_role("button", name="Đăng nhập").click()
    expect(tab.get_by_test_id("who")).to_be_visible()


def details(content: bytes) -> list[list[str]]:
    """The detail rows of a bank file: reference at 2, name at 4, account at 6, amount at 8."""
    return [row for row in csv.reader(io.StringIO(content.decode())) if row[0] == "D"]


def test_a_national_officer_exports_and_reconciles_a_whole_province(
    page,  # noqa: F811
    live_server,
    fast,
    tmp_path,
    screenshot,  # noqa: F811
):
    one, two = Office("00001"), Office("00002")
    one.grant(one.person(full_name="Lê Văn Một", bank_account="111", bank_name="BIDV"), signed_on=NOV)
    two.grant(two.person(full_name="Phạm Thị Hai", bank_account="222", bank_name="BIDV"), signed_on=NOV)
    approved_payroll(one, NOV)
    approved_payroll(two, NOV)
    make_user(role=Role.PROVINCIAL_OFFICER, country=True, username="trung_uong")

    # The national officer reaches the province-wide page from the payment lists and picks a province.
    log_in(page, live_server, "trung_uong")
    page.goto(live_server.url + reverse("web:payroll_list"))
    page.get_by_role("link", name="Xuất tệp và đối soát toàn tỉnh").click()
    expect(page.get_by_test_id("province-export")).to_have_count(0)
    page.get_by_label("Tỉnh, thành phố").select_option("01")
    page.get_by_test_id("province-choose").click()
    expect(page.get_by_test_id("province-title")).to_have_text(
        f"Chi trả toàn tỉnh: {Province.objects.get(code='01').name} (mã 01)"
    )
    screenshot("province-picked")

    # Export: queued, the worker runs it, the job page (polling) reaches the end.
    page.locator("#export-month").fill("11/2026")
    page.get_by_test_id("province-export").click()
    progress = page.locator(".job-progress")
    expect(progress).to_contain_text("Đang chờ")
    assert job_run_pending() == 1
    expect(progress).to_contain_text("Đã xong", timeout=10_000)
    expect(progress).to_contain_text("Đã xuất tệp chuyển khoản tháng 11/2026 cho 2 xã: 2 người")
    screenshot("province-export-done")

    # The ZIP holds each commune's bank file, each with its own checksum.
    with page.expect_download() as download_info:
        progress.get_by_role("link", name="Xem kết quả").click()
    download = download_info.value
    assert download.suggested_filename == "chuyen-khoan_01_202611.zip"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    archive = zipfile.ZipFile(saved)
    assert archive.namelist() == [
        "chuyen-khoan_00001_202611_000001.csv",
        "chuyen-khoan_00002_202611_000001.csv",
    ]
    files = [archive.read(name) for name in archive.namelist()]
    assert all(checksum_verify(content) for content in files)
    rows = [details(content) for content in files]
    assert [[(r[4], r[6]) for r in file_rows] for file_rows in rows] == [
        [("Lê Văn Một", "111")],
        [("Phạm Thị Hai", "222")],
    ]

    # The bank answers for the province: one paid, one failed, and a reference it invented.
    (paid,), (failed,) = rows
    content = return_file_build(
        [
            (paid[2], "", paid[8], "DA_CHI", "", "10/11/2026"),
            (failed[2], "", failed[8], "THAT_BAI", "Sai số tài khoản", ""),
            ("00001-202611-99999999", "", 810000, "DA_CHI", "", "10/11/2026"),
        ],
        area_code="01",
        month=NOV,
    )
    upload = tmp_path / "ket-qua_01_202611.csv"
    upload.write_bytes(content)
    page.goto(f"{live_server.url}{reverse('payments:province')}?tinh=01")
    page.locator("#return-month").fill("11/2026")
    page.locator("#return-file").set_input_files(str(upload))
    page.get_by_test_id("province-return-file").click()
    progress = page.locator(".job-progress")
    expect(progress).to_contain_text("Đang chờ")
    assert job_run_pending() == 1
    expect(progress).to_contain_text("Đã xong", timeout=10_000)
    expect(progress).to_contain_text(
        "2 người có kết quả (1 đã chi, 1 không thành công, 0 chưa nhận); 1 dòng ngoại lệ"
    )
    progress.get_by_role("link", name="Xem kết quả").click()

    # Back on the province's page: the file with its counts, and the exception to look into.
    expect(page.get_by_test_id("province-title")).to_have_text(
        f"Chi trả toàn tỉnh: {Province.objects.get(code='01').name} (mã 01)"
    )
    imported = page.get_by_test_id("province-return-files").locator("tbody tr")
    expect(imported).to_have_count(1)
    expect(imported.locator("td")).to_have_text(
        [
            "ket-qua_01_202611.csv",
            "11/2026",
            re.compile(r"\d\d:\d\d \d\d/\d\d/\d{4}"),
            "2",
            "1",
            "1",
            "0",
            "1",
        ]
    )
    exceptions = page.get_by_test_id("province-exceptions").locator("tbody tr")
    expect(exceptions).to_have_count(1)
    expect(exceptions).to_contain_text("00001-202611-99999999")
    expect(exceptions).to_contain_text("Mã chi trả không có trong danh sách")
    expect(exceptions).to_contain_text("810.000 đ")
    screenshot("province-reconciled")


def test_the_officer_prepares_a_suspension_from_the_proposal(page, live_server, fast):  # noqa: F811
    office = Office()
    proposal = three_months_uncollected(office)

    log_in(page, live_server, office.officer.username)
    page.goto(live_server.url + reverse("payments:proposals"))
    listed = page.get_by_test_id("proposals").locator("tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Trần Văn Vắng")
    expect(listed).to_contain_text("09/2026")
    expect(listed).to_contain_text("11/2026")
    expect(listed).to_contain_text("Đề xuất tạm dừng")
    page.get_by_test_id(f"decide-{proposal.pk}").click()

    # The draft suspension decision, prefilled from the proposal, waiting for the chairman.
    draft = Decision.objects.get(kind="suspend")
    expect(page).to_have_url(re.compile(rf"/quyet-dinh/{draft.pk}/$"))
    expect(page.locator(".messages")).to_contain_text(
        "Đã lập 1 dự thảo quyết định tạm dừng cho Trần Văn Vắng: trình Chủ tịch UBND xã ký."
    )
    expect(page.locator(".page-head h1")).to_have_text("Quyết định tạm dừng")
    expect(page.get_by_test_id("decision-status")).to_have_text("Dự thảo")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Trần Văn Vắng")
    expect(facts.locator("dt:has-text('Hiệu lực từ tháng') + dd")).to_have_text("09/2026")

    # The proposal is decided: no second draft from the list.
    page.goto(live_server.url + reverse("payments:proposals"))
    expect(listed).to_contain_text("Đã ra quyết định")
    expect(page.get_by_test_id(f"decide-{proposal.pk}")).to_have_count(0)


def test_the_officer_records_an_overpayment_as_recovered(page, live_server, fast):  # noqa: F811
    office = Office()
    overpayment = paid_after_death(office)

    log_in(page, live_server, office.officer.username)
    page.goto(live_server.url + reverse("payments:overpayments"))
    row = page.get_by_test_id("overpayments").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text(
        ["Ông Đã Mất", "00001", "15/09/2026", "10/2026", "810.000 đ", "Phải thu hồi", "Ghi nhận đã thu hồi"]
    )
    page.get_by_test_id(f"recover-{overpayment.pk}").click()

    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận thu hồi 810.000 đ của tháng 10/2026.")
    expect(row.locator("td").nth(5)).to_have_text("Đã thu hồi")
    expect(page.get_by_test_id(f"recover-{overpayment.pk}")).to_have_count(0)
