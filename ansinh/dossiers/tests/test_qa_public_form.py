"""QA findings of the commune walkthrough (/work/notes/qa_commune.md), second round:

- F6: the commune is picked by name (province, then commune; no JavaScript needed), the 5-digit
  code is still accepted, and all mistakes are shown at once with * on the required fields;
- F12: withdrawing a dossier needs a reason, in its own confirmation form;
- the tracking code is found typed without dashes; a decision number is shown as recorded.
"""

import datetime as dt
import re

import pytest

from ansinh.areas.models import Province
from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.models import Dossier, Status
from ansinh.dossiers.services import dossier_transition
from ansinh.dossiers.tests.helpers import ELDER_ID, elder, form01, population_with, text, visible
from ansinh.registry.tests.factories import make_commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


def select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)


def _post(**extra):
    return {
        "benefit": "monthly_allowance",
        "subject_name": "Hoàng Văn Thụ",
        "subject_personal_id": ELDER_ID,
        "f_no_supporter": "on",
        **extra,
    }


# --- F6 --------------------------------------------------------------------------------------


def test_the_public_form_offers_provinces_then_the_communes_of_the_chosen_one(client, office):
    make_commune("95001", "02", "Phường Khác Tỉnh")  # codes no real unit has (they may be loaded)
    page = text(client.get("/dich-vu-cong/nop/?mau=01"))
    names = dict(Province.objects.filter(code__in=["01", "02"]).values_list("code", "name"))
    assert names["01"] in select(page, "tinh") and names["02"] in select(page, "tinh")
    assert 'value="00001"' not in select(page, "xa")
    # Without JavaScript: the province select belongs to a GET form reloading with ?tinh=NN.
    assert 'form="pick-province"' in page and '<form id="pick-province" method="get"' in page
    chosen = text(client.get("/dich-vu-cong/nop/?mau=01&tinh=01"))
    communes = select(chosen, "xa")
    assert 'value="00001"' in communes and "95001" not in communes
    assert re.search(r'<option value="01" selected>', select(chosen, "tinh"))


def test_a_commune_picked_from_the_list_files_the_dossier(client, office):
    population_with(elder(office))
    response = client.post("/dich-vu-cong/nop/?mau=01&tinh=01", _post(xa="00001"))
    assert response.status_code == 200
    dossier = Dossier.objects.get()
    assert dossier.commune_id == "00001" and dossier.code in text(response)


def test_the_five_digit_code_and_a_commune_name_are_still_accepted(client, office):
    population_with(elder(office))
    client.post("/dich-vu-cong/nop/?mau=01", _post(commune="00001"))
    assert Dossier.objects.get().commune_id == "00001"
    Dossier.objects.all().delete()
    client.post("/dich-vu-cong/nop/?mau=01", _post(commune="Thử 00001"))
    assert Dossier.objects.get().commune_id == "00001"


def test_a_name_that_is_no_commune_is_explained_not_a_length_error(client, office):
    response = client.post("/dich-vu-cong/nop/?mau=01", _post(commune="Thành Vinh"))
    page = visible(response)
    assert "Không tìm thấy một xã/phường tên “Thành Vinh”" in page
    assert "tối đa 5" not in page and Dossier.objects.count() == 0


def test_an_empty_form_shows_every_mistake_at_once_with_stars(client, office):
    response = client.post("/dich-vu-cong/nop/?mau=01", {"benefit": "monthly_allowance"})
    html = text(response)
    for field in ("xa", "subject_name", "subject_personal_id"):
        assert f'id="id_{field}_errors"' in html, field
        label = re.search(rf'<label for="id_{field}">(.*?)</label>', html, re.S).group(1)
        assert 'class="required"' in label, field
    assert Dossier.objects.count() == 0


def test_the_staff_form_starts_at_the_officer_s_commune(client, office):
    client.force_login(office.officer)
    page = text(client.get("/ho-so/tiep-nhan/?mau=01"))
    assert '<option value="00001" selected>' in select(page, "xa")
    person = elder(office)
    population_with(person)
    response = client.post("/ho-so/tiep-nhan/?mau=01", _post(xa="00001", channel="desk"))
    assert response.status_code == 302 and Dossier.objects.get().commune_id == "00001"


def test_the_staff_form_reports_every_mistake_at_once(client, office):
    client.force_login(office.officer)
    response = client.post(
        "/ho-so/tiep-nhan/?mau=01",
        {
            "benefit": "monthly_allowance",
            "channel": "post",
            "postmark_date": "xx",
            "subject_personal_id": "12",
        },
    )
    html = text(response)
    for field in ("xa", "subject_name", "subject_personal_id", "postmark_date"):
        assert f'id="id_{field}_errors"' in html, field


# --- F12 -------------------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_in_its_own_confirmation_form(client, office):
    person = elder(office)
    population_with(person)
    dossier = form01(office, person)
    client.force_login(office.officer)
    page = text(client.get(f"/ho-so/{dossier.pk}/"))
    withdraw = re.search(r'<details class="withdraw".*?</details>', page, re.S).group(0)
    assert "<summary" in withdraw and 'name="note"' in withdraw and 'class="btn sign danger"' in withdraw
    refused = client.post(f"/ho-so/{dossier.pk}/chuyen/", {"action": "withdraw", "note": ""})
    assert refused.status_code == 400 and "Chưa nhập lý do rút hồ sơ" in visible(refused)
    assert re.search(r'<details class="withdraw"[^>]* open>', text(refused))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    done = client.post(
        f"/ho-so/{dossier.pk}/chuyen/", {"action": "withdraw", "note": "Người nộp có đơn xin rút."}
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert dossier.events.get(action="withdraw").note == "Người nộp có đơn xin rút."


# --- tracking code, decision number --------------------------------------------------------


@pytest.mark.parametrize("typed", ["{plain}", "{lower}", " {spaced} ", "{dashed}"])
def test_the_tracking_code_is_found_however_it_is_typed(client, office, typed):
    person = elder(office)
    population_with(person)
    dossier = form01(office, person)
    plain = dossier.code.replace("-", "")
    code = typed.format(plain=plain, lower=dossier.code.lower(), spaced=" ".join(plain), dashed=dossier.code)
    response = client.post("/dich-vu-cong/tra-cuu/", {"code": code, "personal_id": ELDER_ID})
    assert dossier.code in text(response) and "Không tìm thấy" not in visible(response)


def test_the_dossier_page_shows_the_decision_number_as_recorded(client, office):
    person = elder(office)
    population_with(person)
    dossier = form01(office, person)
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="propose", outcome="grant")
    dossier = dossier_transition(
        actor=office.chairman,
        dossier=dossier,
        action="grant",
        number="2017/QĐ-UBND",
        signed_on=dt.date(2026, 11, 2),
    )
    client.force_login(office.officer)
    page = visible(client.get(f"/ho-so/{dossier.pk}/"))
    assert "Quyết định số 2017/QĐ-UBND" in page and "QĐ 2017" not in page
