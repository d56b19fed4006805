"""The officer's journey in a real browser (Debian's chromium through Playwright), against the
live server: log in, search without diacritics, open the person, run the commune's payroll for
a month, see its total."""

import re

import pytest
from playwright.sync_api import expect

from ansinh.core.money import format_vnd
from ansinh.core.months import format_month
from ansinh.payments.models import PayrollRun
from ansinh.registry.models import Person
from ansinh.web.tests.scenario import PAYROLL_MONTH, PAYROLL_TOTAL, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return build_world(with_payroll=False)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/dang-nhap/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_officer_logs_in_finds_a_person_and_runs_the_payroll(page, live_server, world, screenshot):
    log_in(page, live_server, "can_bo_a", world.password)
    expect(page.get_by_test_id("who")).to_contain_text("Phường Ba Đình")
    expect(page.get_by_test_id("who")).to_contain_text("Công chức văn hóa - xã hội cấp xã")
    expect(page.get_by_test_id("count-persons")).to_have_text("2")
    screenshot("home")

    # Live search (HTMX): typing is enough, no Enter.
    page.get_by_role("link", name="Tra cứu đối tượng").click()
    page.get_by_role("searchbox").press_sequentially("nguyen van an", delay=20)
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("Nguyễn Văn An")
    expect(results).to_contain_text("001048000123")
    # The namesake of commune B is outside this officer's area.
    expect(results).not_to_contain_text("001050000777")
    expect(page).to_have_url(re.compile(r"/doi-tuong/\?q=nguyen(\+|%20)van(\+|%20)an$"))

    results.get_by_role("link", name="Nguyễn Văn An").click()
    expect(page.get_by_test_id("person-name")).to_have_text("Nguyễn Văn An")
    expect(page.locator("body")).to_contain_text("12/03/1948")
    expect(page.locator("body")).to_contain_text("125/QĐ-UBND")
    expect(page.locator("body")).to_contain_text("Phạm Thị Bình")
    screenshot("person")

    page.get_by_role("link", name="Chi trả").click()
    page.get_by_label("Tháng chi trả").fill(format_month(PAYROLL_MONTH))
    page.get_by_test_id("run-payroll").click()

    expect(
        page.get_by_role("heading", name=f"Danh sách chi trả tháng {format_month(PAYROLL_MONTH)}")
    ).to_be_visible()
    expect(page.get_by_test_id("payroll-total")).to_have_text(format_vnd(PAYROLL_TOTAL))
    expect(page.get_by_test_id("payroll-total")).to_have_text("2.430.000 đ")
    lines = page.get_by_test_id("payroll-lines")
    expect(lines.locator("tbody tr")).to_have_count(3)
    expect(lines.locator("tbody tr.arrears")).to_have_count(2)
    screenshot("payroll")

    # The person's page now lists the payments, arrears marked.
    lines.get_by_role("link", name="Nguyễn Văn An").first.click()
    expect(page.locator("tr.arrears")).to_have_count(2)
    expect(page.locator("body")).to_contain_text("810.000 đ")
    screenshot("person-paid")

    run = PayrollRun.objects.get(commune=world.commune_a, month=PAYROLL_MONTH)
    assert (run.line_count, run.total_amount, run.prepared_by_id) == (3, PAYROLL_TOTAL, world.officer_a.pk)


def test_the_preparer_cannot_sign_and_the_chairman_signs_with_a_day_first_date(
    page, live_server, world, screenshot
):
    decision_url = f"{live_server.url}/quyet-dinh/{world.draft.pk}/"

    log_in(page, live_server, "can_bo_a", world.password)
    page.goto(decision_url)
    expect(page.get_by_test_id("decision-status")).to_have_text("Dự thảo")
    expect(page.get_by_test_id("sign")).to_have_count(0)
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, live_server, "chu_tich_a", world.password)
    page.goto(decision_url)
    page.get_by_label("Số quyết định").fill("130/QĐ-UBND")
    page.get_by_label("Ngày ký").fill("02/11/2026")
    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("decision-status")).to_have_text("Đã ký")
    expect(page.locator("body")).to_contain_text("02/11/2026")
    expect(page.get_by_test_id("sign")).to_have_count(0)
    screenshot("decision")

    world.draft.refresh_from_db()
    assert (world.draft.status, world.draft.number) == ("signed", "130/QĐ-UBND")
    assert world.draft.signed_on.isoformat() == "2026-11-02"


def test_registration_errors_appear_beside_the_fields(page, live_server, world, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    log_in(page, live_server, "can_bo_a", world.password)
    page.goto(f"{live_server.url}/dang-ky/doi-tuong/")
    page.get_by_label("Họ và tên").fill("Đỗ Thị Hoa")
    page.get_by_label("Số định danh cá nhân").fill("001234")
    page.get_by_label("Ngày sinh").fill("30/02/1960")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.locator("#id_birth_date_errors")).to_contain_text("không có thật")
    expect(page.locator("#id_personal_id_errors")).to_be_visible()
    expect(page.locator("#id_sex_errors")).to_contain_text("giới tính")
    expect(page.get_by_label("Họ và tên")).to_have_value("Đỗ Thị Hoa")
    screenshot("register-errors-phone")
    assert not Person.objects.filter(full_name="Đỗ Thị Hoa").exists()
