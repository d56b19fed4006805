"""Form 04, admission to a social assistance facility (Decree 335/2026 Art. 25): the commune
verifies and forwards within 3 working days, then the facility (a provincial officer acting for
its head) admits or refuses within 2; each step has its deadline; the citizen sees the outcome and
the decision or refusal is generated."""

import datetime as dt
import io

import pytest

from ansinh.accounts.models import Role
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.decisions.tests.factories import Office
from ansinh.documents.testing import pdf_png, pdf_text
from ansinh.dossiers.documents import dossier_document_docx, dossier_document_pdf
from ansinh.dossiers.models import DossierEvent, Status
from ansinh.dossiers.notify import MemorySender
from ansinh.dossiers.selectors import dossier_counts_for_user, dossier_list_for_user
from ansinh.dossiers.services import dossier_transition
from ansinh.dossiers.tests.helpers import ELDER_ID, elder, form01, form04, population_with
from ansinh.registry.tests.factories import make_user

pytestmark = pytest.mark.django_db

FACILITY = "Trung tâm Bảo trợ xã hội tỉnh"


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


@pytest.fixture
def province(office):
    user = make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province)
    user.first_name, user.last_name = "Minh", "Trần Văn"
    user.save()
    return user


def _forwarded(office, today, *, forward_on=dt.date(2026, 11, 4)):
    """A Form 04 received Monday 2 Nov 2026, forwarded by the commune on `forward_on`."""
    person = elder(office)
    population_with(person)
    dossier = form04(office, person)
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="propose", outcome="grant")
    today(forward_on)
    return dossier_transition(actor=office.chairman, dossier=dossier, action="forward")


def test_the_province_admits_the_forwarded_dossier(
    office, province, today, django_capture_on_commit_callbacks
):
    dossier = _forwarded(office, today)
    assert (dossier.commune_deadline, dossier.facility_deadline) == (
        dt.date(2026, 11, 5),
        dt.date(2026, 11, 6),
    )
    # The provincial level sees it waiting for the facility; the commune no longer can act on it.
    assert list(dossier_list_for_user(province, bucket="forwarded")) == [dossier]
    assert dossier_counts_for_user(province)["forwarded"] == 1
    with pytest.raises(NotAllowed):
        dossier_transition(
            actor=office.chairman,
            dossier=dossier,
            action="admit",
            facility_name=FACILITY,
            admission_date="06/11/2026",
        )
    today(dt.date(2026, 11, 5))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_transition(
            actor=province,
            dossier=dossier,
            action="admit",
            facility_name=FACILITY,
            admission_date="06/11/2026",
            number="07/QĐ-TTBTXH",
        )
    assert (
        dossier.status,
        dossier.facility_name,
        dossier.admission_date,
        dossier.admission_number,
        dossier.decided_on,
        dossier.processing_days,
        dossier.admission_signer,
    ) == (
        Status.GRANTED,
        FACILITY,
        dt.date(2026, 11, 6),
        "07/QĐ-TTBTXH",
        dt.date(2026, 11, 5),
        3,
        "Minh Trần Văn",
    )
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "admit",
        Status.FORWARDED,
        Status.GRANTED,
        province,
    )
    assert AuditEvent.objects.filter(action="dossier.admit", entity_id=str(dossier.pk)).count() == 1
    assert MemorySender.outbox[-1]["body"] == (
        f"{FACILITY}: hồ sơ {dossier.code} đã giải quyết – được tiếp nhận vào cơ sở từ ngày 06/11/2026."
    )
    # The decision, issued by the facility, rendered to an image and read back.
    pdf = dossier_document_pdf(dossier)
    assert pdf_png(pdf).startswith(b"\x89PNG")
    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "QUYẾT ĐỊNH",
        "07/QĐ-TTBTXH",
        "tiếp nhận đối tượng vào cơ sở trợ giúp xã hội",
        "Hoàng Văn Thụ",
        ELDER_ID,
        "06/11/2026",
        "Giám đốc".upper(),
        "Minh Trần Văn",
    ):
        assert expected in text, expected
    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(dossier_document_docx(dossier))).paragraphs)
    assert "07/QĐ-TTBTXH" in body and FACILITY.upper() in body and "06/11/2026" in body


def test_admission_needs_the_date_and_writes_nothing_without_it(office, province, today):
    dossier = _forwarded(office, today)
    for kwargs, field in (
        ({"facility_name": FACILITY}, "admission_date"),
        ({"facility_name": FACILITY, "admission_date": "31/02/2026"}, "admission_date"),
        ({"facility_name": FACILITY, "admission_date": "01/10/2026"}, "admission_date"),
    ):
        with pytest.raises(InvalidInput) as error:
            dossier_transition(actor=province, dossier=dossier, action="admit", **kwargs)
        assert field in error.value.fields
    dossier.refresh_from_db()
    assert (dossier.status, dossier.admission_date, dossier.decided_on) == (Status.FORWARDED, None, None)
    # The facility named on the form is kept when the officer does not type another.
    dossier = dossier_transition(
        actor=province, dossier=dossier, action="admit", admission_date=dt.date(2026, 11, 9)
    )
    assert (dossier.facility_name, dossier.admission_number) == (FACILITY, f"{dossier.code}/QĐ-TN")


