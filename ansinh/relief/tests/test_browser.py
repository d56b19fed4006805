"""The relief journey on a phone (390 × 844) in a real browser (Debian's chromium through
Playwright, the live-server pattern of tests/test_browser_journey.py): the officer registers an
affected household while the connection is down, the entry waits on the phone and is sent once
when the network returns (even when the queue replays it); proposes the support the law gives;
the chairman decides; the officer records the rice handed over; the event shows 100% helped in
time."""

import os

import pytest
from playwright.sync_api import expect

from ansinh.relief.models import AffectedHousehold, Distribution, StockBalance, Support
from ansinh.relief.services import stock_receive
from ansinh.relief.tests.scenario import FLOOD_DAY, build_relief_world
from tests.conftest import shared_chromium
from tests.test_browser_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_relief_world()
    stock_receive(
        actor=w.officer_a,
        commune=w.commune_a,
        item="gao",
        quantity=500,
        source="local",
        received_on=FLOOD_DAY,
    )
    return w


@pytest.fixture
def phone():
    context = shared_chromium().new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield context, page
    context.close()


def shot(page, name: str) -> None:
    """The phone's screen as PNG in $ANSINH_SCREENSHOT_DIR when set (to look at the pages)."""
    folder = os.environ.get("ANSINH_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"relief-{name}.png"), full_page=True)


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_register_offline_propose_decide_distribute_and_see_helped_in_time(phone, live_server, world):
    context, page = phone
    log_in(page, live_server, "can_bo_a", world.password)
    page.get_by_role("link", name="Cứu trợ khẩn cấp").click()
    page.get_by_role("link", name="Lũ lụt tháng 9/2026").click()
    page.get_by_role("link", name="Ghi nhanh hộ bị ảnh hưởng").click()
    expect(page.get_by_test_id("queue-status")).to_have_text("Chưa có phiếu chờ gửi.")

    # The connection drops in the field: the entry waits on the phone.
    context.set_offline(True)
    page.get_by_label("Họ tên chủ hộ").fill("hoàng thị lan")
    page.get_by_label("Số nhân khẩu").fill("3")
    page.get_by_label("Hộ thiếu đói").check()
    page.get_by_label("Thiệt hại về nhà ở").select_option("severe_damage")
    page.get_by_test_id("save-entry").click()
    expect(page.get_by_test_id("queue-status")).to_contain_text("Chưa gửi: 1 hộ")
    expect(page.get_by_label("Họ tên chủ hộ")).to_have_value("")
    shot(page, "field-offline")
    assert AffectedHousehold.objects.count() == 0
    # The queue replays the same entry (as after an answer lost on the way back).
    page.evaluate(
        "() => { const q = JSON.parse(localStorage.getItem('ansinh.relief.queue.v1')); q.push(q[0]);"
        " localStorage.setItem('ansinh.relief.queue.v1', JSON.stringify(q)); }"
    )

    context.set_offline(False)  # the network is back: the page sends by itself
    expect(page.get_by_test_id("queue-status")).to_contain_text("Đã gửi xong: Hoàng Thị Lan", timeout=20_000)
    assert AffectedHousehold.objects.filter(head_name="Hoàng Thị Lan").count() == 1
    assert page.evaluate("() => localStorage.getItem('ansinh.relief.queue.v1')") == "[]"

    # Propose what the law gives (flood of 08/09/2026: Decree 335, 540,000).
    page.get_by_role("link", name="Lũ lụt tháng 9/2026").click()
    page.get_by_test_id("propose-all").click()
    expect(page.get_by_test_id("affected")).to_contain_text("Chờ Chủ tịch UBND xã quyết định")
    expect(page.get_by_test_id("affected")).to_contain_text("135 kg")
    expect(page.get_by_test_id("affected")).to_contain_text("20.000.000 đ")
    expect(page.get_by_test_id("decide-all")).to_have_count(0)  # the preparer never decides
    log_out(page)

    log_in(page, live_server, "chu_tich_a", world.password)
    page.goto(f"{live_server.url}/cuu-tro/dot/{world.flood.pk}/")
    page.get_by_label("Số quyết định").fill("45/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("09/09/2026")
    page.get_by_test_id("decide-all").click()
    expect(page.get_by_test_id("affected")).to_contain_text("Đã quyết định")
    log_out(page)

    log_in(page, live_server, "can_bo_a", world.password)
    page.goto(f"{live_server.url}/cuu-tro/dot/{world.flood.pk}/")
    page.get_by_role("link", name="Hoàng Thị Lan").click()
    expect(page.get_by_test_id("support-total")).to_have_text("20.000.000 đ · 135 kg gạo")
    # More than decided: refused beside the field, nothing written.
    page.get_by_label("Loại cấp phát").select_option("rice")
    page.get_by_label("Số lượng").fill("200")
    page.get_by_label("Ngày nhận").fill("10/09/2026")
    page.get_by_test_id("distribute").click()
    expect(page.locator("#id_quantity_errors")).to_contain_text("vượt mức đã quyết định: quyết định 135 kg")
    shot(page, "distribution-error")
    assert Distribution.objects.count() == 0
    page.get_by_label("Loại cấp phát").select_option("rice")
    page.get_by_label("Số lượng").fill("135")
    page.get_by_label("Ngày nhận").fill("10/09/2026")
    page.get_by_test_id("distribute").click()
    expect(page.get_by_test_id("distributions")).to_contain_text("135 kg")
    expect(page.get_by_test_id("timeliness")).to_have_text("Kịp thời")

    page.get_by_role("link", name="Lũ lụt tháng 9/2026").click()
    expect(page.get_by_test_id("helped-in-time")).to_have_text("100%")
    expect(page.get_by_test_id("helped-count")).to_have_text("1/1")
    shot(page, "event")
    assert Support.objects.get().status == "decided"
    assert StockBalance.objects.get(item__code="gao").quantity == 500 - 135
