"""Issue 4 acceptance in a real browser: a citizen files Form 01 online without an account, the
officer checks and proposes, the chairman grants, the citizen sees "Đã giải quyết" with the code,
and the person is in next month's payroll at the law's amount (cat. 5a, 2.0 × 540,000)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from ansinh.accounts.models import Role
from ansinh.dossiers.models import Dossier
from ansinh.dossiers.population import use_population_source
from ansinh.dossiers.tests.helpers import ELDER_AMOUNT, ELDER_ID, elder, population_with
from ansinh.payments.levels import levels_sync
from ansinh.payments.models import BenefitLevel, PaymentLine
from ansinh.payments.payroll import payroll_run
from ansinh.registry.tests.factories import PASSWORD, make_commune, make_user
from tests.test_browser_journey import log_in

pytestmark = pytest.mark.browser


class _Office:
    def __init__(self):
        self.commune = make_commune("00001", "01", "Xã Thử Một")


@pytest.fixture
def setup(transactional_db, monkeypatch):
    day = {"value": dt.date(2026, 11, 2)}
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day["value"])
    levels_sync()
    BenefitLevel.objects.exclude(province_code="").delete()
    office = _Office()
    make_user(username="can_bo", role=Role.COMMUNE_OFFICER, commune=office.commune)
    make_user(username="chu_tich", role=Role.COMMUNE_CHAIRMAN, commune=office.commune)
    person = elder(office)
    population_with(person)
    yield day, office, person
    use_population_source(None)


def test_citizen_files_online_officer_proposes_chairman_grants_and_payroll_pays(
    page, live_server, setup, screenshot
):
    day, office, person = setup
    page.goto(f"{live_server.url}/dich-vu-cong/")
    page.get_by_role("link", name="Nộp hồ sơ Mẫu 01").click()  # /dich-vu-cong/nop/?mau=01
    page.locator("#id_commune").fill("00001")
    page.locator("#id_subject_name").fill("Hoàng Văn Thụ")
    page.locator("#id_subject_personal_id").fill(ELDER_ID)
    page.locator("#id_applicant_phone").fill("0912345678")
    page.locator("#id_f_no_supporter").check()
    screenshot("dossier-public-form")
    page.get_by_test_id("file").click()
    code = page.get_by_test_id("tracking-code").inner_text()
    assert code.startswith("HS-")
    assert "11/11/2026" in page.locator("main").inner_text()  # 7 working days

    log_in(page, live_server, "can_bo", PASSWORD)
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("checks")).to_contain_text("Đạt")
    page.get_by_test_id("action-start_check").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đang thẩm định")
    page.locator("#id_outcome").select_option("grant")
    page.get_by_test_id("action-propose").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã trình Chủ tịch UBND xã")
    expect(page.get_by_test_id("action-grant")).to_have_count(0)  # the officer cannot grant
    page.get_by_role("button", name="Đăng xuất").click()

    day["value"] = dt.date(2026, 11, 4)
    log_in(page, live_server, "chu_tich", PASSWORD)
    page.goto(f"{live_server.url}/ho-so/{Dossier.objects.get(code=code).pk}/")
    page.locator("#id_number").fill("15/QĐ-UBND")
    page.locator("#id_signed_on").fill("04/11/2026")
    page.get_by_test_id("action-grant").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã giải quyết – được hưởng")
    expect(page.locator("main")).to_contain_text("1.080.000 đ")
    screenshot("dossier-granted")
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto(f"{live_server.url}/dich-vu-cong/tra-cuu/")
    page.locator("#id_code").fill(code)
    page.locator("#id_personal_id").fill(ELDER_ID)
    page.get_by_test_id("lookup").click()
    expect(page.get_by_test_id("public-status")).to_have_text("Đã giải quyết")
    expect(page.get_by_test_id("public-result")).to_contain_text(code)
    # Nothing else: no amount, no officer, no other person's data.
    expect(page.get_by_test_id("public-result")).not_to_contain_text("1.080.000")
    screenshot("dossier-public-status")

    day["value"] = dt.date(2026, 12, 1)
    payroll_run(month=dt.date(2026, 12, 1), area_code="00001")
    lines = list(PaymentLine.objects.filter(person=person).order_by("month").values_list("month", "amount"))
    assert lines == [(dt.date(2026, 11, 1), ELDER_AMOUNT), (dt.date(2026, 12, 1), ELDER_AMOUNT)]
