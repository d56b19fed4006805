"""Citizens attach documents when filing online (the same checks as the officers' attachments:
PDF/JPEG/PNG by content, size limit), and the applicant is told of the receipt with the tracking
code, then of the decision."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.core.errors import InvalidInput
from ansinh.core.models import AuditEvent
from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.models import Attachment, Dossier, Notification
from ansinh.dossiers.notify import MemorySender
from ansinh.dossiers.services import dossier_transition
from ansinh.dossiers.tests.helpers import ELDER_ID, elder, form01, population_with

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


def _public_post(**extra):
    return {
        "commune": "00001",
        "benefit": "monthly_allowance",
        "subject_name": "Hoàng Văn Thụ",
        "subject_personal_id": ELDER_ID,
        "applicant_phone": "0912345678",
        "applicant_email": "thu@example.vn",
        "f_no_supporter": "on",
        **extra,
    }


def test_the_citizen_files_online_with_documents_and_is_told_the_code(
    client, office, django_capture_on_commit_callbacks
):
    population_with(elder(office))
    files = [
        SimpleUploadedFile("don-de-nghi.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("giay-xac-nhan.png", PNG, content_type="image/png"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dich-vu-cong/nop/?mau=01", {**_public_post(), "attachments": files})
    assert response.status_code == 200
    dossier = Dossier.objects.get()
    page = response.content.decode()
    assert dossier.code in page and "don-de-nghi.pdf, giay-xac-nhan.png" in page
    rows = list(Attachment.objects.order_by("id").values_list("name", "content_type", "size", "uploaded_by"))
    assert rows == [
        ("don-de-nghi.pdf", "application/pdf", len(PDF), None),
        ("giay-xac-nhan.png", "image/png", len(PNG), None),
    ]
    assert AuditEvent.objects.filter(action="dossier.attach", entity_id=str(dossier.pk)).count() == 2
    body = (
        f"UBND {office.commune.name} đã tiếp nhận hồ sơ Mẫu 01 – Trợ cấp xã hội hằng tháng, trợ cấp hưu trí xã hội "
        f"của Hoàng Văn Thụ, mã hồ sơ {dossier.code}, hạn giải quyết 11/11/2026. "
        "Tra cứu tại Dịch vụ công với mã hồ sơ và số định danh cá nhân."
    )
    assert MemorySender.outbox == [
        {"channel": "sms", "recipient": "0912345678", "body": body},
        {"channel": "email", "recipient": "thu@example.vn", "body": body},
    ]
    assert Notification.objects.filter(dossier=dossier, sent=True).count() == 2


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (
            SimpleUploadedFile("don.pdf", b"not a pdf at all", content_type="application/pdf"),
            "không phải PDF",
        ),
        (SimpleUploadedFile("anh.gif", b"GIF89a" + b"\x00" * 20, content_type="image/gif"), "không phải PDF"),
        (SimpleUploadedFile("lon.pdf", PDF + b"\x00" * 200, content_type="application/pdf"), "quá giới hạn"),
    ],
)
def test_a_bad_file_refuses_the_filing_and_writes_nothing(client, office, settings, upload, expected):
    settings.ANSINH_DOSSIER_MAX_UPLOAD = 100
    population_with(elder(office))
    response = client.post("/dich-vu-cong/nop/?mau=01", {**_public_post(), "attachments": [upload]})
    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page and upload.name in page
    assert (Dossier.objects.count(), Attachment.objects.count(), Notification.objects.count()) == (0, 0, 0)
    assert MemorySender.outbox == []


def test_too_many_files_are_refused(office):
    person = elder(office)
    files = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(11)]
    with pytest.raises(InvalidInput) as error:
        form01(office, person, uploads=files)
    assert error.value.fields == {"attachments": "Gửi 11 tệp: mỗi lần nộp tối đa 10 tệp đính kèm."}
    assert Dossier.objects.count() == 0


def test_the_desk_receipt_takes_files_too_and_the_decision_is_notified(
    client, office, django_capture_on_commit_callbacks
):
    person = elder(office)
    population_with(person)
    client.force_login(office.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ho-so/tiep-nhan/?mau=01",
            {
                **_public_post(applicant_email=""),
                "channel": "desk",
                "attachments": [SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20)],
            },
        )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert Attachment.objects.get().uploaded_by == office.officer
    assert [m["body"].split(",")[0] for m in MemorySender.outbox] == [
        f"UBND {office.commune.name} đã tiếp nhận hồ sơ Mẫu 01 – Trợ cấp xã hội hằng tháng"
    ]
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(
        actor=office.officer, dossier=dossier, action="propose", outcome="refuse", note="Có con phụng dưỡng."
    )
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(
            actor=office.chairman, dossier=dossier, action="refuse", reason="Có con phụng dưỡng."
        )
    assert len(MemorySender.outbox) == 2 and "không được hưởng" in MemorySender.outbox[-1]["body"]
