"""The dossier pages with the Django test client: staff pages scoped to the area, the public
pages without an account, and the transfer handover on the page."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Decision
from ansinh.decisions.tests.factories import Office
from ansinh.documents.testing import pdf_text
from ansinh.dossiers.models import Attachment, Dossier, Status
from ansinh.dossiers.services import dossier_transition
from ansinh.dossiers.tests.helpers import ELDER_ID, elder, form01, population_with, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


def _desk_post(**extra):
    return {
        "commune": "00001",
        "benefit": "monthly_allowance",
        "subject_name": "Hoàng Văn Thụ",
        "subject_personal_id": ELDER_ID,
        "channel": "desk",
        "f_no_supporter": "on",
        **extra,
    }


def test_the_officer_receives_at_the_desk_and_sees_the_list(client, office):
    person = elder(office)
    population_with(person)
    client.force_login(office.officer)
    page = client.get("/ho-so/tiep-nhan/?mau=01")
    assert page.status_code == 200 and "Mẫu 01" in text(page)
    response = client.post("/ho-so/tiep-nhan/?mau=01", _desk_post())
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/"
    assert (dossier.channel, dossier.received_by) == ("desk", office.officer)
    listing = client.get("/ho-so/")
    assert dossier.code in text(listing) and "Trong hạn, chưa giải quyết" in text(listing)
    assert 'href="/ho-so/"' in text(listing)  # the nav entry
    detail = client.get(f"/ho-so/{dossier.pk}/")
    assert "11/11/2026" in text(detail) and "Đạt" in text(detail)


def test_post_without_postmark_shows_the_error_and_writes_nothing(client, office):
    elder(office)
    client.force_login(office.officer)
    response = client.post("/ho-so/tiep-nhan/?mau=01", _desk_post(channel="post"))
    assert response.status_code == 200
    assert "ngày theo dấu bưu điện" in text(response)
    assert Dossier.objects.count() == 0


def test_a_transition_error_is_shown_and_nothing_moves(client, office):
    person = elder(office)
    dossier = form01(office, person)
    dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    client.force_login(office.officer)
    response = client.post(f"/ho-so/{dossier.pk}/chuyen/", {"action": "propose", "outcome": ""})
    assert response.status_code == 400 and "Chọn đề xuất" in text(response)
    dossier.refresh_from_db()
    assert dossier.status == Status.CHECKING
    client.force_login(office.chairman)
    response = client.post(f"/ho-so/{dossier.pk}/chuyen/", {"action": "start_check"})
    assert response.status_code == 400
    response = client.post(f"/ho-so/{dossier.pk}/chuyen/", {"action": "propose", "outcome": "grant"})
    assert response.status_code == 400 and "Vai trò này không được" in text(response)


def test_the_recheck_button_runs_the_checks_again_and_returns_to_the_dossier(client, office):
    dossier = form01(office, elder(office))
    client.force_login(office.officer)
    response = client.post(f"/ho-so/{dossier.pk}/kiem-tra/")
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/"
    assert AuditEvent.objects.filter(action="dossier.check", entity_id=str(dossier.pk)).count() == 1
    client.force_login(Office("00002").officer)
    assert client.post(f"/ho-so/{dossier.pk}/kiem-tra/").status_code == 404
    assert AuditEvent.objects.filter(action="dossier.check", entity_id=str(dossier.pk)).count() == 1


def test_the_public_pages_file_and_follow_without_an_account(client, office):
    person = elder(office)
    population_with(person)
    assert client.get("/dich-vu-cong/").status_code == 200
    bad = client.post(
        "/dich-vu-cong/nop/?mau=01",
        {
            "commune": "00001",
            "benefit": "monthly_allowance",
            "subject_name": "Hoàng Văn Thụ",
            "subject_personal_id": "123",
        },
    )
    assert bad.status_code == 200 and "12 chữ số" in text(bad)
    assert Dossier.objects.count() == 0
    filed = client.post(
        "/dich-vu-cong/nop/?mau=01",
        {
            "commune": "00001",
            "benefit": "monthly_allowance",
            "subject_name": "Hoàng Văn Thụ",
            "subject_personal_id": ELDER_ID,
            "f_no_supporter": "on",
        },
    )
    dossier = Dossier.objects.get()
    assert dossier.channel == "online" and dossier.code in text(filed)
    wrong = client.post("/dich-vu-cong/tra-cuu/", {"code": dossier.code, "personal_id": "001046000999"})
    assert "Không tìm thấy hồ sơ" in text(wrong) and dossier.subject_name not in text(wrong)
    right = client.post("/dich-vu-cong/tra-cuu/", {"code": dossier.code, "personal_id": ELDER_ID})
    assert "Đã tiếp nhận" in text(right)
    # The staff pages still need a login.
    assert client.get(f"/ho-so/{dossier.pk}/").status_code == 302


def test_documents_attachments_and_scoping(client, office, today):
    person = elder(office)
    dossier = form01(office, person)
    client.force_login(office.officer)
    early = client.get(f"/ho-so/{dossier.pk}/van-ban.pdf")
    assert early.status_code == 302
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="propose", outcome="grant")
    today(dt.date(2026, 11, 3))  # signed the day after the receipt
    dossier_transition(
        actor=office.chairman, dossier=dossier, action="grant", number="1/QĐ", signed_on=dt.date(2026, 11, 3)
    )
    pdf = client.get(f"/ho-so/{dossier.pk}/van-ban.pdf")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    # The category as the decree writes it (not "khoản 5a"); amounts in đồng (Decree 30/2020).
    words = " ".join(pdf_text(pdf.content).split())
    assert "đối tượng quy định tại điểm a khoản 5 Điều 5 Nghị định 335/2026/NĐ-CP, hệ số 2." in words
    assert "khoản 5a" not in words and "Mức hưởng: 1.080.000 đồng/tháng" in words
    docx = client.get(f"/ho-so/{dossier.pk}/van-ban.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    upload = SimpleUploadedFile("don.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    assert client.post(f"/ho-so/{dossier.pk}/dinh-kem/", {"file": upload}).status_code == 302
    attachment = Attachment.objects.get()
    assert b"".join(client.get(f"/ho-so/tep/{attachment.pk}/").streaming_content) == b"%PDF-1.4 scan"
    other = Office("00002")
    client.force_login(other.officer)
    for url in (f"/ho-so/{dossier.pk}/", f"/ho-so/{dossier.pk}/van-ban.pdf", f"/ho-so/tep/{attachment.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ho-so/{dossier.pk}/chuyen/", {"action": "start_check"}).status_code == 404
    assert dossier.code not in text(client.get("/ho-so/"))


def test_the_new_commune_receives_only_a_person_handed_over_on_the_page(client, office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 9, 1))
    new_place = Office("00002")
    client.force_login(new_place.officer)
    before = Decision.objects.count()
    # Not handed over: the page cannot take the person.
    assert (
        client.post(f"/ho-so/chuyen-den/{person.pk}/tiep-nhan/", {"benefit": "monthly_allowance"}).status_code
        == 404
    )
    assert person.full_name not in text(client.get("/ho-so/chuyen-den/"))
    assert Decision.objects.count() == before
    office.hand_over(person, to="00002", signed_on=dt.date(2026, 11, 2))
    listing = client.get("/ho-so/chuyen-den/")
    assert person.full_name in text(listing)
    response = client.post(f"/ho-so/chuyen-den/{person.pk}/tiep-nhan/", {"benefit": "monthly_allowance"})
    draft = Decision.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/quyet-dinh/{draft.pk}/"
    assert (draft.kind, draft.commune_id, draft.status) == ("transfer", "00002", "draft")
    # A third commune still cannot.
    third = Office("00003")
    client.force_login(third.officer)
    assert (
        client.post(f"/ho-so/chuyen-den/{person.pk}/tiep-nhan/", {"benefit": "monthly_allowance"}).status_code
        == 404
    )


def test_the_public_form_does_not_reveal_the_person_or_an_open_dossier(client, office):
    person = elder(office)
    population_with(person)
    dossier = form01(office, person)
    response = client.post(
        "/dich-vu-cong/nop/?mau=01",
        {
            "commune": "00001",
            "benefit": "monthly_allowance",
            "subject_name": "Ai đó",
            "subject_personal_id": ELDER_ID,
            "f_no_supporter": "on",
        },
    )
    body = text(response)
    assert response.status_code == 200 and "Không tiếp nhận trực tuyến" in body
    assert dossier.code not in body and person.full_name not in body
    assert Dossier.objects.count() == 1
    # Form 03 for a living person: nothing about them either.
    response = client.post(
        "/dich-vu-cong/nop/?mau=03",
        {
            "commune": "00001",
            "benefit": "funeral_support",
            "subject_name": "Ai đó",
            "subject_personal_id": ELDER_ID,
            "applicant_personal_id": "001046000999",
            "f_date_of_death": "01/11/2026",
        },
    )
    body = text(response)
    assert "Không tiếp nhận trực tuyến" in body and person.full_name not in body and "còn sống" not in body


def test_a_postmark_before_the_commune_procedure_is_refused_naming_the_field(client, office):
    elder(office)
    client.force_login(office.officer)
    response = client.post("/ho-so/tiep-nhan/?mau=01", _desk_post(channel="post", postmark_date="01/01/2024"))
    assert response.status_code == 200 and "01/07/2025" in text(response)
    assert Dossier.objects.count() == 0
