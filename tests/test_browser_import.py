"""The import and review journey in a real browser (Debian's chromium through Playwright, the
live-server pattern of tests/test_browser_journey.py): upload a messy workbook, check the
columns, watch the validation's progress, read the report, download the error workbook, commit;
then find the duplicates of the commune, merge a pair and undo the merge.

Background jobs are run by `job_run_pending()` in the test's thread, standing in for
`ansinh worker`, while the page polls the job with HTMX."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from ansinh.areas.models import Commune
from ansinh.areas.tests.fixtures import _areas_session, areas_loaded  # noqa: F401
from ansinh.dedup.models import MergeRecord
from ansinh.imports.models import ImportBatch
from ansinh.imports.tests.workbooks import MESSY_MERGES, messy_rows, save_rows
from ansinh.jobs.services import job_run_pending
from ansinh.registry.models import Person
from ansinh.registry.tests.factories import PASSWORD, make_person, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db, areas_loaded, settings, tmp_path):  # noqa: F811
    settings.ANSINH_IMPORT_DIR = str(tmp_path / "uploads")
    # Phường Hồng Hà (00097): the old Phường Phúc Xá of Quận Ba Đình, where the workbook's people live.
    return make_user(commune=Commune.objects.get(code="00097"), username="canbo_hongha")


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("who")).to_be_visible()


def test_import_a_messy_workbook_then_merge_and_undo_a_duplicate(
    page,
    live_server,
    officer,
    tmp_path,
    screenshot,
):
    workbook = save_rows(tmp_path / "danh_sach_hong_ha.xlsx", messy_rows(), merges=MESSY_MERGES)
    log_in(page, live_server, officer.username)

    # Upload.
    page.get_by_role("link", name="Nhập danh sách").click()
    page.get_by_label("Loại danh sách").select_option(label="Danh sách người")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(str(workbook))
    page.get_by_test_id("upload").click()

    # Column mapping: recognised columns pre-selected; the officer drops the phone column.
    expect(page.get_by_role("heading", name="Bước 1: Kiểm tra các cột")).to_be_visible()
    expect(page.get_by_label("Ho va ten")).to_have_value("full_name")
    expect(page.get_by_label("Xa/Phuong")).to_have_value("commune")
    page.get_by_label("So dien thoai").select_option(value="")
    page.get_by_label("Lưu cách chọn cột thành mẫu (không bắt buộc)").fill("Mẫu Hồng Hà")
    screenshot("import-mapping")
    page.get_by_test_id("validate").click()

    # Progress: queued, then the worker runs the job and the page (HTMX polling) shows the end.
    progress = page.locator(".job-progress")
    expect(progress).to_contain_text("Đang chờ")
    assert job_run_pending() == 1
    expect(progress).to_contain_text("Đã xong", timeout=10_000)
    expect(progress).to_contain_text("Đã kiểm tra 10 dòng: 3 hợp lệ, 4 có lỗi, 1 nghi trùng, 2 dòng trống.")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    screenshot("import-progress")
    progress.get_by_role("link", name="Xem kết quả").click()

    # The report: counts add up, each error names column, value and fix.
    batch = ImportBatch.objects.get()
    expect(page).to_have_url(re.compile(rf"/nhap-du-lieu/{batch.pk}/$"))
    expect(page.get_by_test_id("adds-up")).to_have_text("Đủ dòng: mọi dòng của tệp đều có kết quả.")
    expect(page.get_by_test_id("count-valid")).to_have_text("3")
    expect(page.get_by_test_id("count-error")).to_have_text("4")
    expect(page.get_by_test_id("count-duplicate")).to_have_text("1")
    expect(page.get_by_test_id("count-blank")).to_have_text("2")
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("31/02/1950")
    expect(problems).to_contain_text("ngày 31/02/1950 không có thật: tháng 2/1950 chỉ có 28 ngày.")
    screenshot("import-report")

    # The error workbook.
    with page.expect_download() as download_info:
        page.get_by_test_id("download-errors").click()
    download = download_info.value
    assert download.suggested_filename == f"dong-loi-lan-nhap-{batch.pk}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Mã dòng nhập", "Lỗi") and len(rows) == 6

    # Commit, with its progress.
    page.get_by_test_id("commit").click()
    commit_progress = page.locator("#ghi-vao-so .job-progress")
    expect(commit_progress).to_contain_text("Đang chờ")
    assert job_run_pending() == 2  # the commit, then the recount of the plan indicators it queues
    expect(commit_progress).to_contain_text(
        "Đã ghi vào sổ: 3 dòng nhập mới, 1 dòng gộp vào người đã có, 4 dòng loại bỏ.", timeout=10_000
    )
    page.reload()
    expect(page.get_by_test_id("count-imported")).to_have_text("3")
    expect(page.get_by_test_id("count-rejected")).to_have_text("4")
    assert Person.objects.count() == 3

    # The list wrote her name without diacritics; she was also registered by hand with them.
    binh = Person.objects.get(personal_id="001148000002")
    assert binh.full_name == "Tran Thi Binh"
    twin = make_person(
        commune=binh.commune, full_name="Trần Thị Bình", birth_year=1948, sex="F", personal_id=None
    )

    # The review queue: find the commune's duplicates, open the pair, merge, undo.
    page.get_by_role("link", name="Hồ sơ trùng").click()
    page.get_by_test_id("scan").click()
    assert job_run_pending() == 1
    page.reload()
    candidates = page.get_by_test_id("candidates")
    expect(candidates).to_contain_text("Tran Thi Binh")
    expect(candidates).to_contain_text("Trần Thị Bình")
    expect(candidates).to_contain_text("cùng năm sinh")
    screenshot("dedup-queue")
    candidates.get_by_role("link", name="Xem, so sánh").first.click()
    comparison = page.get_by_test_id("comparison")
    expect(comparison).to_contain_text("001148000002")
    # The rules keep the imported record's personal ID; the officer takes the name written with
    # diacritics from the other record.
    expect(page.locator('input[name="g_personal_id"][value="left"]')).to_be_checked()
    expect(page.locator('input[name="g_full_name"][value="left"]')).to_be_checked()
    page.locator('input[name="g_full_name"][value="right"]').check()
    screenshot("dedup-pair")
    page.get_by_test_id("merge").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Gộp hồ sơ"))).to_be_visible()
    expect(page.get_by_test_id("merge-values")).to_contain_text("Trần Thị Bình")
    assert not Person.objects.filter(pk=twin.pk).exists()
    binh.refresh_from_db()
    assert (binh.full_name, binh.personal_id) == ("Trần Thị Bình", "001148000002")
    screenshot("dedup-merged")
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("undone")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("được khôi phục như trước khi gộp")
    assert Person.objects.filter(pk=twin.pk).exists()
    binh.refresh_from_db()
    assert binh.full_name == "Tran Thi Binh"
    assert MergeRecord.objects.get().undone_by_id == officer.pk
