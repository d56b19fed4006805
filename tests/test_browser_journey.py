"""The officer's journey in a real browser (Debian's chromium through Playwright), against the
live server: log in, search without diacritics, open the person, run the commune's payroll for
a month, see its total."""

import re

import pytest
from playwright.sync_api import expect

from ansinh.core.money import format_vnd
from ansinh.core.months import format_month
from ansinh.payments.models import PayrollRun
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

    run = PayrollRun.objects.get(commune=world.commune_a, month=PAYROLL_MONTH)
    assert (run.line_count, run.total_amount, run.prepared_by_id) == (3, PAYROLL_TOTAL, world.officer_a.pk)
