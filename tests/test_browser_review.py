"""The monthly review in a real browser: the officer opens the month's review, sees why each
person needs a decision, opens the decision form from an item, previews what the law gives and
prepares the draft; the coefficient comes from the law."""

import pytest
from playwright.sync_api import expect

from ansinh.decisions.models import Decision
from ansinh.registry.tests.factories import PASSWORD
from ansinh.review.models import ReviewItem, ReviewStatus
from ansinh.review.services import review_run
from ansinh.review.tests.dataset import MONTH, build

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = build()
    review_run(month=MONTH)
    return world


def test_officer_prepares_a_decision_from_the_monthly_review(page, live_server, world, screenshot):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(world.office.officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Rà soát hằng tháng").click()
    page.get_by_label("Tháng").fill("2026-11")
    page.get_by_role("button", name="Xem").click()
    items = page.get_by_test_id("review-items")
    expect(items.locator("tbody tr")).to_have_count(10)
    both = items.locator("tr", has_text="Đối tượng Double")
    expect(both).to_contain_text("Đang hưởng cả trợ cấp xã hội hằng tháng và trợ cấp hưu trí xã hội")
    expect(both).to_contain_text("Không hưởng")
    row = items.locator("tr", has_text="Đối tượng Turned_4")
    expect(row).to_contain_text("Trẻ em đã đủ 4 tuổi: hệ số giảm")
    expect(row).to_contain_text("10/08/2026")
    expect(row).to_contain_text("1.350.000")
    expect(row).to_contain_text("810.000")
    expect(items).not_to_contain_text("Other_commune")
    screenshot("review-list")

    row.get_by_role("link", name="Lập quyết định").click()
    expect(page.get_by_test_id("from-review")).to_contain_text("Trẻ em đã đủ 4 tuổi")
    expect(page.get_by_label("Ngày phát sinh sự kiện")).to_have_value("10/08/2026")
    expect(page.get_by_label("Ngày sinh")).to_have_value("10/08/2022")
    page.get_by_test_id("preview").click()
    results = page.get_by_test_id("assessment-results")
    expect(results).to_contain_text("810.000")
    expect(results).to_contain_text("hệ số 1,5 vì trẻ em từ đủ 4 đến dưới 16 tuổi")
    screenshot("review-decision-preview")

    page.get_by_role("button", name="Lập dự thảo").click()
    expect(page.locator("body")).to_contain_text("Đã lập dự thảo quyết định")
    decision = Decision.objects.get(person=world.people["turned_4"], kind="adjust")
    assert (decision.category, str(decision.coefficient)) == ("1", "1.50")
    item = ReviewItem.objects.get(person=world.people["turned_4"])
    assert (item.status, item.decision_id) == (ReviewStatus.PREPARED, decision.pk)
