"""QA findings of the commune walkthrough (docs: /work/notes/qa_commune.md):

- F1: the dossier page shows Vietnamese labels, not the internal codes of the declared facts,
  the checks, the history, nor a settings name;
- F4: the chairman sees what the officer proposed and is offered only that decision (or sending
  it back); a refusal needs a reason written by the chairman;
- F5: a year-only or month/year date of birth is accepted on receipt, as in the registry.
"""

import datetime as dt
import re

import pytest

from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.models import Dossier, DossierCheck, DossierEvent, Status
from ansinh.dossiers.population import use_population_source
from ansinh.dossiers.services import dossier_transition
from ansinh.dossiers.tests.helpers import ELDER_ID, elder, filed, form01, population_with, text, visible

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


def _proposed(office, outcome: str, note: str = ""):
    person = elder(office)
    population_with(person)
    dossier = form01(office, person)
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    return dossier_transition(
        actor=office.officer, dossier=dossier, action="propose", outcome=outcome, note=note
    )


# --- F1 --------------------------------------------------------------------------------------


def test_the_dossier_page_shows_labels_not_codes(client, office):
    dossier = _proposed(office, "refuse", "Còn con trai phụng dưỡng.")
    dossier = dossier_transition(
        actor=office.chairman, dossier=dossier, action="refuse", reason="Còn con trai phụng dưỡng."
    )
    client.force_login(office.officer)
    page = visible(client.get(f"/ho-so/{dossier.pk}/"))
    # The declared facts: the form's labels, Có/Không.
    assert "Không có người có nghĩa vụ và quyền phụng dưỡng Có" in page
    assert "Người nhiễm HIV/AIDS Không" in page
    for code in ("no_supporter", "has_hiv", "studying", "single_parent", "receives_pension", "False", "True"):
        assert code not in page, code
    # The checks: Vietnamese names.
    for code in ("registry", "identity", "residence", "household", "death"):
        assert f" {code} " not in f" {page} ", code
    assert "Nơi thường trú" in page and "Họ tên theo số định danh" in page
    # The history: action → status, in words.
    assert "Tiếp nhận hồ sơ → Đã tiếp nhận" in page
    assert "Bắt đầu thẩm định → Đang thẩm định" in page
    assert "Trình Chủ tịch UBND xã → Đã trình Chủ tịch UBND xã" in page
    assert "Từ chối → Đã giải quyết – không được hưởng" in page
    for raw in ("receive received", "start_check", "propose proposed", "refuse refused"):
        assert raw not in page, raw


def test_form02_facts_use_the_form_labels(client, office):
    person = elder(office)
    cared = elder(office, personal_id="001046000322")
    population_with(person)
    dossier = filed(
        office,
        person,
        "02",
        {
            "cared_person_name": cared.full_name,
            "cared_person_id": cared.personal_id,
            "cared_especially_severe_disabled": "1",
        },
        benefit="care_support",
    )
    client.force_login(office.officer)
    page = visible(client.get(f"/ho-so/{dossier.pk}/"))
    assert f"Số định danh người được chăm sóc {cared.personal_id}" in page
    assert "Số người khuyết tật đặc biệt nặng đang chăm sóc 1" in page
    assert "cared_person" not in page and "cared_especially" not in page


def test_no_population_source_is_said_without_a_settings_name(client, office):
    person = elder(office)
    use_population_source(None)
    dossier = form01(office, person)
    client.force_login(office.officer)
    page = visible(client.get(f"/ho-so/{dossier.pk}/"))
    assert "ANSINH_" not in page
    assert (
        "Chưa kết nối cơ sở dữ liệu quốc gia về dân cư: đối chiếu bằng giấy tờ công dân xuất trình." in page
    )
    assert DossierCheck.objects.filter(dossier=dossier, outcome="not_done").count() == 5


# --- F4 --------------------------------------------------------------------------------------


def test_the_chairman_sees_a_refusal_proposal_and_only_refuse_or_send_back(client, office):
    dossier = _proposed(office, "refuse", "Còn con trai phụng dưỡng.")
    client.force_login(office.chairman)
    response = client.get(f"/ho-so/{dossier.pk}/")
    page = visible(response)
    assert "Đề xuất của công chức: Từ chối – Còn con trai phụng dưỡng." in page
    html = text(response)
    assert 'data-testid="action-refuse"' in html and 'data-testid="action-return"' in html
    assert 'data-testid="action-grant"' not in html and 'name="number"' not in html


def test_the_chairman_sees_a_grant_proposal_and_only_grant_or_send_back(client, office):
    dossier = _proposed(office, "grant", "Đủ điều kiện.")
    client.force_login(office.chairman)
    response = client.get(f"/ho-so/{dossier.pk}/")
    assert "Đề xuất của công chức: Cho hưởng – Đủ điều kiện." in visible(response)
    html = text(response)
    assert 'data-testid="action-grant"' in html and 'data-testid="action-return"' in html
    assert 'data-testid="action-refuse"' not in html
    # The officer sees the proposal too, and no decision button.
    client.force_login(office.officer)
    response = client.get(f"/ho-so/{dossier.pk}/")
    assert "Đề xuất của công chức: Cho hưởng" in visible(response)
    assert 'data-testid="action-grant"' not in text(response)


