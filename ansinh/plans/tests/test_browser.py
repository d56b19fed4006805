"""In a real browser: the provincial officer opens the plan dashboard and drills down to a commune."""

import pytest
from playwright.sync_api import expect

from ansinh.plans.indicators import aggregates_refresh
from ansinh.plans.services import indicators_load
from ansinh.plans.tests.data import MONTH, build_small_world
from ansinh.registry.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    indicators_load()
    world = build_small_world()
    aggregates_refresh(MONTH, "99")
    return world


def test_the_province_dashboard_drills_down_to_a_commune(page, live_server, world, screenshot):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("so_y_te")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Chỉ tiêu, báo cáo").click()
    page.get_by_role("textbox", name="Tháng").fill("11/2026")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Chỉ tiêu kế hoạch: Tỉnh Thử Nghiệm")
    coverage = page.locator('[data-indicator="monthly_allowance_coverage"]')
    expect(coverage).to_contain_text("66,7%")
    expect(coverage.locator("svg.trend")).to_have_count(1)
    drill = page.get_by_test_id("drill-down")
    expect(drill.locator("tbody tr")).to_have_count(3)
    screenshot("plans-province")

    drill.get_by_role("link", name="Phường Ba Đình").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text(
        "Chỉ tiêu kế hoạch: Phường Ba Đình, Tỉnh Thử Nghiệm"
    )
    expect(page.locator('[data-indicator="monthly_allowance_coverage"]')).to_contain_text("50,0%")
    expect(page.locator('[data-indicator="social_workers_per_5000"]')).to_contain_text("Chưa có dữ liệu")
    screenshot("plans-commune")
    page.get_by_role("link", name="← Cả tỉnh").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Chỉ tiêu kế hoạch: Tỉnh Thử Nghiệm")