def test_the_facility_refuses_with_a_reason(office, province, today, django_capture_on_commit_callbacks):
    dossier = _forwarded(office, today)
    with pytest.raises(InvalidInput) as error:
        dossier_transition(actor=province, dossier=dossier, action="refuse_admission", reason=" ")
    assert "reason" in error.value.fields
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_transition(
            actor=province, dossier=dossier, action="refuse_admission", reason="Cơ sở đã hết chỗ nuôi dưỡng."
        )
    assert (dossier.status, dossier.refusal_reason, dossier.decided_on) == (
        Status.REFUSED,
        "Cơ sở đã hết chỗ nuôi dưỡng.",
        dt.date(2026, 11, 4),
    )
    assert "không tiếp nhận. Lý do: Cơ sở đã hết chỗ nuôi dưỡng." in MemorySender.outbox[-1]["body"]
    text = " ".join(pdf_text(dossier_document_pdf(dossier)).split())
    assert "THÔNG BÁO" in text and "Cơ sở đã hết chỗ nuôi dưỡng." in text and f"{FACILITY} đã nhận" in text


def test_form_04_rows_do_not_apply_to_other_forms_and_back(office, province, today):
    person = elder(office)
    population_with(person)
    dossier = form01(office, person)
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="propose", outcome="grant")
    with pytest.raises(Conflict):
        dossier_transition(actor=office.chairman, dossier=dossier, action="forward")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROPOSED


def test_a_province_elsewhere_cannot_decide(office, today):
    dossier = _forwarded(office, today)
    elsewhere = Office("00002", province="02")
    other = make_user(role=Role.PROVINCIAL_OFFICER, province=elsewhere.commune.province)
    with pytest.raises(NotAllowed):
        dossier_transition(
            actor=other, dossier=dossier, action="admit", facility_name=FACILITY, admission_date="06/11/2026"
        )
    assert list(dossier_list_for_user(other, bucket="forwarded")) == []
    dossier.refresh_from_db()
    assert dossier.status == Status.FORWARDED


def test_each_step_is_overdue_by_its_own_deadline(office, province, today):
    # Forwarded on 2 Nov: the facility is due 4 Nov, while the whole deadline is 9 Nov.
    dossier = _forwarded(office, today, forward_on=dt.date(2026, 11, 2))
    second = elder(office, personal_id="001046000322")
    waiting = form04(office, second)  # still at the commune, due there 5 Nov
    today(dt.date(2026, 11, 5))
    assert list(dossier_list_for_user(province, bucket="overdue")) == [dossier]
    assert list(dossier_list_for_user(province, bucket="due")) == [waiting]
    today(dt.date(2026, 11, 6))
    assert set(dossier_list_for_user(office.officer, bucket="overdue")) == {dossier, waiting}


def test_the_pages_admit_and_the_citizen_sees_the_outcome(client, office, province, today):
    dossier = _forwarded(office, today)
    client.force_login(province)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert 'data-testid="action-admit"' in page and 'data-testid="action-refuse_admission"' in page
    assert "06/11/2026" in page  # the facility's deadline
    response = client.post(
        f"/ho-so/{dossier.pk}/chuyen/", {"action": "admit", "facility_name": FACILITY, "admission_date": ""}
    )
    assert response.status_code == 400 and "ngày tiếp nhận" in response.content.decode().lower()
    response = client.post(
        f"/ho-so/{dossier.pk}/chuyen/",
        {"action": "admit", "facility_name": FACILITY, "admission_date": "06/11/2026"},
    )
    assert response.status_code == 302
    client.logout()
    status = client.post(
        "/dich-vu-cong/tra-cuu/", {"code": dossier.code, "personal_id": ELDER_ID}
    ).content.decode()
    assert (
        "Đã giải quyết" in status
        and f'được tiếp nhận vào <span data-testid="public-facility">{FACILITY}</span> từ ngày 06/11/2026'
        in status
    )
    # Another province's officer gets 404 on the dossier.
    elsewhere = Office("00002", province="02")
    client.force_login(make_user(role=Role.PROVINCIAL_OFFICER, province=elsewhere.commune.province))
    assert client.get(f"/ho-so/{dossier.pk}/").status_code == 404
    assert client.post(f"/ho-so/{dossier.pk}/chuyen/", {"action": "admit"}).status_code == 404