def test_a_refusal_with_an_empty_reason_is_refused_beside_the_field(client, office):
    dossier = _proposed(office, "refuse", "Còn con trai phụng dưỡng.")
    events = DossierEvent.objects.count()
    client.force_login(office.chairman)
    response = client.post(f"/ho-so/{dossier.pk}/chuyen/", {"action": "refuse", "reason": "  "})
    assert response.status_code == 400
    assert 'id="id_reason_errors"' in text(response)
    assert "Chưa nhập lý do từ chối" in visible(response)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.refusal_reason) == (Status.PROPOSED, "")
    assert DossierEvent.objects.count() == events
    # The officer's note is offered for the chairman to confirm; what is sent is what is written.
    page = text(client.get(f"/ho-so/{dossier.pk}/"))
    assert re.search(r"<textarea[^>]*name=\"reason\"[^>]*>\s*Còn con trai phụng dưỡng.</textarea>", page)
    response = client.post(
        f"/ho-so/{dossier.pk}/chuyen/",
        {"action": "refuse", "reason": "Có con trai đủ điều kiện phụng dưỡng."},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.refusal_reason) == (
        Status.REFUSED,
        "Có con trai đủ điều kiện phụng dưỡng.",
    )


def test_the_service_does_not_take_the_officer_note_as_the_refusal_reason(office):
    from ansinh.core.errors import InvalidInput

    dossier = _proposed(office, "refuse", "Ghi chú nội bộ của cán bộ.")
    with pytest.raises(InvalidInput) as error:
        dossier_transition(actor=office.chairman, dossier=dossier, action="refuse", reason="")
    assert "reason" in error.value.fields
    dossier.refresh_from_db()
    assert (dossier.status, dossier.refusal_reason) == (Status.PROPOSED, "")


# --- F5 --------------------------------------------------------------------------------------


def _form01_post(**extra):
    return {
        "commune": "00001",
        "benefit": "monthly_allowance",
        "subject_name": "Hoàng Văn Thụ",
        "subject_personal_id": ELDER_ID,
        "f_no_supporter": "on",
        **extra,
    }


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("1946", dt.date(1946, 1, 1), "1946"),
        ("05/1946", dt.date(1946, 5, 1), "05/1946"),
        ("01/05/1946", dt.date(1946, 5, 1), "01/05/1946"),
    ],
)
def test_the_staff_form_accepts_partial_dates_of_birth(client, office, typed, stored, shown):
    population_with(elder(office))
    client.force_login(office.officer)
    response = client.post("/ho-so/tiep-nhan/?mau=01", _form01_post(channel="desk", subject_birth_date=typed))
    assert response.status_code == 302, visible(response)
    dossier = Dossier.objects.get()
    assert dossier.subject_birth_date == stored and dossier.subject_birth.display() == shown
    page = client.get(f"/ho-so/{dossier.pk}/")
    assert re.search(rf'data-testid="subject-birth">{re.escape(shown)}<', text(page))
    # The population record (01/05/1946) falls within the date filed: the age check passes.
    assert DossierCheck.objects.get(dossier=dossier, kind="age").outcome == "passed"


def test_the_public_form_accepts_a_year_only_date_of_birth(client, office):
    population_with(elder(office))
    response = client.post("/dich-vu-cong/nop/?mau=01", _form01_post(subject_birth_date="1946"))
    assert response.status_code == 200
    dossier = Dossier.objects.get()
    assert dossier.code in text(response)
    assert dossier.subject_birth_date == dt.date(1946, 1, 1) and dossier.subject_birth.display() == "1946"


def test_a_partial_date_of_birth_outside_the_population_record_fails_the_age_check(client, office):
    population_with(elder(office))  # born 01/05/1946
    client.force_login(office.officer)
    client.post("/ho-so/tiep-nhan/?mau=01", _form01_post(channel="desk", subject_birth_date="06/1946"))
    dossier = Dossier.objects.get()
    assert DossierCheck.objects.get(dossier=dossier, kind="age").outcome == "failed"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("13/1946", "Tháng 13 không hợp lệ"), ("31/02/1946", "không có thật"), ("abc", "Không đọc được ngày")],
)
def test_an_impossible_date_of_birth_is_refused_beside_the_field(client, office, typed, message):
    elder(office)
    client.force_login(office.officer)
    response = client.post("/ho-so/tiep-nhan/?mau=01", _form01_post(channel="desk", subject_birth_date=typed))
    assert response.status_code == 200
    assert 'id="id_subject_birth_date_errors"' in text(response) and message in visible(response)
    assert Dossier.objects.count() == 0
