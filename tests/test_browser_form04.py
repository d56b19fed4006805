"""Form 04 in a real browser (Decree 335/2026 Art. 25): a citizen files online with a scanned
document, the commune checks, proposes and forwards, the province (for the facility) admits, and
the citizen sees where and from when."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from ansinh.accounts.models import Role
from ansinh.dossiers.models import Attachment, Dossier
from ansinh.dossiers.tests.helpers import ELDER_ID
from ansinh.registry.tests.factories import PASSWORD, make_user
from tests.test_browser_dossier import setup as office_setup  # noqa: F401, F811 (a fixture)
from tests.test_browser_journey import log_in

pytestmark = pytest.mark.browser

FACILITY = "Trung tâm Bảo trợ xã hội tỉnh"


@pytest.fixture
def setup(office_setup, settings, tmp_path):  # noqa: F811
    """test_browser_dossier's commune, officer, chairman and elder, plus the province's officer."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    day, office, _person = office_setup
    make_user(username="so_y_te", role=Role.PROVINCIAL_OFFICER, province=office.commune.province)
    return day, office, tmp_path


def test_form_04_filed_online_forwarded_by_the_commune_and_admitted_by_the_province(
    page, live_server, setup, screenshot
):
    day, office, tmp_path = setup
    scan = tmp_path / "giay-xac-nhan.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    page.goto(f"{live_server.url}/dich-vu-cong/nop/?mau=04")
    page.locator("#id_commune").fill("00001")
    page.locator("#id_subject_name").fill("Hoàng Văn Thụ")
    page.locator("#id_subject_personal_id").fill(ELDER_ID)
    page.locator("#id_applicant_phone").fill("0912345678")
    page.locator("#id_f_facility_name").fill(FACILITY)
    page.locator("#id_f_admission_reason").fill("Không nơi nương tựa")
    page.locator("#id_attachments").set_input_files(str(scan))
    page.get_by_test_id("file").click()
    code = page.get_by_test_id("tracking-code").inner_text()
    expect(page.locator("main")).to_contain_text("giay-xac-nhan.pdf")
    expect(page.locator("main")).to_contain_text("09/11/2026")  # 3 + 2 working days
    dossier = Dossier.objects.get(code=code)
    assert Attachment.objects.get(dossier=dossier).name == "giay-xac-nhan.pdf"

    log_in(page, live_server, "can_bo", PASSWORD)
    page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    expect(page.get_by_test_id("commune-deadline")).to_contain_text("05/11/2026")
    page.get_by_test_id("action-start_check").click()
    page.locator("#id_outcome").select_option("grant")
    page.get_by_test_id("action-propose").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã trình Chủ tịch UBND xã")
    page.get_by_role("button", name="Đăng xuất").click()

    day["value"] = dt.date(2026, 11, 3)
    log_in(page, live_server, "chu_tich", PASSWORD)
    page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    expect(page.get_by_test_id("action-grant")).to_have_count(0)  # Form 04: the commune forwards
    page.get_by_test_id("action-forward").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã chuyển cơ sở trợ giúp xã hội")
    expect(page.get_by_test_id("facility-deadline")).to_contain_text("05/11/2026")
    page.get_by_role("button", name="Đăng xuất").click()

    day["value"] = dt.date(2026, 11, 4)
    log_in(page, live_server, "so_y_te", PASSWORD)
    page.goto(f"{live_server.url}/ho-so/")
    page.get_by_test_id("bucket-forwarded").click()
    page.get_by_role("link", name=code).click()
    page.locator("#id_facility_name").fill(FACILITY)
    page.locator("#id_admission_date").fill("05/11/2026")
    page.locator("#id_number").fill("07/QĐ-TTBTXH")
    screenshot("dossier-form04-admit")
    page.get_by_test_id("action-admit").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã giải quyết – được hưởng")
    expect(page.get_by_test_id("admission")).to_contain_text(f"{FACILITY} từ ngày 05/11/2026")
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto(f"{live_server.url}/dich-vu-cong/tra-cuu/")
    page.locator("#id_code").fill(code)
    page.locator("#id_personal_id").fill(ELDER_ID)
    page.get_by_test_id("lookup").click()
    expect(page.get_by_test_id("public-status")).to_have_text("Đã giải quyết")
    expect(page.get_by_test_id("public-result")).to_contain_text(
        f"được tiếp nhận vào {FACILITY} từ ngày 05/11/2026"
    )
